/**
 * Reading a validated-to-be response (RFC 4035 §5): group records into RRsets with the
 * RRSIGs that cover them, find which zone signed them (the RRSIG Signer's Name, RFC
 * 4034 §3.1.7), and sort the response into answer, referral or denial (RFC 1034 §4.3.2,
 * RFC 4035 §3.1.4 and §5.4).
 */
import type { ZoneKeys } from '@mimi/dnssec';
import {
  canonicalName,
  type DnsMessage,
  decodeRdata,
  isSubdomain,
  labelCount,
  type ResourceRecord,
  RRType,
  rrsigCodec,
  typeToString,
} from '@mimi/protocol';
import { canonical, isAtOrBelow, sameName } from './names.js';
import { BogusError } from './outcomes.js';

export interface SignedRrset {
  readonly name: string;
  readonly type: number;
  readonly records: readonly ResourceRecord[];
  readonly rrsigs: readonly ResourceRecord[];
}

/** The RRset (name, type) of `section` with the section's RRSIGs that cover it. */
export function findRrset(
  section: readonly ResourceRecord[],
  name: string,
  type: number,
): SignedRrset | undefined {
  const records = section.filter((rr) => rr.type === type && sameName(rr.name, name));
  if (records.length === 0) return undefined;
  const rrsigs = section.filter(
    (rr) => rr.type === RRType.RRSIG && sameName(rr.name, name) && covers(rr, type),
  );
  return { name: canonical(name), type, records, rrsigs };
}

function covers(rrsig: ResourceRecord, type: number): boolean {
  return rrsig.rdata.length >= 2 && ((rrsig.rdata[0]! << 8) | rrsig.rdata[1]!) === type;
}

/**
 * For the trace: the key tag of an RRSIG at `name` over `type` by one of `keys` (the
 * set just validated with them), 0 when none. RRSIGs that do not decode are skipped:
 * they verified nothing, and a server may send them beside the good one.
 */
export function signatureKeyTag(
  rrsigs: readonly ResourceRecord[],
  name: string,
  type: number,
  keys: ZoneKeys,
): number {
  for (const record of rrsigs) {
    if (record.type !== RRType.RRSIG || !sameName(record.name, name) || !covers(record, type)) continue;
    let keyTag: number;
    try {
      keyTag = rrsigCodec.decode(record.rdata).keyTag;
    } catch {
      continue;
    }
    if (keys.keys.some((key) => key.keyTag === keyTag)) return keyTag;
  }
  return 0;
}

/**
 * The zone that signed `rrset`, chosen among its RRSIGs' signer names: it must enclose
 * the owner and be `zone` or below it (RFC 4035 §5.3.1: "the Signer's Name field MUST
 * be the name of the zone that contains the RRset"). The deepest candidate wins, so a
 * server answering for a child zone it also serves is followed into that child.
 */
export function signerZone(rrset: SignedRrset, zone: string): string {
  const what = `${typeToString(rrset.type)} rrset at ${rrset.name}`;
  if (rrset.rrsigs.length === 0) throw new BogusError('no-rrsig', `no rrsig covers the ${what}`, zone);
  let best: string | undefined;
  const seen: string[] = [];
  for (const record of rrset.rrsigs) {
    let signer: string;
    try {
      signer = canonical(rrsigCodec.decode(record.rdata).signerName);
    } catch {
      continue;
    }
    seen.push(signer);
    if (!isAtOrBelow(rrset.name, signer) || !isAtOrBelow(signer, zone)) continue;
    if (best === undefined || labelCount(signer) > labelCount(best)) best = signer;
  }
  if (best === undefined) {
    const by = seen.length > 0 ? `signed by ${seen[0]}` : 'covered only by malformed rrsigs';
    throw new BogusError('signer-mismatch', `the ${what} is ${by}, outside zone ${zone}`, zone);
  }
  return best;
}

export type Classified =
  | { readonly kind: 'answer'; readonly rrset: SignedRrset }
  | {
      readonly kind: 'referral';
      readonly child: string;
      readonly hosts: readonly string[];
      /** DS or NSEC records for the child with their RRSIGs, for validateDelegation. */
      readonly proof: {
        readonly records: readonly ResourceRecord[];
        readonly rrsigs: readonly ResourceRecord[];
      };
    }
  | {
      readonly kind: 'denial';
      readonly nsec: SignedRrset | undefined;
      readonly authorities: readonly ResourceRecord[];
    };

/** Sort a response to (qname, qtype) from a server of `zone`. */
export function classify(message: DnsMessage, qname: string, qtype: number, zone: string): Classified {
  const answer = findRrset(message.answers, qname, qtype);
  if (answer !== undefined) return { kind: 'answer', rrset: answer };
  if (message.answers.some((rr) => rr.type !== RRType.RRSIG)) {
    const first = message.answers.find((rr) => rr.type !== RRType.RRSIG)!;
    throw new BogusError(
      'unexpected-answer',
      `asked ${qname} ${typeToString(qtype)}, got ${first.name} ${typeToString(first.type)}`,
      zone,
    );
  }
  if (!message.flags.aa) {
    const cut = message.authorities.find(
      (rr) =>
        rr.type === RRType.NS &&
        isSubdomain(qname, rr.name) &&
        isSubdomain(rr.name, zone) &&
        !sameName(rr.name, zone),
    );
    if (cut !== undefined) {
      const child = canonicalName(cut.name);
      const ns = findRrset(message.authorities, child, RRType.NS)!;
      const hosts = [...new Set(ns.records.map((rr) => canonicalName(nsTarget(rr, zone))))];
      const proofRecords = message.authorities.filter(
        (rr) => (rr.type === RRType.DS || rr.type === RRType.NSEC) && sameName(rr.name, child),
      );
      const proofSigs = message.authorities.filter(
        (rr) =>
          rr.type === RRType.RRSIG &&
          sameName(rr.name, child) &&
          (covers(rr, RRType.DS) || covers(rr, RRType.NSEC)),
      );
      return { kind: 'referral', child, hosts, proof: { records: proofRecords, rrsigs: proofSigs } };
    }
  }
  return {
    kind: 'denial',
    nsec: findRrset(message.authorities, qname, RRType.NSEC),
    authorities: message.authorities,
  };
}

/** The host name of an NS record (RDATA is an uncompressed name, RFC 3597 §4). */
function nsTarget(record: ResourceRecord, zone: string): string {
  try {
    return decodeRdata(RRType.NS, record.rdata);
  } catch {
    throw new BogusError('malformed', `malformed ns record at ${record.name}`, zone);
  }
}
