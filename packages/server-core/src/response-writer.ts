/**
 * Responses of the server (RFC 1035 §4.1, RFC 6891 §6.1.3), in two steps:
 *
 * 1. `encodeResponse` (slow path) builds a response with the protocol codec: the
 *    question with the qname in lowercase (so owner names from the engine, which are
 *    canonical, compress against it), the engine's sections, and our OPT record last
 *    when the query had one. These bytes are what the answer cache stores.
 * 2. `personalize` (every query) copies those bytes and patches in what belongs to
 *    this query: the ID, RD and CD (RFC 4035 §3.2.2: CD is copied), and the qname
 *    octets exactly as they arrived, so 0x20-randomised names are echoed.
 *
 * The layout the hot path relies on: the question starts at offset 12 and is written
 * uncompressed, so it has the query's length; OPT is the last record.
 */
import {
  buildEdns,
  type DnsMessage,
  type EdnsOption,
  encodeMessage,
  formatName,
  NO_FLAGS,
  type ResourceRecord,
  readUncompressedName,
} from '@mimi/protocol';
import { FLAG_CD, FLAG_QR, FLAG_RD, HEADER_LENGTH, MAX_UDP_PAYLOAD } from './constants.js';
import { AnswerError } from './errors.js';
import { nameKeyOf, type ParsedQuery } from './query-reader.js';

export type { EdnsOption };

export interface ResponseContent {
  readonly rcode: number;
  readonly aa: boolean;
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
}

const EMPTY: readonly ResourceRecord[] = [];

/** A response with no records: REFUSED, BADVERS, NOTIMP, FORMERR after a parse. */
export function errorContent(rcode: number): ResponseContent {
  return { rcode, aa: false, answers: EMPTY, authorities: EMPTY, additionals: EMPTY };
}

/** The qname of a parsed query in presentation format, lowercased (from its cache key). */
export function lowercaseQname(query: ParsedQuery): string {
  const wire = Buffer.from(nameKeyOf(query.key), 'latin1');
  return formatName(readUncompressedName(wire, 0).labels);
}

/**
 * Encode a response to `query` (ID, RD and CD still to be personalised). The OPT
 * record is added iff the query had EDNS; its extended-RCODE octet carries
 * `rcode >> 4` (BADVERS = 16 → 1, RFC 6891 §6.1.3) and DO echoes the query (RFC 3225 §3).
 */
export function encodeResponse(
  query: ParsedQuery,
  content: ResponseContent,
  ednsOptions: readonly EdnsOption[] = [],
): Buffer {
  const message: DnsMessage = {
    id: query.id,
    flags: { ...NO_FLAGS, qr: true, aa: content.aa, rd: query.rd, cd: query.cd, rcode: content.rcode & 0x0f },
    questions: [{ name: lowercaseQname(query), type: query.qtype, class: query.qclass }],
    answers: content.answers,
    authorities: content.authorities,
    additionals: content.additionals,
    edns:
      query.edns === null
        ? undefined
        : buildEdns({
            udpPayloadSize: MAX_UDP_PAYLOAD,
            extendedRcode: content.rcode >> 4,
            do: query.edns.dnssecOk,
            options: ednsOptions,
          }),
  };
  let bytes: Uint8Array;
  try {
    bytes = encodeMessage(message);
  } catch (cause) {
    throw new AnswerError('answer-encoding', `cannot encode the answer for ${message.questions[0]!.name}`, {
      cause,
    });
  }
  if (bytes.length < query.questionEnd) {
    throw new AnswerError('answer-layout', 'encoded question is shorter than the query question');
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A copy of `response` (built for a query with the same cache key) made to answer
 * `queryBytes`: ID, RD, CD and the qname octets come from the query.
 */
export function personalize(response: Buffer, queryBytes: Uint8Array, query: ParsedQuery): Buffer {
  const out = Buffer.allocUnsafe(response.length);
  response.copy(out);
  return personalizeInPlace(out, queryBytes, query);
}

/** True when `response` needs no `personalize` for this query: ID, RD, CD and qname octets already match. */
export function isAnswerTo(response: Buffer, queryBytes: Uint8Array, query: ParsedQuery): boolean {
  if (
    response[0] !== queryBytes[0] ||
    response[1] !== queryBytes[1] ||
    ((response[2]! ^ queryBytes[2]!) & FLAG_RD) !== 0 ||
    ((response[3]! ^ queryBytes[3]!) & FLAG_CD) !== 0
  ) {
    return false;
  }
  for (let i = HEADER_LENGTH; i < query.qnameEnd; i++) if (response[i] !== queryBytes[i]) return false;
  return true;
}

/** `personalize` on a buffer this query owns. */
export function personalizeInPlace(out: Buffer, queryBytes: Uint8Array, query: ParsedQuery): Buffer {
  out[0] = queryBytes[0]!;
  out[1] = queryBytes[1]!;
  out[2] = (out[2]! & ~FLAG_RD) | (queryBytes[2]! & FLAG_RD);
  out[3] = (out[3]! & ~FLAG_CD) | (queryBytes[3]! & FLAG_CD);
  out.set(queryBytes.subarray(HEADER_LENGTH, query.qnameEnd), HEADER_LENGTH);
  return out;
}

/**
 * A header-only error response (FORMERR, NOTIMP) for a query that could not be parsed
 * past its header: the ID, opcode and RD are echoed when they arrived (RFC 1035 §4.1.1).
 */
export function encodeHeaderOnly(queryBytes: Uint8Array, rcode: number): Buffer {
  const out = Buffer.alloc(HEADER_LENGTH);
  out[0] = queryBytes[0] ?? 0;
  out[1] = queryBytes[1] ?? 0;
  // Opcode (0x78) and RD (0x01) echoed; AA and TC clear.
  out[2] = FLAG_QR | ((queryBytes[2] ?? 0) & 0x79);
  out[3] = rcode & 0x0f;
  return out;
}
