/**
 * The one query shape the stub sends, written straight to bytes (RFC 1035 §4.1):
 * header with ID 0 (RFC 8484 §4.1) and no flags (RD clear: the servers are
 * authoritative), one question (class IN), and one OPT record (RFC 6891 §6.1.2: owner
 * root, CLASS = UDP payload size, TTL with DO set, RFC 3225 §3) carrying the token
 * option 65001 when there is one (DESIGN §7) and a Padding option (RFC 7830 §3) that
 * makes the message a multiple of 128 octets (RFC 8467 §4.1).
 *
 * Why not `padMessage` + `encodeMessage`: they build the message object, encode it once
 * to size the padding and again with it, compressing names through a general
 * compressor — a measurable share of the resolver's main thread in bulk resolution
 * (docs/benchmarks-resolver.md). The bytes are the same (test/query-encoder.test.ts).
 */
import {
  CLASS_IN,
  DEFAULT_UDP_PAYLOAD_SIZE,
  EdnsOptionCode,
  nameToWire,
  QUERY_PADDING_BLOCK,
  RRType,
} from '@mimi/protocol';
import { DOH_QUERY_ID } from '../constants.js';

/** RFC 1035 §4.1.1: ID, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT — 16 bits each. */
const HEADER_OCTETS = 12;
/** QTYPE and QCLASS after the question name. */
const QUESTION_TAIL_OCTETS = 4;
/** OPT: root name (1), TYPE, CLASS (2 + 2), TTL (4), RDLENGTH (2). */
const OPT_FIXED_OCTETS = 11;
/** An EDNS option's OPTION-CODE and OPTION-LENGTH (RFC 6891 §6.1.2). */
const OPTION_HEADER_OCTETS = 4;
/** RFC 3225 §3: the DO bit is the top bit of the OPT TTL's low 16 bits. */
const OPT_TTL_DO = 0x8000;

/**
 * The query for (qname, qtype): `qname` in presentation form (written lowercased, as
 * the canonical name), `token` in option 65001 when given.
 */
export function encodeQuery(qname: string, qtype: number, token?: Uint8Array): Uint8Array {
  const name = nameToWire(qname, { lowercase: true });
  const tokenOctets = token === undefined ? 0 : OPTION_HEADER_OCTETS + token.length;
  const bare =
    HEADER_OCTETS +
    name.length +
    QUESTION_TAIL_OCTETS +
    OPT_FIXED_OCTETS +
    tokenOctets +
    OPTION_HEADER_OCTETS;
  const pad = (QUERY_PADDING_BLOCK - (bare % QUERY_PADDING_BLOCK)) % QUERY_PADDING_BLOCK;
  const out = new Uint8Array(bare + pad); // zero-filled: ID 0, flags 0, padding octets 0
  const view = new DataView(out.buffer);
  view.setUint16(0, DOH_QUERY_ID);
  view.setUint16(4, 1); // QDCOUNT
  view.setUint16(10, 1); // ARCOUNT: the OPT record
  out.set(name, HEADER_OCTETS);
  let at = HEADER_OCTETS + name.length;
  view.setUint16(at, qtype);
  view.setUint16(at + 2, CLASS_IN);
  at += QUESTION_TAIL_OCTETS + 1; // the OPT owner: the root, one zero octet
  view.setUint16(at, RRType.OPT);
  view.setUint16(at + 2, DEFAULT_UDP_PAYLOAD_SIZE);
  view.setUint32(at + 4, OPT_TTL_DO);
  view.setUint16(at + 8, tokenOctets + OPTION_HEADER_OCTETS + pad);
  at += 10;
  if (token !== undefined) {
    view.setUint16(at, EdnsOptionCode.MIMI_TOKEN);
    view.setUint16(at + 2, token.length);
    out.set(token, at + OPTION_HEADER_OCTETS);
    at += tokenOctets;
  }
  view.setUint16(at, EdnsOptionCode.PADDING);
  view.setUint16(at + 2, pad);
  return out;
}
