/**
 * The strict CBOR reader (RFC 8949 §4.2.1 deterministic encoding) both ways: bytes ↔
 * value for our subset, cborg's encoder giving the same bytes, and every fault with its
 * reason code.
 */
import { fromHex, toHex } from '@mimi/crypto';
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { ObjectError } from '../src/errors.js';
import { readCbor } from '../src/objects/index.js';

const map = (entries: [string, unknown][]) => new Map(entries);

// hex, decoded value, the plain value cborg encodes to the same bytes
const valid: [string, unknown, unknown][] = [
  ['00', 0, 0],
  ['17', 23, 23],
  ['1818', 24, 24],
  ['18ff', 255, 255],
  ['190100', 256, 256],
  ['19ffff', 65535, 65535],
  ['1a00010000', 65536, 65536],
  ['1a6955b900', 1767225600, 1767225600],
  ['1b0000000100000000', 2 ** 32, 2 ** 32],
  ['1b001fffffffffffff', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ['40', new Uint8Array(0), new Uint8Array(0)],
  ['4401020304', Uint8Array.from([1, 2, 3, 4]), Uint8Array.from([1, 2, 3, 4])],
  ['60', '', ''],
  ['6161', 'a', 'a'],
  ['63efbbbf', '\ufeff', '\ufeff'],
  ['6650726976c3a9', 'Privé', 'Privé'],
  ['f5', true, true],
  ['f4', false, false],
  ['80', [], []],
  ['820102', [1, 2], [1, 2]],
  ['a0', map([]), {}],
  [
    'a2616101616202',
    map([
      ['a', 1],
      ['b', 2],
    ]),
    { b: 2, a: 1 },
  ],
  // Keys sort by encoded bytes: the shorter key first, not alphabetical.
  [
    'a2616202626161f5',
    map([
      ['b', 2],
      ['aa', true],
    ]),
    { aa: true, b: 2 },
  ],
  ['a161618163616263', map([['a', ['abc']]]), { a: ['abc'] }],
];

describe('readCbor: valid items', () => {
  it.each(valid)('%s', (hex, value, plain) => {
    expect(readCbor(fromHex(hex))).toEqual(value);
    expect(toHex(encode(plain))).toBe(hex);
  });

  it('returns integers beyond 2^53-1 as bigint, for the schema to refuse', () => {
    expect(readCbor(fromHex('1b0020000000000000'))).toBe(2n ** 53n);
    expect(readCbor(fromHex('1bffffffffffffffff'))).toBe(2n ** 64n - 1n);
  });
});

const faults: [string, string, string][] = [
  ['', 'cbor-truncated', 'empty input'],
  ['18', 'cbor-truncated', 'missing 1-byte argument'],
  ['1a0000', 'cbor-truncated', 'short 4-byte argument'],
  ['4a0102', 'cbor-truncated', 'byte string longer than the input'],
  ['9affffffff', 'cbor-truncated', 'array count larger than the input'],
  ['a2616101', 'cbor-truncated', 'map count larger than the input'],
  ['1817', 'cbor-non-shortest', '23 in one extra byte'],
  ['1900ff', 'cbor-non-shortest', '255 in two bytes'],
  ['1a0000ffff', 'cbor-non-shortest', '65535 in four bytes'],
  ['1b00000000ffffffff', 'cbor-non-shortest', '2^32-1 in eight bytes'],
  ['780161', 'cbor-non-shortest', 'text length 1 in one extra byte'],
  ['1c', 'cbor-malformed', 'reserved additional information 28'],
  ['1f', 'cbor-malformed', 'integer with indefinite length'],
  ['5f40ff', 'cbor-indefinite', 'indefinite byte string'],
  ['7f60ff', 'cbor-indefinite', 'indefinite text string'],
  ['9fff', 'cbor-indefinite', 'indefinite array'],
  ['bfff', 'cbor-indefinite', 'indefinite map'],
  ['ff', 'cbor-indefinite', 'stray break'],
  ['c100', 'cbor-type', 'tag 1'],
  ['f6', 'cbor-type', 'null'],
  ['f7', 'cbor-type', 'undefined'],
  ['f0', 'cbor-type', 'simple value 16'],
  ['f820', 'cbor-type', 'simple value 32'],
  ['f93c00', 'cbor-type', 'half float'],
  ['fa3f800000', 'cbor-type', 'single float'],
  ['fb3ff0000000000000', 'cbor-type', 'double float'],
  ['62c328', 'cbor-utf8', 'truncated sequence'],
  ['63eda080', 'cbor-utf8', 'encoded surrogate'],
  ['62c0af', 'cbor-utf8', 'overlong form'],
  ['a2616202616101', 'cbor-unsorted', 'b before a'],
  ['a2626161f5616202', 'cbor-unsorted', 'aa before b'],
  ['a2616101616102', 'cbor-duplicate', 'a twice'],
  ['a3616101616202616103', 'cbor-duplicate', 'a again after b'],
  ['0000', 'cbor-trailing', 'a second item'],
  ['a000', 'cbor-trailing', 'a byte after the map'],
  ['20', 'schema-type', 'negative integer'],
  ['a10102', 'schema-type', 'integer map key'],
  ['818181818100', 'schema-type', 'six levels of arrays'],
];

describe('readCbor: faults', () => {
  it.each(faults)('%s → %s (%s)', (hex, code) => {
    let error: unknown;
    try {
      readCbor(fromHex(hex));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ObjectError);
    expect((error as ObjectError).code).toBe(code);
    expect((error as ObjectError).message).toMatch(/ at offset \d+$/);
  });

  it('accepts five levels of nesting, the deepest an object has', () => {
    expect(readCbor(fromHex('8181818100'))).toEqual([[[[0]]]]);
  });
});
