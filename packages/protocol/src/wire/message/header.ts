/**
 * The 12-octet header (RFC 1035 §4.1.1; AD/CD from RFC 4035 §3.2) and fast peeks for
 * servers that need the id or the qname before (or without) a full decode.
 *
 *     |                      ID                       |
 *     |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *     |                    QDCOUNT                    |
 *     |                    ANCOUNT                    |
 *     |                    NSCOUNT                    |
 *     |                    ARCOUNT                    |
 */
import { WireFormatError } from '../../errors.js';
import { WireReader } from '../reader.js';
import { checkUint } from '../writer.js';
import { readMessageName } from './names.js';
import type { DnsFlags, DnsQuestion } from './types.js';

export const HEADER_LENGTH = 12;

export interface DnsHeader {
  readonly id: number;
  readonly flags: DnsFlags;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}

export function flagsFromWord(word: number): DnsFlags {
  return {
    qr: (word & 0x8000) !== 0,
    opcode: (word >>> 11) & 0xf,
    aa: (word & 0x0400) !== 0,
    tc: (word & 0x0200) !== 0,
    rd: (word & 0x0100) !== 0,
    ra: (word & 0x0080) !== 0,
    // 0x0040 is Z: "must be zero in all queries and responses"; ignored on receipt.
    ad: (word & 0x0020) !== 0,
    cd: (word & 0x0010) !== 0,
    rcode: word & 0xf,
  };
}

export function flagsToWord(flags: DnsFlags): number {
  checkUint(flags.opcode, 0xf, 'opcode');
  checkUint(flags.rcode, 0xf, 'header rcode');
  return (
    (flags.qr ? 0x8000 : 0) |
    (flags.opcode << 11) |
    (flags.aa ? 0x0400 : 0) |
    (flags.tc ? 0x0200 : 0) |
    (flags.rd ? 0x0100 : 0) |
    (flags.ra ? 0x0080 : 0) |
    (flags.ad ? 0x0020 : 0) |
    (flags.cd ? 0x0010 : 0) |
    flags.rcode
  );
}

/** The header alone; throws WireFormatError when fewer than 12 octets are given. */
export function peekHeader(bytes: Uint8Array): DnsHeader {
  const reader = new WireReader(bytes, 0, bytes.length, 'message');
  return {
    id: reader.u16('id'),
    flags: flagsFromWord(reader.u16('flags')),
    qdcount: reader.u16('qdcount'),
    ancount: reader.u16('ancount'),
    nscount: reader.u16('nscount'),
    arcount: reader.u16('arcount'),
  };
}

/** The first question, read with the same checks as a full decode (no other section is read). */
export function readQuestion(bytes: Uint8Array): DnsQuestion {
  const header = peekHeader(bytes);
  if (header.qdcount === 0) throw new WireFormatError('message-no-question', 'message has no question');
  return readQuestionAt(new WireReader(bytes, HEADER_LENGTH, bytes.length, 'message'));
}

/** One question at the reader's offset (advances it). */
export function readQuestionAt(reader: WireReader): DnsQuestion {
  const name = readMessageName(reader);
  return { name, type: reader.u16('qtype'), class: reader.u16('qclass') };
}
