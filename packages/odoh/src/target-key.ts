/**
 * A target's key: the X25519 private key, its ObliviousDoHConfigContents and key id,
 * built once so the per-query path does no key parsing (RFC 9230 §8 step 1 looks keys
 * up by key_id).
 */
import type { KeyObject } from 'node:crypto';
import { keyIdOf, type ObliviousDoHConfigContents } from './config.js';
import { AEAD_AES_128_GCM, KDF_HKDF_SHA256, KEM_X25519_HKDF_SHA256 } from './constants.js';
import { deriveX25519, generateX25519, privateKeyFromRaw, rawPrivateKey, rawPublicKey } from './x25519.js';

export interface TargetKey {
  readonly keyId: Uint8Array;
  readonly config: ObliviousDoHConfigContents;
  readonly privateKey: KeyObject;
  /** Raw public key, kept for the KEM context (RFC 9180 §4.1 Decap: kem_context = enc || pkRm). */
  readonly publicKey: Uint8Array;
}

/** What `openQuery` needs: a lookup by key id (a key ring, or a single key in tests). */
export interface TargetKeys {
  findKey(keyId: Uint8Array): TargetKey | undefined;
}

function fromPrivateKey(privateKey: KeyObject): TargetKey {
  const publicKey = rawPublicKey(privateKey);
  const config: ObliviousDoHConfigContents = {
    kemId: KEM_X25519_HKDF_SHA256,
    kdfId: KDF_HKDF_SHA256,
    aeadId: AEAD_AES_128_GCM,
    publicKey,
  };
  return { keyId: keyIdOf(config), config, privateKey, publicKey };
}

export function generateTargetKey(): TargetKey {
  return fromPrivateKey(generateX25519().privateKey);
}

/** From a raw 32-byte X25519 private key (the key ring file stores these). */
export function targetKeyFromPrivate(raw: Uint8Array): TargetKey {
  return fromPrivateKey(privateKeyFromRaw(raw));
}

/** RFC 9180 DeriveKeyPair from seed bytes (the vectors' `public_key_seed`). */
export function targetKeyFromSeed(ikm: Uint8Array): TargetKey {
  return fromPrivateKey(deriveX25519(ikm).privateKey);
}

export function exportPrivateKey(key: TargetKey): Uint8Array {
  return rawPrivateKey(key.privateKey);
}

/** A key set of one: handy for tests and a target without rotation. */
export function singleKey(key: TargetKey): TargetKeys {
  return { findKey: (keyId) => (equalBytes(keyId, key.keyId) ? key : undefined) };
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
