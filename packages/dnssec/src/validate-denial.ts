/**
 * Validation of a compact denial (RFC 9824) for (qname, qtype): the NODATA proof of
 * RFC 4035 §5.4 with one NSEC whose owner is the qname.
 *
 * How the next name is read. RFC 4035 §5.4 proves NODATA from the owner and the
 * bitmap alone; the next name says which names do NOT exist (the NSEC "covers" the
 * names strictly between owner and next name). RFC 9824 §3 sets it to the qname's
 * immediate successor, `\000.<qname>`, so that the NSEC covers no name at all and
 * denies nothing beyond the qname. We take the careful reading: by default the next
 * name must be exactly that successor (what every DP of ours serves, DESIGN §5), so
 * that a cache can never be handed a wider claim than the answer needs. With
 * `nextName: 'any'` (for servers that use a classic NSEC chain) any next name that
 * sorts after the qname, or the zone apex (the chain's wrap-around), is accepted —
 * and the NSEC is still used for the qname alone, never to deny other names.
 */
import {
  compareNames,
  isSubdomain,
  type Nsec,
  nsecCodec,
  type ResourceRecord,
  RRType,
  typeToString,
} from '@mimi/protocol';
import { nsecNextName } from './denial.js';
import { type Bogus, bogus, type SecureDenial, type ZoneKeys } from './results.js';
import { validateRrset } from './validate-rrset.js';

export interface DenialQuery {
  readonly qname: string;
  readonly qtype: number;
  /** Records of the answer's authority section (NSEC and others); NSEC at qname is used. */
  readonly records: readonly ResourceRecord[];
  readonly rrsigs: readonly ResourceRecord[];
  /** Keys of the zone that answered (the zone holding qname, or its parent for DS). */
  readonly keys: ZoneKeys;
  readonly now: number;
  /** `'immediate-successor'` (default, RFC 9824) or `'any'` (see the header). */
  readonly nextName?: 'immediate-successor' | 'any';
}

/** Types an NXNAME bitmap may hold besides NXNAME (RFC 9824 §3.1). */
const NXNAME_COMPANIONS: ReadonlySet<number> = new Set([RRType.RRSIG, RRType.NSEC, RRType.NXNAME]);

function checkBitmap(query: DenialQuery, nsec: Nsec, zone: string): Bogus | undefined {
  const { qname, qtype } = query;
  const types = new Set(nsec.types);
  const qtypeText = typeToString(qtype);
  if (types.has(qtype)) {
    return bogus('denial-type-present', `the nsec at ${qname} says ${qtypeText} exists there`, zone);
  }
  if (types.has(RRType.CNAME)) {
    return bogus('denial-cname-present', `the nsec at ${qname} says it is an alias (cname)`, zone);
  }
  if (types.has(RRType.NXNAME) && nsec.types.some((t) => !NXNAME_COMPANIONS.has(t))) {
    return bogus('denial-bitmap', `the nsec at ${qname} sets nxname beside existing types`, zone);
  }
  const atApex = compareNames(qname, zone) === 0;
  if (qtype === RRType.DS) {
    // RFC 4035 §5.2, §5.4: a DS is denied by the parent side of the cut, never by
    // the child's apex NSEC (its bitmap has SOA).
    if (atApex || types.has(RRType.SOA)) {
      return bogus('denial-wrong-side', `the ds denial for ${qname} comes from the child zone`, zone);
    }
  } else if (!atApex && types.has(RRType.NS) && !types.has(RRType.SOA)) {
    // RFC 6840 §4.1: an "ancestor delegation" NSEC (NS set, SOA clear, signer above
    // the owner) must not be used to deny anything at or below the cut but DS.
    return bogus('denial-at-delegation', `the nsec at ${qname} is the parent side of a delegation`, zone);
  }
  return undefined;
}

function checkNextName(query: DenialQuery, nsec: Nsec, zone: string): Bogus | undefined {
  const { qname } = query;
  if (query.nextName === 'any') {
    if (compareNames(nsec.nextName, qname) > 0 || compareNames(nsec.nextName, zone) === 0) return undefined;
    return bogus(
      'denial-next-name',
      `the nsec at ${qname} has next name ${nsec.nextName} before its owner`,
      zone,
    );
  }
  if (compareNames(nsec.nextName, nsecNextName(qname)) === 0) return undefined;
  return bogus(
    'denial-next-name',
    `the nsec at ${qname} has next name ${nsec.nextName}, not the immediate successor ${nsecNextName(qname)}`,
    zone,
  );
}

/** Validate that `qtype` does not exist at `qname` (NODATA, or NXNAME for a missing name). */
export function validateDenial(query: DenialQuery): SecureDenial | Bogus {
  const { qname, keys } = query;
  const zone = keys.zone;
  if (!isSubdomain(qname, zone)) return bogus('owner-outside-zone', `${qname} is not in zone ${zone}`, zone);
  const nsecs = query.records.filter((r) => r.type === RRType.NSEC);
  const atQname = nsecs.filter((r) => compareNames(r.name, qname) === 0);
  if (atQname.length === 0) {
    const other = nsecs[0];
    return other
      ? bogus('denial-wrong-owner', `the nsec is for ${other.name}, not for ${qname}`, zone)
      : bogus('denial-missing', `no nsec denies ${typeToString(query.qtype)} at ${qname}`, zone);
  }
  if (atQname.length > 1)
    return bogus('rrset-inconsistent', `${atQname.length} nsec records at ${qname}`, zone);
  let nsec: Nsec;
  try {
    nsec = nsecCodec.decode(atQname[0]!.rdata);
  } catch {
    return bogus('malformed', `malformed nsec at ${qname}`, zone);
  }
  const signed = validateRrset(atQname, query.rrsigs, keys, query.now);
  if (signed.status !== 'secure') return signed;
  const failure = checkBitmap(query, nsec, zone) ?? checkNextName(query, nsec, zone);
  if (failure) return failure;
  return {
    status: 'secure',
    denial: nsec.types.includes(RRType.NXNAME) ? 'nxname' : 'nodata',
    types: nsec.types,
    ttl: signed.ttl,
  };
}
