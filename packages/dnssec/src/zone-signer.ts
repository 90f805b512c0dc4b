/**
 * Signing a whole zone at once (RFC 4035 §2): every authoritative RRset gets an
 * RRSIG; at a delegation point only the DS and NSEC RRsets are signed (§2.2, the NS
 * RRset belongs to the child); glue below a cut is neither signed nor chained.
 *
 * Optionally adds a classic NSEC chain (RFC 4034 §4, RFC 4035 §2.3): one NSEC per
 * authoritative name and delegation point, in canonical order, the last one
 * pointing back at the apex. Our DPs answer with compact denial instead (DESIGN §5);
 * the chain exists for offline checks (`ldns-verify-zone`) and for zone transfer to
 * standard secondaries.
 */
import {
  canonicalName,
  compareNames,
  isSubdomain,
  nsecCodec,
  type ResourceRecord,
  RRType,
} from '@mimi/protocol';
import { DnssecError } from './errors.js';
import { type SignatureWindow, signRrset } from './signer.js';
import { dnskeyRecord, type ZoneKey } from './zone-key.js';

export interface SignZoneOptions extends SignatureWindow {
  /** Add a classic NSEC chain with this TTL (RFC 4035 §2.3: the SOA minimum). */
  readonly nsecTtl?: number;
  /** TTL of our DNSKEY when the apex has no DNSKEY RRset yet (default 3600). */
  readonly dnskeyTtl?: number;
}

/** RRsets grouped by owner (canonical text) then type, in input order. */
function groupByOwner(records: readonly ResourceRecord[]): Map<string, Map<number, ResourceRecord[]>> {
  const owners = new Map<string, Map<number, ResourceRecord[]>>();
  for (const record of records) {
    const owner = canonicalName(record.name);
    let types = owners.get(owner);
    if (!types) {
      types = new Map();
      owners.set(owner, types);
    }
    const rrset = types.get(record.type);
    if (rrset) rrset.push(record);
    else types.set(record.type, [record]);
  }
  return owners;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((octet, i) => octet === b[i]);
}

/**
 * Sign `records` (the zone's data, without signatures) with `key`. Existing RRSIG
 * and NSEC records are dropped and made again; our DNSKEY is added at the apex when
 * missing. Returns the whole signed zone in canonical order.
 */
export function signZone(
  records: readonly ResourceRecord[],
  key: ZoneKey,
  options: SignZoneOptions,
): ResourceRecord[] {
  const apex = key.zone;
  const data = records.filter((r) => r.type !== RRType.RRSIG && r.type !== RRType.NSEC);
  for (const record of data) {
    if (!isSubdomain(record.name, apex)) {
      throw new DnssecError('owner-outside-zone', `${record.name} is not in zone ${apex}`);
    }
  }
  const apexKeys = data.filter((r) => r.type === RRType.DNSKEY && compareNames(r.name, apex) === 0);
  if (!apexKeys.some((r) => sameBytes(r.rdata, key.dnskeyRdata))) {
    data.push(dnskeyRecord(key, apexKeys[0]?.ttl ?? options.dnskeyTtl ?? 3600));
  }

  const owners = groupByOwner(data);
  const cuts = [...owners]
    .filter(([owner, types]) => owner !== apex && types.has(RRType.NS))
    .map(([owner]) => owner);
  const occluded = (owner: string) => cuts.some((cut) => owner !== cut && isSubdomain(owner, cut));
  const chained = [...owners.keys()].filter((owner) => !occluded(owner)).sort(compareNames);

  const out: ResourceRecord[] = [...data];
  chained.forEach((owner, index) => {
    const types = owners.get(owner)!;
    const isCut = cuts.includes(owner);
    if (options.nsecTtl !== undefined) {
      const present = isCut
        ? [...types.keys()].filter((t) => t === RRType.NS || t === RRType.DS)
        : [...types.keys()];
      const next = chained[(index + 1) % chained.length]!;
      const nsec: ResourceRecord = {
        name: types.values().next().value![0]!.name,
        type: RRType.NSEC,
        class: types.values().next().value![0]!.class,
        ttl: options.nsecTtl,
        rdata: nsecCodec.encode({ nextName: next, types: [...present, RRType.RRSIG, RRType.NSEC] }),
      };
      types.set(RRType.NSEC, [nsec]);
      out.push(nsec);
    }
    for (const [type, rrset] of types) {
      if (isCut && type !== RRType.DS && type !== RRType.NSEC) continue;
      out.push(signRrset(rrset, key, options));
    }
  });
  return out.sort((a, b) => compareNames(a.name, b.name) || a.type - b.type);
}
