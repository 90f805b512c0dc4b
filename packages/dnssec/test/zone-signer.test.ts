// RFC 4035 §2: whole-zone signing, with the optional classic NSEC chain (§2.3).
import { compareNames, nameToWire, nsecCodec, type ResourceRecord, RRType, rrsigCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { dsRecord, signZone, validateRrset } from '../src/index.js';
import { a, KEY, keyFor, NOW, rr, thrown, trusted, txt, WINDOW, ZONE } from './fixtures.js';

const CHILD = keyFor('child.example.test.');
const data: ResourceRecord[] = [
  rr(
    ZONE,
    RRType.SOA,
    new Uint8Array([
      ...nameToWire('ns.example.test.'),
      ...nameToWire('h.example.test.'),
      ...new Uint8Array(20),
    ]),
  ),
  rr(ZONE, RRType.NS, nameToWire('ns.example.test.')),
  a('ns.example.test.'),
  txt('b.example.test.', 'b'),
  txt('a.example.test.', 'a'),
  a('a.example.test.'),
  rr('child.example.test.', RRType.NS, nameToWire('ns.child.example.test.')),
  a('ns.child.example.test.'),
  dsRecord(CHILD, 300),
];

function rrsets(records: readonly ResourceRecord[]): Map<string, ResourceRecord[]> {
  const sets = new Map<string, ResourceRecord[]>();
  for (const r of records) {
    if (r.type === RRType.RRSIG) continue;
    const key = `${r.name}/${r.type}`;
    sets.set(key, [...(sets.get(key) ?? []), r]);
  }
  return sets;
}

describe('signZone', () => {
  const signed = signZone(data, KEY, { ...WINDOW, nsecTtl: 300 });
  const rrsigs = signed.filter((r) => r.type === RRType.RRSIG);
  const covered = (name: string) =>
    rrsigs
      .filter((r) => r.name === name)
      .map((r) => rrsigCodec.decode(r.rdata).typeCovered)
      .sort((x, y) => x - y);

  it('adds the DNSKEY and signs every authoritative RRset, each verifying', () => {
    expect(signed.some((r) => r.type === RRType.DNSKEY && r.name === ZONE)).toBe(true);
    const keys = trusted(ZONE, KEY);
    for (const [key, set] of rrsets(signed)) {
      if (set[0]!.name === 'ns.child.example.test.' || key === 'child.example.test./2') continue;
      expect(validateRrset(set, rrsigs, keys, NOW), key).toMatchObject({ status: 'secure' });
    }
    expect(covered(ZONE)).toEqual([RRType.NS, RRType.SOA, RRType.NSEC, RRType.DNSKEY]);
  });

  it('signs only DS and NSEC at a delegation, and nothing below it (RFC 4035 §2.2)', () => {
    expect(covered('child.example.test.')).toEqual([RRType.DS, RRType.NSEC]);
    expect(covered('ns.child.example.test.')).toEqual([]);
  });

  it('chains the NSEC records in canonical order, back to the apex (RFC 4034 §4.1.1)', () => {
    const nsecs = signed.filter((r) => r.type === RRType.NSEC);
    const owners = nsecs.map((r) => r.name);
    expect(owners).toEqual([
      'example.test.',
      'a.example.test.',
      'b.example.test.',
      'child.example.test.',
      'ns.example.test.',
    ]);
    expect([...owners].sort(compareNames)).toEqual(owners);
    const next = nsecs.map((r) => nsecCodec.decode(r.rdata).nextName);
    expect(next).toEqual([...owners.slice(1), owners[0]]);
    const bitmap = (name: string) => nsecCodec.decode(nsecs.find((r) => r.name === name)!.rdata).types;
    expect(bitmap('example.test.')).toEqual([
      RRType.NS,
      RRType.SOA,
      RRType.RRSIG,
      RRType.NSEC,
      RRType.DNSKEY,
    ]);
    expect(bitmap('a.example.test.')).toEqual([RRType.A, RRType.TXT, RRType.RRSIG, RRType.NSEC]);
    expect(bitmap('child.example.test.')).toEqual([RRType.NS, RRType.DS, RRType.RRSIG, RRType.NSEC]);
    expect(nsecs.every((r) => r.ttl === 300)).toBe(true);
  });

  it('makes no NSEC without nsecTtl, and re-signs a signed zone from scratch', () => {
    const plain = signZone(data, KEY, WINDOW);
    expect(plain.some((r) => r.type === RRType.NSEC)).toBe(false);
    const again = signZone(signed, KEY, WINDOW);
    expect(again.filter((r) => r.type === RRType.RRSIG)).toHaveLength(
      plain.filter((r) => r.type === RRType.RRSIG).length,
    );
    expect(again.some((r) => r.type === RRType.NSEC)).toBe(false);
  });

  it('keeps an existing DNSKEY RRset and adds ours with its TTL', () => {
    const other = keyFor(ZONE, 'standby');
    const withKey = signZone([...data, rr(ZONE, RRType.DNSKEY, other.dnskeyRdata, 86400)], KEY, WINDOW);
    const keys = withKey.filter((r) => r.type === RRType.DNSKEY);
    expect(keys).toHaveLength(2);
    expect(keys.every((r) => r.ttl === 86400)).toBe(true);
  });

  it('refuses records outside the zone', () => {
    const err = thrown(() => signZone([...data, a('x.other.')], KEY, WINDOW));
    expect(err.code).toBe('owner-outside-zone');
    expect(err.message).toBe('x.other. is not in zone example.test.');
  });
});
