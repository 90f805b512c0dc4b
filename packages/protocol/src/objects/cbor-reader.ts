/**
 * Strict reader for the deterministic CBOR of discovery objects (RFC 8949 §4.2.1;
 * DESIGN §4 "Encoding, exactly").
 *
 * Why not cborg's decoder: it does not check map-key order, decodes invalid UTF-8
 * without complaint, and reports other faults as untyped errors whose text we would
 * have to parse. The vectors require a distinct reason for each fault, so this small
 * reader covers exactly our subset — unsigned integers, byte and text strings, arrays,
 * maps with text keys, `true`/`false` — and names every fault:
 *
 *   cbor-truncated     an item runs past the end of the input
 *   cbor-malformed     not well-formed CBOR (reserved additional information 28–30)
 *   cbor-non-shortest  an integer or length not in its shortest form
 *   cbor-indefinite    an indefinite length, or a stray "break"
 *   cbor-type          a float, tag, null, undefined or other simple value
 *   cbor-utf8          a text string that is not valid UTF-8
 *   cbor-unsorted      map keys not in the order of their encoded bytes
 *   cbor-duplicate     a map key repeated
 *   cbor-trailing      bytes after the one top-level item
 *   schema-type        a negative integer, a non-text map key, or nesting deeper than
 *                      any object has (no field of any object takes these)
 *
 * Booleans are read in both values so that the schema can say "present only when true".
 */
import { ObjectError } from '../errors.js';
import { MAX_CBOR_DEPTH } from './constants.js';

/** A decoded value: integers beyond 2^53−1 come back as bigint for the schema to refuse. */
export type CborValue = number | bigint | string | Uint8Array | boolean | CborValue[] | CborMap;
/** A map with text keys, in encoded order. */
export type CborMap = Map<string, CborValue>;

const MAJOR_UINT = 0;
const MAJOR_NEGINT = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;
const MAJOR_MAP = 5;
const MAJOR_TAG = 6;
const AI_FALSE = 20;
const AI_TRUE = 21;
const AI_INDEFINITE = 31;

/** Names of the major-type-7 values we refuse, by additional information (RFC 8949 §3.3). */
const SIMPLE_NAMES: Record<number, string> = {
  22: 'null',
  23: 'undefined',
  25: 'float',
  26: 'float',
  27: 'float',
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fault(code: string, message: string, offset: number): never {
  throw new ObjectError(code, `${message} at offset ${offset}`, { details: { offset } });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

class Reader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private take(count: number, start: number): Uint8Array {
    if (count > this.remaining) fault('cbor-truncated', 'item runs past the end of the input', start);
    const slice = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  /** The argument of a head (RFC 8949 §3), refusing non-shortest forms (§4.2.1). */
  private argument(ai: number, start: number): number | bigint {
    if (ai < 24) return ai;
    if (ai >= 28 && ai <= 30) fault('cbor-malformed', `reserved additional information ${ai}`, start);
    const width = 1 << (ai - 24);
    const raw = this.take(width, start);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const value =
      width === 1
        ? view.getUint8(0)
        : width === 2
          ? view.getUint16(0)
          : width === 4
            ? view.getUint32(0)
            : view.getBigUint64(0);
    const floor = width === 1 ? 24 : width === 2 ? 0x100 : width === 4 ? 0x10000 : 0x1_0000_0000;
    if (Number(value) < floor) fault('cbor-non-shortest', `value ${value} not in its shortest form`, start);
    if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
    return value;
  }

  /** A length that must fit the input: each of `count` items needs `minItemBytes` at least. */
  private length(ai: number, start: number, minItemBytes: number): number {
    if (ai === AI_INDEFINITE) fault('cbor-indefinite', 'indefinite length', start);
    const value = this.argument(ai, start);
    if (typeof value === 'bigint' || value * minItemBytes > this.remaining) {
      fault('cbor-truncated', `length ${value} runs past the end of the input`, start);
    }
    return value;
  }

  item(depth: number): CborValue {
    const start = this.offset;
    if (depth > MAX_CBOR_DEPTH) fault('schema-type', `nesting deeper than ${MAX_CBOR_DEPTH} levels`, start);
    const initial = this.take(1, start)[0]!;
    const major = initial >> 5;
    const ai = initial & 0x1f;
    switch (major) {
      case MAJOR_UINT:
        if (ai === AI_INDEFINITE) fault('cbor-malformed', 'integer with indefinite length', start);
        return this.argument(ai, start);
      case MAJOR_NEGINT:
        fault('schema-type', 'negative integer where none is allowed', start);
        break;
      case MAJOR_BYTES:
        return Uint8Array.from(this.take(this.length(ai, start, 1), start));
      case MAJOR_TEXT: {
        const raw = this.take(this.length(ai, start, 1), start);
        try {
          return utf8.decode(raw);
        } catch {
          fault('cbor-utf8', 'text string is not valid utf-8', start);
        }
        break;
      }
      case MAJOR_ARRAY: {
        const count = this.length(ai, start, 1);
        const items: CborValue[] = [];
        for (let i = 0; i < count; i++) items.push(this.item(depth + 1));
        return items;
      }
      case MAJOR_MAP:
        return this.map(this.length(ai, start, 2), depth);
      case MAJOR_TAG:
        fault('cbor-type', 'tag where none is allowed', start);
        break;
      default:
        if (ai === AI_FALSE) return false;
        if (ai === AI_TRUE) return true;
        if (ai === AI_INDEFINITE) fault('cbor-indefinite', 'break outside an indefinite-length item', start);
        fault('cbor-type', `${SIMPLE_NAMES[ai] ?? 'simple value'} where none is allowed`, start);
    }
  }

  private map(count: number, depth: number): CborMap {
    const entries: CborMap = new Map();
    let previousKey: Uint8Array | undefined;
    for (let i = 0; i < count; i++) {
      const keyStart = this.offset;
      if (this.remaining > 0 && this.bytes[keyStart]! >> 5 !== MAJOR_TEXT) {
        fault('schema-type', 'map key is not a text string', keyStart);
      }
      const key = this.item(depth + 1) as string;
      const keyBytes = this.bytes.subarray(keyStart, this.offset);
      if (entries.has(key)) fault('cbor-duplicate', `map key '${key}' repeated`, keyStart);
      if (previousKey !== undefined && compareBytes(previousKey, keyBytes) > 0) {
        fault('cbor-unsorted', `map key '${key}' out of order (keys sort by their encoded bytes)`, keyStart);
      }
      previousKey = keyBytes;
      entries.set(key, this.item(depth + 1));
    }
    return entries;
  }
}

/**
 * Decode exactly one deterministic CBOR item filling `bytes`. Throws ObjectError with
 * one of the codes listed in the module header.
 */
export function readCbor(bytes: Uint8Array): CborValue {
  const reader = new Reader(bytes);
  const value = reader.item(1);
  if (reader.remaining !== 0) {
    fault('cbor-trailing', `${reader.remaining} byte(s) after the item`, bytes.length - reader.remaining);
  }
  return value;
}
