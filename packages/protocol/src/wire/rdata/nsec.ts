/**
 * NSEC RDATA (RFC 4034 §4) and its type bitmap (§4.1.2), as used by compact denial
 * (RFC 9824, whose NXNAME meta-type 128 appears only here).
 *
 *                      1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                      Next Domain Name                         /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                       Type Bit Maps                           /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Type Bit Maps = ( Window Block # | Bitmap Length | Bitmap )+, one block per
 * 256-type window that has a type present. Decoding is strict: windows strictly
 * increasing, lengths 1–32, no trailing zero octet in a bitmap, nothing left over.
 * The next name is never compressed (§4.1.1) and keeps its case (RFC 6840 §5.1:
 * NSEC RDATA names are not lowercased in canonical form).
 *
 * Presentation (§4.2): the next name, then type mnemonics (RFC 3597 TYPEnnn for
 * types without one), in increasing numeric order.
 */
import { WireFormatError } from '../../errors.js';
import { formatName, nameToWire, parseName, readUncompressedName, resolveName } from '../name.js';
import { WireReader } from '../reader.js';
import { RRType, typeFromString, typeToString } from '../types.js';
import { checkUint, WireWriter } from '../writer.js';
import type { RdataCodec } from './codec.js';

export interface Nsec {
  /** Absolute presentation name, case as given. */
  readonly nextName: string;
  /** Types present at the owner, ascending and without duplicates after decode. */
  readonly types: readonly number[];
}

/** RFC 4034 §4.1.2: "The bitmap length is a value in the range 1-32." */
const MAX_BITMAP_LENGTH = 32;

/** Type Bit Maps field for a set of type codes (order and duplicates do not matter). */
export function encodeTypeBitmap(types: readonly number[]): Uint8Array {
  for (const type of types) checkUint(type, 0xffff, 'nsec bitmap type');
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  const writer = new WireWriter(2 + MAX_BITMAP_LENGTH);
  let index = 0;
  while (index < sorted.length) {
    const window = sorted[index]! >> 8;
    const bitmap = new Uint8Array(MAX_BITMAP_LENGTH);
    let length = 0;
    for (; index < sorted.length && sorted[index]! >> 8 === window; index++) {
      const low = sorted[index]! & 0xff;
      bitmap[low >> 3] = bitmap[low >> 3]! | (0x80 >> (low & 7));
      length = (low >> 3) + 1;
    }
    writer.u8(window, 'nsec window');
    writer.u8(length, 'nsec bitmap length');
    writer.bytes(bitmap.subarray(0, length));
  }
  return writer.finish();
}

/** Strict decode of a Type Bit Maps field occupying `reader` up to its end. */
export function decodeTypeBitmap(reader: WireReader): number[] {
  const types: number[] = [];
  let previousWindow = -1;
  while (reader.remaining > 0) {
    const window = reader.u8('nsec window');
    if (window <= previousWindow) {
      throw new WireFormatError(
        'nsec-bitmap-order',
        `nsec bitmap window ${window} follows window ${previousWindow}`,
      );
    }
    previousWindow = window;
    const length = reader.u8('nsec bitmap length');
    if (length < 1 || length > MAX_BITMAP_LENGTH) {
      throw new WireFormatError('nsec-bitmap-length', `nsec bitmap length ${length} is outside 1..32`);
    }
    const bitmap = reader.take(length, 'nsec bitmap');
    if (bitmap[length - 1] === 0) {
      throw new WireFormatError(
        'nsec-bitmap-padding',
        `nsec bitmap of window ${window} ends in a zero octet`,
      );
    }
    for (let octet = 0; octet < length; octet++) {
      for (let bit = 0; bit < 8; bit++) {
        if ((bitmap[octet]! & (0x80 >> bit)) !== 0) types.push((window << 8) | (octet * 8 + bit));
      }
    }
  }
  return types;
}

export const nsecCodec: RdataCodec<Nsec> = {
  type: RRType.NSEC,

  encode(value) {
    const next = nameToWire(value.nextName);
    const bitmap = encodeTypeBitmap(value.types);
    const out = new Uint8Array(next.length + bitmap.length);
    out.set(next);
    out.set(bitmap, next.length);
    return out;
  },

  decode(rdata) {
    const { labels, end } = readUncompressedName(rdata, 0);
    const types = decodeTypeBitmap(new WireReader(rdata, end, rdata.length, 'nsec rdata'));
    return { nextName: formatName(labels), types };
  },

  toText(value) {
    for (const type of value.types) checkUint(type, 0xffff, 'nsec bitmap type');
    const types = [...new Set(value.types)].sort((a, b) => a - b).map(typeToString);
    return [formatName(parseName(value.nextName)), ...types].join(' ');
  },

  fromText(fields, origin) {
    if (fields.length < 1) throw new WireFormatError('field-count', 'nsec rdata needs a next domain name');
    const types = fields.slice(1).map((text) => {
      const type = typeFromString(text);
      if (type === undefined)
        throw new WireFormatError('unknown-type', `unknown type '${text}' in nsec bitmap`);
      return type;
    });
    return { nextName: resolveName(fields[0]!, origin), types: [...new Set(types)].sort((a, b) => a - b) };
  },
};
