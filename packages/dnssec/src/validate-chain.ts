/**
 * A whole chain of trust in one call (RFC 4035 §5): trust anchor → the anchor zone's
 * DNSKEY RRset → for each child zone, the DS step and the DNSKEY step → the target
 * RRset or denial. A stub that walks referrals calls the same steps one by one
 * (validateDnskeyRrset, validateDelegation, validateRrset, validateDenial); this is
 * the same logic for callers that hold all the records at once. Pure: `now` is given.
 */
import { compareNames, isSubdomain } from '@mimi/protocol';
import {
  type Bogus,
  bogus,
  type Insecure,
  type KeyAuthority,
  type SecureDenial,
  type SecureRrset,
  type SignedRecords,
  type TrustAnchor,
  type ZoneKeys,
} from './results.js';
import { validateDelegation } from './validate-delegation.js';
import { validateDenial } from './validate-denial.js';
import { validateDnskeyRrset } from './validate-keys.js';
import { validateRrset } from './validate-rrset.js';

export interface ZoneLink {
  readonly zone: string;
  /** The parent's DS RRset for this zone, or its NSEC denying one; unused for the anchor zone. */
  readonly delegation?: SignedRecords;
  readonly dnskey: SignedRecords;
}

export type ChainTarget =
  | ({ readonly kind: 'rrset' } & SignedRecords)
  | ({ readonly kind: 'denial'; readonly qname: string; readonly qtype: number } & SignedRecords);

export interface ChainQuery {
  readonly anchor: TrustAnchor;
  /** From the anchor zone down to the zone holding the target, each below the previous. */
  readonly zones: readonly ZoneLink[];
  readonly target: ChainTarget;
  readonly now: number;
  readonly nextName?: 'immediate-successor' | 'any';
}

/** One validated zone of the chain, for `--trace` style reports. */
export interface TrailEntry {
  readonly zone: string;
  readonly keyTags: readonly number[];
}

export type ChainResult =
  | ((SecureRrset | SecureDenial) & { readonly trail: readonly TrailEntry[] })
  | Insecure
  | Bogus;

export function validateChain(query: ChainQuery): ChainResult {
  const { anchor, zones, now } = query;
  const nextName = query.nextName ? { nextName: query.nextName } : {};
  const first = zones[0];
  if (!first || compareNames(first.zone, anchor.zone) !== 0) {
    return bogus(
      'anchor-zone-mismatch',
      `the chain does not start at the trust anchor ${anchor.zone}`,
      anchor.zone,
    );
  }
  const trail: TrailEntry[] = [];
  let keys: ZoneKeys | undefined;
  for (const link of zones) {
    let authority: KeyAuthority = anchor;
    if (keys) {
      if (!isSubdomain(link.zone, keys.zone) || compareNames(link.zone, keys.zone) === 0) {
        return bogus('chain-order', `${link.zone} is not below ${keys.zone}`, keys.zone);
      }
      if (!link.delegation) return bogus('no-ds-proof', `no ds or denial for ${link.zone}`, keys.zone);
      const delegation = validateDelegation({
        child: link.zone,
        parentKeys: keys,
        proof: link.delegation,
        now,
        ...nextName,
      });
      if (delegation.status !== 'secure') return delegation;
      authority = { ds: delegation.ds };
    }
    const validated = validateDnskeyRrset(link.zone, authority, link.dnskey.records, link.dnskey.rrsigs, now);
    if (validated.status !== 'secure') return validated;
    keys = validated.keys;
    trail.push({ zone: link.zone, keyTags: keys.keys.map((k) => k.keyTag) });
  }
  const zoneKeys = keys!;
  const target = query.target;
  const result =
    target.kind === 'rrset'
      ? validateRrset(target.records, target.rrsigs, zoneKeys, now)
      : validateDenial({
          qname: target.qname,
          qtype: target.qtype,
          records: target.records,
          rrsigs: target.rrsigs,
          keys: zoneKeys,
          now,
          ...nextName,
        });
  return result.status === 'secure' ? { ...result, trail } : result;
}
