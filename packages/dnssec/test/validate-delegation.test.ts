// RFC 4035 §5.2: the delegation step (DS RRset or its denial) at a referral.
import { dsCodec, type ResourceRecord, RRType } from '@mimi/protocol';
import { describe, expect, it } from 'vitest';
import { nodataNsec, signRrset, validateDelegation } from '../src/index.js';
import { flip, NOW } from './fixtures.js';
import { hierarchy, keysOf, mid, reasonOf, root } from './hierarchy-fixture.js';

describe('validateDelegation (RFC 4035 §5.2)', () => {
  const rootKeys = keysOf('mimi.arpa.');

  it('secure with a signed DS RRset', () => {
    const result = validateDelegation({
      child: 'e164.mimi.arpa.',
      parentKeys: rootKeys,
      proof: hierarchy.rrset('e164.mimi.arpa.', RRType.DS),
      now: NOW,
    });
    expect(result).toMatchObject({ status: 'secure', ds: [mid.key.ds], ttl: 3600 });
  });

  it('insecure with a signed NSEC proving no DS at the cut (NS set, DS and SOA clear)', () => {
    const nsec = nodataNsec('unsigned.mimi.arpa.', [RRType.NS], 300);
    const proof = { records: [nsec], rrsigs: [signRrset([nsec], root.key, hierarchy.window)] };
    const result = validateDelegation({
      child: 'unsigned.mimi.arpa.',
      parentKeys: rootKeys,
      proof,
      now: NOW,
    });
    expect(result).toEqual({
      status: 'insecure',
      reason: 'mimi.arpa. proves that unsigned.mimi.arpa. has no ds (an unsigned delegation)',
    });
  });

  it('insecure when no DS uses a supported algorithm (RFC 4035 §5.2)', () => {
    const ds: ResourceRecord = {
      name: 'old.mimi.arpa.',
      type: RRType.DS,
      class: 1,
      ttl: 3600,
      rdata: dsCodec.encode({ ...mid.key.ds, algorithm: 8 }),
    };
    const proof = { records: [ds], rrsigs: [signRrset([ds], root.key, hierarchy.window)] };
    const result = validateDelegation({ child: 'old.mimi.arpa.', parentKeys: rootKeys, proof, now: NOW });
    expect(result.status).toBe('insecure');
    expect(result.status === 'insecure' && result.reason).toMatch(/supported algorithm/);
  });

  it.each([
    ['no DS and no denial', () => ({ records: [], rrsigs: [] }), 'no-ds-proof'],
    [
      'a DS with a stripped RRSIG',
      () => ({ records: hierarchy.rrset('e164.mimi.arpa.', RRType.DS).records, rrsigs: [] }),
      'no-rrsig',
    ],
    [
      'a DS whose digest was changed',
      () => {
        const signed = hierarchy.rrset('e164.mimi.arpa.', RRType.DS);
        const record = signed.records[0]!;
        return { records: [{ ...record, rdata: flip(record.rdata, -1) }], rrsigs: signed.rrsigs };
      },
      'bad-signature',
    ],
    [
      'a denial proving there is no delegation at all',
      () => {
        const nsec = nodataNsec('e164.mimi.arpa.', [RRType.TXT], 300);
        return { records: [nsec], rrsigs: [signRrset([nsec], root.key, hierarchy.window)] };
      },
      'not-a-delegation',
    ],
    [
      'a DS denial that lists DS',
      () => {
        const nsec = nodataNsec('e164.mimi.arpa.', [RRType.NS, RRType.DS], 300);
        return { records: [nsec], rrsigs: [signRrset([nsec], root.key, hierarchy.window)] };
      },
      'denial-type-present',
    ],
    [
      'a DS denial signed by the child (its apex NSEC)',
      () => {
        const nsec = nodataNsec('e164.mimi.arpa.', [RRType.SOA, RRType.NS, RRType.DNSKEY], 300);
        return { records: [nsec], rrsigs: [signRrset([nsec], mid.key, hierarchy.window)] };
      },
      'signer-mismatch',
    ],
  ])('bogus: %s', (_name, proof, code) => {
    const result = validateDelegation({
      child: 'e164.mimi.arpa.',
      parentKeys: rootKeys,
      proof: proof(),
      now: NOW,
    });
    expect(reasonOf(result)).toMatchObject({ code, zone: 'mimi.arpa.' });
  });

  it('bogus: a child that is not below the parent', () => {
    const result = validateDelegation({
      child: 'mimi.arpa.',
      parentKeys: rootKeys,
      proof: hierarchy.rrset('e164.mimi.arpa.', RRType.DS),
      now: NOW,
    });
    expect(reasonOf(result)?.code).toBe('owner-outside-zone');
  });
});
