/**
 * The delegation step of the chain of trust (RFC 4035 §5.2): at a referral from
 * `parent` to `child`, the parent either serves a signed DS RRset for the child
 * (secure, the DS vouches for the child's keys) or a signed NSEC at the child's
 * name proving there is no DS (an insecure, "provably unsigned" delegation: DS and
 * SOA clear, and — RFC 6840 §4.4 — NS set, so that the NSEC of a name that is no
 * delegation cannot be replayed to fake one). Anything else is bogus.
 *
 * RFC 4035 §5.2: "If the validator does not support any of the algorithms listed in
 * an authenticated DS RRset, then the resolver has no supported authentication path
 * leading from the parent to the child" — treated as insecure, as the RFC says
 * (DESIGN §6 then reports any insecure delegation as bogus).
 */
import { compareNames, type Ds, dsCodec, isSubdomain, RRType } from '@mimi/protocol';
import { ALGORITHM_ED25519, DIGEST_SHA256 } from './constants.js';
import {
  type Bogus,
  bogus,
  type Insecure,
  type SecureDelegation,
  type SignedRecords,
  type ZoneKeys,
} from './results.js';
import { validateDenial } from './validate-denial.js';
import { validateRrset } from './validate-rrset.js';

export interface DelegationQuery {
  readonly child: string;
  /** Validated keys of the parent zone. */
  readonly parentKeys: ZoneKeys;
  /** What the parent served: DS records (and their RRSIGs) or the NSEC denying them. */
  readonly proof: SignedRecords;
  readonly now: number;
  readonly nextName?: 'immediate-successor' | 'any';
}

export function validateDelegation(query: DelegationQuery): SecureDelegation | Insecure | Bogus {
  const { child, parentKeys, proof, now } = query;
  const parent = parentKeys.zone;
  if (!isSubdomain(child, parent) || compareNames(child, parent) === 0) {
    return bogus('owner-outside-zone', `${child} is not below ${parent}`, parent);
  }
  const dsRecords = proof.records.filter((r) => r.type === RRType.DS && compareNames(r.name, child) === 0);
  if (dsRecords.length > 0) {
    const signed = validateRrset(dsRecords, proof.rrsigs, parentKeys, now);
    if (signed.status !== 'secure') return signed;
    let ds: Ds[];
    try {
      ds = dsRecords.map((r) => dsCodec.decode(r.rdata));
    } catch {
      return bogus('malformed', `malformed ds record for ${child}`, parent);
    }
    const supported = ds.filter((d) => d.algorithm === ALGORITHM_ED25519 && d.digestType === DIGEST_SHA256);
    if (supported.length === 0) {
      return {
        status: 'insecure',
        reason: `no ds of ${child} uses a supported algorithm (ed25519, 15) and digest (sha-256, 2)`,
      };
    }
    return { status: 'secure', ds: supported, ttl: signed.ttl };
  }
  if (!proof.records.some((r) => r.type === RRType.NSEC)) {
    return bogus('no-ds-proof', `${parent} gave neither a ds nor a denial for ${child}`, parent);
  }
  const denial = validateDenial({
    qname: child,
    qtype: RRType.DS,
    records: proof.records,
    rrsigs: proof.rrsigs,
    keys: parentKeys,
    now,
    ...(query.nextName ? { nextName: query.nextName } : {}),
  });
  if (denial.status !== 'secure') return denial;
  if (!denial.types.includes(RRType.NS)) {
    return bogus('not-a-delegation', `${parent} proves there is no delegation to ${child}`, parent);
  }
  return { status: 'insecure', reason: `${parent} proves that ${child} has no ds (an unsigned delegation)` };
}
