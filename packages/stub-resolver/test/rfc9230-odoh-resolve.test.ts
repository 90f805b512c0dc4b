/**
 * Resolving through an oblivious relay (RFC 9230; DESIGN §1 R6, §7), on the in-memory
 * network: every query but the root bootstrap goes through the relay to a target named
 * by host, encrypted to the config of its DNSSEC-validated `_odoh.<host>` record; the
 * root's own record is asked directly once; a 401 makes the stub fetch the config again,
 * once; a missing or forged config is never answered by going direct.
 */
import { encodeConfigs, openQuery, singleKey } from '@mimi/odoh';
import { RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork } from './helpers/network.js';
import { HOSTS, odohKey } from './helpers/privacy.js';
import { type PrivateNetwork, privateNetwork } from './helpers/private-network.js';
import { editRecords, flipLast } from './helpers/tamper.js';

const BOOTSTRAP = [
  'mimi.arpa. DNSKEY',
  'mimi.arpa. NS',
  '_dns.root.nic.mimi.arpa. SVCB',
  '_odoh.root.nic.mimi.arpa. ODOHCFG',
];

async function seeded(): Promise<PrivateNetwork> {
  const network = await buildNetwork();
  seedDemo(network);
  return privateNetwork(network);
}

const asked = (requests: readonly { qname: string; qtype: string }[]) =>
  requests.map((request) => `${request.qname} ${request.qtype}`);

describe('every query through the relay', () => {
  it('resolves the §9 table with the same outcomes as direct DoH', async () => {
    const net = await seeded();
    const results = await net
      .resolver()
      .resolveMany([CSI.ukFound, CSI.ukOptedOut, CSI.usFound, CSI.alice, CSI.ukMissing, CSI.noDp]);
    expect(results.map((result) => [result.csi, result.status, result.reason])).toEqual([
      ['+447700900123', 'found', null],
      ['+447700900124', 'opted-out', null],
      ['+14155550100', 'found', null],
      ['alice@example.com', 'found', null],
      ['+447700900999', 'no-mapping', null],
      ['+33123456789', 'no-mapping', null],
    ]);
    const direct = await net.network.resolver().resolve(CSI.ukFound);
    expect(results[0]).toEqual(direct);
  });

  it('goes directly to the root only for the four public bootstrap records, never a CSI name', async () => {
    const net = await seeded();
    await net.resolver().resolveMany([CSI.ukFound, CSI.alice, CSI.noDp]);
    expect(asked(net.direct.requests).sort()).toEqual([...BOOTSTRAP].sort());
    // Everything else reached the servers only through the relay, addressed by host name.
    expect(new Set(net.relay.forwarded.map((f) => `${f.host} ${f.path}`))).toEqual(
      new Set([`${HOSTS.root} /dns-query`, `${HOSTS.tel} /dns-query`, `${HOSTS.mail} /dns-query`]),
    );
    expect(asked(net.behind.requests)).toContain('3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa. MSPMAP');
    expect(net.behind.requests.filter((r) => r.qname === '_odoh.tel.nic.mimi.arpa.')).toEqual([
      expect.objectContaining({ host: HOSTS.root, qtype: 'ODOHCFG' }),
    ]);
  });

  it('the relay carries only ciphertext: no query name appears in what it forwards', async () => {
    const net = await seeded();
    await net.resolver().resolve(CSI.alice);
    const hashed = Buffer.from('2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db');
    const example = Buffer.from([7, ...Buffer.from('example')]);
    for (const forwarded of net.relay.forwarded) {
      const body = Buffer.from(forwarded.body);
      expect(body.includes(hashed)).toBe(false);
      expect(body.includes(example)).toBe(false);
    }
  });

  it('pads each query inside the encryption to 128-octet blocks (RFC 8467 §4.1)', async () => {
    const net = await seeded();
    await net.resolver().resolve(CSI.ukFound);
    for (const forwarded of net.relay.forwarded) {
      const key = odohKey(forwarded.host);
      const opened = openQuery(singleKey(key), forwarded.body);
      // type, key_id<2+32>, encrypted_message<2 + enc(32) + Q_plain + tag(16)>, where
      // Q_plain = dns_message<2+n> || padding<2+p> and n + p is a multiple of 128.
      const plaintextLength = forwarded.body.length - 1 - 2 - 32 - 2 - 32 - 16;
      expect((plaintextLength - 4) % 128).toBe(0);
      expect(opened.query.length).toBeLessThanOrEqual(plaintextLength - 4);
    }
  });

  it('with warm caches a new CSI under a known prefix costs one relayed query and no direct one', async () => {
    const net = await seeded();
    const resolver = net.resolver();
    await resolver.resolve(CSI.ukFound);
    const [direct, relayed] = [net.direct.requests.length, net.relay.forwarded.length];
    expect((await resolver.resolve(CSI.ukOptedOut)).status).toBe('opted-out');
    expect(net.direct.requests.length).toBe(direct);
    expect(net.relay.forwarded.slice(relayed).map((f) => f.host)).toEqual([HOSTS.tel]);
  });
});

describe('a target that answers 401 (RFC 9230 §4.3, §7)', () => {
  it('a DP that rotated its key: the stub fetches the new config once and gets its answer', async () => {
    const net = await seeded();
    const resolver = net.resolver();
    await resolver.resolve(CSI.ukFound);
    await net.rotate('tel');
    const mark = net.relay.forwarded.length;
    const result = await resolver.resolve(CSI.ukOptedOut, { trace: true });
    expect(result.status).toBe('opted-out');
    expect(net.relay.forwarded.slice(mark).map((f) => [f.host, f.status])).toEqual([
      [HOSTS.tel, 401],
      [HOSTS.root, 200], // _odoh.tel.nic.mimi.arpa. ODOHCFG, asked again through the relay
      [HOSTS.tel, 200],
    ]);
    expect(result.trace).toContainEqual(
      expect.objectContaining({ event: 'odoh-config', host: HOSTS.tel, source: 'relay', refreshed: true }),
    );
  });

  it('the root rotated its key: its config is asked directly again, and only that', async () => {
    const net = await seeded();
    const resolver = net.resolver();
    await resolver.resolve(CSI.ukFound);
    await net.rotate('root');
    const mark = net.direct.requests.length;
    expect((await resolver.resolve(CSI.usFound)).status).toBe('found');
    expect(asked(net.direct.since(mark))).toEqual(['_odoh.root.nic.mimi.arpa. ODOHCFG']);
  });

  it('a target that still refuses the freshly fetched key: unreachable after two tries, not more', async () => {
    // tel.nic.mimi.arpa has two addresses; through the relay both are one server, asked once.
    const net = await seeded();
    const resolver = net.resolver();
    await resolver.resolve(CSI.ukFound);
    await net.rotate('tel', false);
    const result = await net.resolver({ retries: 0 }).resolve(CSI.ukOptedOut);
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(/^http-error: .*tel\.nic\.mimi\.arpa answered http 401/);
    const tel = net.relay.forwarded.filter((f) => f.host === HOSTS.tel && f.status === 401);
    expect(tel).toHaveLength(2);
  });
});

describe('no usable config: unreachable, never direct', () => {
  it('a DP without an ODOHCFG record is unreachable with reason odoh-config', async () => {
    const net = await seeded();
    await net.setRecords('mail', []);
    const result = await net.resolver({ retries: 0 }).resolve(CSI.alice);
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(
      /^odoh-config: .*mail\.nic\.mimi\.arpa publishes no odoh config \(no ODOHCFG record at _odoh\.mail\.nic\.mimi\.arpa\.\)/,
    );
    expect(net.direct.requests.some((r) => r.qname.includes('example.com'))).toBe(false);
    expect(net.relay.forwarded.some((f) => f.host === HOSTS.mail)).toBe(false);
  });

  it('a record whose configs use only another suite is skipped like any unusable record', async () => {
    const net = await seeded();
    const other = encodeConfigs([{ kemId: 0x0010, kdfId: 1, aeadId: 1, publicKey: new Uint8Array(65) }]);
    await net.setRecords('mail', [other]);
    const result = await net.resolver({ retries: 0 }).resolve(CSI.alice);
    expect(result.reason).toMatch(/^odoh-config: .*no usable odoh config at _odoh\.mail\.nic\.mimi\.arpa\./);
  });

  it('a forged ODOHCFG signature makes the result bogus', async () => {
    const net = await seeded();
    const owner = '_odoh.mail.nic.mimi.arpa.';
    net.behind.tamper = (response, request) =>
      request.qname === owner
        ? editRecords(response, 'answers', owner, RRType.ODOHCFG, (r) => ({ ...r, rdata: flipLast(r.rdata) }))
        : response;
    const result = await net.resolver().resolve(CSI.alice);
    expect(result.status).toBe('bogus');
    expect(result.reason).toMatch(/^bad-signature: /);
  });

  it('a root without an ODOHCFG record: unreachable, and no CSI name went anywhere', async () => {
    const net = await seeded();
    await net.setRecords('root', []);
    const result = await net.resolver({ retries: 0 }).resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(/^odoh-config: .*root\.nic\.mimi\.arpa publishes no odoh config/);
    expect(asked(net.direct.requests).sort()).toEqual([...BOOTSTRAP].sort());
    expect(net.relay.forwarded).toEqual([]);
  });

  it('a relay that is down: unreachable with reason network, nothing sent direct but the bootstrap', async () => {
    const net = await seeded();
    net.relay.down = true;
    const result = await net.resolver({ retries: 0 }).resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(/^network: .*relay https:\/\/relay\.test\/proxy: econnrefused/);
    expect(asked(net.direct.requests).sort()).toEqual([...BOOTSTRAP].sort());
  });
});

describe('the trace shows the relay hop', () => {
  it('relayed queries name the relay; the bootstrap queries do not; configs name their source', async () => {
    const net = await seeded();
    const result = await net.resolver().resolve(CSI.ukFound, { trace: true });
    const queries = result.trace!.filter((event) => event.event === 'query');
    const direct = queries.filter((event) => event.relay === undefined);
    expect(direct.map((event) => `${event.qname} ${event.qtype}`).sort()).toEqual([...BOOTSTRAP].sort());
    const relayed = queries.filter((event) => event.relay === 'https://relay.test/proxy');
    expect(relayed.length).toBeGreaterThan(0);
    expect(relayed.every((event) => event.server.host.endsWith('.nic.mimi.arpa'))).toBe(true);
    expect(result.trace).toContainEqual({
      event: 'odoh-config',
      host: HOSTS.root,
      keyId: Buffer.from(odohKey(HOSTS.root).keyId.subarray(0, 4)).toString('hex'),
      source: 'direct',
      refreshed: false,
    });
    expect(result.trace).toContainEqual(
      expect.objectContaining({ event: 'odoh-config', host: HOSTS.tel, source: 'relay' }),
    );
  });
});

describe('ownership', () => {
  it('close() leaves a relay client the caller handed in to the caller', async () => {
    const net = await seeded();
    const resolver = net.resolver();
    await resolver.resolve(CSI.ukFound);
    await resolver.close();
    expect(net.relay.closed).toBe(false);
  });
});
