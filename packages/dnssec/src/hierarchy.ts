/**
 * Test support: a signed root → child → leaf hierarchy with deterministic keys, and
 * the trust anchor for it (the hickory-dns pattern, STYLE.md). Server and stub tests
 * use it to get real signed data without any I/O. Not for production zones.
 */
import { privateKeyFromSeed, sha256 } from '@mimi/crypto';
import {
  CLASS_IN,
  canonicalName,
  compareNames,
  isSubdomain,
  joinNames,
  nameToWire,
  type ResourceRecord,
  RRType,
  rrsigCodec,
} from '@mimi/protocol';
import { missingNameNsec, nodataNsec } from './denial.js';
import type { SignedRecords, TrustAnchor } from './results.js';
import { type SignatureWindow, signRrset } from './signer.js';
import { trustAnchorOf } from './trust-anchor.js';
import type { ZoneLink } from './validate-chain.js';
import { createZoneKey, dsLine, dsRecord, type ZoneKey } from './zone-key.js';
import { signZone } from './zone-signer.js';

export const DEFAULT_HIERARCHY = ['mimi.arpa.', 'e164.mimi.arpa.', '4.4.e164.mimi.arpa.'] as const;

export interface HierarchyOptions {
  /** Zone names, each delegated from the one before (default DEFAULT_HIERARCHY). */
  readonly zones?: readonly string[];
  /** Unix seconds; signatures run from an hour before to `validity` after it. */
  readonly now: number;
  readonly validity?: number;
  /** Extra unsigned records per zone name, signed with the rest. */
  readonly records?: Readonly<Record<string, readonly ResourceRecord[]>>;
  /** TTL of the generated records (default 3600); denials use 300. */
  readonly ttl?: number;
}

export interface HierarchyZone {
  readonly name: string;
  readonly key: ZoneKey;
  /** The whole signed zone (with the delegation NS/DS/glue of its child). */
  readonly records: readonly ResourceRecord[];
}

export interface SignedHierarchy {
  readonly anchor: TrustAnchor;
  /** The anchor as DS lines (`.mimi/trust-anchor.txt` format). */
  readonly anchorText: string;
  readonly zones: readonly HierarchyZone[];
  readonly window: SignatureWindow;
  /** The RRset `type` at `name` with its RRSIGs, from the zone authoritative for it. */
  rrset(name: string, type: number): SignedRecords;
  /** Links from the anchor zone down to `zone`, for validateChain. */
  chain(zone: string): ZoneLink[];
  /** A signed compact denial of (qname, qtype) from the zone that holds qname. */
  deny(qname: string, qtype: number, options?: { insideCsiSubtree?: boolean }): SignedRecords;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function record(name: string, type: number, ttl: number, rdata: Uint8Array): ResourceRecord {
  return { name, type, class: CLASS_IN, ttl, rdata };
}

/** SOA, NS and the name server's address for `zone` (RFC 1035 §3.3.13, §3.3.11, §3.4.1). */
function apexRecords(zone: string, ttl: number): ResourceRecord[] {
  const ns = joinNames('ns1', zone);
  const soa = concat(
    nameToWire(ns),
    nameToWire(joinNames('hostmaster', zone)),
    u32(1),
    u32(3600),
    u32(600),
    u32(604800),
    u32(300),
  );
  return [
    record(zone, RRType.SOA, ttl, soa),
    record(zone, RRType.NS, ttl, nameToWire(ns)),
    record(ns, RRType.A, ttl, Uint8Array.of(127, 0, 0, 1)),
  ];
}

/** The deterministic test key of a zone: seed = SHA-256("mimi dnssec test key <zone>"). */
export function testZoneKey(zone: string): ZoneKey {
  const seed = sha256(new TextEncoder().encode(`mimi dnssec test key ${canonicalName(zone)}`));
  return createZoneKey(zone, privateKeyFromSeed(seed));
}

export function buildSignedHierarchy(options: HierarchyOptions): SignedHierarchy {
  const names = (options.zones ?? DEFAULT_HIERARCHY).map(canonicalName);
  const ttl = options.ttl ?? 3600;
  const window = {
    inception: options.now - 3600,
    expiration: options.now + (options.validity ?? 30 * 86400),
  };
  const keys = names.map(testZoneKey);
  const zones: HierarchyZone[] = names.map((name, i) => {
    const data = [...apexRecords(name, ttl), ...(options.records?.[name] ?? [])];
    const child = names[i + 1];
    if (child) {
      const childNs = joinNames('ns1', child);
      data.push(record(child, RRType.NS, ttl, nameToWire(childNs)));
      data.push(record(childNs, RRType.A, ttl, Uint8Array.of(127, 0, 0, 1)));
      data.push(dsRecord(keys[i + 1]!, ttl));
    }
    return { name, key: keys[i]!, records: signZone(data, keys[i]!, window) };
  });

  /** The deepest zone holding `name`; for a DS at a zone apex, the parent. */
  const zoneFor = (name: string, type: number): HierarchyZone => {
    const holding = zones.filter((z) => isSubdomain(name, z.name));
    const pick = type === RRType.DS ? holding.filter((z) => compareNames(z.name, name) !== 0) : holding;
    const zone = pick[pick.length - 1];
    if (!zone) throw new RangeError(`${name} is in no zone of the hierarchy`);
    return zone;
  };

  const rrset = (name: string, type: number): SignedRecords => {
    const zone = zoneFor(name, type);
    const at = zone.records.filter((r) => compareNames(r.name, name) === 0);
    return {
      records: at.filter((r) => r.type === type),
      rrsigs: at.filter((r) => r.type === RRType.RRSIG && rrsigCodec.decode(r.rdata).typeCovered === type),
    };
  };

  const chain = (zone: string): ZoneLink[] => {
    const index = names.indexOf(canonicalName(zone));
    if (index < 0) throw new RangeError(`${zone} is not a zone of the hierarchy`);
    return names.slice(0, index + 1).map((name, i) => ({
      zone: name,
      dnskey: rrset(name, RRType.DNSKEY),
      ...(i > 0 ? { delegation: rrset(name, RRType.DS) } : {}),
    }));
  };

  const deny = (
    qname: string,
    qtype: number,
    denyOptions: { insideCsiSubtree?: boolean } = {},
  ): SignedRecords => {
    const zone = zoneFor(qname, qtype);
    const types = [
      ...new Set(zone.records.filter((r) => compareNames(r.name, qname) === 0).map((r) => r.type)),
    ].filter((t) => t !== RRType.RRSIG);
    const below = zone.records.some((r) => isSubdomain(r.name, qname) && compareNames(r.name, qname) !== 0);
    const nsec =
      types.length > 0 || below
        ? nodataNsec(qname, types, 300)
        : missingNameNsec(qname, 300, { insideCsiSubtree: denyOptions.insideCsiSubtree ?? false });
    return { records: [nsec], rrsigs: [signRrset([nsec], zone.key, window)] };
  };

  const anchor = trustAnchorOf(keys[0]!);
  return { anchor, anchorText: `${dsLine(keys[0]!, ttl)}\n`, zones, window, rrset, chain, deny };
}
