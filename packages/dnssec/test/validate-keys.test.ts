// RFC 4035 §5.2: the DNSKEY RRset step, from DS records or a trust-anchor key.
import { dnskeyCodec, dsCodec, type ResourceRecord, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import {
  computeDs,
  createZoneKey,
  dnskeyRecord,
  signRrset,
  validateDnskeyRrset,
  type ZoneKey,
} from '../src/index.js';
import { KEY, keyFor, NOW, OTHER_KEY, rr, WINDOW, ZONE } from './fixtures.js';

const ZSK = createZoneKey(ZONE, OTHER_KEY.privateKey, 256);

function keyset(...keys: ZoneKey[]): ResourceRecord[] {
  return keys.map((k) => dnskeyRecord(k, 3600));
}

const rrset = keyset(KEY, ZSK);
const selfSig = signRrset(rrset, KEY, WINDOW);

function code(result: ReturnType<typeof validateDnskeyRrset>) {
  return result.status === 'bogus' ? result.reason.code : result.status;
}

describe('validateDnskeyRrset: secure', () => {
  it('trusts every usable key once the DS-designated key signs the set', () => {
    const result = validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, rrset, [selfSig], NOW);
    expect(result.status).toBe('secure');
    if (result.status !== 'secure') return;
    expect(result.keys.zone).toBe(ZONE);
    expect(result.keys.keys.map((k) => k.keyTag).sort()).toEqual([KEY.keyTag, ZSK.keyTag].sort());
    expect(result.ttl).toBe(3600);
  });

  it('accepts a DNSKEY trust anchor present in the set', () => {
    expect(validateDnskeyRrset(ZONE, { dnskeys: [KEY.dnskey] }, rrset, [selfSig], NOW).status).toBe('secure');
  });

  it('ignores DS records it cannot use when one matches', () => {
    const unsupported = { ...KEY.ds, algorithm: 8, keyTag: 1 };
    expect(validateDnskeyRrset(ZONE, { ds: [unsupported, KEY.ds] }, rrset, [selfSig], NOW).status).toBe(
      'secure',
    );
  });

  it('leaves out revoked keys, keys without the zone flag and other algorithms (RFC 4035 §5.3.1, RFC 5011)', () => {
    const revoked = createZoneKey(ZONE, keyFor(ZONE, 'r').privateKey, 257 | 0x80);
    const notZone = createZoneKey(ZONE, keyFor(ZONE, 'n').privateKey, 1);
    const rsa = rr(
      ZONE,
      RRType.DNSKEY,
      dnskeyCodec.encode({ flags: 256, protocol: 3, algorithm: 8, publicKey: Uint8Array.of(3, 1, 0, 1) }),
      3600,
    );
    const set = [...keyset(KEY, revoked, notZone), rsa];
    const result = validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, set, [signRrset(set, KEY, WINDOW)], NOW);
    expect(result.status === 'secure' && result.keys.keys.map((k) => k.keyTag)).toEqual([KEY.keyTag]);
  });
});

describe('validateDnskeyRrset: bogus', () => {
  it('DS digest mismatch', () => {
    const digest = Uint8Array.from(KEY.ds.digest);
    digest[0] = digest[0]! ^ 0xff;
    const result = validateDnskeyRrset(ZONE, { ds: [{ ...KEY.ds, digest }] }, rrset, [selfSig], NOW);
    expect(result).toMatchObject({
      status: 'bogus',
      reason: {
        code: 'ds-mismatch',
        zone: ZONE,
        keyTag: KEY.keyTag,
        message: `no dnskey of example.test. matches its ds (key tag ${KEY.keyTag})`,
      },
    });
  });

  it('DS of another zone (owner is part of the digest)', () => {
    const ds = computeDs('other.test.', KEY.dnskeyRdata);
    expect(code(validateDnskeyRrset(ZONE, { ds: [ds] }, rrset, [selfSig], NOW))).toBe('ds-mismatch');
  });

  it('DNSKEY RRset signed only by a key the DS does not designate', () => {
    const zskOnly = signRrset(rrset, ZSK, WINDOW);
    expect(code(validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, rrset, [zskOnly], NOW))).toBe('no-matching-key');
  });

  it('stripped RRSIG over the DNSKEY RRset', () => {
    expect(code(validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, rrset, [], NOW))).toBe('no-rrsig');
  });

  it('expired self-signature', () => {
    expect(code(validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, rrset, [selfSig], WINDOW.expiration + 1))).toBe(
      'signature-expired',
    );
  });

  it('a key added after signing', () => {
    const grown = keyset(KEY, ZSK, keyFor(ZONE, 'late'));
    expect(code(validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, grown, [selfSig], NOW))).toBe('bad-signature');
  });

  it('algorithm not supported: only unusable DS or anchor keys', () => {
    const ds = { ...KEY.ds, algorithm: 13 };
    const result = validateDnskeyRrset(ZONE, { ds: [ds] }, rrset, [selfSig], NOW);
    expect(result).toMatchObject({ status: 'bogus', reason: { code: 'unsupported-algorithm' } });
    expect(result.status === 'bogus' && result.reason.message).toMatch(
      /algorithm 13 digest 2; only ed25519 \(15\) with sha-256 \(2\)/,
    );
    const sha1 = { ...KEY.ds, digestType: 1, digest: new Uint8Array(20) };
    expect(code(validateDnskeyRrset(ZONE, { ds: [sha1] }, rrset, [selfSig], NOW))).toBe(
      'unsupported-algorithm',
    );
    const anchor = { ...KEY.dnskey, algorithm: 8 };
    expect(code(validateDnskeyRrset(ZONE, { dnskeys: [anchor] }, rrset, [selfSig], NOW))).toBe(
      'unsupported-algorithm',
    );
  });

  it('an anchor key that is not in the set', () => {
    const result = validateDnskeyRrset(
      ZONE,
      { dnskeys: [keyFor(ZONE, 'gone').dnskey] },
      rrset,
      [selfSig],
      NOW,
    );
    expect(result).toMatchObject({
      reason: {
        code: 'anchor-missing',
        message: 'the trust-anchor key is not in the dnskey rrset of example.test.',
      },
    });
  });

  it('nothing to vouch for the keys', () => {
    expect(code(validateDnskeyRrset(ZONE, {}, rrset, [selfSig], NOW))).toBe('no-ds');
    expect(code(validateDnskeyRrset(ZONE, { ds: [], dnskeys: [] }, rrset, [selfSig], NOW))).toBe('no-ds');
  });

  it('no DNSKEY RRset, a DNSKEY off the apex, a malformed DNSKEY', () => {
    expect(code(validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, [], [selfSig], NOW))).toBe('no-dnskey');
    const offApex = { ...dnskeyRecord(KEY, 3600), name: 'www.example.test.' };
    expect(code(validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, [offApex], [selfSig], NOW))).toBe(
      'rrset-inconsistent',
    );
    const broken = rr(ZONE, RRType.DNSKEY, Uint8Array.of(1, 1, 3), 3600);
    expect(code(validateDnskeyRrset(ZONE, { ds: [KEY.ds] }, [broken], [selfSig], NOW))).toBe('malformed');
  });

  it('a DS text line parsed by the codec works the same', () => {
    const ds = dsCodec.fromText(dsCodec.toText(KEY.ds).split(' '), '.');
    expect(validateDnskeyRrset(ZONE, { ds: [ds] }, rrset, [selfSig], NOW).status).toBe('secure');
  });
});
