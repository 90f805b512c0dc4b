/**
 * The pure authoritative lookup (RFC 1034 §4.3.2 steps 2–3, without CNAMEs or
 * wildcards, which our zones never hold): served zones + question → one outcome.
 * No I/O, no signing, no clock; the answer builder turns the outcome into sections.
 *
 * - answer: the RRset of qtype at qname (qtype ANY: one RRset, RFC 8482 §4.1).
 * - referral: qname at or below a delegation of the zone (except DS at the cut itself,
 *   which the parent answers, RFC 4035 §3.1.4.1): NS and DS of the cut, plus the
 *   addresses of the NS targets and their `_dns.<host>` SVCB (RFC 9461) when our zones
 *   hold them, so a stub can find the child's DoH endpoint (DESIGN §3).
 * - nodata: the name exists (owns data or is an empty non-terminal) but not that type.
 * - missing: the name does not exist; `inCsiSubtree` says whether it must be denied like
 *   an empty non-terminal (DESIGN §5).
 * - refused: no served zone encloses qname.
 */
import { canonicalName, joinNames, nsCodec, type RRset, RRType } from '@mimi/protocol';
import type { Zone } from './zone/zone.js';
import type { ZoneSet } from './zone/zone-set.js';

/** An additional-section RRset and whether its zone is authoritative for it (glue is not). */
export interface AdditionalRRset {
  readonly rrset: RRset;
  readonly zone: Zone;
  readonly authoritative: boolean;
}

export type LookupResult =
  | { readonly kind: 'answer'; readonly zone: Zone; readonly rrset: RRset }
  | {
      readonly kind: 'referral';
      readonly zone: Zone;
      readonly cut: string;
      readonly ns: RRset;
      readonly ds: RRset | undefined;
      readonly additional: readonly AdditionalRRset[];
    }
  | { readonly kind: 'nodata'; readonly zone: Zone; readonly name: string; readonly types: readonly number[] }
  | { readonly kind: 'missing'; readonly zone: Zone; readonly name: string; readonly inCsiSubtree: boolean }
  | { readonly kind: 'refused'; readonly name: string };

/**
 * RRsets served at a name beside the zone's own (the mapping store's MSPMAP and NAPTR,
 * DESIGN §4). Asked only for names inside a CSI subtree, never at or below a cut.
 */
export type DynamicRRsets = (zone: Zone, name: string) => readonly RRset[];

const ADDRESS_TYPES = [RRType.A, RRType.AAAA] as const;

/** `qname` must be canonical (lowercase, absolute). */
export function lookup(zones: ZoneSet, qname: string, qtype: number, dynamic?: DynamicRRsets): LookupResult {
  let zone = zones.find(qname);
  if (zone === undefined) return { kind: 'refused', name: qname };
  if (qtype === RRType.DS && qname === zone.apex) {
    // The DS of a zone we also serve the parent of lives in the parent (RFC 4035 §3.1.4.1).
    zone = zones.parentOf(zone) ?? zone;
  }

  const cut = zone.cutAtOrAbove(qname);
  if (cut !== undefined) {
    if (qtype === RRType.DS && qname === cut) {
      const ds = zone.rrset(cut, RRType.DS);
      if (ds !== undefined) return { kind: 'answer', zone, rrset: ds };
      return { kind: 'nodata', zone, name: cut, types: [RRType.NS] };
    }
    return referral(zones, zone, cut);
  }

  const rrsets = [...zone.rrsetsAt(qname)];
  if (dynamic !== undefined && zone.isInCsiSubtree(qname)) rrsets.push(...dynamic(zone, qname));
  if (rrsets.length === 0 && !zone.exists(qname)) {
    return { kind: 'missing', zone, name: qname, inCsiSubtree: zone.isInCsiSubtree(qname) };
  }
  const match =
    qtype === RRType.ANY
      ? rrsets.reduce<RRset | undefined>(
          (first, r) => (first === undefined || r.type < first.type ? r : first),
          undefined,
        )
      : rrsets.find((rrset) => rrset.type === qtype);
  if (match !== undefined) return { kind: 'answer', zone, rrset: match };
  return {
    kind: 'nodata',
    zone,
    name: qname,
    types: rrsets.map((rrset) => rrset.type).sort((a, b) => a - b),
  };
}

function referral(zones: ZoneSet, zone: Zone, cut: string): LookupResult {
  const ns = zone.rrset(cut, RRType.NS)!;
  const additional: AdditionalRRset[] = [];
  const seen = new Set<string>();
  const add = (found: AdditionalRRset | undefined) => {
    if (found === undefined) return;
    const key = `${found.rrset.type} ${found.rrset.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    additional.push(found);
  };
  for (const host of nsTargetNames(ns)) {
    for (const type of ADDRESS_TYPES) add(hostData(zones, zone, host, type));
    add(hostData(zones, zone, joinNames('_dns', host), RRType.SVCB));
  }
  return { kind: 'referral', zone, cut, ns, ds: zone.rrset(cut, RRType.DS), additional };
}

/**
 * `type` at `name` from the served zone authoritative for it, else as glue from the
 * referring zone (glue sits below one of its cuts and is never signed, RFC 4035 §2.2).
 */
function hostData(zones: ZoneSet, referring: Zone, name: string, type: number): AdditionalRRset | undefined {
  const owner = zones.find(name);
  if (owner !== undefined && owner.cutAtOrAbove(name) === undefined) {
    const rrset = owner.rrset(name, type);
    if (rrset !== undefined) return { rrset, zone: owner, authoritative: true };
  }
  if (type === RRType.SVCB) return undefined;
  const glue = referring.contains(name) ? referring.rrset(name, type) : undefined;
  return glue === undefined ? undefined : { rrset: glue, zone: referring, authoritative: false };
}

function nsTargetNames(ns: RRset): string[] {
  return ns.rdatas.map((rdata) => canonicalName(nsCodec.decode(rdata)));
}
