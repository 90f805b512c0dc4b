/**
 * Message encoding (RFC 1035 §4.1). Question and owner names are compressed
 * (RFC 1035 §4.1.4) — it saves the most in referrals; RDATA is written exactly as
 * stored, never compressed (RFC 3597 §4), which also keeps DNSSEC canonical forms
 * intact. `edns` becomes the last additional record (RFC 6891 §6.1.1).
 */
import { WireFormatError } from '../../errors.js';
import type { ResourceRecord } from '../rr.js';
import { checkUint, WireWriter } from '../writer.js';
import { MAX_MESSAGE_LENGTH } from './decode.js';
import { ednsTtl, encodeOptions, OPT_TYPE } from './edns.js';
import { flagsToWord } from './header.js';
import { NameCompressor } from './names.js';
import type { DnsMessage } from './types.js';

/** RFC 2181 §8: TTLs are 31-bit unsigned. */
const MAX_TTL = 0x7fffffff;

export function encodeMessage(message: DnsMessage): Uint8Array {
  const additionalCount = message.additionals.length + (message.edns ? 1 : 0);
  const writer = new WireWriter(512);
  writer.u16(message.id, 'message id');
  writer.u16(flagsToWord(message.flags), 'flags');
  writer.u16(message.questions.length, 'qdcount');
  writer.u16(message.answers.length, 'ancount');
  writer.u16(message.authorities.length, 'nscount');
  writer.u16(additionalCount, 'arcount');
  const names = new NameCompressor();
  for (const question of message.questions) {
    names.write(writer, question.name);
    writer.u16(question.type, 'qtype');
    writer.u16(question.class, 'qclass');
  }
  const record = (rr: ResourceRecord, ttl: number) => {
    names.write(writer, rr.name);
    writer.u16(rr.type, 'type');
    writer.u16(rr.class, 'class');
    writer.u32(ttl, 'ttl');
    writer.u16(rr.rdata.length, 'rdlength');
    writer.bytes(rr.rdata);
  };
  for (const rr of [...message.answers, ...message.authorities, ...message.additionals]) {
    if (rr.type === OPT_TYPE) {
      throw new WireFormatError('edns-opt-in-records', 'opt records go in message.edns, not in a section');
    }
    checkUint(rr.ttl, MAX_TTL, `ttl of ${rr.name}`);
    record(rr, rr.ttl);
  }
  if (message.edns) {
    const opt: ResourceRecord = {
      name: '.',
      type: OPT_TYPE,
      class: message.edns.udpPayloadSize,
      ttl: 0,
      rdata: encodeOptions(message.edns.options),
    };
    record(opt, ednsTtl(message.edns));
  }
  if (writer.length > MAX_MESSAGE_LENGTH) {
    throw new WireFormatError(
      'message-too-large',
      `encoded message of ${writer.length} octets exceeds 65535`,
    );
  }
  return writer.finish();
}
