/**
 * X25519 (RFC 7748) through node:crypto key objects: raw 32-byte keys in and out, the
 * Diffie-Hellman step, and RFC 9180 §7.1.3 DeriveKeyPair for DHKEM(X25519, HKDF-SHA256).
 * No curve arithmetic here — node (OpenSSL) does it.
 */
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { X25519_KEY_LENGTH } from './constants.js';
import { OdohError } from './errors.js';
import { labeledExpand, labeledExtract } from './labeled-kdf.js';

/** DER prefix of a PKCS#8 X25519 private key, OID 1.3.101.110 (id-X25519, RFC 8410 §7). */
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/** RFC 9180 §4.1: suite_id = concat("KEM", I2OSP(kem_id, 2)), kem_id 0x0020. */
export const KEM_SUITE_ID = Uint8Array.from([0x4b, 0x45, 0x4d, 0x00, 0x20]);

export interface X25519KeyPair {
  readonly privateKey: KeyObject;
  /** The serialized public key (SerializePublicKey, RFC 9180 §7.1.1: the raw 32 bytes). */
  readonly publicKey: Uint8Array;
}

function checkLength(bytes: Uint8Array, what: string): void {
  if (bytes.length !== X25519_KEY_LENGTH) {
    throw new OdohError('odoh-malformed', `${what} is ${bytes.length} bytes, x25519 keys are 32`, {
      details: { length: bytes.length },
    });
  }
}

export function privateKeyFromRaw(raw: Uint8Array): KeyObject {
  checkLength(raw, 'x25519 private key');
  const der = Buffer.concat([PKCS8_PREFIX, raw]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/**
 * Public keys go through JWK (RFC 8037 §2: `x` is the raw key, base64url): node imports
 * a JWK about ten times faster than the same key as SPKI DER, and a target imports one
 * (the client's `enc`) per query.
 */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  checkLength(raw, 'x25519 public key');
  const x = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
}

/** The raw public key of a public or private key object. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const { x } = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(x!, 'base64url'));
}

export function rawPrivateKey(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(PKCS8_PREFIX.length));
}

export function generateX25519(): X25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublicKey(publicKey) };
}

/**
 * RFC 9180 §7.1.3 DeriveKeyPair for X25519: dkp_prk = LabeledExtract("", "dkp_prk", ikm);
 * sk = LabeledExpand(dkp_prk, "sk", "", Nsk). (X25519 clamps the scalar itself.)
 */
export function deriveX25519(ikm: Uint8Array): X25519KeyPair {
  const dkpPrk = labeledExtract(KEM_SUITE_ID, new Uint8Array(0), 'dkp_prk', ikm);
  const sk = labeledExpand(KEM_SUITE_ID, dkpPrk, 'sk', new Uint8Array(0), X25519_KEY_LENGTH);
  const privateKey = privateKeyFromRaw(sk);
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

/**
 * DH(skX, pkY). RFC 9180 §7.1.4: for X25519 the recipient "MUST check whether the
 * Diffie-Hellman shared secret is the all-zero value and abort if so" (a small-order
 * public key); OpenSSL refuses that case too, and either way it is `odoh-decrypt`.
 */
export function x25519(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch (cause) {
    throw new OdohError('odoh-decrypt', 'x25519 key agreement failed (small-order public key)', { cause });
  }
  if (shared.every((byte) => byte === 0)) {
    throw new OdohError('odoh-decrypt', 'x25519 shared secret is all zeros (small-order public key)');
  }
  return new Uint8Array(shared);
}
