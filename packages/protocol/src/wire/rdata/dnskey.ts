/**
 * DNSKEY RDATA (RFC 4034 §2; Ed25519 keys per RFC 8080 §3).
 *
 *                      1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Flags            |    Protocol   |   Algorithm   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                                                               /
 * /                            Public Key                         /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Presentation (RFC 4034 §2.2): flags, protocol and algorithm as decimals (the
 * algorithm may also be given as a mnemonic), then the key in base64, which may be
 * split by whitespace. The codec keeps any protocol value: RFC 4034 §2.1.2 makes a
 * protocol other than 3 a validation matter, not a wire error.
 */
import { fromBase64 } from '@mimi/crypto';
import { WireFormatError } from '../../errors.js';
import { parseUint } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import { WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';

export interface Dnskey {
  readonly flags: number;
  readonly protocol: number;
  readonly algorithm: number;
  readonly publicKey: Uint8Array;
}

/**
 * DNSSEC algorithm mnemonics (RFC 4034 Appendix A.1, RFC 5702, RFC 6605, RFC 8080 and
 * the IANA "DNS Security Algorithm Numbers" registry). Text input accepts them; text
 * output always uses the number, as RFC 8080 §6 and most tools print it.
 */
export const DNSSEC_ALGORITHM_MNEMONICS: Readonly<Record<string, number>> = {
  RSAMD5: 1,
  DH: 2,
  DSA: 3,
  RSASHA1: 5,
  'DSA-NSEC3-SHA1': 6,
  'RSASHA1-NSEC3-SHA1': 7,
  RSASHA256: 8,
  RSASHA512: 10,
  'ECC-GOST': 12,
  ECDSAP256SHA256: 13,
  ECDSAP384SHA384: 14,
  ED25519: 15,
  ED448: 16,
  INDIRECT: 252,
  PRIVATEDNS: 253,
  PRIVATEOID: 254,
};

/** An algorithm field in presentation format: a decimal 0–255 or a mnemonic. */
export function parseAlgorithmField(text: string | undefined, field: string): number {
  if (text !== undefined && /^[A-Za-z]/.test(text)) {
    const code = DNSSEC_ALGORITHM_MNEMONICS[text.toUpperCase()];
    if (code === undefined)
      throw new WireFormatError('unknown-algorithm', `unknown ${field} mnemonic '${text}'`);
    return code;
  }
  return parseUint(text, 0xff, field);
}

/**
 * Base64 that presentation format may split across fields (RFC 4034 §2.2, §3.2):
 * the fields are joined, then decoded strictly. At least one octet is required.
 */
export function parseBase64Fields(fields: readonly string[], field: string): Uint8Array {
  if (fields.length === 0) throw new WireFormatError('missing-field', `missing ${field}`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(fields.join(''));
  } catch (cause) {
    throw new WireFormatError('bad-base64', `${field} is not valid base64`, { cause });
  }
  if (bytes.length === 0) throw new WireFormatError('missing-field', `${field} is empty`);
  return bytes;
}

export function toBase64Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function check(value: Dnskey): void {
  if (value.publicKey.length === 0)
    throw new WireFormatError('dnskey-empty-key', 'dnskey public key is empty');
}

export const dnskeyCodec: RdataCodec<Dnskey> = {
  type: RRType.DNSKEY,

  encode(value) {
    check(value);
    const writer = new WireWriter(4 + value.publicKey.length);
    writer.u16(value.flags, 'dnskey flags');
    writer.u8(value.protocol, 'dnskey protocol');
    writer.u8(value.algorithm, 'dnskey algorithm');
    writer.bytes(value.publicKey);
    return writer.finish();
  },

  decode(rdata) {
    const reader = new WireReader(rdata, 0, rdata.length, 'dnskey rdata');
    const flags = reader.u16('dnskey flags');
    const protocol = reader.u8('dnskey protocol');
    const algorithm = reader.u8('dnskey algorithm');
    if (reader.remaining === 0)
      throw new WireFormatError('dnskey-empty-key', 'dnskey rdata has no public key');
    const publicKey = reader.take(reader.remaining, 'dnskey public key');
    return { flags, protocol, algorithm, publicKey };
  },

  toText(value) {
    check(value);
    return `${value.flags} ${value.protocol} ${value.algorithm} ${toBase64Text(value.publicKey)}`;
  },

  fromText(fields) {
    if (fields.length < 4) {
      throw new WireFormatError('field-count', `dnskey rdata needs at least 4 fields, got ${fields.length}`);
    }
    return {
      flags: parseUint(fields[0], 0xffff, 'dnskey flags'),
      protocol: parseUint(fields[1], 0xff, 'dnskey protocol'),
      algorithm: parseAlgorithmField(fields[2], 'dnskey algorithm'),
      publicKey: parseBase64Fields(fields.slice(3), 'dnskey public key'),
    };
  },
};
