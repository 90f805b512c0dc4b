/**
 * Signing inputs cut from a mapping's own bytes (src/objects/unsigned-bytes.ts,
 * decoded-mapping.ts) must be exactly the octets re-encoding gives (DESIGN §4 "Signing
 * input"), on every shape of mapping and on every mapping of the shared vectors; and
 * verifyMapping must give the same result or error whether it gets bytes, a decoded
 * object or a DecodedMapping.
 */

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromHex, privateKeyFromSeed, publicKeyOf, sha256 } from '@mimi/crypto';
import { describe, expect, it } from 'vitest';
import { ObjectError } from '../src/errors.js';
import { cborOf } from '../src/objects/codec.js';
import { unsignedCborOf } from '../src/objects/decoded-mapping.js';
import {
  DecodedMapping,
  decodeMapping,
  encodeCsipKeyRecord,
  type Mapping,
  type MappingPolicy,
  type MspEntry,
  signAttestation,
  signMapping,
  unsignedOf,
  verifyMapping,
} from '../src/objects/index.js';
import { withoutSig } from '../src/objects/unsigned-bytes.js';

const key = (text: string): KeyObject => privateKeyFromSeed(sha256(new TextEncoder().encode(text)));
const csip = key('unsigned-bytes csip');
const alice = key('unsigned-bytes alice');
const NOW = 1767315600;
const IAT = 1767225600;
const EXP = 1798761600;
const CSIP_KEYS = [
  encodeCsipKeyRecord({
    v: 1,
    id: 'uk-carrier',
    pk: publicKeyOf(csip),
    scope: ['+44', 'example.com'],
    exp: EXP,
  }),
];

interface Shape {
  csi?: string;
  id?: string;
  serial?: number;
  msps?: MspEntry[];
  policy?: MappingPolicy;
  isNew?: boolean;
  epoch?: number;
  iat?: number;
  exp?: number;
  attExp?: number;
  signer?: KeyObject;
  attSigner?: KeyObject;
}

function make(shape: Shape = {}): Uint8Array {
  const csi = shape.csi ?? '+447700900123';
  const att = signAttestation(
    {
      v: 1,
      csi,
      rk: publicKeyOf(alice),
      csip: 'uk-carrier',
      epoch: shape.epoch ?? 1,
      iat: IAT,
      exp: shape.attExp ?? EXP,
    },
    shape.attSigner ?? csip,
  ).object;
  return signMapping(
    {
      v: 1,
      csi,
      id: shape.id ?? 'personal',
      serial: shape.serial ?? 1,
      iat: shape.iat ?? IAT,
      exp: shape.exp ?? EXP,
      msps: shape.msps ?? [{ msp: 'signal.example', pri: 10, tags: ['personal'] }],
      ...(shape.isNew ? { new: true as const } : {}),
      ...(shape.policy === undefined ? {} : { policy: shape.policy }),
      att,
    },
    shape.signer ?? alice,
  ).bytes;
}

const SHAPES: [string, Shape][] = [
  ['the plain one', {}],
  ['new and sameMspOnly', { isNew: true, policy: { sameMspOnly: true } }],
  ['no msps (opted out)', { msps: [] }],
  [
    'many msps and tags',
    {
      msps: Array.from({ length: 8 }, (_, i) => ({
        msp: `msp${i}.example`,
        pri: i * 1000,
        tags: Array.from({ length: 5 }, (_, j) => `tag-${i}-${j}-${'x'.repeat(30)}`),
      })),
    },
  ],
  ['an id of 32 characters', { id: 'a'.repeat(32) }],
  ['large integers', { serial: 2 ** 40, epoch: 2 ** 33, exp: 2 ** 45, attExp: 2 ** 35 }],
  ['an email csi', { csi: 'alice@example.com' }],
  ['a long email csi', { csi: `${'a'.repeat(64)}@example.com` }],
];

/** The re-encoded unsigned forms: what checkObjectSignature signs and verifies. */
function reencoded(bytes: Uint8Array): { mapping: Uint8Array; attestation: Uint8Array } {
  const mapping = decodeMapping(bytes);
  return {
    mapping: cborOf('mapping', unsignedOf<'mapping'>(mapping)),
    attestation: cborOf('attestation', unsignedOf<'attestation'>(mapping.att)),
  };
}

function outcome<T>(run: () => T): T | { code: string; message: string } {
  try {
    return run();
  } catch (err) {
    if (err instanceof ObjectError) return { code: err.code, message: err.message };
    throw err;
  }
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/vectors/mimi-objects.json', import.meta.url), 'utf8'),
) as {
  positive: { name: string; kind: string; cbor: string }[];
  negative: { name: string; kind: string; cbor: string }[];
};

describe('unsigned CBOR cut from the bytes', () => {
  it.each(SHAPES)('%s: the same octets as re-encoding', (_name, shape) => {
    const bytes = make(shape);
    const cut = unsignedCborOf(bytes);
    expect(cut).toEqual(reencoded(bytes));
  });

  const vectorMappings = [...vectors.positive, ...vectors.negative].filter((v) => v.kind === 'mapping');

  it('every mapping of the vectors that decodes: the same octets as re-encoding', () => {
    let decodable = 0;
    for (const vector of vectorMappings) {
      const bytes = fromHex(vector.cbor);
      let expected: ReturnType<typeof reencoded>;
      try {
        expected = reencoded(bytes);
      } catch {
        continue;
      }
      decodable++;
      expect(unsignedCborOf(bytes), vector.name).toEqual(expected);
    }
    expect(decodable).toBeGreaterThan(3);
  });

  it('a map without sig, or bytes that are not a map, give nothing', () => {
    expect(withoutSig(Uint8Array.of(0xa1, 0x61, 0x76, 0x01), { start: 0, end: 4 })).toBeUndefined();
    expect(withoutSig(Uint8Array.of(0x83, 1, 2, 3), { start: 0, end: 4 })).toBeUndefined();
    expect(withoutSig(Uint8Array.of(0xa1, 0x63), { start: 0, end: 2 })).toBeUndefined();
    expect(unsignedCborOf(new Uint8Array(0))).toBeUndefined();
  });
});

describe('verifyMapping: bytes, decoded object and DecodedMapping alike', () => {
  const DEFECTS: [string, Uint8Array][] = [
    ...SHAPES.map(([name, shape]): [string, Uint8Array] => [name, make(shape)]),
    ['signed by a stranger', make({ signer: key('stranger') })],
    ['attested by a stranger', make({ attSigner: key('stranger') })],
    ['expired', make({ exp: NOW - 1 })],
    ['its attestation expired', make({ attExp: NOW - 1 })],
    ['out of scope', make({ csi: '+12025550123' })],
    ['a flipped bit in the mapping signature', flipInSig(make(), 'mapping')],
    ['a flipped bit in the attestation signature', flipInSig(make(), 'attestation')],
  ];

  it.each(DEFECTS)('%s', (_name, bytes) => {
    const options = { now: NOW, csipKeys: CSIP_KEYS };
    const fromBytes = outcome(() => verifyMapping(bytes, options));
    const fromObject = outcome(() => verifyMapping(decodeMapping(bytes), options));
    const fromDecoded = outcome(() => verifyMapping(DecodedMapping.decode(bytes), options));
    expect(fromBytes).toEqual(fromObject);
    expect(fromDecoded).toEqual(fromObject);
  });

  it('the table has passes and each kind of failure', () => {
    const codes = DEFECTS.map(([, bytes]) => {
      const result = outcome(() => verifyMapping(bytes, { now: NOW, csipKeys: CSIP_KEYS }));
      return 'code' in result ? result.code : 'ok';
    });
    expect(new Set(codes)).toEqual(new Set(['ok', 'signature', 'expired', 'scope']));
    expect(codes.slice(-2)).toEqual(['signature', 'signature']);
  });
});

describe('DecodedMapping', () => {
  it('decodes like decodeMapping, refuses what it refuses, and keeps its own copy', () => {
    const bytes = make();
    const decoded = DecodedMapping.decode(bytes);
    expect(decoded.mapping).toEqual(decodeMapping(bytes));
    expect(Object.isFrozen(decoded.mapping)).toBe(true);
    expect(Object.isFrozen(decoded.mapping.att)).toBe(true);
    expect(Object.isFrozen(decoded.mapping.msps[0]!.tags)).toBe(true);
    // Changing the caller's bytes afterwards changes nothing verified.
    bytes.fill(0);
    expect(verifyMapping(decoded, { now: NOW, csipKeys: CSIP_KEYS }).mapping.id).toBe('personal');
    expect(() => DecodedMapping.decode(Uint8Array.of(0xa1, 0x61))).toThrow(
      expect.objectContaining({ code: 'cbor-truncated' }),
    );
  });

  it('is made by decode only', () => {
    const mapping = decodeMapping(make()) as Mapping;
    expect(() => new DecodedMapping(Symbol('x'), make(), mapping)).toThrow(TypeError);
  });
});

/** The bytes with the last bit of one of its signatures flipped. */
function flipInSig(bytes: Uint8Array, which: 'mapping' | 'attestation'): Uint8Array {
  const mapping = decodeMapping(bytes);
  const sig = which === 'mapping' ? mapping.sig : mapping.att.sig;
  const out = bytes.slice();
  const at = Buffer.from(bytes).indexOf(Buffer.from(sig)) + sig.length - 1;
  out[at] = out[at]! ^ 1;
  return out;
}
