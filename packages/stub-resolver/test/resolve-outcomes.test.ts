/**
 * DESIGN §6: each outcome a sender sees — found, opted-out, no-mapping (in a delegated
 * zone, and with no DP for the prefix), bogus, unreachable — against the demo network
 * of §9 served by real AuthorityEngines, in the §8 JSON shape.
 */
import { publicKeyOf, toBase64Url } from '@mimi/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { reasonCode, resultToJson } from '../src/index.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { recipientKey } from './helpers/fixtures.js';
import { buildNetwork, type TestNetwork } from './helpers/network.js';

let network: TestNetwork;

beforeAll(async () => {
  network = await buildNetwork();
  seedDemo(network);
});

describe('DESIGN §6 outcomes', () => {
  it('found: +447700900123 with one mapping of two MSPs, in the §8 json shape', async () => {
    const result = await network.resolver().resolve('+44 7700 900123');
    expect(resultToJson(result)).toEqual({
      csi: '+447700900123',
      qname: '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.',
      status: 'found',
      mappings: [
        {
          id: 'personal',
          serial: 3,
          recipientKey: toBase64Url(publicKeyOf(recipientKey('447700900123'))),
          csip: 'uk-carrier',
          epoch: 1,
          expires: '2027-01-01T00:00:00Z',
          policy: {},
          msps: [
            { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
            { msp: 'wire.example', pri: 20, tags: ['Business'] },
          ],
        },
      ],
      warnings: [],
      reason: null,
    });
  });

  it('found: +14155550100 with two mappings sorted by id', async () => {
    const result = await network.resolver().resolve(CSI.usFound);
    expect(result.status).toBe('found');
    expect(result.mappings.map((m) => [m.id, m.msps.map((e) => e.msp)])).toEqual([
      ['personal', ['signal.example']],
      ['work', ['wire.example', 'teams.example']],
    ]);
  });

  it('found: alice@example.com under the email subtree', async () => {
    const result = await network.resolver().resolve('Alice@Example.com');
    expect(result.csi).toBe('alice@example.com');
    expect(result.qname).toBe(
      '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db.example.com.email.mimi.arpa.',
    );
    expect(result.status).toBe('found');
    expect(result.mappings[0]!.msps).toEqual([{ msp: 'signal.example', pri: 10, tags: [] }]);
  });

  it('opted-out: mappings exist, all with an empty MSP set', async () => {
    const result = await network.resolver().resolve(CSI.ukOptedOut);
    expect(result.status).toBe('opted-out');
    expect(result.mappings).toHaveLength(1);
    expect(result.mappings[0]!.msps).toEqual([]);
    expect(result.reason).toBeNull();
  });

  it('no-mapping: a missing name inside a delegated zone', async () => {
    const result = await network.resolver().resolve(CSI.ukMissing);
    expect(result).toMatchObject({ status: 'no-mapping', mappings: [], reason: null });
  });

  it('no-mapping: no DP for the prefix (+33), proven by the apex', async () => {
    const result = await network.resolver().resolve(CSI.noDp);
    expect(result).toMatchObject({ status: 'no-mapping', mappings: [], reason: null });
  });

  it('bogus: a wrong trust anchor, with a reason and no mapping', async () => {
    const wrong = (await buildNetwork()).config.trustAnchors[0]!.replace(/ DS (\d+) /, ' DS 1 ');
    const resolver = network.resolver();
    const bad = (await import('../src/index.js')).createResolver(
      { ...network.config, trustAnchors: [wrong] },
      { transport: network.transport, clock: () => network.clock.ms },
    );
    const result = await bad.resolve(CSI.ukFound);
    expect(result.status).toBe('bogus');
    expect(result.mappings).toEqual([]);
    expect(reasonCode(result)).toBe('ds-mismatch');
    expect(result.reason).toMatch(/^ds-mismatch: /);
    await resolver.close();
  });

  it('unreachable: every root server dead', async () => {
    const resolver = network.resolver({ retries: 0 });
    network.transport.dead.add('https://127.0.0.1:8443/dns-query');
    try {
      const result = await resolver.resolve(CSI.ukFound);
      expect(result.status).toBe('unreachable');
      expect(reasonCode(result)).toBe('network');
      expect(result.mappings).toEqual([]);
    } finally {
      network.transport.dead.clear();
    }
  });

  it('bad input throws CsiError before any lookup', async () => {
    const mark = network.transport.requests.length;
    await expect(network.resolver().resolve('not a number')).rejects.toMatchObject({
      code: 'csi-phone-format',
    });
    expect(network.transport.since(mark)).toEqual([]);
  });
});
