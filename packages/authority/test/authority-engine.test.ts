/**
 * The QueryEngine of a root DP (apex + CSIP zone): response sections per RFC 1034
 * §4.3.2 / RFC 4035 §3.1 / RFC 9824 / RFC 2308, every signed answer and denial
 * checked with @mimi/dnssec (and shown to fail when a byte changes), AA, RCODEs,
 * cacheSeconds, and the signer's "never twice" rule counted through a spy.
 */
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dsLine, testZoneKey, validateDenial } from '@mimi/dnssec';
import { nsecCodec, Rcode as ProtocolRcode, RRType, rrsigCodec, svcbCodec } from '@mimi/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorityEngine, MAX_KEEP_SECONDS, Rcode } from '../src/index.js';
import {
  countingEngine,
  expectDenial,
  expectSignedSection,
  trustedKeys,
  writeZones,
} from './engine-helpers.js';
import { NOW } from './fixtures.js';

const ROOT = `$ORIGIN mimi.arpa.
$TTL 3600
@        IN SOA root.nic hostmaster 1 7200 3600 1209600 300
         IN NS  root.nic
root.nic IN A   127.0.0.1
tel.nic  IN A   127.0.0.2
tel.nic  IN AAAA ::2
_dns.tel.nic IN SVCB 1 tel.nic alpn=h2 port=443 dohpath=/dns-query{?dns}
csip     IN NS  root.nic
4.4.e164 IN NS  tel.nic
example.com.email IN NS ns1.example.com.email
ns1.example.com.email IN A 192.0.2.1
`;
const CSIP = `$ORIGIN csip.mimi.arpa.
$TTL 3600
@ IN SOA root.nic.mimi.arpa. hostmaster.mimi.arpa. 1 7200 3600 1209600 300
  IN NS  root.nic.mimi.arpa.
`;
const OVERLAY = `${dsLine(testZoneKey('4.4.e164.mimi.arpa.'), 3600)}
${dsLine(testZoneKey('csip.mimi.arpa.'), 3600)}
_dns.tel.nic.mimi.arpa. 3600 IN SVCB 1 tel.nic.mimi.arpa. alpn=h2 port=8443 dohpath=/dns-query{?dns}
`;

let paths: string[];
let dir: string;
beforeAll(async () => {
  ({ dir, paths } = await writeZones({
    'root.zone': ROOT,
    'csip.zone': CSIP,
    'mimi.arpa.overlay.zone': OVERLAY,
  }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const POSITIVE: [string, number, string][] = [
  ['mimi.arpa.', RRType.SOA, 'mimi.arpa.'],
  ['mimi.arpa.', RRType.NS, 'mimi.arpa.'],
  ['root.nic.mimi.arpa.', RRType.A, 'mimi.arpa.'],
  ['tel.nic.mimi.arpa.', RRType.AAAA, 'mimi.arpa.'],
  ['_dns.tel.nic.mimi.arpa.', RRType.SVCB, 'mimi.arpa.'],
  ['4.4.e164.mimi.arpa.', RRType.DS, 'mimi.arpa.'],
  ['csip.mimi.arpa.', RRType.DS, 'mimi.arpa.'],
  ['csip.mimi.arpa.', RRType.SOA, 'csip.mimi.arpa.'],
  ['csip.mimi.arpa.', RRType.DNSKEY, 'csip.mimi.arpa.'],
];

/** [qname, qtype, zone, expected denial kind, expected NSEC types] */
const NEGATIVE: [string, number, string, 'nodata' | 'nxname', number[]][] = [
  ['root.nic.mimi.arpa.', RRType.AAAA, 'mimi.arpa.', 'nodata', [RRType.A, RRType.RRSIG, RRType.NSEC]],
  ['nic.mimi.arpa.', RRType.A, 'mimi.arpa.', 'nodata', [RRType.RRSIG, RRType.NSEC]],
  ['x.nic.mimi.arpa.', RRType.A, 'mimi.arpa.', 'nxname', [RRType.RRSIG, RRType.NSEC, RRType.NXNAME]],
  ['e164.mimi.arpa.', RRType.MSPMAP, 'mimi.arpa.', 'nodata', [RRType.RRSIG, RRType.NSEC]],
  ['3.3.e164.mimi.arpa.', RRType.MSPMAP, 'mimi.arpa.', 'nodata', [RRType.RRSIG, RRType.NSEC]],
  ['h.example.org.email.mimi.arpa.', RRType.MSPMAP, 'mimi.arpa.', 'nodata', [RRType.RRSIG, RRType.NSEC]],
  ['example.com.email.mimi.arpa.', RRType.DS, 'mimi.arpa.', 'nodata', [RRType.NS, RRType.RRSIG, RRType.NSEC]],
  [
    'uk-carrier.csip.mimi.arpa.',
    RRType.CSIPKEY,
    'csip.mimi.arpa.',
    'nxname',
    [RRType.RRSIG, RRType.NSEC, RRType.NXNAME],
  ],
  [
    'mimi.arpa.',
    RRType.TXT,
    'mimi.arpa.',
    'nodata',
    [RRType.NS, RRType.SOA, RRType.RRSIG, RRType.NSEC, RRType.DNSKEY],
  ],
];

describe('signed answers', () => {
  it.each(POSITIVE)('%s type %i verifies under %s and not after a byte flip', async (qname, qtype, zone) => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer({ name: qname, type: qtype }, true, NOW);
    expect(response).toMatchObject({
      rcode: Rcode.NOERROR,
      aa: true,
      authorities: [],
      invalidationName: qname,
    });
    expect(response.answers.every((r) => r.name === qname)).toBe(true);
    expectSignedSection(response.answers, trustedKeys(engine, zone));
  });

  it('leaves RRSIGs out without DO', async () => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer({ name: 'root.nic.mimi.arpa.', type: RRType.A }, false, NOW);
    expect(response.answers.map((r) => r.type)).toEqual([RRType.A]);
    expect(response.cacheSeconds).toBe(3600);
    // Nothing in it changes by itself: kept until a change or reload invalidates it.
    expect(response.keepSeconds).toBe(MAX_KEEP_SECONDS);
  });

  it('applies overlays: the SVCB with the overlay port is served', async () => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer({ name: '_dns.tel.nic.mimi.arpa.', type: RRType.SVCB }, false, NOW);
    expect(response.answers).toHaveLength(1);
    expect(svcbCodec.toText(svcbCodec.decode(response.answers[0]!.rdata))).toContain('port=8443');
  });

  it('answers qtype ANY with one RRset (RFC 8482)', async () => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer({ name: 'tel.nic.mimi.arpa.', type: RRType.ANY }, false, NOW);
    expect(response.answers.map((r) => r.type)).toEqual([RRType.A]);
  });
});

describe('referrals', () => {
  it('carry NS, the signed DS, and signed addresses and SVCB of the NS target; not AA', async () => {
    const { engine } = await countingEngine(paths);
    const qname = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
    const response = engine.answer({ name: qname, type: RRType.MSPMAP }, true, NOW);
    expect(response.rcode).toBe(Rcode.NOERROR);
    expect(response.aa).toBe(false);
    expect(response.answers).toEqual([]);
    expect(response.authorities.map((r) => r.type)).toEqual([RRType.NS, RRType.DS, RRType.RRSIG]);
    const keys = trustedKeys(engine, 'mimi.arpa.');
    expectSignedSection(
      response.authorities.filter((r) => r.type !== RRType.NS),
      keys,
    );
    expect(
      response.additionals.filter((r) => r.type !== RRType.RRSIG).map((r) => `${r.name} ${r.type}`),
    ).toEqual(['tel.nic.mimi.arpa. 1', 'tel.nic.mimi.arpa. 28', '_dns.tel.nic.mimi.arpa. 64']);
    expectSignedSection(response.additionals, keys);
  });

  it('prove that a delegation has no DS with a signed NSEC (RFC 4035 §3.1.4.1); glue stays unsigned', async () => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer(
      { name: 'x.example.com.email.mimi.arpa.', type: RRType.MSPMAP },
      true,
      NOW,
    );
    expect(response.aa).toBe(false);
    const keys = trustedKeys(engine, 'mimi.arpa.');
    const denial = validateDenial({
      qname: 'example.com.email.mimi.arpa.',
      qtype: RRType.DS,
      records: response.authorities,
      rrsigs: response.authorities.filter((r) => r.type === RRType.RRSIG),
      keys,
      now: NOW,
    });
    expect(denial).toMatchObject({ status: 'secure', denial: 'nodata' });
    expect(response.additionals.map((r) => `${r.name} ${r.type}`)).toEqual([
      'ns1.example.com.email.mimi.arpa. 1',
    ]);
  });
});

describe('denials (RFC 9824 compact answers)', () => {
  it.each(NEGATIVE)('%s type %i in %s: %s', async (qname, qtype, zone, kind, types) => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer({ name: qname, type: qtype }, true, NOW);
    expect(response).toMatchObject({ rcode: Rcode.NOERROR, aa: true, answers: [] });
    const keys = trustedKeys(engine, zone);
    expect(expectDenial(response, qname, qtype, keys)).toBe(kind);
    const nsec = response.authorities.find((r) => r.type === RRType.NSEC)!;
    expect(nsecCodec.decode(nsec.rdata)).toEqual({ nextName: `\\000.${qname}`, types });
    expectSignedSection(
      response.authorities.filter((r) => r.type === RRType.SOA || rrsigCovers(r, RRType.SOA)),
      keys,
    );
  });

  it('negative answers carry the SOA with TTL min(SOA TTL, MINIMUM) (RFC 2308 §5) and cache that long', async () => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer({ name: 'x.nic.mimi.arpa.', type: RRType.A }, true, NOW);
    expect(response.authorities.map((r) => [r.type, r.ttl])).toEqual([
      [RRType.SOA, 300],
      [RRType.RRSIG, 300],
      [RRType.NSEC, 300],
      [RRType.RRSIG, 300],
    ]);
    expect(rrsigCodec.decode(response.authorities[1]!.rdata).originalTtl).toBe(3600);
    expect(response.cacheSeconds).toBe(300);
  });

  it('without DO: NXDOMAIN outside the CSI subtrees, NOERROR inside them, SOA only', async () => {
    const { engine } = await countingEngine(paths);
    const outside = engine.answer({ name: 'x.nic.mimi.arpa.', type: RRType.A }, false, NOW);
    expect(outside.rcode).toBe(Rcode.NXDOMAIN);
    expect(outside.authorities.map((r) => r.type)).toEqual([RRType.SOA]);
    const inside = engine.answer({ name: '3.3.e164.mimi.arpa.', type: RRType.MSPMAP }, false, NOW);
    expect(inside.rcode).toBe(Rcode.NOERROR);
    expect(inside.authorities.map((r) => r.type)).toEqual([RRType.SOA]);
  });

  it('inside a CSI subtree a missing name is shaped exactly like an empty non-terminal', async () => {
    const { engine } = await countingEngine(paths);
    const shape = (qname: string, dnssecOk: boolean) => {
      const response = engine.answer({ name: qname, type: RRType.MSPMAP }, dnssecOk, NOW);
      return {
        rcode: response.rcode,
        aa: response.aa,
        sections: response.authorities.map((r) => [
          r.type,
          r.ttl,
          r.type === RRType.NSEC ? nsecCodec.decode(r.rdata).types : [],
        ]),
      };
    };
    for (const dnssecOk of [true, false]) {
      expect(shape('3.3.e164.mimi.arpa.', dnssecOk)).toEqual(shape('e164.mimi.arpa.', dnssecOk));
    }
  });

  it('answers an explicit NSEC query with the compact NSEC', async () => {
    const { engine } = await countingEngine(paths);
    const response = engine.answer({ name: 'x.nic.mimi.arpa.', type: RRType.NSEC }, true, NOW);
    expect(response.answers.map((r) => r.type)).toEqual([RRType.NSEC, RRType.RRSIG]);
    expectSignedSection(response.answers, trustedKeys(engine, 'mimi.arpa.'));
    const plain = engine.answer({ name: 'x.nic.mimi.arpa.', type: RRType.NSEC }, false, NOW);
    expect(plain.answers.map((r) => r.type)).toEqual([RRType.NSEC]);
  });
});

describe('question policy', () => {
  // Regression: the authority kept its own copy of the RCODE table beside the protocol's.
  it('speaks the one RCODE table of @mimi/protocol', () => {
    expect(Rcode).toBe(ProtocolRcode);
  });

  it.each([
    ['example.org.', RRType.A, Rcode.REFUSED],
    ['mimi.arpa.', RRType.NXNAME, Rcode.FORMERR],
    ['mimi.arpa.', RRType.OPT, Rcode.FORMERR],
    ['mimi.arpa.', 252, Rcode.REFUSED],
    ['mimi.arpa.', 251, Rcode.REFUSED],
    ['mimi.arpa.', RRType.RRSIG, Rcode.NOTIMP],
    ['mimi.arpa.', 254, Rcode.NOTIMP],
  ])('%s type %i → rcode %i with no records', async (qname, qtype, rcode) => {
    const { engine } = await countingEngine(paths);
    expect(engine.answer({ name: qname, type: qtype }, true, NOW)).toEqual({
      rcode,
      aa: false,
      answers: [],
      authorities: [],
      additionals: [],
      invalidationName: qname,
      cacheSeconds: 300,
      keepSeconds: MAX_KEEP_SECONDS,
    });
  });
});

describe('the signature budget', () => {
  it('signs every authoritative RRset at load, then never again for answers', async () => {
    const { engine, signatures } = await countingEngine(paths);
    const atLoad = signatures.length;
    // apex SOA, NS, DNSKEY; root.nic A; tel.nic A, AAAA; _dns.tel.nic SVCB; two DS; csip SOA, NS, DNSKEY
    expect(atLoad).toBe(12);
    for (let round = 0; round < 3; round++) {
      for (const [qname, qtype] of POSITIVE)
        engine.answer({ name: qname, type: qtype }, true, NOW + round * 3600);
      engine.answer({ name: '1.2.4.4.e164.mimi.arpa.', type: RRType.MSPMAP }, true, NOW);
    }
    expect(signatures.length).toBe(atLoad);
  });

  it('signs a denial once per (qname, bitmap)', async () => {
    const { engine, signatures } = await countingEngine(paths);
    const atLoad = signatures.length;
    for (let i = 0; i < 5; i++)
      engine.answer({ name: '3.3.e164.mimi.arpa.', type: RRType.MSPMAP }, true, NOW + i);
    engine.answer({ name: '3.3.e164.mimi.arpa.', type: RRType.A }, true, NOW); // same bitmap: same NSEC
    expect(signatures.slice(atLoad)).toEqual([{ owner: '3.3.e164.mimi.arpa.', type: RRType.NSEC }]);
    engine.answer({ name: '4.3.e164.mimi.arpa.', type: RRType.MSPMAP }, true, NOW);
    expect(signatures.length).toBe(atLoad + 2);
  });

  it('re-signs after the refresh point and bounds cacheSeconds by it', async () => {
    const { engine, signatures } = await countingEngine(paths);
    const atLoad = signatures.length;
    const refreshAt = NOW + 5 * 86_400;
    const early = engine.answer({ name: 'root.nic.mimi.arpa.', type: RRType.A }, true, refreshAt - 100);
    expect(early.cacheSeconds).toBe(100);
    expect(early.keepSeconds).toBe(100);
    // The TTL bounds what HTTP caches are told, not how long the bytes stay right.
    const fresh = engine.answer({ name: 'root.nic.mimi.arpa.', type: RRType.A }, true, NOW);
    expect([fresh.cacheSeconds, fresh.keepSeconds]).toEqual([3600, MAX_KEEP_SECONDS]);
    const nearRefresh = engine.answer(
      { name: 'root.nic.mimi.arpa.', type: RRType.A },
      true,
      refreshAt - 7200,
    );
    expect([nearRefresh.cacheSeconds, nearRefresh.keepSeconds]).toEqual([3600, 7200]);
    expect(signatures.length).toBe(atLoad);
    const late = engine.answer({ name: 'root.nic.mimi.arpa.', type: RRType.A }, true, refreshAt);
    expect(signatures.slice(atLoad)).toEqual([{ owner: 'root.nic.mimi.arpa.', type: RRType.A }]);
    expect(late.cacheSeconds).toBe(3600);
    engine.refreshSignatures(refreshAt);
    // The other eleven RRsets were due as well; each is re-signed exactly once.
    expect(signatures.length).toBe(atLoad + 12);
    expect(new Set(signatures.slice(atLoad).map((s) => `${s.owner} ${s.type}`)).size).toBe(12);
    expectSignedSection(late.answers, trustedKeys(engine, 'mimi.arpa.', refreshAt), refreshAt + 6 * 86_400);
    expect(signatures.length).toBe(atLoad + 12);
  });
});

describe('authority checks', () => {
  it('knows which names it is authoritative for (not below its delegations)', async () => {
    const { engine } = await countingEngine(paths);
    expect(engine.isAuthoritativeFor('x.nic.mimi.arpa.')).toBe(true);
    expect(engine.isAuthoritativeFor('3.3.E164.mimi.arpa')).toBe(true);
    expect(engine.isAuthoritativeFor('1.4.4.e164.mimi.arpa.')).toBe(false);
    expect(engine.isAuthoritativeFor('example.org.')).toBe(false);
  });
});

describe('reload and keys', () => {
  it('reload re-reads the files, serves the new data and tells listeners', async () => {
    const local = await writeZones({ 'root.zone': ROOT, 'o.zone': OVERLAY });
    const { engine } = await countingEngine(local.paths);
    const heard: string[][] = [];
    engine.onChange((names) => heard.push(names));
    await writeFile(local.paths[1]!, `${OVERLAY}mail.nic.mimi.arpa. 60 IN A 127.0.0.9\n`);
    await engine.reload();
    expect(heard).toEqual([['mimi.arpa.']]);
    expect(engine.answer({ name: 'mail.nic.mimi.arpa.', type: RRType.A }, false, NOW).answers).toHaveLength(
      1,
    );
    expect(engine.zones()).toEqual(['mimi.arpa.']);
    await rm(local.dir, { recursive: true, force: true });
  });

  it('a failed reload keeps serving the old zones', async () => {
    const local = await writeZones({ 'root.zone': ROOT });
    const { engine } = await countingEngine(local.paths);
    await writeFile(local.paths[0]!, `${ROOT}www IN CNAME root.nic\n`);
    await expect(engine.reload()).rejects.toMatchObject({ code: 'zone-alias' });
    expect(engine.answer({ name: 'root.nic.mimi.arpa.', type: RRType.A }, false, NOW).answers).toHaveLength(
      1,
    );
    await rm(local.dir, { recursive: true, force: true });
  });

  it('creates one key per zone in --key-dir (mode 0600) and reuses it', async () => {
    const keyDir = await mkdtemp(join(tmpdir(), 'authority-keys-'));
    const first = await AuthorityEngine.create({ zoneFiles: paths, keyDir, clock: () => NOW });
    const keyFile = join(keyDir, 'mimi.arpa.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const second = await AuthorityEngine.create({ zoneFiles: paths, keyDir, clock: () => NOW });
    expect(second.zoneKeys().get('mimi.arpa.')!.keyTag).toBe(first.zoneKeys().get('mimi.arpa.')!.keyTag);
    expect([...second.zoneKeys().keys()].sort()).toEqual(['csip.mimi.arpa.', 'mimi.arpa.']);
    await chmod(keyFile, 0o640);
    await expect(
      AuthorityEngine.create({ zoneFiles: paths, keyDir, clock: () => NOW }),
    ).rejects.toMatchObject({
      code: 'key-file-permissions',
    });
    await rm(keyDir, { recursive: true, force: true });
  });
});

function rrsigCovers(record: { type: number; rdata: Uint8Array }, type: number): boolean {
  return record.type === RRType.RRSIG && rrsigCodec.decode(record.rdata).typeCovered === type;
}
