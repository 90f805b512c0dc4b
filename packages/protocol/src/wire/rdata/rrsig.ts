/**
 * RRSIG RDATA (RFC 4034 §3; Ed25519 signatures per RFC 8080 §4).
 *
 *                      1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Type Covered           |  Algorithm    |     Labels    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Original TTL                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Signature Expiration                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Signature Inception                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Key Tag            |                               /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+         Signer's Name         /
 * /                                                               /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                            Signature                          /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Times are the 32-bit field values, i.e. Unix seconds modulo 2^32 (RFC 4034 §3.1.5
 * compares them with RFC 1982 serial arithmetic; that is the validator's job). The
 * signer's name is never compressed (§3.1.7) and keeps its case here.
 *
 * Presentation (RFC 4034 §3.2): type mnemonic, algorithm, labels, original TTL,
 * expiration, inception, key tag, signer's name, base64 signature (may be split).
 * Times print as YYYYMMDDHHmmSS (UTC); on input either that form or a plain decimal
 * of seconds is accepted, told apart as BIND does: exactly 14 digits is a date.
 */
import { WireFormatError } from '../../errors.js';
import { formatName, nameToWire, parseName, readUncompressedName, resolveName } from '../name.js';
import { parseUint } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType, typeFromString, typeToString } from '../types.js';
import { WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';
import { parseAlgorithmField, parseBase64Fields, toBase64Text } from './dnskey.js';

export interface Rrsig {
  readonly typeCovered: number;
  readonly algorithm: number;
  readonly labels: number;
  readonly originalTtl: number;
  /** Signature Expiration: Unix seconds modulo 2^32. */
  readonly expiration: number;
  /** Signature Inception: Unix seconds modulo 2^32. */
  readonly inception: number;
  readonly keyTag: number;
  /** Absolute presentation name, case as given. */
  readonly signerName: string;
  readonly signature: Uint8Array;
}

const MAX_U32 = 0xffffffff;

/** `YYYYMMDDHHmmSS` in UTC for a 32-bit time field (RFC 4034 §3.2). */
export function formatRrsigTime(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_U32) {
    throw new WireFormatError('value-out-of-range', `rrsig time ${seconds} is not a 32-bit unsigned integer`);
  }
  return new Date(seconds * 1000).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

/** A time field from presentation: `YYYYMMDDHHmmSS` (UTC) or a decimal of seconds. */
export function parseRrsigTime(text: string | undefined, field: string): number {
  if (text === undefined || !/^\d{14}$/.test(text)) return parseUint(text, MAX_U32, field);
  const [year, month, day, hour, minute, second] = [
    text.slice(0, 4),
    text.slice(4, 6),
    text.slice(6, 8),
    text.slice(8, 10),
    text.slice(10, 12),
    text.slice(12, 14),
  ].map(Number) as [number, number, number, number, number, number];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(millis);
  // Date.UTC rolls 31 February over into March; a round trip catches every bad field.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    throw new WireFormatError('bad-time', `${field} '${text}' is not a valid YYYYMMDDHHmmSS time`);
  }
  const seconds = millis / 1000;
  if (seconds < 0 || seconds > MAX_U32) {
    throw new WireFormatError('value-out-of-range', `${field} '${text}' is outside 1970-01-01..2106-02-07`);
  }
  return seconds;
}

function check(value: Rrsig): void {
  if (value.signature.length === 0)
    throw new WireFormatError('rrsig-empty-signature', 'rrsig signature is empty');
}

export const rrsigCodec: RdataCodec<Rrsig> = {
  type: RRType.RRSIG,

  encode(value) {
    check(value);
    const signer = nameToWire(value.signerName);
    const writer = new WireWriter(18 + signer.length + value.signature.length);
    writer.u16(value.typeCovered, 'rrsig type covered');
    writer.u8(value.algorithm, 'rrsig algorithm');
    writer.u8(value.labels, 'rrsig labels');
    writer.u32(value.originalTtl, 'rrsig original ttl');
    writer.u32(value.expiration, 'rrsig expiration');
    writer.u32(value.inception, 'rrsig inception');
    writer.u16(value.keyTag, 'rrsig key tag');
    writer.bytes(signer);
    writer.bytes(value.signature);
    return writer.finish();
  },

  decode(rdata) {
    const reader = new WireReader(rdata, 0, rdata.length, 'rrsig rdata');
    const typeCovered = reader.u16('rrsig type covered');
    const algorithm = reader.u8('rrsig algorithm');
    const labels = reader.u8('rrsig labels');
    const originalTtl = reader.u32('rrsig original ttl');
    const expiration = reader.u32('rrsig expiration');
    const inception = reader.u32('rrsig inception');
    const keyTag = reader.u16('rrsig key tag');
    const { labels: signerLabels, end } = readUncompressedName(rdata, reader.offset);
    reader.offset = end;
    if (reader.remaining === 0)
      throw new WireFormatError('rrsig-empty-signature', 'rrsig rdata has no signature');
    const signature = reader.take(reader.remaining, 'rrsig signature');
    return {
      typeCovered,
      algorithm,
      labels,
      originalTtl,
      expiration,
      inception,
      keyTag,
      signerName: formatName(signerLabels),
      signature,
    };
  },

  toText(value) {
    check(value);
    return [
      typeToString(value.typeCovered),
      value.algorithm,
      value.labels,
      value.originalTtl,
      formatRrsigTime(value.expiration),
      formatRrsigTime(value.inception),
      value.keyTag,
      formatName(parseName(value.signerName)),
      toBase64Text(value.signature),
    ].join(' ');
  },

  fromText(fields, origin) {
    if (fields.length < 9) {
      throw new WireFormatError('field-count', `rrsig rdata needs at least 9 fields, got ${fields.length}`);
    }
    const typeCovered = typeFromString(fields[0]!);
    if (typeCovered === undefined) {
      throw new WireFormatError('unknown-type', `unknown rrsig type covered '${fields[0]}'`);
    }
    return {
      typeCovered,
      algorithm: parseAlgorithmField(fields[1], 'rrsig algorithm'),
      labels: parseUint(fields[2], 0xff, 'rrsig labels'),
      originalTtl: parseUint(fields[3], MAX_U32, 'rrsig original ttl'),
      expiration: parseRrsigTime(fields[4], 'rrsig expiration'),
      inception: parseRrsigTime(fields[5], 'rrsig inception'),
      keyTag: parseUint(fields[6], 0xffff, 'rrsig key tag'),
      signerName: resolveName(fields[7]!, origin),
      signature: parseBase64Fields(fields.slice(8), 'rrsig signature'),
    };
  },
};
