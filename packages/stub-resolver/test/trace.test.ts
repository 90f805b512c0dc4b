/** `resolve(csi, { trace })` records the chain of trust zone by zone (for `mimi resolve --trace`). */
import { describe, expect, it } from 'vitest';
import { resultToJson, type TraceEvent } from '../src/index.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { buildNetwork, ROOT_URL, TEL_URLS, zoneKeyOf } from './helpers/network.js';

describe('trace', () => {
  it('records the anchor, each zone with DS/DNSKEY key tags, each query with its server, and the result', async () => {
    const network = await buildNetwork();
    seedDemo(network);
    let now = network.clock.ms;
    const resolver = network.resolver({ clock: () => (now += 5) });
    const result = await resolver.resolve(CSI.ukFound, { trace: true });
    const trace = result.trace!;
    const apexTag = zoneKeyOf('mimi.arpa.').keyTag;
    const ukTag = zoneKeyOf('4.4.e164.mimi.arpa.').keyTag;
    expect(trace[0]).toEqual({ event: 'trust-anchor', zone: 'mimi.arpa.', keyTags: [apexTag] });
    expect(trace).toContainEqual({
      event: 'zone',
      zone: '4.4.e164.mimi.arpa.',
      parent: 'mimi.arpa.',
      dsKeyTags: [ukTag],
      dnskeyKeyTags: [ukTag],
      servers: TEL_URLS.map((url) => ({ url, host: 'tel.nic.mimi.arpa' })),
    });
    const referral = trace.find((e) => e.event === 'query' && e.outcome === 'referral');
    expect(referral).toMatchObject({
      qname: '4.4.e164.mimi.arpa.',
      qtype: 'NS',
      server: { url: ROOT_URL, host: '127.0.0.1' },
    });
    expect((referral as Extract<TraceEvent, { event: 'query' }>).ms).toBeGreaterThan(0);
    expect(trace).toContainEqual(
      expect.objectContaining({
        event: 'verified',
        zone: '4.4.e164.mimi.arpa.',
        type: 'MSPMAP',
        what: 'rrset',
        keyTag: ukTag,
      }),
    );
    expect(trace).toContainEqual({ event: 'mapping', id: 'personal', outcome: 'verified' });
    expect(trace.at(-1)).toMatchObject({ event: 'result', status: 'found', reason: null });
  });

  it('a trace callback receives the same events as they happen; the §8 json has no trace', async () => {
    const network = await buildNetwork();
    const seen: string[] = [];
    const result = await network.resolver().resolve(CSI.noDp, { trace: (event) => seen.push(event.event) });
    expect(seen[0]).toBe('trust-anchor');
    expect(seen.at(-1)).toBe('result');
    expect(result.trace).toBeUndefined();
    expect(Object.keys(resultToJson(result))).toEqual([
      'csi',
      'qname',
      'status',
      'mappings',
      'warnings',
      'reason',
    ]);
  });

  it('a cached answer shows as a cache event, not a query', async () => {
    const network = await buildNetwork();
    const resolver = network.resolver();
    await resolver.resolve(CSI.noDp);
    const again = await resolver.resolve(CSI.noDp, { trace: true });
    expect(again.trace!.filter((e) => e.event === 'query')).toEqual([]);
    expect(again.trace!.some((e) => e.event === 'cache')).toBe(true);
  });
});
