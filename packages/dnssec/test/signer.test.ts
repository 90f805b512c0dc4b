// RRSIG creation (RFC 4034 §3, RFC 4035 §2.2) and RFC 1982 time fields (§3.1.5).
import { verifyEd25519 } from '@mimi/crypto';
import { RRType, rrsigCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  createZoneKey,
  rrsetTtl,
  rrsigLabelCount,
  rrsigTimeToUnix,
  signedData,
  signRrset,
  unixToRrsigTime,
} from '../src/index.js';
import { a, KEY, NOW, rr, thrown, txt, WINDOW, ZONE } from './fixtures.js';

describe('signRrset', () => {
  it('fills the RRSIG fields and signs the canonical RRset', () => {
    const records = [txt('www.example.test.', 'b'), txt('WWW.Example.TEST.', 'a')];
    const sig = signRrset(records, KEY, WINDOW);
    expect(sig).toMatchObject({ name: 'www.example.test.', type: RRType.RRSIG, class: 1, ttl: 300 });
    const rrsig = rrsigCodec.decode(sig.rdata);
    expect(rrsig).toMatchObject({
      typeCovered: RRType.TXT,
      algorithm: 15,
      labels: 3,
      originalTtl: 300,
      inception: WINDOW.inception,
      expiration: WINDOW.expiration,
      keyTag: KEY.keyTag,
      signerName: ZONE,
    });
    expect(rrsig.signature).toHaveLength(64);
    const data = signedData(
      rrsig,
      'www.example.test.',
      records.map((r) => r.rdata),
    );
    expect(verifyEd25519(KEY.dnskey.publicKey, data, rrsig.signature)).toBe(true);
  });

  it('signs the same bytes whatever the order, case or duplicates of the records', () => {
    const one = signRrset(
      [a('x.example.test.', 10, 0, 0, 1), a('x.example.test.', 10, 0, 0, 2)],
      KEY,
      WINDOW,
    );
    const two = signRrset(
      [
        a('X.EXAMPLE.test.', 10, 0, 0, 2),
        a('x.example.test.', 10, 0, 0, 1),
        a('x.example.test.', 10, 0, 0, 2),
      ],
      KEY,
      WINDOW,
    );
    expect(rrsigCodec.decode(two.rdata).signature).toEqual(rrsigCodec.decode(one.rdata).signature);
  });

  it('takes the lowest TTL of the set (RFC 2181 §5.2)', () => {
    const sig = signRrset([txt('t.example.test.', 'a', 600), txt('t.example.test.', 'b', 60)], KEY, WINDOW);
    expect(sig.ttl).toBe(60);
    expect(rrsigCodec.decode(sig.rdata).originalTtl).toBe(60);
  });

  it('counts labels without a leading wildcard (RFC 4034 §3.1.3)', () => {
    expect(rrsigLabelCount('*.example.test.')).toBe(2);
    expect(rrsigLabelCount('a.*.example.test.')).toBe(4);
    expect(rrsigLabelCount('.')).toBe(0);
    // The same with text the parser must read (escapes) and text read without it.
    expect(rrsigLabelCount('\\042.example.test.')).toBe(2);
    expect(rrsigLabelCount('\\*.example.test.')).toBe(2);
    expect(rrsigLabelCount('*')).toBe(0);
    expect(rrsigLabelCount('*x.example.test.')).toBe(3);
    expect(rrsigLabelCount('A.example.test')).toBe(3);
    expect(rrsigLabelCount('a\\.b.example.test.')).toBe(3);
    expect(rrsigCodec.decode(signRrset([a('*.example.test.')], KEY, WINDOW).rdata).labels).toBe(2);
  });

  it.each([
    ['an empty rrset', () => signRrset([], KEY, WINDOW), 'rrset-empty', 'cannot sign an empty rrset'],
    [
      'records of two types',
      () => signRrset([a('x.example.test.'), txt('x.example.test.', 'a')], KEY, WINDOW),
      'rrset-mixed',
      /x\.example\.test\. type 16 are not one rrset/,
    ],
    [
      'records of two owners',
      () => signRrset([a('x.example.test.'), a('y.example.test.')], KEY, WINDOW),
      'rrset-mixed',
      /y\.example\.test\./,
    ],
    [
      'an owner outside the zone',
      () => signRrset([a('x.other.')], KEY, WINDOW),
      'owner-outside-zone',
      'x.other. is not in zone example.test.',
    ],
    [
      'an RRSIG rrset',
      () => signRrset([rr('x.example.test.', RRType.RRSIG, Uint8Array.of(1))], KEY, WINDOW),
      'rrset-type',
      /never signed/,
    ],
    [
      'expiration before inception',
      () => signRrset([a('x.example.test.')], KEY, { inception: NOW, expiration: NOW }),
      'bad-validity',
      /after its inception/,
    ],
  ])('refuses %s', (_name, fn, code, message) => {
    const err = thrown(fn);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('refuses a key of another algorithm', () => {
    const key = { ...createZoneKey(ZONE, KEY.privateKey), dnskey: { ...KEY.dnskey, algorithm: 13 } };
    const err = thrown(() => signRrset([a('x.example.test.')], key, WINDOW));
    expect(err.code).toBe('unsupported-algorithm');
    expect(err.message).toBe('cannot sign with algorithm 13 (only 15, ed25519)');
  });

  it('rrsetTtl checks class too', () => {
    expect(thrown(() => rrsetTtl([a('x.'), { ...a('x.'), class: 3 }])).code).toBe('rrset-mixed');
  });
});

describe('RRSIG time fields (RFC 4034 §3.1.5, RFC 1982)', () => {
  it.each([
    ['now itself', NOW, NOW, NOW],
    ['a day ahead', NOW + 86400, NOW, NOW + 86400],
    ['a year back', NOW - 365 * 86400, NOW, NOW - 365 * 86400],
    ['past 2106: the field wrapped', 2 ** 32 + 100, 2 ** 32 - 100, 2 ** 32 + 100],
    ['before 2106, seen from after it', 2 ** 32 - 100, 2 ** 32 + 100, 2 ** 32 - 100],
  ])('%s', (_name, unix, now, expected) => {
    const field = unixToRrsigTime(unix);
    expect(field).toBeGreaterThanOrEqual(0);
    expect(field).toBeLessThan(2 ** 32);
    expect(rrsigTimeToUnix(field, now)).toBe(expected);
  });

  it('places a field within ±2^31 s of now', () => {
    expect(rrsigTimeToUnix(0, 2 ** 31 - 1)).toBe(0);
    expect(rrsigTimeToUnix(0, 2 ** 31 + 1)).toBe(2 ** 32);
  });
});
