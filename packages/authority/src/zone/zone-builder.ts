/**
 * Checks a zone's assembled RRsets against what this server can serve, then freezes
 * them into a Zone. Refused, each with the file and owner at fault:
 * - no SOA / several SOA records at the apex, an SOA elsewhere, no NS at the apex
 *   (RFC 1035 §5.2, RFC 1034 §4.2.1);
 * - CNAME and DNAME (RFC 1034 §3.6.2, RFC 6672): the discovery tree has no aliases, and
 *   an alias in a CSI subtree would let one CSI answer for another;
 * - wildcards (RFC 4592): a wildcard would make every name exist and break the
 *   "missing name looks like an empty non-terminal" rule of DESIGN §5;
 * - records below a delegation except glue (A/AAAA of an NS target, RFC 1034 §4.2.1),
 *   other data at a delegation point than NS, DS and glue, DS anywhere but at a cut;
 * - records we make ourselves (DNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM: signing is
 *   online, DESIGN §5) or that only the mapping store may serve (MSPMAP anywhere,
 *   NAPTR in a CSI subtree: DESIGN §4), meta-types and classes other than IN.
 */
import {
  CLASS_IN,
  canonicalName,
  isInCsiSubtree,
  nsCodec,
  type RRset,
  RRType,
  typeToString,
} from '@mimi/protocol';
import { ZoneLoadError } from '../errors.js';
import { isWildcardName, namesUpTo } from './names.js';
import { Zone } from './zone.js';

/** An RRset being assembled, with the file its current records came from. */
export interface SourcedRRset {
  rrset: RRset;
  file: string;
}

export type AssembledNodes = Map<string, Map<number, SourcedRRset>>;

/** Types a zone file may not carry: signing is online, mappings come from the store. */
const GENERATED_TYPES = new Set<number>([
  RRType.DNSKEY,
  RRType.RRSIG,
  RRType.NSEC,
  50 /* NSEC3 */,
  51 /* NSEC3PARAM */,
]);
const ALIAS_TYPES = new Set<number>([RRType.CNAME, 39 /* DNAME */]);
const ADDRESS_TYPES = new Set<number>([RRType.A, RRType.AAAA]);

/** RFC 6895 §3.1: 128–255 are meta-types and QTYPEs (NXNAME, OPT is 41, TSIG 250...). */
function isMetaType(type: number): boolean {
  return type === RRType.OPT || (type >= 128 && type <= 255) || type === 0;
}

/** Per-record checks that need no knowledge of the rest of the zone. */
export function checkRecordType(
  owner: string,
  type: number,
  klass: number,
  file: string,
  networkApex: string,
): void {
  const name = typeToString(type).toLowerCase();
  if (klass !== CLASS_IN) {
    throw new ZoneLoadError('zone-class', `class ${klass} is not served (only in)`, file, owner);
  }
  if (isWildcardName(owner)) {
    throw new ZoneLoadError('zone-wildcard', 'wildcard owner names are not served', file, owner);
  }
  if (ALIAS_TYPES.has(type)) {
    throw new ZoneLoadError('zone-alias', `${name} records are not served (no aliases)`, file, owner);
  }
  if (isMetaType(type)) {
    throw new ZoneLoadError('zone-meta-type', `${name} is a meta-type and cannot be zone data`, file, owner);
  }
  if (GENERATED_TYPES.has(type)) {
    throw new ZoneLoadError(
      'zone-dnssec-record',
      `${name} records are made by the online signer, not read from files`,
      file,
      owner,
    );
  }
  if (type === RRType.MSPMAP) {
    throw new ZoneLoadError(
      'zone-mapping-record',
      'mspmap records come from the mapping store, not zone files',
      file,
      owner,
    );
  }
  if (type === RRType.NAPTR && isInCsiSubtree(owner, networkApex)) {
    throw new ZoneLoadError(
      'zone-mapping-record',
      'naptr records in a csi subtree come from the mapping store',
      file,
      owner,
    );
  }
}

/** Canonical NS target names of an NS RRset. */
function nsTargets(ns: RRset): Set<string> {
  return new Set(ns.rdatas.map((rdata) => canonicalName(nsCodec.decode(rdata))));
}

/** Validate the zone at `apex` and freeze it. */
export function buildZone(apex: string, nodes: AssembledNodes, networkApex: string): Zone {
  const apexNode = nodes.get(apex);
  const soa = apexNode?.get(RRType.SOA);
  if (soa === undefined)
    throw new ZoneLoadError('zone-no-soa', `zone ${apex} has no soa at its apex`, '(zone)', apex);
  if (soa.rrset.rdatas.length !== 1) {
    throw new ZoneLoadError(
      'zone-soa-count',
      `zone ${apex} has ${soa.rrset.rdatas.length} soa records (exactly one allowed)`,
      soa.file,
      apex,
    );
  }
  if (!apexNode?.has(RRType.NS)) {
    throw new ZoneLoadError('zone-no-ns', `zone ${apex} has no ns records at its apex`, soa.file, apex);
  }

  // Delegation points, and the NS targets of all of them: the only names that may hold
  // glue (sibling glue included, RFC 9471 §2).
  const cuts = new Set<string>();
  const glueNames = new Set<string>();
  for (const [owner, types] of nodes) {
    const ns = types.get(RRType.NS);
    if (owner === apex || ns === undefined) continue;
    cuts.add(owner);
    for (const target of nsTargets(ns.rrset)) glueNames.add(target);
  }

  for (const [owner, types] of nodes) {
    for (const { rrset, file } of types.values()) {
      if (rrset.type === RRType.SOA && owner !== apex) {
        throw new ZoneLoadError('zone-soa-not-apex', `soa below the apex of zone ${apex}`, file, owner);
      }
      if (rrset.type === RRType.DS && !cuts.has(owner)) {
        throw new ZoneLoadError(
          'zone-ds-not-at-cut',
          'ds records belong only at a delegation point (with ns)',
          file,
          owner,
        );
      }
    }
    checkAgainstCuts(owner, types, cuts, glueNames, apex);
  }

  const frozen = new Map<string, Map<number, RRset>>();
  for (const [owner, types] of nodes) {
    frozen.set(owner, new Map([...types].map(([type, sourced]) => [type, sourced.rrset])));
  }
  return new Zone(apex, frozen, networkApex);
}

/**
 * Below a cut only glue; at a cut NS, DS and glue (RFC 1034 §4.2.1, RFC 4035 §2.2).
 * Walks the owner's ancestors (not the list of cuts) so a root zone with many
 * delegations loads in time proportional to its size.
 */
function checkAgainstCuts(
  owner: string,
  types: Map<number, SourcedRRset>,
  cuts: ReadonlySet<string>,
  glueNames: ReadonlySet<string>,
  apex: string,
): void {
  if (cuts.size === 0 || owner === apex) return;
  const ancestors = namesUpTo(owner, apex);
  for (let i = 0; i < ancestors.length - 1; i++) {
    const cut = ancestors[i]!;
    if (!cuts.has(cut)) continue;
    for (const { rrset, file } of types.values()) {
      const atCut = owner === cut;
      if (atCut && (rrset.type === RRType.NS || rrset.type === RRType.DS)) continue;
      if (ADDRESS_TYPES.has(rrset.type) && glueNames.has(owner)) continue;
      const what = `${typeToString(rrset.type).toLowerCase()} record`;
      throw new ZoneLoadError(
        atCut ? 'zone-data-at-delegation' : 'zone-data-below-delegation',
        atCut
          ? `${what} at delegation point ${cut} of zone ${apex} (only ns, ds and glue may be there)`
          : `${what} below delegation point ${cut} of zone ${apex} (only glue addresses of its ns targets may be there)`,
        file,
        owner,
      );
    }
  }
}
