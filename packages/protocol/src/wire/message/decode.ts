/**
 * Strict, defensive message decoding (RFC 1035 §4.1, RFC 6891 §6.1.1). Everything is
 * bounds-checked; section counts are checked against the bytes before any loop runs;
 * the OPT RR must be single, in the additional section, owned by the root; trailing
 * bytes after the last counted record are refused.
 */
import { WireFormatError } from '../../errors.js';
import { WireReader } from '../reader.js';
import type { ResourceRecord } from '../rr.js';
import { RRType } from '../types.js';
import { ednsFromOpt } from './edns.js';
import { flagsFromWord, HEADER_LENGTH, readQuestionAt } from './header.js';
import { readMessageName } from './names.js';
import { readRdata } from './rdata-names.js';
import type { DnsMessage, DnsQuestion, Edns } from './types.js';

/** RFC 1035 §4.2.2 / RFC 7766: a message is at most 65535 octets. */
export const MAX_MESSAGE_LENGTH = 0xffff;
/** Smallest question: root name (1) + type + class. */
const MIN_QUESTION = 5;
/** Smallest RR: root name (1) + type + class + ttl + rdlength. */
const MIN_RECORD = 11;
/** RFC 2181 §8: a TTL with the top bit set is treated as zero. */
const MAX_TTL = 0x7fffffff;

interface RawRecord extends ResourceRecord {
  readonly rawTtl: number;
}

function readRecord(reader: WireReader): RawRecord {
  const name = readMessageName(reader);
  const type = reader.u16('type');
  const klass = reader.u16('class');
  const rawTtl = reader.u32('ttl');
  const length = reader.u16('rdlength');
  reader.need(length, 'rdata');
  const rdata = readRdata(reader.bytes, type, reader.offset, length);
  reader.offset += length;
  return { name, type, class: klass, ttl: rawTtl > MAX_TTL ? 0 : rawTtl, rdata, rawTtl };
}

export function decodeMessage(bytes: Uint8Array): DnsMessage {
  if (bytes.length > MAX_MESSAGE_LENGTH) {
    throw new WireFormatError('message-too-large', `message of ${bytes.length} octets exceeds 65535`);
  }
  if (bytes.length < HEADER_LENGTH) {
    throw new WireFormatError('truncated', `message of ${bytes.length} octets is shorter than its header`);
  }
  const reader = new WireReader(bytes, 0, bytes.length, 'message');
  const id = reader.u16('id');
  const flags = flagsFromWord(reader.u16('flags'));
  const qdcount = reader.u16('qdcount');
  const ancount = reader.u16('ancount');
  const nscount = reader.u16('nscount');
  const arcount = reader.u16('arcount');
  const needed = qdcount * MIN_QUESTION + (ancount + nscount + arcount) * MIN_RECORD;
  if (needed > reader.remaining) {
    throw new WireFormatError(
      'message-counts-exceed-length',
      `section counts need at least ${needed} octets but ${reader.remaining} follow the header`,
    );
  }
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qdcount; i++) questions.push(readQuestionAt(reader));
  const section = (count: number, where: string): RawRecord[] => {
    const records: RawRecord[] = [];
    for (let i = 0; i < count; i++) {
      const record = readRecord(reader);
      if (record.type === RRType.OPT && where !== 'additional') {
        throw new WireFormatError('edns-opt-wrong-section', `opt record in the ${where} section`);
      }
      records.push(record);
    }
    return records;
  };
  const answers = section(ancount, 'answer');
  const authorities = section(nscount, 'authority');
  const rawAdditionals = section(arcount, 'additional');
  reader.expectEnd();

  let edns: Edns | undefined;
  const additionals: ResourceRecord[] = [];
  for (const record of rawAdditionals) {
    if (record.type !== RRType.OPT) {
      additionals.push(strip(record));
      continue;
    }
    if (edns) throw new WireFormatError('edns-multiple-opt', 'more than one opt record');
    if (record.name !== '.')
      throw new WireFormatError('edns-opt-owner', `opt record owned by '${record.name}', not the root`);
    edns = ednsFromOpt(record.class, record.rawTtl, record.rdata);
  }
  const message: DnsMessage = {
    id,
    flags,
    questions,
    answers: answers.map(strip),
    authorities: authorities.map(strip),
    additionals,
  };
  return edns ? { ...message, edns } : message;
}

function strip(record: RawRecord): ResourceRecord {
  return { name: record.name, type: record.type, class: record.class, ttl: record.ttl, rdata: record.rdata };
}
