// RFC 9824 / RFC 4035 §5.4: validating a compact denial for (qname, qtype).
import { nsecCodec, type ResourceRecord, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { missingNameNsec, nodataNsec, nsecNextName, signRrset, validateDenial } from '../src/index.js';
import { KEY, keyFor, NOW, OTHER_KEY, rr, trusted, WINDOW, ZONE } from './fixtures.js';

const keys = trusted(ZONE, KEY);
const QNAME = '3.2.1.e164.example.test.';

function signed(nsec: ResourceRecord, key = KEY): { records: ResourceRecord[]; rrsigs: ResourceRecord[] } {
  return { records: [nsec], rrsigs: [signRrset([nsec], key, WINDOW)] };
}

function validate(
  qtype: number,
  proof: { records: ResourceRecord[]; rrsigs: ResourceRecord[] },
  qname = QNAME,
) {
  return validateDenial({ qname, qtype, ...proof, keys, now: NOW });
}

describe('validateDenial: secure', () => {
  it('NODATA at an existing name', () => {
    const result = validate(RRType.MSPMAP, signed(nodataNsec(QNAME, [RRType.NAPTR], 300)));
    expect(result).toEqual({ status: 'secure', denial: 'nodata', types: [RRType.NAPTR, 46, 47], ttl: 300 });
  });

  it('a missing name with NXNAME', () => {
    const result = validate(
      RRType.A,
      signed(missingNameNsec('gone.example.test.', 300, { insideCsiSubtree: false })),
      'gone.example.test.',
    );
    expect(result).toMatchObject({ status: 'secure', denial: 'nxname' });
  });

  it('a missing name inside a CSI subtree reads as NODATA', () => {
    expect(
      validate(RRType.MSPMAP, signed(missingNameNsec(QNAME, 300, { insideCsiSubtree: true }))),
    ).toMatchObject({
      status: 'secure',
      denial: 'nodata',
      types: [46, 47],
    });
  });

  it('matches the qname case-insensitively and ignores other records', () => {
    const proof = signed(nodataNsec('WWW.Example.test.', [RRType.A], 300));
    const soa = rr(ZONE, RRType.SOA, new Uint8Array(22));
    expect(
      validate(RRType.AAAA, { records: [soa, ...proof.records], rrsigs: proof.rrsigs }, 'www.example.TEST.')
        .status,
    ).toBe('secure');
  });

  it("accepts a classic chain's next name only with nextName: 'any'", () => {
    const classic = rr(
      QNAME,
      RRType.NSEC,
      nsecCodec.encode({ nextName: '4.2.1.e164.example.test.', types: [46, 47] }),
    );
    expect(validate(RRType.A, signed(classic))).toMatchObject({ reason: { code: 'denial-next-name' } });
    const lenient = validateDenial({
      qname: QNAME,
      qtype: RRType.A,
      ...signed(classic),
      keys,
      now: NOW,
      nextName: 'any',
    });
    expect(lenient.status).toBe('secure');
    const wrap = rr(
      'zz.example.test.',
      RRType.NSEC,
      nsecCodec.encode({ nextName: ZONE, types: [1, 46, 47] }),
    );
    expect(
      validateDenial({
        qname: 'zz.example.test.',
        qtype: 16,
        ...signed(wrap),
        keys,
        now: NOW,
        nextName: 'any',
      }).status,
    ).toBe('secure');
  });
});

describe('validateDenial: bogus', () => {
  const cases: [string, () => ReturnType<typeof validate>, string, RegExp][] = [
    [
      'qtype in the bitmap',
      () => validate(RRType.MSPMAP, signed(nodataNsec(QNAME, [RRType.MSPMAP], 300))),
      'denial-type-present',
      /the nsec at 3\.2\.1\.e164\.example\.test\. says MSPMAP exists there/,
    ],
    [
      'CNAME in the bitmap',
      () => validate(RRType.A, signed(nodataNsec(QNAME, [RRType.CNAME], 300))),
      'denial-cname-present',
      /alias \(cname\)/,
    ],
    [
      'a denial for another name',
      () => validate(RRType.A, signed(nodataNsec('4.2.1.e164.example.test.', [], 300))),
      'denial-wrong-owner',
      /the nsec is for 4\.2\.1\.e164\.example\.test\., not for 3\.2\.1\.e164\.example\.test\./,
    ],
    [
      'no NSEC at all',
      () => validate(RRType.A, { records: [], rrsigs: [] }),
      'denial-missing',
      /no nsec denies A at 3\.2\.1/,
    ],
    [
      'an unsigned NSEC (stripped RRSIG)',
      () => validate(RRType.A, { records: [nodataNsec(QNAME, [], 300)], rrsigs: [] }),
      'no-rrsig',
      /no rrsig covers the NSEC rrset/,
    ],
    [
      'an NSEC signed by an untrusted key',
      () => validate(RRType.A, signed(nodataNsec(QNAME, [], 300), OTHER_KEY)),
      'no-matching-key',
      /no trusted key/,
    ],
    [
      'an expired NSEC signature',
      () =>
        validateDenial({
          qname: QNAME,
          qtype: 1,
          ...signed(nodataNsec(QNAME, [], 300)),
          keys,
          now: WINDOW.expiration + 1,
        }),
      'signature-expired',
      /expired/,
    ],
    [
      'a next name that is not the successor',
      () =>
        validate(
          RRType.A,
          signed(
            rr(
              QNAME,
              RRType.NSEC,
              nsecCodec.encode({ nextName: '\\001.3.2.1.e164.example.test.', types: [46, 47] }),
            ),
          ),
        ),
      'denial-next-name',
      /not the immediate successor \\000\.3\.2\.1\.e164\.example\.test\./,
    ],
    [
      "a next name before the owner, even with nextName: 'any'",
      () =>
        validateDenial({
          qname: QNAME,
          qtype: 1,
          ...signed(
            rr(QNAME, RRType.NSEC, nsecCodec.encode({ nextName: '1.e164.example.test.', types: [46, 47] })),
          ),
          keys,
          now: NOW,
          nextName: 'any',
        }),
      'denial-next-name',
      /before its owner/,
    ],
    [
      'NXNAME beside existing types',
      () =>
        validate(
          RRType.A,
          signed(
            rr(
              QNAME,
              RRType.NSEC,
              nsecCodec.encode({ nextName: nsecNextName(QNAME), types: [16, 46, 47, 128] }),
            ),
          ),
        ),
      'denial-bitmap',
      /nxname beside existing types/,
    ],
    [
      'the parent side of a delegation denying child data',
      () =>
        validate(
          RRType.A,
          signed(nodataNsec('child.example.test.', [RRType.NS, RRType.DS], 300)),
          'child.example.test.',
        ),
      'denial-at-delegation',
      /parent side of a delegation/,
    ],
    [
      'a DS denied by the child apex NSEC',
      () => validate(RRType.DS, signed(nodataNsec(ZONE, [RRType.SOA, RRType.NS, RRType.DNSKEY], 300)), ZONE),
      'denial-wrong-side',
      /comes from the child zone/,
    ],
    [
      'two NSEC records at the qname',
      () => {
        const one = nodataNsec(QNAME, [], 300);
        const two = nodataNsec(QNAME, [RRType.A], 300);
        return validate(RRType.TXT, { records: [one, two], rrsigs: [signRrset([one, two], KEY, WINDOW)] });
      },
      'rrset-inconsistent',
      /2 nsec records at/,
    ],
    [
      'a malformed NSEC',
      () => validate(RRType.A, signed(rr(QNAME, RRType.NSEC, Uint8Array.of(0, 0, 0)))),
      'malformed',
      /malformed nsec/,
    ],
    [
      'a qname outside the zone',
      () => validate(RRType.A, signed(nodataNsec(QNAME, [], 300)), 'x.other.'),
      'owner-outside-zone',
      /x\.other\. is not in zone/,
    ],
    [
      'a changed bitmap after signing',
      () => {
        const proof = signed(nodataNsec(QNAME, [RRType.MSPMAP], 300));
        const forged = { ...proof.records[0]!, rdata: nodataNsec(QNAME, [], 300).rdata };
        return validate(RRType.MSPMAP, { records: [forged], rrsigs: proof.rrsigs });
      },
      'bad-signature',
      /does not verify/,
    ],
  ];

  it.each(cases)('%s', (_name, run, code, message) => {
    const result = run();
    expect(result).toMatchObject({ status: 'bogus', reason: { code, zone: ZONE } });
    expect(result.status === 'bogus' && result.reason.message).toMatch(message);
  });

  it('a signature made for one name does not cover the same NSEC moved to another', () => {
    const proof = signed(nodataNsec(QNAME, [], 300));
    const moved = { ...proof.records[0]!, name: '9.2.1.e164.example.test.' };
    const rrsig = { ...proof.rrsigs[0]!, name: '9.2.1.e164.example.test.' };
    expect(
      validate(RRType.A, { records: [moved], rrsigs: [rrsig] }, '9.2.1.e164.example.test.'),
    ).toMatchObject({
      reason: { code: 'bad-signature' },
    });
  });

  it('keys of another zone cannot deny names of this one', () => {
    const child = keyFor('sub.example.test.');
    const result = validateDenial({
      qname: 'x.sub.example.test.',
      qtype: 1,
      ...signed(nodataNsec('x.sub.example.test.', [], 300), child),
      keys,
      now: NOW,
    });
    expect(result).toMatchObject({ reason: { code: 'signer-mismatch' } });
  });
});
