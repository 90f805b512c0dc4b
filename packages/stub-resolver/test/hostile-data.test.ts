/**
 * Regressions: data a server may send — validly signed by a zone, or beside signed data —
 * that made `resolve` throw instead of returning a DESIGN §6 result, or that made one
 * resolution cost without bound, or that could reuse a verification for other inputs.
 */
import { dsLine } from '@mimi/dnssec';
import { type ResourceRecord, RRType } from '@mimi/protocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TimedCache } from '../src/cache/timed-cache.js';
import { createLruCacheStore } from '../src/index.js';
import { checkMappings } from '../src/mappings.js';
import { CSI, seedDemo } from './helpers/demo-data.js';
import { attest, csipKeyRdata, keyFromText, mapping, msp, NOW, recipientKey } from './helpers/fixtures.js';
import { buildNetwork, type TestNetwork, ZONES, zoneKeyOf } from './helpers/network.js';
import { editRecords, resign } from './helpers/tamper.js';

const UK_MISSING_QNAME = '9.9.9.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';

let network: TestNetwork;

beforeAll(async () => {
  network = await buildNetwork();
  seedDemo(network);
});

afterEach(() => {
  network.transport.tamper = undefined;
});

/** An RRSIG record over `covered` at `name` whose RDATA stops after the algorithm octet. */
function truncatedRrsig(name: string, covered: number): ResourceRecord {
  return {
    name,
    type: RRType.RRSIG,
    class: 1,
    ttl: 300,
    rdata: Uint8Array.of(covered >> 8, covered & 0xff, 15),
  };
}

describe('a malformed RRSIG beside the good one', () => {
  it('a traced denial still validates and names the key tag that signed it', async () => {
    network.transport.tamper = (response, request) =>
      request.qtype === 'MSPMAP'
        ? {
            ...response,
            authorities: [truncatedRrsig(UK_MISSING_QNAME, RRType.NSEC), ...response.authorities],
          }
        : response;
    const result = await network.resolver().resolve(CSI.ukMissing, { trace: true });
    expect(result.status).toBe('no-mapping');
    const verified = result.trace!.filter(
      (event) => event.event === 'verified' && event.name === UK_MISSING_QNAME,
    );
    expect(verified).toHaveLength(1);
    const keyTag = network.keys.get(ZONES.uk)!.keyTag;
    expect(verified[0]).toMatchObject({ zone: ZONES.uk, name: UK_MISSING_QNAME, keyTag });
  });
});

describe('malformed server-endpoint records, validly signed by the zone', () => {
  const host = 'tel.nic.mimi.arpa.';
  const svcbName = `_dns.${host}`;

  it('an SVCB that does not decode is skipped: the zone has no endpoint left, unreachable', async () => {
    network.transport.tamper = (response, request) =>
      request.qname === svcbName && request.qtype === 'SVCB'
        ? resign(
            editRecords(response, 'answers', svcbName, RRType.SVCB, (rr) => ({
              ...rr,
              rdata: Uint8Array.of(0, 1, 0, 0, 1),
            })),
            'answers',
            svcbName,
            RRType.SVCB,
            ZONES.root,
          )
        : response;
    const result = await network.resolver().resolve(CSI.ukFound);
    expect(result.status).toBe('unreachable');
    expect(result.reason).toMatch(/^no-doh-endpoint: server host tel\.nic\.mimi\.arpa\. /);
    expect(result.mappings).toEqual([]);
  });

  it('an A record of 3 octets is skipped; the other address still serves', async () => {
    network.transport.tamper = (response, request) => {
      if (request.qname !== host || request.qtype !== 'A') return response;
      let first = true;
      const edited = editRecords(response, 'answers', host, RRType.A, (rr) => {
        if (!first) return rr;
        first = false;
        return { ...rr, rdata: Uint8Array.of(127, 0, 0) };
      });
      return resign(edited, 'answers', host, RRType.A, ZONES.root);
    };
    const mark = network.transport.requests.length;
    const result = await network.resolver().resolve(CSI.ukFound);
    expect(result.status).toBe('found');
    const telRequests = network.transport.since(mark).filter((r) => r.host === 'tel.nic.mimi.arpa');
    expect(new Set(telRequests.map((r) => r.url))).toEqual(new Set([network.urls.tel[1]]));
  });
});

describe('a delegation naming a great many NS hosts', () => {
  it('looks up at most eight of them', async () => {
    const child = '5.4.4.e164.mimi.arpa.';
    const many = await buildNetwork({
      telOverlay: [
        ...Array.from({ length: 40 }, (_, i) => `${child} 3600 IN NS h${i}.nic.mimi.arpa.`),
        dsLine(zoneKeyOf(child), 3600),
      ],
    });
    const result = await many.resolver().resolve('+445123456789');
    // No host exists, so the child is unreachable; what matters is what that cost.
    expect(result.status).toBe('unreachable');
    const hosts = new Set(
      many.transport.requests.filter((r) => /^h\d+\.nic\./.test(r.qname)).map((r) => r.qname),
    );
    expect(hosts.size).toBe(8);
  });
});

describe('the cache of verified mapping objects', () => {
  it('a verification with key records [A, B] is not reused for the one record A‖B', async () => {
    const csi = CSI.ukFound;
    const qname = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
    const recipient = recipientKey('447700900123');
    const rdata = mapping({
      csi,
      id: 'personal',
      recipient,
      att: attest({ csi, csip: 'uk-carrier', recipient }),
      msps: [msp('signal.example', 10)],
    });
    const good = csipKeyRdata('uk-carrier');
    const other = csipKeyRdata('uk-carrier', { key: keyFromText('stub test rollover') });
    const cache = new TimedCache(createLruCacheStore(), () => NOW * 1000);
    const check = (keys: Uint8Array[]) =>
      checkMappings(
        { csi, qname, apex: 'mimi.arpa.', rdatas: [rdata], now: NOW * 1000, csipKeys: async () => keys },
        cache,
      );
    expect((await check([good, other])).mappings.map((m) => m.id)).toEqual(['personal']);
    // The concatenation is one malformed record: no usable key, so the record fails.
    await expect(check([Uint8Array.from([...good, ...other])])).rejects.toMatchObject({
      code: 'bogus',
      details: { reasonCode: 'csip-key-unknown' },
    });
  });
});
