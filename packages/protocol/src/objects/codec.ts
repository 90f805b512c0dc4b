/**
 * Deterministic CBOR encoding (RFC 8949 §4.2.1) and strict decoding of the discovery
 * objects (DESIGN §4 "Encoding, exactly").
 *
 * Encoding goes through cborg, whose default encoder writes shortest heads, definite
 * lengths and map keys sorted by their encoded bytes (the vectors confirm it byte for
 * byte). Every encoded object is then read back through the strict reader and schema,
 * so nothing we encode — or sign — could be refused by a decoder.
 */
import { encode } from 'cborg';
import { ObjectError } from '../errors.js';
import { type CborValue, readCbor } from './cbor-reader.js';
import { MAX_OBJECT_OCTETS, MAX_UINT } from './constants.js';
import {
  attestationSchema,
  csipKeySchema,
  mappingSchema,
  removalSchema,
  unassignmentSchema,
} from './schema.js';
import type {
  Attestation,
  CsipKeyRecord,
  Mapping,
  ObjectKind,
  ObjectsByKind,
  Removal,
  SignedKind,
  Unassignment,
  UnsignedAttestation,
  UnsignedMapping,
  UnsignedObjects,
  UnsignedRemoval,
  UnsignedUnassignment,
} from './types.js';

/** A plain value tree that cborg encodes as CBOR (objects become maps). */
type Plain = number | string | boolean | Uint8Array | Plain[] | { [key: string]: Plain };

function withSig(value: { [key: string]: Plain }, sig: Uint8Array | undefined): { [key: string]: Plain } {
  if (sig !== undefined) value.sig = sig;
  return value;
}

function plainAttestation(a: UnsignedAttestation & { sig?: Uint8Array }): { [key: string]: Plain } {
  const { v, csi, rk, csip, epoch, iat, exp } = a;
  return withSig({ v, csi, rk, csip, epoch, iat, exp }, a.sig);
}

function plainMapping(m: UnsignedMapping & { sig?: Uint8Array }): { [key: string]: Plain } {
  const value: { [key: string]: Plain } = {
    v: m.v,
    csi: m.csi,
    id: m.id,
    serial: m.serial,
    iat: m.iat,
    exp: m.exp,
    msps: m.msps.map(({ msp, pri, tags }) => ({ msp, pri, tags: [...tags] })),
    att: plainAttestation(m.att),
  };
  // Booleans are present only when true; `policy` is left out when empty.
  if (m.new === true) value.new = true;
  if (m.policy?.sameMspOnly === true) value.policy = { sameMspOnly: true };
  return withSig(value, m.sig);
}

function plainRemoval(r: UnsignedRemoval & { sig?: Uint8Array }): { [key: string]: Plain } {
  const value: { [key: string]: Plain } = { v: r.v, csi: r.csi, rk: r.rk, serial: r.serial, iat: r.iat };
  if (r.ids !== undefined) value.ids = [...r.ids];
  if (r.all === true) value.all = true;
  return withSig(value, r.sig);
}

function plainUnassignment(u: UnsignedUnassignment & { sig?: Uint8Array }): { [key: string]: Plain } {
  const { v, csi, csip, epoch, iat } = u;
  return withSig({ v, csi, csip, epoch, iat }, u.sig);
}

function plainCsipKey(k: CsipKeyRecord): { [key: string]: Plain } {
  return { v: k.v, id: k.id, pk: k.pk, scope: [...k.scope], exp: k.exp };
}

type AnyObject = ObjectsByKind[ObjectKind] | UnsignedObjects[SignedKind];

function plainOf(kind: ObjectKind, object: AnyObject): { [key: string]: Plain } {
  switch (kind) {
    case 'attestation':
      return plainAttestation(object as Attestation);
    case 'mapping':
      return plainMapping(object as Mapping);
    case 'removal':
      return plainRemoval(object as Removal);
    case 'unassignment':
      return plainUnassignment(object as Unassignment);
    case 'csipkey':
      return plainCsipKey(object as CsipKeyRecord);
  }
}

/** The schema of `kind`; `signed` says whether `sig` must be present. */
function applySchema(kind: ObjectKind, value: CborValue, signed: boolean): AnyObject {
  switch (kind) {
    case 'attestation':
      return attestationSchema(value, signed);
    case 'mapping':
      return mappingSchema(value, signed);
    case 'removal':
      return removalSchema(value, signed);
    case 'unassignment':
      return unassignmentSchema(value, signed);
    case 'csipkey':
      return csipKeySchema(value);
  }
}

function decodeAs(kind: ObjectKind, bytes: Uint8Array, signed: boolean): AnyObject {
  if (bytes.length > MAX_OBJECT_OCTETS) {
    throw new ObjectError('too-large', `${kind} of ${bytes.length} octets is over ${MAX_OBJECT_OCTETS}`, {
      details: { length: bytes.length },
    });
  }
  return applySchema(kind, readCbor(bytes), signed);
}

/**
 * Values cborg would encode other than as the schema wants (floats for fractions and
 * unsafe integers, negative integers) or not at all (`undefined`) are refused here with
 * the code the decoder would give, naming the field.
 */
function checkPlain(value: Plain | undefined, path: string): void {
  if (value === undefined) {
    throw new ObjectError('schema-missing-key', `${path}: missing`, { details: { path } });
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      throw new ObjectError('schema-type', `${path}: ${value} is not an unsigned integer`, {
        details: { path },
      });
    }
    if (value > MAX_UINT) {
      throw new ObjectError('schema-limit', `${path}: exceeds 2^53-1`, { details: { path } });
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkPlain(item, `${path}[${i}]`);
  } else if (typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [key, item] of Object.entries(value)) checkPlain(item, `${path}.${key}`);
  }
}

/**
 * Deterministic CBOR of an object without the read-back check: for objects already
 * known valid (decoded, or checked by encodeChecked). Internal to the objects module.
 */
export function cborOf(kind: ObjectKind, object: AnyObject): Uint8Array {
  let plain: { [key: string]: Plain };
  try {
    plain = plainOf(kind, object);
  } catch (cause) {
    // A caller outside TypeScript's checks left out a whole structure (`msps`, `att`).
    throw new ObjectError('schema-missing-key', `${kind}: incomplete object`, { cause });
  }
  checkPlain(plain, kind);
  try {
    // A plain Uint8Array of our own (cborg hands out a Buffer on Node).
    return Uint8Array.from(encode(plain));
  } catch (cause) {
    // A value of a type CBOR has no form for (a function, a symbol).
    const what = cause instanceof Error ? cause.message : String(cause);
    throw new ObjectError('schema-type', `${kind}: not encodable (${what.toLowerCase()})`, { cause });
  }
}

function encodeChecked(kind: ObjectKind, object: AnyObject, signed: boolean): Uint8Array {
  const bytes = cborOf(kind, object);
  decodeAs(kind, bytes, signed);
  return bytes;
}

/**
 * Strictly decode one object of `kind` (a signed object, or a CSIP key record).
 * Throws ObjectError: `too-large`, a `cbor-*` code (cbor-reader.ts), a `schema-*` code
 * (fields.ts, schema.ts), `version` or `csi-not-normalized`.
 */
export function decodeObject<K extends ObjectKind>(kind: K, bytes: Uint8Array): ObjectsByKind[K] {
  return decodeAs(kind, bytes, true) as ObjectsByKind[K];
}

/** Deterministic CBOR of a signed object or CSIP key record; refuses what decodeObject would refuse. */
export function encodeObject<K extends ObjectKind>(kind: K, object: ObjectsByKind[K]): Uint8Array {
  return encodeChecked(kind, object, true);
}

/** Deterministic CBOR of an object without `sig` (the tail of its signing input). */
export function encodeUnsigned<K extends SignedKind>(kind: K, object: UnsignedObjects[K]): Uint8Array {
  return encodeChecked(kind, object, false);
}

export const decodeCsipKeyRecord = (bytes: Uint8Array): CsipKeyRecord => decodeObject('csipkey', bytes);
export const decodeAttestation = (bytes: Uint8Array): Attestation => decodeObject('attestation', bytes);
export const decodeMapping = (bytes: Uint8Array): Mapping => decodeObject('mapping', bytes);
export const decodeRemoval = (bytes: Uint8Array): Removal => decodeObject('removal', bytes);
export const decodeUnassignment = (bytes: Uint8Array): Unassignment => decodeObject('unassignment', bytes);
export const encodeCsipKeyRecord = (record: CsipKeyRecord): Uint8Array => encodeObject('csipkey', record);
