/**
 * Zone files and overlay files → zones (zones/README.md; RFC 1035 §5 master files).
 *
 * - A file with an SOA defines the zone at the SOA's owner; every record in it must be
 *   at or below that apex. Two files may not define the same zone.
 * - A file without an SOA is an overlay: each record goes to the served zone that most
 *   closely encloses its owner — except DS, which is parent-side data (RFC 4035 §2.4)
 *   and goes to the zone enclosing the owner's parent, so a server that serves both a
 *   parent and its child puts the child's DS where the parent can answer for it.
 * - Files are applied in command-line order: a zone file's RRsets are added to what is
 *   there; an overlay RRset replaces the RRset of the same owner and type. Later wins.
 *
 * Pure: parsing and file reading happen in load.ts, so tests feed records directly.
 */
import { toHex } from '@mimi/crypto';
import {
  canonicalName,
  isSubdomain,
  parentName,
  type ResourceRecord,
  type RRset,
  RRType,
} from '@mimi/protocol';
import { ZoneLoadError } from '../errors.js';
import { type AssembledNodes, buildZone, checkRecordType, type SourcedRRset } from './zone-builder.js';
import { ZoneSet } from './zone-set.js';

/** One parsed file: its path (for messages) and its records in file order. */
export interface ZoneSource {
  readonly file: string;
  readonly records: readonly ResourceRecord[];
}

/** RRsets of one file, keyed by canonical owner and type, records merged in file order. */
function groupRRsets(source: ZoneSource, networkApex: string): SourcedRRset[] {
  const byKey = new Map<string, { rrset: RRset; seen: Set<string> }>();
  for (const record of source.records) {
    const owner = canonicalName(record.name);
    checkRecordType(owner, record.type, record.class, source.file, networkApex);
    const key = `${record.type} ${owner}`;
    const hex = toHex(record.rdata);
    const entry = byKey.get(key);
    if (entry === undefined) {
      const rrset: RRset = {
        name: owner,
        type: record.type,
        class: record.class,
        ttl: record.ttl,
        rdatas: [record.rdata],
      };
      byKey.set(key, { rrset, seen: new Set([hex]) });
      continue;
    }
    if (entry.rrset.ttl !== record.ttl) {
      throw new ZoneLoadError(
        'zone-ttl-mismatch',
        `records of one rrset have different ttls (${entry.rrset.ttl} and ${record.ttl}; rfc 2181 §5.2)`,
        source.file,
        owner,
      );
    }
    // RFC 2181 §5: duplicate records in an RRset are one record.
    if (entry.seen.has(hex)) continue;
    entry.seen.add(hex);
    entry.rrset = { ...entry.rrset, rdatas: [...entry.rrset.rdatas, record.rdata] };
  }
  return [...byKey.values()].map(({ rrset }) => ({ rrset, file: source.file }));
}

function apexOf(source: ZoneSource): string | undefined {
  const soa = source.records.find((record) => record.type === RRType.SOA);
  return soa === undefined ? undefined : canonicalName(soa.name);
}

function put(nodes: AssembledNodes, sourced: SourcedRRset, mode: 'add' | 'replace'): void {
  const { rrset } = sourced;
  let node = nodes.get(rrset.name);
  if (node === undefined) {
    node = new Map();
    nodes.set(rrset.name, node);
  }
  const existing = node.get(rrset.type);
  if (mode === 'replace' || existing === undefined) {
    node.set(rrset.type, sourced);
    return;
  }
  if (existing.rrset.ttl !== rrset.ttl) {
    throw new ZoneLoadError(
      'zone-ttl-mismatch',
      `rrset has ttl ${rrset.ttl} here and ${existing.rrset.ttl} in ${existing.file} (rfc 2181 §5.2)`,
      sourced.file,
      rrset.name,
    );
  }
  const seen = new Set(existing.rrset.rdatas.map(toHex));
  const added = rrset.rdatas.filter((rdata) => !seen.has(toHex(rdata)));
  node.set(rrset.type, {
    rrset: { ...existing.rrset, rdatas: [...existing.rrset.rdatas, ...added] },
    file: sourced.file,
  });
}

/** The deepest apex among `apexes` at or above `name` (of two ancestors, the longer text is deeper). */
function closestApex(name: string, apexes: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const apex of apexes) {
    if (isSubdomain(name, apex) && (best === undefined || apex.length > best.length)) best = apex;
  }
  return best;
}

/** Build the served zones from parsed files in command-line order. */
export function assembleZones(sources: readonly ZoneSource[], networkApex: string): ZoneSet {
  const zones = new Map<string, AssembledNodes>();
  const definedBy = new Map<string, string>();
  for (const source of sources) {
    const apex = apexOf(source);
    if (apex === undefined) continue;
    const earlier = definedBy.get(apex);
    if (earlier !== undefined) {
      throw new ZoneLoadError(
        'zone-duplicate',
        `zone ${apex} is already defined by ${earlier}`,
        source.file,
        apex,
      );
    }
    definedBy.set(apex, source.file);
    zones.set(apex, new Map());
  }
  if (zones.size === 0) {
    throw new ZoneLoadError(
      'zone-none',
      'no zone file (a file with an soa record) was given',
      sources[0]?.file ?? '(none)',
    );
  }

  for (const source of sources) {
    const apex = apexOf(source);
    for (const sourced of groupRRsets(source, networkApex)) {
      const owner = sourced.rrset.name;
      if (apex !== undefined) {
        if (!isSubdomain(owner, apex)) {
          throw new ZoneLoadError(
            'zone-record-outside',
            `record is outside zone ${apex} defined by this file`,
            source.file,
            owner,
          );
        }
        put(zones.get(apex)!, sourced, 'add');
        continue;
      }
      const anchor = sourced.rrset.type === RRType.DS && owner !== '.' ? parentName(owner) : owner;
      const target = closestApex(anchor, zones.keys());
      if (target === undefined) {
        throw new ZoneLoadError(
          'zone-overlay-outside',
          'overlay record is outside every served zone',
          source.file,
          owner,
        );
      }
      put(zones.get(target)!, sourced, 'replace');
    }
  }

  return new ZoneSet([...zones].map(([apex, nodes]) => buildZone(apex, nodes, networkApex)));
}
