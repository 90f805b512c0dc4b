/**
 * One served zone: its RRsets indexed by canonical owner name and type, the names that
 * exist (owners and empty non-terminals, RFC 4592 §2.2.2), and its delegation points
 * (RFC 1034 §4.2.1 zone cuts). Immutable: a reload builds new zones.
 *
 * A zone never holds a record below one of its cuts except glue; the builder
 * (zone-builder.ts) refused anything else, so the lookup can trust that shape.
 */
import { isInCsiSubtree, isSubdomain, type RRset, RRType, soaCodec } from '@mimi/protocol';
import { namesUpTo } from './names.js';

export class Zone {
  /** Canonical apex name. */
  readonly apex: string;
  /** Canonical apex of the discovery network (DESIGN §3), for the CSI subtree test. */
  readonly networkApex: string;
  readonly soa: RRset;
  /**
   * TTL of negative answers and of the SOA and NSEC in them: min(SOA TTL, SOA MINIMUM)
   * (RFC 2308 §5, RFC 9077 §3 for the NSEC).
   */
  readonly negativeTtl: number;
  private readonly nodes: ReadonlyMap<string, ReadonlyMap<number, RRset>>;
  private readonly existing: ReadonlySet<string>;
  private readonly cuts: ReadonlySet<string>;

  /** `nodes` is keyed by canonical owner, then type; the builder validated it. */
  constructor(apex: string, nodes: ReadonlyMap<string, ReadonlyMap<number, RRset>>, networkApex: string) {
    this.apex = apex;
    this.networkApex = networkApex;
    this.nodes = nodes;
    const soa = nodes.get(apex)?.get(RRType.SOA);
    if (soa === undefined) throw new TypeError(`zone ${apex} built without an soa`);
    this.soa = soa;
    this.negativeTtl = Math.min(soa.ttl, soaCodec.decode(soa.rdatas[0]!).minimum);
    const existing = new Set<string>();
    const cuts = new Set<string>();
    for (const [owner, types] of nodes) {
      if (owner !== apex && types.has(RRType.NS)) cuts.add(owner);
      for (const name of namesUpTo(owner, apex)) {
        if (existing.has(name)) break;
        existing.add(name);
      }
    }
    this.existing = existing;
    this.cuts = cuts;
  }

  /** True when `name` (canonical) is the apex or below it. */
  contains(name: string): boolean {
    return isSubdomain(name, this.apex);
  }

  rrset(name: string, type: number): RRset | undefined {
    return this.nodes.get(name)?.get(type);
  }

  /** The RRsets at `name` held in this zone, any type. */
  rrsetsAt(name: string): RRset[] {
    const node = this.nodes.get(name);
    return node === undefined ? [] : [...node.values()];
  }

  /**
   * True when `name` exists in the zone tree: it owns records or is an empty
   * non-terminal above some owner.
   */
  exists(name: string): boolean {
    return this.existing.has(name);
  }

  /** True when `name` is a delegation point (NS below the apex). */
  isCut(name: string): boolean {
    return this.cuts.has(name);
  }

  /** Delegation points, canonical names. */
  delegations(): string[] {
    return [...this.cuts];
  }

  /**
   * The delegation point at or above `name` (strictly below the apex), if any. There is
   * at most one on any path: NS below a cut is not glue, so the builder refused it.
   */
  cutAtOrAbove(name: string): string | undefined {
    if (this.cuts.size === 0 || name === this.apex) return undefined;
    const path = namesUpTo(name, this.apex);
    for (let i = path.length - 2; i >= 0; i--) {
      const candidate = path[i]!;
      if (this.cuts.has(candidate)) return candidate;
    }
    return undefined;
  }

  /** DESIGN §5: names under `e164.` and `email.` of the network apex. */
  isInCsiSubtree(name: string): boolean {
    return isInCsiSubtree(name, this.networkApex);
  }

  /**
   * The RRsets this zone is authoritative for, which are the ones it signs (RFC 4035
   * §2.2): everything except the NS at cuts and glue; the DS at a cut is the parent's.
   */
  *authoritativeRRsets(): Iterable<RRset> {
    for (const [owner, types] of this.nodes) {
      const cut = this.cutAtOrAbove(owner);
      for (const rrset of types.values()) {
        if (cut === undefined || (cut === owner && rrset.type === RRType.DS)) yield rrset;
      }
    }
  }

  /** A copy of this zone with `extra` RRsets added or replacing same (owner, type). */
  withRRsets(extra: readonly RRset[]): Zone {
    const nodes = new Map<string, Map<number, RRset>>();
    for (const [owner, types] of this.nodes) nodes.set(owner, new Map(types));
    for (const rrset of extra) {
      let node = nodes.get(rrset.name);
      if (node === undefined) {
        node = new Map();
        nodes.set(rrset.name, node);
      }
      node.set(rrset.type, rrset);
    }
    return new Zone(this.apex, nodes, this.networkApex);
  }
}
