/**
 * UDP size limit and truncation (RFC 1035 §4.2.1, RFC 2181 §9, RFC 6891 §6.2.3-6.2.5, §7).
 *
 * A response larger than the limit is replaced by its header with TC set, the question,
 * and the OPT record: RFC 2181 §9 lets a server drop whole RRsets, and an empty answer
 * is the one truncation no resolver misreads as complete; RFC 6891 §7 says the OPT RR
 * "SHOULD be included" so the client still sees our EDNS state. The client retries
 * over TCP (RFC 7766 §5).
 */
import { RRType } from '@mimi/protocol';
import { FLAG_TC, HEADER_LENGTH, MIN_EDNS_UDP_PAYLOAD, UDP_LIMIT_WITHOUT_EDNS } from './constants.js';
import type { EdnsInfo } from './query-reader.js';

/** The largest UDP response for a query: min(its payload size, ours), or 512 without EDNS. */
export function udpLimit(edns: EdnsInfo | null, serverMax: number): number {
  if (edns === null) return Math.min(UDP_LIMIT_WITHOUT_EDNS, serverMax);
  return Math.min(Math.max(edns.udpPayload, MIN_EDNS_UDP_PAYLOAD), serverMax);
}

/** The truncated form of `response`, whose question ends at `questionEnd`. */
export function truncateResponse(response: Uint8Array, questionEnd: number): Buffer {
  const opt = findOptRecord(response, questionEnd);
  const optLength = opt === null ? 0 : opt.end - opt.start;
  const out = Buffer.alloc(questionEnd + optLength);
  out.set(response.subarray(0, questionEnd), 0);
  out[2] = response[2]! | FLAG_TC;
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(opt === null ? 0 : 1, 10);
  if (opt !== null) out.set(response.subarray(opt.start, opt.end), questionEnd);
  return out;
}

/** Where the OPT record sits in a message: owner start, RDATA start (RDLENGTH is just before), end. */
export interface OptLocation {
  readonly start: number;
  readonly rdataStart: number;
  readonly end: number;
}

/**
 * Locate the OPT record of a response we built (any position after the question;
 * padding also uses it). Null when there is none or the records do not parse.
 */
export function findOptRecord(response: Uint8Array, questionEnd: number): OptLocation | null {
  if (response.length < HEADER_LENGTH) return null;
  const count =
    ((response[6]! << 8) | response[7]!) +
    ((response[8]! << 8) | response[9]!) +
    ((response[10]! << 8) | response[11]!);
  let position = questionEnd;
  for (let i = 0; i < count; i++) {
    const start = position;
    // Owner name: labels ending in a zero octet or a two-octet pointer.
    for (;;) {
      if (position >= response.length) return null;
      const label = response[position]!;
      if (label === 0) {
        position += 1;
        break;
      }
      if ((label & 0xc0) === 0xc0) {
        position += 2;
        break;
      }
      position += 1 + label;
    }
    if (position + 10 > response.length) return null;
    const type = (response[position]! << 8) | response[position + 1]!;
    const end = position + 10 + ((response[position + 8]! << 8) | response[position + 9]!);
    if (end > response.length) return null;
    if (type === RRType.OPT) return { start, rdataStart: position + 10, end };
    position = end;
  }
  return null;
}
