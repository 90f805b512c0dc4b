/**
 * Signing inputs and signatures of discovery objects (DESIGN §4 "Signing input"):
 * the ASCII context string `mimi-discovery/v1 <kind>`, one zero octet, then the
 * deterministic CBOR of the object without `sig`. Pure Ed25519 (RFC 8032 §5.1.6); the
 * domain separation is in the message, so a signature of one kind never verifies as
 * another.
 */
import type { KeyObject } from 'node:crypto';
import { CryptoError, signEd25519, verifyEd25519 } from '@mimi/crypto';
import { ObjectError } from '../errors.js';
import { cborOf, encodeUnsigned } from './codec.js';
import { SIGNING_CONTEXT_PREFIX } from './constants.js';
import type { SignedKind, SignedObjects, UnsignedObjects } from './types.js';

const ascii = new TextEncoder();

/** `mimi-discovery/v1 <kind>` ‖ 0x00 ‖ `unsignedCbor`. */
export function signingInput(kind: SignedKind, unsignedCbor: Uint8Array): Uint8Array {
  const context = ascii.encode(`${SIGNING_CONTEXT_PREFIX}${kind}`);
  const out = new Uint8Array(context.length + 1 + unsignedCbor.length);
  out.set(context, 0);
  out[context.length] = 0;
  out.set(unsignedCbor, context.length + 1);
  return out;
}

/** A signed object in both forms, with the intermediate bytes (for vectors and logs). */
export interface SignedResult<K extends SignedKind> {
  readonly object: SignedObjects[K];
  /** Deterministic CBOR of the signed object (MSPMAP RDATA for a mapping). */
  readonly bytes: Uint8Array;
  readonly unsignedBytes: Uint8Array;
  readonly signingInput: Uint8Array;
}

/** The object without its `sig`. */
export function unsignedOf<K extends SignedKind>(object: SignedObjects[K]): UnsignedObjects[K] {
  const { sig: _sig, ...unsigned } = object;
  return unsigned as unknown as UnsignedObjects[K];
}

/**
 * Sign `unsigned` as `kind` with an Ed25519 private key. The object is checked against
 * the schema first (ObjectError on any fault), so only decodable objects get signed.
 */
export function signObject<K extends SignedKind>(
  kind: K,
  unsigned: UnsignedObjects[K],
  privateKey: KeyObject,
): SignedResult<K> {
  const unsignedBytes = encodeUnsigned(kind, unsigned);
  const input = signingInput(kind, unsignedBytes);
  const sig = signEd25519(privateKey, input);
  const object = { ...unsigned, sig } as SignedObjects[K];
  return { object, bytes: cborOf(kind, object), unsignedBytes, signingInput: input };
}

export const signAttestation = (unsigned: UnsignedObjects['attestation'], key: KeyObject) =>
  signObject('attestation', unsigned, key);
export const signMapping = (unsigned: UnsignedObjects['mapping'], key: KeyObject) =>
  signObject('mapping', unsigned, key);
export const signRemoval = (unsigned: UnsignedObjects['removal'], key: KeyObject) =>
  signObject('removal', unsigned, key);
export const signUnassignment = (unsigned: UnsignedObjects['unassignment'], key: KeyObject) =>
  signObject('unassignment', unsigned, key);

/**
 * Check `object.sig` under `publicKey` with the strict Ed25519 profile. Throws
 * ObjectError `key-noncanonical`, `key-small-order` (or `key-length`) for a key the
 * profile refuses, `signature` when the signature does not verify.
 */
export function checkObjectSignature<K extends SignedKind>(
  kind: K,
  object: SignedObjects[K],
  publicKey: Uint8Array,
  signer: string,
): void {
  checkSignatureOver(kind, cborOf(kind, unsignedOf<K>(object)), object.sig, publicKey, signer);
}

/**
 * checkObjectSignature with the unsigned CBOR already at hand (cut from the object's own
 * bytes, unsigned-bytes.ts): the same checks and errors. Internal to the objects module.
 */
export function checkSignatureOver(
  kind: SignedKind,
  unsignedCbor: Uint8Array,
  sig: Uint8Array,
  publicKey: Uint8Array,
  signer: string,
): void {
  const input = signingInput(kind, unsignedCbor);
  let valid: boolean;
  try {
    valid = verifyEd25519(publicKey, input, sig);
  } catch (cause) {
    if (cause instanceof CryptoError) {
      throw new ObjectError(cause.code, `${kind}: ${signer} refused: ${cause.message}`, { cause });
    }
    throw cause;
  }
  if (!valid) throw new ObjectError('signature', `${kind}: signature does not verify under ${signer}`);
}
