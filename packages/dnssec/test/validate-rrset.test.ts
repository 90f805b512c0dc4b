// RFC 4035 §5.3: RRset validation with a zone's trusted keys, secure and every bogus case.
import { type ResourceRecord, RRType, rrsigCodec } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { signRrset, validateRrset } from '../src/index.js';
import { a, flip, KEY, keyFor, NOW, OTHER_KEY, rr, tamper, trusted, txt, WINDOW, ZONE } from './fixtures.js';

const OWNER = 'www.example.test.';
const records = [a(OWNER, 192, 0, 2, 1), a(OWNER, 192, 0, 2, 2)];
const sig = signRrset(records, KEY, WINDOW);
const keys = trusted(ZONE, KEY);

function reason(result: ReturnType<typeof validateRrset>) {
  return result.status === 'bogus' ? result.reason : undefined;
}

describe('validateRrset: secure', () => {
  it('accepts the signed RRset and reports the key and the TTL', () => {
    expect(validateRrset(records, [sig], keys, NOW)).toEqual({
      status: 'secure',
      ttl: 300,
      keyTag: KEY.keyTag,
    });
  });

  it('accepts the records in another order, another case, or repeated', () => {
    const shuffled = [a('WWW.example.TEST.', 192, 0, 2, 2), a(OWNER, 192, 0, 2, 1), a(OWNER, 192, 0, 2, 1)];
    expect(validateRrset(shuffled, [sig], keys, NOW).status).toBe('secure');
  });

  it('picks the covering RRSIG among others and ignores the rest', () => {
    const other = signRrset([txt(OWNER, 'x')], KEY, WINDOW);
    expect(
      validateRrset(
        records,
        [other, tamper(sig, { signature: flip(rrsigCodec.decode(sig.rdata).signature, 0) }), sig],
        keys,
        NOW,
      ).status,
    ).toBe('secure');
  });

  it('accepts at the window edges, inclusive (RFC 4035 §5.3.1)', () => {
    expect(validateRrset(records, [sig], keys, WINDOW.inception).status).toBe('secure');
    expect(validateRrset(records, [sig], keys, WINDOW.expiration).status).toBe('secure');
  });

  it('caps the TTL at the original TTL and the time left (RFC 4035 §5.3.3)', () => {
    const raised = records.map((r) => ({ ...r, ttl: 9999 }));
    expect(validateRrset(raised, [sig], keys, NOW)).toMatchObject({ status: 'secure', ttl: 300 });
    expect(validateRrset(records, [sig], keys, WINDOW.expiration - 20)).toMatchObject({ ttl: 20 });
  });

  it('tries every key with the tag (key tags may collide)', () => {
    const twin = { keyTag: KEY.keyTag, dnskey: OTHER_KEY.dnskey };
    expect(validateRrset(records, [sig], { zone: ZONE, keys: [twin, ...keys.keys] }, NOW).status).toBe(
      'secure',
    );
  });
});

describe('validateRrset: bogus', () => {
  const rrsig = rrsigCodec.decode(sig.rdata);
  const cases: [string, () => ReturnType<typeof validateRrset>, string, RegExp][] = [
    [
      'stripped RRSIG',
      () => validateRrset(records, [], keys, NOW),
      'no-rrsig',
      /no rrsig covers the A rrset at www\.example\.test\./,
    ],
    [
      'RRSIG for another type only',
      () => validateRrset(records, [signRrset([txt(OWNER, 'x')], KEY, WINDOW)], keys, NOW),
      'no-rrsig',
      /no rrsig covers/,
    ],
    [
      'signed by another key of the zone (not trusted)',
      () => validateRrset(records, [signRrset(records, OTHER_KEY, WINDOW)], keys, NOW),
      'no-matching-key',
      new RegExp(`no trusted key of example\\.test\\. has tag ${OTHER_KEY.keyTag}`),
    ],
    [
      'wrong key under the right tag',
      () =>
        validateRrset(
          records,
          [sig],
          { zone: ZONE, keys: [{ keyTag: KEY.keyTag, dnskey: OTHER_KEY.dnskey }] },
          NOW,
        ),
      'bad-signature',
      /does not verify/,
    ],
    [
      'expired',
      () => validateRrset(records, [sig], keys, WINDOW.expiration + 1),
      'signature-expired',
      /expired at 2026-01-08T00:00:00\.000Z/,
    ],
    [
      'not yet valid',
      () => validateRrset(records, [sig], keys, WINDOW.inception - 1),
      'signature-not-yet-valid',
      /not valid before 2025-12-31T23:00:00\.000Z/,
    ],
    [
      'Labels above the owner label count',
      () => validateRrset(records, [tamper(sig, { labels: 4 })], keys, NOW),
      'labels',
      /labels 4 exceed the 3 labels/,
    ],
    [
      'Labels below it (a wildcard expansion)',
      () => validateRrset(records, [tamper(sig, { labels: 2 })], keys, NOW),
      'wildcard-unsupported',
      /wildcard expansion/,
    ],
    [
      'signer is not the zone',
      () => validateRrset(records, [tamper(sig, { signerName: 'test.' })], keys, NOW),
      'signer-mismatch',
      /signed by test\., not example\.test\./,
    ],
    [
      'algorithm not supported',
      () => validateRrset(records, [tamper(sig, { algorithm: 13 })], keys, NOW),
      'unsupported-algorithm',
      /algorithm 13; only 15 \(ed25519\) is supported/,
    ],
    [
      'a changed record',
      () => validateRrset([records[0]!, a(OWNER, 192, 0, 2, 3)], [sig], keys, NOW),
      'bad-signature',
      /does not verify/,
    ],
    [
      'a record removed',
      () => validateRrset([records[0]!], [sig], keys, NOW),
      'bad-signature',
      /does not verify/,
    ],
    [
      'a flipped signature bit',
      () => validateRrset(records, [tamper(sig, { signature: flip(rrsig.signature, 5) })], keys, NOW),
      'bad-signature',
      /does not verify/,
    ],
    [
      'a changed signed field (original TTL)',
      () => validateRrset(records, [tamper(sig, { originalTtl: 301 })], keys, NOW),
      'bad-signature',
      /does not verify/,
    ],
    [
      'a small-order public key',
      () =>
        validateRrset(
          records,
          [sig],
          {
            zone: ZONE,
            keys: [{ keyTag: KEY.keyTag, dnskey: { ...KEY.dnskey, publicKey: new Uint8Array(32) } }],
          },
          NOW,
        ),
      'bad-key',
      /small order/,
    ],
    [
      'a malformed RRSIG',
      () => validateRrset(records, [rr(OWNER, RRType.RRSIG, Uint8Array.of(0, 1))], keys, NOW),
      'malformed',
      /malformed rrsig at www\.example\.test\./,
    ],
    [
      'records that are not one RRset',
      () => validateRrset([records[0]!, txt(OWNER, 'x')], [sig], keys, NOW),
      'rrset-inconsistent',
      /www\.example\.test\. TXT mixed into the A rrset at www\.example\.test\./,
    ],
    ['an empty RRset', () => validateRrset([], [sig], keys, NOW), 'rrset-inconsistent', /empty rrset/],
    [
      'an owner outside the zone',
      () => validateRrset([a('www.other.')], [sig], keys, NOW),
      'owner-outside-zone',
      /www\.other\. is not in zone example\.test\./,
    ],
  ];

  it.each(cases)('%s', (_name, run, code, message) => {
    const result = run();
    expect(result.status).toBe('bogus');
    expect(reason(result)).toMatchObject({ code, zone: ZONE });
    expect(reason(result)!.message).toMatch(message);
    // One lowercase line (type mnemonics and timestamps keep their usual spelling).
    expect(reason(result)!.message).toMatch(/^[a-z0-9]/);
    expect(reason(result)!.message).not.toMatch(/\n/);
  });

  it('names the key tag when a key was involved', () => {
    expect(reason(validateRrset(records, [sig], keys, WINDOW.expiration + 1))?.keyTag).toBe(KEY.keyTag);
  });

  it('reports the most telling failure among several RRSIGs', () => {
    const result = validateRrset(
      records,
      [tamper(sig, { algorithm: 8 }), tamper(sig, { originalTtl: 1 })],
      keys,
      NOW,
    );
    expect(reason(result)?.code).toBe('bad-signature');
  });

  it('does not accept an RRSIG of another class', () => {
    const chaos: ResourceRecord = { ...sig, class: 3 };
    expect(reason(validateRrset(records, [chaos], keys, NOW))?.code).toBe('no-rrsig');
  });

  it('does not accept keys of another zone', () => {
    const child = keyFor('sub.example.test.');
    const childSig = signRrset([a('x.sub.example.test.')], child, WINDOW);
    expect(reason(validateRrset([a('x.sub.example.test.')], [childSig], keys, NOW))?.code).toBe(
      'signer-mismatch',
    );
  });
});

describe('validateRrset: wildcards', () => {
  it('accepts the wildcard RRset under its literal name, refuses an expansion', () => {
    const wild = [txt('*.w.example.test.', 'any')];
    const wildSig = signRrset(wild, KEY, WINDOW);
    expect(validateRrset(wild, [wildSig], keys, NOW).status).toBe('secure');
    const expanded = [txt('x.w.example.test.', 'any')];
    const expandedSig = { ...wildSig, name: 'x.w.example.test.' };
    expect(reason(validateRrset(expanded, [expandedSig], keys, NOW))?.code).toBe('wildcard-unsupported');
  });
});

describe('validateRrset: regressions', () => {
  it('an NS record whose embedded name is cut short is bogus, not a thrown error', () => {
    const ns: ResourceRecord = {
      name: ZONE,
      type: RRType.NS,
      class: 1,
      ttl: 300,
      rdata: Uint8Array.from([2, 0x6e, 0x73, 4, 0x74, 0x65, 0x73, 0x74, 0]),
    };
    const nsSig = signRrset([ns], KEY, WINDOW);
    const broken = { ...ns, rdata: ns.rdata.slice(0, ns.rdata.length - 1) };
    const result = validateRrset([broken], [nsSig], keys, NOW);
    expect(result.status).toBe('bogus');
    expect(reason(result)?.code).toBe('malformed');
  });
});
