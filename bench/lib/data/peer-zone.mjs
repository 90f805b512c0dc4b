/**
 * The pre-signed master file the peers load (RFC 1035 §5 lines, RFC 3597 §5 generic
 * types): absolute names, explicit TTL and class. NSD, BIND and Knot know nothing of our
 * private types (RFC 6895 §3.1, 65280–65534), so MSPMAP is written `TYPE65280 \# ...`
 * and so is every mention of it inside RRSIG (type covered) and NSEC (type bitmap) text,
 * which @mimi/protocol's `genericPrivateTypes` does not reach.
 */
import { formatRecord, RRType, typeToString } from '@mimi/protocol';

/** Our mnemonics of private types (MSPMAP, CSIPKEY, ODOHCFG) → `TYPEnnnnn`. */
const PRIVATE_MNEMONICS = new Map(
  [RRType.MSPMAP, RRType.CSIPKEY, RRType.ODOHCFG].map((type) => [typeToString(type), `TYPE${type}`]),
);

/** Fields before the RDATA in `formatRecord` output: name, ttl, class, type. */
const RDATA_FIELD = 4;

function genericToken(token) {
  return PRIVATE_MNEMONICS.get(token) ?? token;
}

/** One record as a master-file line every stock DNS server reads. */
export function peerZoneLine(rr) {
  const line = formatRecord(rr, { genericPrivateTypes: true });
  if (rr.type !== RRType.RRSIG && rr.type !== RRType.NSEC) return line;
  const fields = line.split(' ');
  if (rr.type === RRType.RRSIG) {
    // RFC 4034 §3.2: the first RDATA field is the type covered.
    fields[RDATA_FIELD] = genericToken(fields[RDATA_FIELD]);
  } else {
    // RFC 4034 §4.2: next domain name, then the type mnemonics of the bitmap.
    for (let i = RDATA_FIELD + 1; i < fields.length; i++) fields[i] = genericToken(fields[i]);
  }
  return fields.join(' ');
}
