/**
 * The integer side of RSA for the blind-signature client (RFC 8017 §4 data conversion,
 * RFC 9474 §2.1 helper functions) on native BigInt: I2OSP / OS2IP, modular
 * exponentiation and inverse, and a uniform random integer below a bound.
 *
 * Why native BigInt: the Privacy Pass library's bignums (sjcl, pure JS) spent ≈ 35 ms
 * per blinding on this machine, nearly all of it in `inverseMod`, `mod` and `mul`; the
 * same steps on BigInt take well under a millisecond.
 */
import { randomBytes } from 'node:crypto';
import { TokenError } from './errors.js';

/** RFC 8017 §4.2 OS2IP: big-endian octets to a non-negative integer. */
export function os2ip(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`);
}

/** RFC 8017 §4.1 I2OSP: "integer too large" when x ≥ 256^length. */
export function i2osp(x: bigint, length: number): Uint8Array {
  if (x < 0n) throw new TokenError('blind-rsa-input-invalid', 'integer to encode is negative');
  const hex = x.toString(16);
  if (hex.length > length * 2) {
    throw new TokenError('blind-rsa-input-invalid', `integer too large for ${length} octets`);
  }
  return new Uint8Array(Buffer.from(hex.padStart(length * 2, '0'), 'hex'));
}

/** base^exponent mod modulus, square-and-multiply from the top bit (exponent ≥ 0, modulus > 1). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  const b = base % modulus;
  // A zero exponent leaves result 1, which is right for every modulus > 1.
  for (let i = BigInt(exponent.toString(2).length - 1); i >= 0n; i--) {
    result = (result * result) % modulus;
    if ((exponent >> i) & 1n) result = (result * b) % modulus;
  }
  return result;
}

/**
 * The inverse of `a` modulo `modulus` (extended Euclid), or null when gcd(a, modulus) ≠ 1.
 * RFC 9474 §4.2 raises "blinding error" in that case; the caller decides.
 */
export function modInverse(a: bigint, modulus: bigint): bigint | null {
  let [oldR, r] = [((a % modulus) + modulus) % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) return null;
  return ((oldS % modulus) + modulus) % modulus;
}

/** Bit length of a positive integer (RFC 9474 `bit_len`). */
export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * RFC 9474 §2.1 random_integer_uniform(1, n): a uniform integer in [1, n), by rejection
 * over bit_len(n) random bits (fewer than 2 draws on average). `random` is injectable
 * for tests; it must return `count` fresh random octets.
 */
export function randomBelow(
  n: bigint,
  random: (count: number) => Uint8Array = (count) => new Uint8Array(randomBytes(count)),
): bigint {
  const bits = bitLength(n);
  const octets = Math.ceil(bits / 8);
  const excess = BigInt(octets * 8 - bits);
  for (;;) {
    const candidate = os2ip(random(octets)) >> excess;
    if (candidate >= 1n && candidate < n) return candidate;
  }
}
