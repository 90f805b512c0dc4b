/**
 * Questions we answer without the engine, checked on a cache miss (a cached key has
 * passed them already): RFC 6891 §6.1.1 OPT and RFC 9824 §3 NXNAME are meta-types
 * that cannot be queried (FORMERR); zone transfers (RFC 5936 AXFR, RFC 1995 IXFR) are
 * not offered (REFUSED); MAILA/MAILB (RFC 883, obsolete) are NOTIMP. RFC 6895 §3.1
 * leaves other meta-types to the server; ANY goes to the engine (RFC 8482).
 */
import { RRType } from '@mimi/protocol';
import { QueryError } from './errors.js';

const IXFR = 251;
const AXFR = 252;
const MAILB = 253;
const MAILA = 254;

/** QTYPEs we do not look up (RFC 6895 §3.1 meta-types; RFC 9824 §3 NXNAME; RFC 6891 §6.1.1 OPT). */
export function qtypeScreen(qtype: number): QueryError | null {
  if (qtype === RRType.OPT || qtype === RRType.NXNAME) {
    return new QueryError('qtype-meta', `qtype ${qtype} cannot be queried`, -1);
  }
  if (qtype === IXFR || qtype === AXFR)
    return new QueryError('transfer-refused', 'zone transfers are not offered', -1);
  if (qtype === MAILB || qtype === MAILA)
    return new QueryError('qtype-not-implemented', `qtype ${qtype} is obsolete`, -1);
  return null;
}
