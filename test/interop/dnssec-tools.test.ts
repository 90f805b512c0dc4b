// Interop of our DNSSEC engine with Debian's independent tools (ldnsutils,
// knot-dnssecutils): a zone signed by us, exported as a master file with a classic
// NSEC chain, must pass `ldns-verify-zone` and `kzonecheck`; `ldns-key2ds` must give
// our key tag and DS digest; a flipped byte in a signature or in signed data must
// make them fail. The tools run on local files only, at a fixed validation time.
//
// A missing tool skips its tests with a loud message, except in CI
// (`CI=true`), where it fails them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyFromSeed, seedOf, sha256 } from '@mimi/crypto';
import { createZoneKey, dsLine, signZone, type ZoneKey } from '@mimi/dnssec';
import {
  CLASS_IN,
  dnskeyCodec,
  dsCodec,
  nameToWire,
  nsecCodec,
  type ResourceRecord,
  RRType,
  rrsigCodec,
  typeToString,
} from '@mimi/protocol';
import { afterAll, describe, expect, it } from 'vitest';

const ZONE = 'example.test.';
/** 2026-01-01T00:00:00Z: the tools are told to validate at this instant (`-t`). */
const NOW = 1767225600;
const NOW_TEXT = '20260101000000';
const WINDOW = { inception: NOW - 3600, expiration: NOW + 7 * 86400 };

const inCi = process.env.CI === 'true';

function haveTool(tool: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
  if (!found) {
    const line = `\n!!! ${tool} is not installed: its DNSSEC interop tests are ${inCi ? 'FAILING (CI=true)' : 'SKIPPED'}.\n!!! Install it with: apt-get install -y --no-install-recommends ldnsutils knot-dnssecutils\n`;
    process.stderr.write(line);
  }
  return found;
}

/**
 * `it` when the tool exists, else skipped tests; in CI (`CI=true`) a missing tool also
 * registers one failing test, so that a CI run can never pass without the interop checks.
 */
function withTool(tool: string) {
  const found = haveTool(tool);
  if (!found && inCi) {
    it(`has ${tool} installed (required in CI)`, () =>
      expect.fail(`${tool} is required in CI but is not installed`));
  }
  return it.skipIf(!found);
}

const u32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const rr = (name: string, type: number, rdata: Iterable<number>, ttl = 3600): ResourceRecord => ({
  name,
  type,
  class: CLASS_IN,
  ttl,
  rdata: Uint8Array.from(rdata),
});
const characterString = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  return [bytes.length, ...bytes];
};

const key = createZoneKey(ZONE, privateKeyFromSeed(sha256(new TextEncoder().encode('interop zone key'))));
const childKey = createZoneKey(
  'child.example.test.',
  privateKeyFromSeed(sha256(new TextEncoder().encode('interop child key'))),
);

/** The zone's data: owner names and RDATA names in mixed case on purpose (canonical form). */
const data: ResourceRecord[] = [
  rr(ZONE, RRType.SOA, [
    ...nameToWire('NS1.Example.Test.'),
    ...nameToWire('hostmaster.example.test.'),
    ...u32(2026010101),
    ...u32(3600),
    ...u32(600),
    ...u32(604800),
    ...u32(300),
  ]),
  rr(ZONE, RRType.NS, nameToWire('ns1.example.test.')),
  rr(ZONE, RRType.MX, [0, 10, ...nameToWire('Mail.EXAMPLE.test.')]),
  rr('ns1.example.test.', RRType.A, [192, 0, 2, 53]),
  rr('Mail.example.test.', RRType.A, [192, 0, 2, 25]),
  rr('www.example.test.', RRType.A, [192, 0, 2, 80]),
  rr('www.example.test.', RRType.A, [192, 0, 2, 81]),
  rr('www.example.test.', RRType.AAAA, [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]),
  rr('www.example.test.', RRType.TXT, [...characterString('hello'), ...characterString('world')], 300),
  rr('*.wild.example.test.', RRType.TXT, characterString('wildcard'), 300),
  rr('_sip._udp.example.test.', 33 /* SRV */, [0, 10, 0, 20, 0x13, 0xc4, ...nameToWire('SIP.example.test.')]),
  rr('4.3.2.1.e164.example.test.', RRType.NAPTR, [
    0,
    100,
    0,
    10,
    ...characterString('u'),
    ...characterString('E2U+sip'),
    ...characterString('!^.*$!sip:a@example.test!'),
    ...nameToWire('.'),
  ]),
  rr('4.3.2.1.e164.example.test.', RRType.MSPMAP, [0xa1, 0x61, 0x76, 0x01], 300),
  rr('child.example.test.', RRType.NS, nameToWire('ns1.child.example.test.')),
  rr('ns1.child.example.test.', RRType.A, [192, 0, 2, 54]),
  { ...rr('child.example.test.', RRType.DS, dsCodec.encode(childKey.ds)) },
];

/** Our mnemonics for private and RFC 9824 types are unknown to the tools: use RFC 3597 names. */
const FOREIGN_MNEMONICS: Readonly<Record<string, string>> = {
  MSPMAP: 'TYPE65280',
  CSIPKEY: 'TYPE65281',
  ODOHCFG: 'TYPE65282',
  NXNAME: 'TYPE128',
};
const portable = (text: string) =>
  text.replace(/\b(MSPMAP|CSIPKEY|ODOHCFG|NXNAME)\b/g, (m) => FOREIGN_MNEMONICS[m]!);

/** One master-file line: our own text for the DNSSEC types, RFC 3597 generic RDATA for the rest. */
function line(record: ResourceRecord): string {
  const typeText = portable(typeToString(record.type));
  let rdata: string;
  if (record.type === RRType.DNSKEY) rdata = dnskeyCodec.toText(dnskeyCodec.decode(record.rdata));
  else if (record.type === RRType.DS) rdata = dsCodec.toText(dsCodec.decode(record.rdata));
  else if (record.type === RRType.RRSIG) rdata = portable(rrsigCodec.toText(rrsigCodec.decode(record.rdata)));
  else if (record.type === RRType.NSEC) rdata = portable(nsecCodec.toText(nsecCodec.decode(record.rdata)));
  else rdata = `\\# ${record.rdata.length} ${Buffer.from(record.rdata).toString('hex')}`;
  return `${record.name} ${record.ttl} IN ${typeText} ${rdata}`;
}

function masterFile(records: readonly ResourceRecord[]): string {
  return `${records.map(line).join('\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'mimi-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeZone(name: string, records: readonly ResourceRecord[]): string {
  const path = join(dir, name);
  writeFileSync(path, masterFile(records));
  return path;
}

function run(tool: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const signed = signZone(data, key, { ...WINDOW, nsecTtl: 300 });

/** The signed zone with one RRSIG's signature changed by one bit (the one over `type` at `owner`). */
function withFlippedSignature(owner: string, type: number): ResourceRecord[] {
  let done = false;
  const out = signed.map((record) => {
    if (done || record.type !== RRType.RRSIG || record.name !== owner) return record;
    const rrsig = rrsigCodec.decode(record.rdata);
    if (rrsig.typeCovered !== type) return record;
    done = true;
    const signature = Uint8Array.from(rrsig.signature);
    signature[10] = signature[10]! ^ 0x01;
    return { ...record, rdata: rrsigCodec.encode({ ...rrsig, signature }) };
  });
  expect(done).toBe(true);
  return out;
}

/** The signed zone with one signed record's RDATA changed (its RRSIG left as it was). */
function withChangedData(owner: string, type: number): ResourceRecord[] {
  let done = false;
  const out = signed.map((record) => {
    if (done || record.type !== type || record.name !== owner) return record;
    done = true;
    const rdata = Uint8Array.from(record.rdata);
    rdata[rdata.length - 1] = rdata[rdata.length - 1]! ^ 0x01;
    return { ...record, rdata };
  });
  expect(done).toBe(true);
  return out;
}

describe('ldns-key2ds (ldnsutils)', () => {
  const test = withTool('ldns-key2ds');

  function theirDs(zoneKey: ZoneKey): string {
    const keyFile = join(dir, `K${zoneKey.zone}key`);
    writeFileSync(
      keyFile,
      `${line({ name: zoneKey.zone, type: RRType.DNSKEY, class: CLASS_IN, ttl: 3600, rdata: zoneKey.dnskeyRdata })}\n`,
    );
    return execFileSync('ldns-key2ds', ['-n', '-2', keyFile], { encoding: 'utf8' }).trim();
  }

  test.each([
    ['the zone key', key],
    ['the child key', childKey],
  ])('gives our key tag and SHA-256 digest for %s', (_name, zoneKey) => {
    const fields = theirDs(zoneKey).split(/\s+/);
    // ldns prints: owner ttl IN DS tag alg digest-type digest
    expect(fields[0]!.toLowerCase()).toBe(zoneKey.zone);
    expect(fields[3]).toBe('DS');
    expect(Number(fields[4])).toBe(zoneKey.keyTag);
    expect(fields.slice(5, 7)).toEqual(['15', '2']);
    expect(fields[7]!.toLowerCase()).toBe(Buffer.from(zoneKey.ds.digest).toString('hex'));
    expect(dsLine(zoneKey, 3600).split(' ').slice(4).join(' ')).toBe(fields.slice(4).join(' ').toLowerCase());
  });
});

describe('ldns-verify-zone (ldnsutils)', () => {
  const test = withTool('ldns-verify-zone');
  const verify = (path: string) => run('ldns-verify-zone', ['-t', NOW_TEXT, path]);

  test('accepts the zone we signed', () => {
    const result = verify(writeZone('good.zone', signed));
    expect(result.output).not.toMatch(/error|bogus|invalid/i);
    expect(result.status, result.output).toBe(0);
  });

  test('refuses it at a time outside the signatures', () => {
    const result = run('ldns-verify-zone', ['-t', '20270101000000', writeZone('late.zone', signed)]);
    expect(result.status, result.output).not.toBe(0);
  });

  test.each([
    ['the A RRset at www', 'www.example.test.', RRType.A],
    ['the wildcard TXT', '*.wild.example.test.', RRType.TXT],
    ['the DNSKEY RRset', ZONE, RRType.DNSKEY],
    ['an NSEC', 'www.example.test.', RRType.NSEC],
    ['the private-type RRset', '4.3.2.1.e164.example.test.', RRType.MSPMAP],
  ])('refuses a flipped bit in the signature over %s', (_name, owner, type) => {
    const result = verify(writeZone(`sig-${type}.zone`, withFlippedSignature(owner, type)));
    expect(result.status, result.output).not.toBe(0);
  });

  test.each([
    ['an A record', 'www.example.test.', RRType.A],
    ['the MX target', ZONE, RRType.MX],
    ['the NAPTR replacement', '4.3.2.1.e164.example.test.', RRType.NAPTR],
    ['the DS of the child', 'child.example.test.', RRType.DS],
  ])('refuses a changed byte in signed data: %s', (_name, owner, type) => {
    const result = verify(writeZone(`data-${type}.zone`, withChangedData(owner, type)));
    expect(result.status, result.output).not.toBe(0);
  });
});

describe('ldns-signzone (ldnsutils)', () => {
  const test = withTool('ldns-signzone');

  test('makes exactly our signatures for the same zone, key and window (Ed25519 is deterministic)', () => {
    const base = join(dir, `K${ZONE}+015+${key.keyTag}`);
    writeFileSync(
      `${base}.private`,
      `Private-key-format: v1.2\nAlgorithm: 15 (ED25519)\nPrivateKey: ${Buffer.from(seedOf(key.privateKey)).toString('base64')}\n`,
    );
    const dnskey = { name: ZONE, type: RRType.DNSKEY, class: CLASS_IN, ttl: 3600, rdata: key.dnskeyRdata };
    const unsigned = writeZone('unsigned.zone', [...data, dnskey]);
    const out = join(dir, 'ldns.signed');
    const args = [
      '-d',
      '-i',
      String(WINDOW.inception),
      '-e',
      String(WINDOW.expiration),
      '-o',
      ZONE,
      '-f',
      out,
      unsigned,
      base,
    ];
    execFileSync('ldns-signzone', args, { encoding: 'utf8' });
    const theirs = readFileSync(out, 'utf8')
      .split('\n')
      .map((text) => text.split(/\s+/))
      .filter((f) => f[3] === 'RRSIG' && f[4] !== 'NSEC')
      .map((f) => f[f.length - 1]!)
      .sort();
    const ours = signed
      .filter((r) => r.type === RRType.RRSIG)
      .map((r) => rrsigCodec.decode(r.rdata))
      .filter((rrsig) => rrsig.typeCovered !== RRType.NSEC)
      .map((rrsig) => Buffer.from(rrsig.signature).toString('base64'))
      .sort();
    expect(theirs.length).toBeGreaterThan(10);
    expect(theirs).toEqual(ours);
  });
});

describe('kzonecheck (knot-dnssecutils)', () => {
  const test = withTool('kzonecheck');
  const check = (path: string) => run('kzonecheck', ['-o', ZONE, '-d', 'on', '-t', String(NOW), path]);

  test('accepts the zone we signed', () => {
    const result = check(writeZone('knot-good.zone', signed));
    expect(result.status, result.output).toBe(0);
  });

  test('refuses a flipped bit in a signature', () => {
    const result = check(writeZone('knot-sig.zone', withFlippedSignature('www.example.test.', RRType.A)));
    expect(result.status, result.output).not.toBe(0);
  });

  test('refuses a changed byte in signed data', () => {
    const result = check(writeZone('knot-data.zone', withChangedData('www.example.test.', RRType.TXT)));
    expect(result.status, result.output).not.toBe(0);
  });
});
