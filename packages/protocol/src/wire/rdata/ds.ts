/**
 * DS RDATA (RFC 4034 §5; SHA-256 digests per RFC 4509).
 *
 *                      1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Key Tag             |  Algorithm    |  Digest Type  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                                                               /
 * /                            Digest                             /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Presentation (RFC 4034 §5.3): key tag, algorithm (decimal or mnemonic) and digest
 * type as decimals, then the digest in hex, "whitespace is allowed within the
 * hexadecimal text". Digests of the registered types must have their exact length.
 */
import { WireFormatError } from '../../errors.js';
import { fromHexString, parseUint, toHexString } from '../presentation.js';
import { WireReader } from '../reader.js';
import { RRType } from '../types.js';
import { WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';
import { parseAlgorithmField } from './dnskey.js';

export interface Ds {
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: number;
  readonly digest: Uint8Array;
}

/**
 * Digest lengths of the registered DS digest types (IANA "Delegation Signer (DS)
 * Resource Record (RR) Type Digest Algorithms"): SHA-1 (RFC 4034 §5.1.4), SHA-256
 * (RFC 4509 §2.2: "The digest ... is 32 octets"), GOST (RFC 5933), SHA-384 (RFC 6605).
 */
const DIGEST_LENGTHS: ReadonlyMap<number, number> = new Map([
  [1, 20],
  [2, 32],
  [3, 32],
  [4, 48],
]);

function check(value: Ds): void {
  if (value.digest.length === 0) throw new WireFormatError('ds-empty-digest', 'ds digest is empty');
  const expected = DIGEST_LENGTHS.get(value.digestType);
  if (expected !== undefined && value.digest.length !== expected) {
    throw new WireFormatError(
      'ds-digest-length',
      `ds digest of type ${value.digestType} must be ${expected} octets, got ${value.digest.length}`,
    );
  }
}

export const dsCodec: RdataCodec<Ds> = {
  type: RRType.DS,

  encode(value) {
    check(value);
    const writer = new WireWriter(4 + value.digest.length);
    writer.u16(value.keyTag, 'ds key tag');
    writer.u8(value.algorithm, 'ds algorithm');
    writer.u8(value.digestType, 'ds digest type');
    writer.bytes(value.digest);
    return writer.finish();
  },

  decode(rdata) {
    const reader = new WireReader(rdata, 0, rdata.length, 'ds rdata');
    const keyTag = reader.u16('ds key tag');
    const algorithm = reader.u8('ds algorithm');
    const digestType = reader.u8('ds digest type');
    const value: Ds = { keyTag, algorithm, digestType, digest: reader.take(reader.remaining, 'ds digest') };
    check(value);
    return value;
  },

  toText(value) {
    check(value);
    return `${value.keyTag} ${value.algorithm} ${value.digestType} ${toHexString(value.digest)}`;
  },

  fromText(fields) {
    if (fields.length < 4) {
      throw new WireFormatError('field-count', `ds rdata needs at least 4 fields, got ${fields.length}`);
    }
    const value: Ds = {
      keyTag: parseUint(fields[0], 0xffff, 'ds key tag'),
      algorithm: parseAlgorithmField(fields[1], 'ds algorithm'),
      digestType: parseUint(fields[2], 0xff, 'ds digest type'),
      digest: fromHexString(fields.slice(3).join(''), 'ds digest'),
    };
    check(value);
    return value;
  },
};
