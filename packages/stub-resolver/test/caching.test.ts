/**
 * Caching (RFC 4035 §5.3.3, RFC 2308 §5, DESIGN §5 TTLs): a second resolve of a cached
 * name makes no transport request; answers expire with their TTL, negative answers with
 * the SOA minimum, and everything no later than its RRSIG's expiration — all on the
 * injected clock.
 */
import { describe, expect, it } from 'vitest';
import { type CacheEntry, type CacheStore, createLruCacheStore } from '../src/index.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { NOW } from './helpers/fixtures.js';
import { buildNetwork, type TestNetwork } from './helpers/network.js';

const UK_QNAME = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
const MISSING_QNAME = '9.9.9.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';

async function seeded(options: Parameters<typeof buildNetwork>[0] = {}): Promise<TestNetwork> {
  const network = await buildNetwork(options);
  seedDemo(network);
  return network;
}

function asked(network: TestNetwork, mark: number): string[] {
  return network.transport.since(mark).map((r) => `${r.qname} ${r.qtype}`);
}

describe('answers from cache', () => {
  it('a second resolve of a cached name makes no transport request', async () => {
    const network = await seeded();
    const resolver = network.resolver();
    const first = await resolver.resolve(CSI.ukFound);
    const mark = network.transport.requests.length;
    expect(mark).toBeGreaterThan(0);
    const second = await resolver.resolve(CSI.ukFound);
    expect(network.transport.since(mark)).toEqual([]);
    expect(second).toEqual(first);
  });

  it('a cached denial answers no-mapping again without a request', async () => {
    const network = await seeded();
    const resolver = network.resolver();
    expect((await resolver.resolve(CSI.ukMissing)).status).toBe('no-mapping');
    const mark = network.transport.requests.length;
    expect((await resolver.resolve(CSI.ukMissing)).status).toBe('no-mapping');
    expect(network.transport.since(mark)).toEqual([]);
  });

  it('another CSI under a cached delegation goes straight to its DP', async () => {
    const network = await seeded();
    const resolver = network.resolver();
    await resolver.resolve(CSI.ukFound);
    const mark = network.transport.requests.length;
    await resolver.resolve(CSI.ukOptedOut);
    expect(asked(network, mark)).toEqual(['4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa. MSPMAP']);
  });

  it('verified objects are served from the object cache on the second resolve', async () => {
    const network = await seeded();
    const gets: string[] = [];
    const lru = createLruCacheStore();
    const spy: CacheStore = {
      get: (key: string) => {
        const entry = lru.get(key);
        if (entry !== undefined) gets.push(key);
        return entry;
      },
      set: (key: string, entry: CacheEntry) => lru.set(key, entry),
      delete: (key: string) => lru.delete(key),
      clear: () => lru.clear(),
      get size() {
        return lru.size;
      },
    };
    const resolver = network.resolver({ cache: spy });
    await resolver.resolve(CSI.ukFound);
    expect(gets.filter((key) => key.startsWith('object:'))).toEqual([]);
    await resolver.resolve(CSI.ukFound);
    expect(gets.filter((key) => key.startsWith('object:'))).toHaveLength(1);
  });
});

/** A store that records every key asked for, hit or miss. */
function recordingStore(lru: CacheStore = createLruCacheStore()): CacheStore & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get: (key: string) => {
      asked.push(key);
      return lru.get(key);
    },
    set: (key: string, entry: CacheEntry) => lru.set(key, entry),
    delete: (key: string) => lru.delete(key),
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
  };
}

describe('the zone to start from', () => {
  it('a new CSI under a cached zone looks up no suffix longer than any zone seen', async () => {
    const network = await seeded();
    const store = recordingStore();
    const resolver = network.resolver({ cache: store });
    await resolver.resolve(CSI.ukFound);
    store.asked.length = 0;
    const mark = network.transport.requests.length;
    expect((await resolver.resolve(CSI.ukOptedOut)).status).toBe('opted-out');
    expect(asked(network, mark)).toEqual(['4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa. MSPMAP']);
    // The +44 zone is the longest the resolver has seen: the first zone key looked up.
    expect(store.asked.filter((key) => key.startsWith('zone:'))[0]).toBe('zone:4.4.e164.mimi.arpa.');
  });

  it('a resolver sharing a store filled by another finds its zones and asks only the DP', async () => {
    const network = await seeded();
    const shared = createLruCacheStore();
    await network.resolver({ cache: shared }).resolve(CSI.ukFound);
    const store = recordingStore(shared);
    const second = network.resolver({ cache: store });
    let mark = network.transport.requests.length;
    expect((await second.resolve(CSI.ukOptedOut)).status).toBe('opted-out');
    // It has seen no zone yet, so it looks up every suffix and finds the +44 zone.
    expect(asked(network, mark)).toEqual(['4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa. MSPMAP']);
    expect(store.asked).toContain('zone:4.4.e164.mimi.arpa.');
    mark = network.transport.requests.length;
    expect((await second.resolve(CSI.ukMissing)).status).toBe('no-mapping');
    expect(asked(network, mark)).toEqual(['9.9.9.0.0.9.0.0.7.7.4.4.e164.mimi.arpa. MSPMAP']);
  });
});

describe('expiry on the injected clock', () => {
  it('mapping data expires after its 300 s TTL; keys (TTL 3600) stay', async () => {
    const network = await seeded();
    const resolver = network.resolver();
    await resolver.resolve(CSI.ukFound);
    network.clock.ms = (NOW + 299) * 1000;
    let mark = network.transport.requests.length;
    await resolver.resolve(CSI.ukFound);
    expect(asked(network, mark)).toEqual([]);
    network.clock.ms = (NOW + 301) * 1000;
    mark = network.transport.requests.length;
    expect((await resolver.resolve(CSI.ukFound)).status).toBe('found');
    const again = asked(network, mark);
    expect(again).toContain(`${UK_QNAME} MSPMAP`);
    expect(again).not.toContain('mimi.arpa. DNSKEY');
    expect(again).not.toContain('uk-carrier.csip.mimi.arpa. CSIPKEY');
  });

  it('a negative answer expires with the SOA minimum (300 s)', async () => {
    const network = await seeded();
    const resolver = network.resolver();
    await resolver.resolve(CSI.ukMissing);
    network.clock.ms = (NOW + 299) * 1000;
    let mark = network.transport.requests.length;
    await resolver.resolve(CSI.ukMissing);
    expect(asked(network, mark)).toEqual([]);
    network.clock.ms = (NOW + 301) * 1000;
    mark = network.transport.requests.length;
    expect((await resolver.resolve(CSI.ukMissing)).status).toBe('no-mapping');
    expect(asked(network, mark)).toContain(`${MISSING_QNAME} MSPMAP`);
  });

  it('a key RRset is dropped when its RRSIG expires, before its TTL', async () => {
    // Signatures valid for 900 s (re-signed by the server when < 300 s remain); TTL 3600.
    const network = await seeded({ signer: { validitySeconds: 900, refreshSeconds: 300 } });
    const resolver = network.resolver();
    await resolver.resolve(CSI.ukFound);
    network.clock.ms = (NOW + 400) * 1000;
    let mark = network.transport.requests.length;
    await resolver.resolve(CSI.ukFound);
    expect(asked(network, mark)).not.toContain('mimi.arpa. DNSKEY');
    network.clock.ms = (NOW + 901) * 1000;
    mark = network.transport.requests.length;
    for (const engine of Object.values(network.engines)) engine.refreshSignatures(NOW + 901);
    expect((await resolver.resolve(CSI.ukFound)).status).toBe('found');
    expect(asked(network, mark)).toContain('mimi.arpa. DNSKEY');
  });

  it('with week-long signatures the same key RRset is still cached at 901 s', async () => {
    const network = await seeded();
    const resolver = network.resolver();
    await resolver.resolve(CSI.ukFound);
    network.clock.ms = (NOW + 901) * 1000;
    const mark = network.transport.requests.length;
    await resolver.resolve(CSI.ukFound);
    expect(asked(network, mark)).not.toContain('mimi.arpa. DNSKEY');
  });
});
