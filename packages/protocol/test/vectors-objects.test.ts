/**
 * The independent vectors of test/vectors/mimi-objects.json (DESIGN §4; README beside
 * the file): every positive object reproduced byte for byte and verified, every negative
 * one rejected for its stated reason, the unassignment semantics. Our own vector file
 * (docs/vectors/mimi-objects-ours.json, same shape) goes through the same checks.
 */
import { readFileSync } from 'node:fs';
import { fromHex, privateKeyFromSeed, toHex } from '@mimi/crypto';
import { describe, expect, it } from 'vitest';
import { csiOwnerName, normalizeCsi } from '../src/csi/index.js';
import { ObjectError } from '../src/errors.js';
import {
  type Attestation,
  type CsipKeyRecord,
  decodeObject,
  encodeObject,
  encodeUnsigned,
  type Mapping,
  type ObjectKind,
  type SignedKind,
  signingInput,
  signObject,
  type Unassignment,
  unassignmentRemoves,
  verifyAttestation,
  verifyMapping,
  verifyRemoval,
  verifyUnassignment,
} from '../src/objects/index.js';

interface VerifyBlock {
  now: number;
  csipKeys: string[];
  expectCsi?: string;
}
interface Positive {
  name: string;
  kind: ObjectKind;
  signer?: string;
  input: Record<string, unknown>;
  unsignedCbor?: string;
  signingInput?: string;
  sig?: string;
  cbor: string;
  owner: string;
  verify?: VerifyBlock;
}
interface Negative {
  name: string;
  kind: SignedKind;
  cbor: string;
  verify: VerifyBlock;
  error: string;
}
interface Vectors {
  keys: { name: string; seed: string; publicKey: string }[];
  positive: Positive[];
  negative: Negative[];
  semantics: { unassignment: string; mapping: string; removes: boolean }[];
}

const load = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as Vectors;
const shared = load('../../../test/vectors/mimi-objects.json');
const ours = load('../../../docs/vectors/mimi-objects-ours.json');

/** JSON `input` → typed object: `rk`, `pk`, `sig` are hex (the README's convention). */
function fromJson(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && (key === 'rk' || key === 'pk' || key === 'sig')) return fromHex(value);
  if (Array.isArray(value)) return value.map((item) => fromJson(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v, k)]));
  }
  return value;
}

function keySeed(vectors: Vectors, name: string): Uint8Array {
  const key = vectors.keys.find((k) => k.name === name);
  if (!key) throw new Error(`no key ${name}`);
  return fromHex(key.seed);
}

/** Runs the verifier of `kind` with a vector's verify block. */
function verifyAs(kind: ObjectKind, bytes: Uint8Array, verify: VerifyBlock): unknown {
  const options = { now: verify.now, csipKeys: verify.csipKeys.map(fromHex), expectCsi: verify.expectCsi };
  switch (kind) {
    case 'attestation':
      return verifyAttestation(bytes, options);
    case 'mapping':
      return verifyMapping(bytes, options);
    case 'removal':
      return verifyRemoval(bytes, options);
    case 'unassignment':
      return verifyUnassignment(bytes, options);
    case 'csipkey':
      return decodeObject('csipkey', bytes);
  }
}

function errorOf(run: () => unknown): ObjectError {
  try {
    run();
  } catch (err) {
    if (err instanceof ObjectError) return err;
    throw err;
  }
  throw new Error('expected an ObjectError, nothing was thrown');
}

describe.each([
  ['shared', shared],
  ['ours', ours],
])('%s vector file', (_label, vectors) => {
  describe('positive vectors', () => {
    const signed = vectors.positive.filter((p) => p.kind !== 'csipkey');

    it('covers every kind', () => {
      expect(new Set(vectors.positive.map((p) => p.kind))).toEqual(
        new Set(['csipkey', 'attestation', 'mapping', 'removal', 'unassignment']),
      );
    });

    it.each(vectors.positive.filter((p) => p.kind === 'csipkey'))('$name: encodes, decodes, owner', (p) => {
      const record = fromJson(p.input) as CsipKeyRecord;
      expect(toHex(encodeObject('csipkey', record))).toBe(p.cbor);
      expect(decodeObject('csipkey', fromHex(p.cbor))).toEqual(record);
      expect(`${record.id}.csip.mimi.arpa.`).toBe(p.owner);
    });

    it.each(signed)('$name: unsigned cbor, signing input, sig, cbor byte for byte', (p) => {
      const kind = p.kind as SignedKind;
      const unsigned = fromJson(p.input) as never;
      expect(toHex(encodeUnsigned(kind, unsigned))).toBe(p.unsignedCbor);
      expect(toHex(signingInput(kind, fromHex(p.unsignedCbor!)))).toBe(p.signingInput);
      const result = signObject(kind, unsigned, privateKeyFromSeed(keySeed(vectors, p.signer!)));
      expect(toHex(result.unsignedBytes)).toBe(p.unsignedCbor);
      expect(toHex(result.signingInput)).toBe(p.signingInput);
      expect(toHex(result.object.sig)).toBe(p.sig);
      expect(toHex(result.bytes)).toBe(p.cbor);
    });

    it.each(signed)('$name: decodes to its input plus sig, re-encodes identically, owner name', (p) => {
      const kind = p.kind as SignedKind;
      const decoded = decodeObject(kind, fromHex(p.cbor));
      expect(decoded).toEqual({ ...(fromJson(p.input) as object), sig: fromHex(p.sig!) });
      expect(toHex(encodeObject(kind, decoded as never))).toBe(p.cbor);
      expect(csiOwnerName(normalizeCsi(decoded.csi))).toBe(p.owner);
    });

    it.each(signed)('$name: verifies with its verify block', (p) => {
      expect(() => verifyAs(p.kind, fromHex(p.cbor), p.verify!)).not.toThrow();
    });
  });

  describe('negative vectors', () => {
    it.each(vectors.negative)('$name is rejected with $error', (n) => {
      const err = errorOf(() => verifyAs(n.kind, fromHex(n.cbor), n.verify));
      // README: "the key in rk-noncanonical is also of small order; either reason rejects it".
      const accepted = n.name === 'rk-noncanonical' ? ['key-noncanonical', 'key-small-order'] : [n.error];
      expect(accepted).toContain(err.code);
      expect(err.message).toMatch(/^[^A-Z]/);
    });
  });

  describe('semantics vectors', () => {
    const byName = (name: string) => vectors.positive.find((p) => p.name === name)!;

    it.each(vectors.semantics)('$unassignment removes $mapping: $removes', (s) => {
      const unassignment = decodeObject('unassignment', fromHex(byName(s.unassignment).cbor)) as Unassignment;
      const mapping = decodeObject('mapping', fromHex(byName(s.mapping).cbor)) as Mapping;
      expect(unassignmentRemoves(unassignment, mapping)).toBe(s.removes);
    });
  });
});

describe('shared vectors, specifics', () => {
  const byName = (name: string) => shared.positive.find((p) => p.name === name)!;

  it('a verified mapping carries its CSIP key and the earlier expiry', () => {
    const p = shared.positive.find((v) => v.name === 'map-447700900123-personal')!;
    const result = verifyMapping(fromHex(p.cbor), {
      now: p.verify!.now,
      csipKeys: p.verify!.csipKeys.map(fromHex),
      expectCsi: '+44 7700 900123',
      ownerName: p.owner.toUpperCase(),
    });
    expect(result.csipKey.id).toBe('uk-carrier');
    expect(result.att.epoch).toBe(1);
    expect(result.expires).toBe(1798761600);
  });

  it('has one negative vector per listed case', () => {
    expect(shared.negative.length).toBe(41);
  });

  it('attestations in the vectors are what the mappings embed', () => {
    const att = decodeObject('attestation', fromHex(byName('att-447700900123').cbor)) as Attestation;
    const mapping = decodeObject('mapping', fromHex(byName('map-447700900123-work').cbor)) as Mapping;
    expect(mapping.att).toEqual(att);
  });
});
