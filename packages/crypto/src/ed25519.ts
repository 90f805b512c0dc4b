/**
 * Ed25519 under the project's strict profile (RFC 8032 §5.1.7, not ZIP 215; DESIGN §4):
 * public keys and R must be canonical encodings, public keys of small order are
 * refused, S < L, and the cofactorless equation must hold.
 *
 * Hot paths run on node:crypto (OpenSSL), which is cofactorless and rejects S ≥ L but
 * accepts non-canonical and small-order public keys; so every public key is checked
 * here first (with noble's strict point decoding) and the verdict cached, together with
 * the imported KeyObject, in a small bounded cache.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { CryptoError } from './errors.js';

export const PUBLIC_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;
export const SEED_LENGTH = 32;

/** DER prefix of a PKCS#8 Ed25519 private key: the 32-byte seed follows (RFC 8410 §7). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * 32-octet little-endian constants of RFC 8032 §5.1, compared octet by octet from the
 * most significant end (a BigInt per check was a visible share of verification):
 * p = 2^255 - 19, p - 1, 1, and L = 2^252 + 27742317777372353535851937790883648493.
 */
const P_OCTETS = littleEndian('7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed');
const P_MINUS_1_OCTETS = littleEndian('7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec');
const ONE_OCTETS = littleEndian('0000000000000000000000000000000000000000000000000000000000000001');
const L_OCTETS = littleEndian('1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed');

/** The octets, least significant first, of a 64-digit big-endian hex number. */
function littleEndian(bigEndianHex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(bigEndianHex, 'hex')).reverse();
}

/**
 * Compares the 32-octet little-endian numbers `a` (its top octet masked with `topMask`)
 * and `b`: negative, zero or positive.
 */
function compareLittleEndian(a: Uint8Array, b: Uint8Array, topMask = 0xff): number {
  const top = (a[31]! & topMask) - b[31]!;
  if (top !== 0) return top;
  for (let i = 30; i >= 0; i--) {
    const diff = a[i]! - b[i]!;
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * True when a 32-byte point encoding is canonical: y < p, and not "x = 0 with the sign
 * bit set" (the points with x = 0 have y = 1 or y = p - 1).
 */
export function isCanonicalPointEncoding(encoding: Uint8Array): boolean {
  if (encoding.length !== 32) return false;
  // y is the encoding without its top bit, the sign of x.
  if (compareLittleEndian(encoding, P_OCTETS, 0x7f) >= 0) return false;
  const signBit = (encoding[31]! & 0x80) !== 0;
  if (
    signBit &&
    (compareLittleEndian(encoding, ONE_OCTETS, 0x7f) === 0 ||
      compareLittleEndian(encoding, P_MINUS_1_OCTETS, 0x7f) === 0)
  ) {
    return false;
  }
  return true;
}

/** True when a 32-byte scalar S (little-endian) is below the group order L (RFC 8032 §5.1.7). */
export function isCanonicalScalar(scalar: Uint8Array): boolean {
  return scalar.length === 32 && compareLittleEndian(scalar, L_OCTETS) < 0;
}

interface CheckedKey {
  readonly keyObject: KeyObject;
}

/**
 * The canonical encodings of the eight points of small order (the torsion subgroup):
 * a canonical encoding of a small-order point is one of these, so after the canonical
 * check a set lookup replaces a point decompression on the hot path.
 */
const SMALL_ORDER_ENCODINGS: ReadonlySet<string> = new Set([
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
]);

const KEY_CACHE_LIMIT = 4096;
const checkedKeys = new Map<string, CheckedKey>();

function cacheKey(key: CheckedKey, hex: string): CheckedKey {
  if (checkedKeys.size >= KEY_CACHE_LIMIT) {
    const oldest = checkedKeys.keys().next().value;
    if (oldest !== undefined) checkedKeys.delete(oldest);
  }
  checkedKeys.set(hex, key);
  return key;
}

/** Throws `key-noncanonical` unless the encoding decodes to a point on the curve (noble, strict). */
function assertOnCurve(publicKey: Uint8Array): void {
  try {
    ed25519.Point.fromBytes(publicKey, false);
  } catch (cause) {
    throw new CryptoError('key-noncanonical', 'ed25519 public key is not a point on the curve', { cause });
  }
}

/**
 * Check a public key against the profile and return it as a node KeyObject.
 * Throws CryptoError `key-length`, `key-noncanonical` or `key-small-order`. Whether the
 * point is on the curve at all is left to a failed verification (verifyEd25519), so a
 * new key costs a JWK import — several times cheaper than DER — and no decompression.
 */
function checkedPublicKey(publicKey: Uint8Array): CheckedKey {
  if (publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new CryptoError('key-length', `ed25519 public key must be 32 bytes, got ${publicKey.length}`);
  }
  const hex = Buffer.from(publicKey).toString('hex');
  const cached = checkedKeys.get(hex);
  if (cached) return cached;
  if (!isCanonicalPointEncoding(publicKey)) {
    throw new CryptoError('key-noncanonical', 'ed25519 public key is not a canonical point encoding');
  }
  if (SMALL_ORDER_ENCODINGS.has(hex)) {
    throw new CryptoError('key-small-order', 'ed25519 public key is a point of small order');
  }
  const x = Buffer.from(publicKey).toString('base64url');
  const keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  return cacheKey({ keyObject }, hex);
}

/** Throws unless `publicKey` is acceptable under the profile (for keys entered by hand). */
export function checkPublicKey(publicKey: Uint8Array): void {
  checkedPublicKey(publicKey);
  assertOnCurve(publicKey);
}

/**
 * Strict verification. Returns false for a signature that does not verify; throws
 * CryptoError for a public key the profile refuses (so callers can report why).
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const { keyObject } = checkedPublicKey(publicKey);
  if (signature.length !== SIGNATURE_LENGTH) return false;
  if (!isCanonicalPointEncoding(signature.subarray(0, 32))) return false;
  if (!isCanonicalScalar(signature.subarray(32, 64))) return false;
  if (verify(null, message, keyObject, signature)) return true;
  // Rare path: say why when the key itself is at fault (not a point on the curve).
  assertOnCurve(publicKey);
  return false;
}

/** Sign with pure Ed25519 (no context, no pre-hash; RFC 8032 §5.1.6). */
export function signEd25519(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey));
}

/** A private key from its 32-byte RFC 8032 seed. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== SEED_LENGTH) {
    throw new CryptoError('key-length', `ed25519 seed must be 32 bytes, got ${seed.length}`);
  }
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The 32-byte seed of a private key (for DNSSEC key files and tests). */
export function seedOf(privateKey: KeyObject): Uint8Array {
  assertEd25519Private(privateKey);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(der.length - SEED_LENGTH));
}

/** The raw 32-byte public key of a private key. */
export function publicKeyOf(privateKey: KeyObject): Uint8Array {
  assertEd25519Private(privateKey);
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - PUBLIC_KEY_LENGTH));
}

/** A fresh key pair from the operating system's CSPRNG. */
export function generateEd25519(): { privateKey: KeyObject; publicKey: Uint8Array } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

export function assertEd25519Private(key: KeyObject): void {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new CryptoError('key-file-format', 'expected an ed25519 private key');
  }
}
