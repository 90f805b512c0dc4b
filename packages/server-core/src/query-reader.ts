/**
 * Hot-path reader of a DNS query (RFC 1035 §4.1): the header, the one question and an
 * optional OPT record (RFC 6891 §6.1.2). It reads nothing else, copies nothing but the
 * lowercased qname, checks every length against the bytes that arrived, and throws a
 * `QueryError` whose code `rcode.ts` maps to FORMERR, NOTIMP or "drop".
 *
 *     0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                      ID                       |
 *   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *   |        QDCOUNT  /  ANCOUNT  /  NSCOUNT        |
 *   |                    ARCOUNT                    |
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |  QNAME (labels, no compression) | QTYPE | QCLASS
 *   +--------------------------------------------------
 *   |  OPT: 0x00 | TYPE 41 | CLASS = UDP payload |
 *   |  TTL = ext-RCODE, VERSION, DO|Z | RDLEN | options
 *
 * Strictness (our reading, documented in docs/architecture-server-core.md): exactly one
 * question; no answer or authority records; at most one additional record and it must
 * be an OPT owned by the root; every EDNS option must fit its OPT; no trailing octets.
 * A compression pointer in the qname is FORMERR: nothing precedes the question for it
 * to point at, and a pointer into the header is the classic loop.
 */
import { RRType } from '@mimi/protocol';
import { EDNS_DO_FLAG, FLAG_CD, FLAG_QR, FLAG_RD, HEADER_LENGTH, OPCODE_QUERY } from './constants.js';
import { QueryError } from './errors.js';

export interface EdnsInfo {
  /** Requestor's UDP payload size as sent (RFC 6891 §6.2.3), before clamping. */
  readonly udpPayload: number;
  readonly version: number;
  /** RFC 3225 §3: the DO bit. */
  readonly dnssecOk: boolean;
  /** Offsets of the OPT RDATA (the options) inside the query bytes. */
  readonly optionsStart: number;
  readonly optionsEnd: number;
}

export interface ParsedQuery {
  readonly id: number;
  readonly rd: boolean;
  readonly cd: boolean;
  /** The qname occupies bytes [12, qnameEnd) of the query, case as received. */
  readonly qnameEnd: number;
  readonly qtype: number;
  readonly qclass: number;
  /** Offset just after QCLASS: the question is bytes [12, questionEnd). */
  readonly questionEnd: number;
  readonly edns: EdnsInfo | null;
  /**
   * Answer-cache key: the lowercased qname in wire form, QTYPE and one octet holding
   * "EDNS present" and the DO bit, as a latin1 string (one allocation per query).
   */
  readonly key: string;
}

/** Bytes of the key after the qname: QTYPE (2) and the EDNS/DO octet (1). */
export const KEY_SUFFIX_LENGTH = 3;
const KEY_EDNS = 1;
const KEY_DO = 2;

/** RFC 1035 §2.3.4: "names ... 255 octets or less". */
const MAX_NAME_WIRE = 255;
/** RFC 1035 §4.1.4: the two high bits 11 mark a compression pointer; 01 and 10 are reserved. */
const LABEL_TYPE_MASK = 0xc0;
const MAX_LABEL = 63;

// One scratch buffer for building keys: the reader is synchronous, so it is never shared.
const scratch = Buffer.allocUnsafe(MAX_NAME_WIRE + KEY_SUFFIX_LENGTH);

/** Read the ID when at least two octets arrived, else -1. */
export function peekId(bytes: Uint8Array): number {
  return bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : -1;
}

/** Parse a query; throws QueryError (see rcode.ts for what each code becomes). */
export function readQuery(bytes: Uint8Array): ParsedQuery {
  const length = bytes.length;
  if (length < 2) throw new QueryError('message-too-short', `message of ${length} octets has no id`, -1);
  const id = (bytes[0]! << 8) | bytes[1]!;
  if (length < HEADER_LENGTH) {
    throw new QueryError('header-truncated', `message of ${length} octets is shorter than a dns header`, id);
  }
  const flags2 = bytes[2]!;
  const flags3 = bytes[3]!;
  if ((flags2 & FLAG_QR) !== 0) throw new QueryError('not-a-query', 'message is a response, not a query', id);
  const opcode = (flags2 >> 3) & 0x0f;
  if (opcode !== OPCODE_QUERY)
    throw new QueryError('opcode-not-implemented', `opcode ${opcode} is not implemented`, id);
  const qdcount = (bytes[4]! << 8) | bytes[5]!;
  const ancount = (bytes[6]! << 8) | bytes[7]!;
  const nscount = (bytes[8]! << 8) | bytes[9]!;
  const arcount = (bytes[10]! << 8) | bytes[11]!;
  if (qdcount !== 1) throw new QueryError('question-count', `query has ${qdcount} questions, expected 1`, id);
  if (ancount !== 0 || nscount !== 0 || arcount > 1) {
    throw new QueryError(
      'section-count',
      `query carries ${ancount} answer, ${nscount} authority and ${arcount} additional records (expected 0, 0, at most 1)`,
      id,
    );
  }

  // QNAME: lowercase into the scratch buffer as we check it.
  let position = HEADER_LENGTH;
  let nameLength = 0;
  for (;;) {
    if (position >= length)
      throw new QueryError('qname-truncated', 'qname runs past the end of the message', id);
    const labelLength = bytes[position]!;
    if (labelLength === 0) {
      scratch[nameLength++] = 0;
      position += 1;
      break;
    }
    if ((labelLength & LABEL_TYPE_MASK) === LABEL_TYPE_MASK) {
      throw new QueryError('qname-compressed', 'compression pointer in the qname', id);
    }
    if (labelLength > MAX_LABEL) {
      throw new QueryError(
        'qname-bad-label',
        `qname label type 0x${labelLength.toString(16)} is not a plain label`,
        id,
      );
    }
    if (nameLength + 1 + labelLength + 1 > MAX_NAME_WIRE) {
      throw new QueryError('qname-too-long', 'qname is longer than 255 octets', id);
    }
    if (position + 1 + labelLength >= length) {
      throw new QueryError('qname-truncated', 'qname label runs past the end of the message', id);
    }
    scratch[nameLength++] = labelLength;
    for (let i = position + 1, end = position + 1 + labelLength; i < end; i++) {
      const octet = bytes[i]!;
      // ASCII A-Z only (RFC 4343 §3.2); label-length octets are ≤ 63 and never in that range.
      scratch[nameLength++] = octet >= 0x41 && octet <= 0x5a ? octet | 0x20 : octet;
    }
    position += 1 + labelLength;
  }
  const qnameEnd = position;
  if (position + 4 > length)
    throw new QueryError('question-truncated', 'question ends before qtype and qclass', id);
  const qtype = (bytes[position]! << 8) | bytes[position + 1]!;
  const qclass = (bytes[position + 2]! << 8) | bytes[position + 3]!;
  position += 4;
  const questionEnd = position;

  let edns: EdnsInfo | null = null;
  if (arcount === 1) {
    edns = readOpt(bytes, position, id);
    position = edns.optionsEnd;
  }
  if (position !== length) {
    throw new QueryError('trailing-bytes', `${length - position} octets after the end of the query`, id);
  }

  scratch[nameLength] = qtype >> 8;
  scratch[nameLength + 1] = qtype & 0xff;
  scratch[nameLength + 2] = edns === null ? 0 : KEY_EDNS | (edns.dnssecOk ? KEY_DO : 0);
  const key = scratch.toString('latin1', 0, nameLength + KEY_SUFFIX_LENGTH);
  return {
    id,
    rd: (flags2 & FLAG_RD) !== 0,
    cd: (flags3 & FLAG_CD) !== 0,
    qnameEnd,
    qtype,
    qclass,
    questionEnd,
    edns,
    key,
  };
}

/** Read the one additional record, which must be an OPT owned by the root (RFC 6891 §6.1.1). */
function readOpt(bytes: Uint8Array, start: number, id: number): EdnsInfo {
  const length = bytes.length;
  if (start >= length) throw new QueryError('opt-malformed', 'additional record missing', id);
  const ownerIsRoot = bytes[start] === 0;
  const position = ownerIsRoot ? start + 1 : skipName(bytes, start, id);
  if (position + 10 > length) throw new QueryError('opt-malformed', 'additional record header truncated', id);
  const type = (bytes[position]! << 8) | bytes[position + 1]!;
  if (type !== RRType.OPT)
    throw new QueryError('additional-not-opt', `additional record of type ${type} in a query`, id);
  if (!ownerIsRoot) throw new QueryError('opt-not-root', 'opt record owner is not the root', id);
  const udpPayload = (bytes[position + 2]! << 8) | bytes[position + 3]!;
  const version = bytes[position + 5]!;
  const ednsFlags = (bytes[position + 6]! << 8) | bytes[position + 7]!;
  const rdlength = (bytes[position + 8]! << 8) | bytes[position + 9]!;
  const optionsStart = position + 10;
  const optionsEnd = optionsStart + rdlength;
  if (optionsEnd > length)
    throw new QueryError('opt-malformed', 'opt rdata runs past the end of the message', id);
  // RFC 6891 §6.1.2: options are {code, length, data}; each must fit the RDATA exactly.
  let option = optionsStart;
  while (option < optionsEnd) {
    if (option + 4 > optionsEnd) throw new QueryError('opt-malformed', 'edns option header truncated', id);
    const optionLength = (bytes[option + 2]! << 8) | bytes[option + 3]!;
    option += 4 + optionLength;
    if (option > optionsEnd) throw new QueryError('opt-malformed', 'edns option runs past the opt rdata', id);
  }
  return { udpPayload, version, dnssecOk: (ednsFlags & EDNS_DO_FLAG) !== 0, optionsStart, optionsEnd };
}

/** Skip a possibly compressed name (only to learn the type of a non-root additional record). */
function skipName(bytes: Uint8Array, start: number, id: number): number {
  let position = start;
  for (let guard = 0; guard < 128; guard++) {
    if (position >= bytes.length) break;
    const labelLength = bytes[position]!;
    if (labelLength === 0) return position + 1;
    if ((labelLength & LABEL_TYPE_MASK) === LABEL_TYPE_MASK) return position + 2;
    if (labelLength > MAX_LABEL) break;
    position += 1 + labelLength;
  }
  throw new QueryError('opt-malformed', 'malformed owner name in additional record', id);
}

/** Iterate the EDNS options of a parsed query (for hooks: tokens, cookies, padding). */
export function* ednsOptions(
  bytes: Uint8Array,
  edns: EdnsInfo,
): Generator<{ code: number; data: Uint8Array }> {
  let option = edns.optionsStart;
  while (option < edns.optionsEnd) {
    const code = (bytes[option]! << 8) | bytes[option + 1]!;
    const optionLength = (bytes[option + 2]! << 8) | bytes[option + 3]!;
    yield { code, data: bytes.subarray(option + 4, option + 4 + optionLength) };
    option += 4 + optionLength;
  }
}

/** The qname part of an answer-cache key (the lowercased wire name). */
export function nameKeyOf(key: string): string {
  return key.slice(0, key.length - KEY_SUFFIX_LENGTH);
}
