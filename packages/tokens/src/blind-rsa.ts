/**
 * The client half of RSA blind signatures (RFC 9474 §4.2 Blind, §4.3 Finalize) for the
 * variant Privacy Pass token type 0x0002 uses, RSABSSA-SHA384-PSS-Deterministic (RFC 9474
 * §5: SHA-384, MGF1-SHA-384, 48-octet salt, identity Prepare; RFC 9578 §6), on
 * node:crypto and native BigInt.
 *
 * EMSA-PSS-ENCODE is RFC 8017 §9.1.1 with MGF1 of §B.2.1. Finalize ends with the
 * RSASSA-PSS verification of RFC 9474 §4.3 step 4 through OpenSSL, so a wrong blind
 * signature never becomes a token.
 *
 * Why not the Privacy Pass library here: its pure-JS bignums cost ≈ 35 ms per blinding,
 * which bound a bulk resolve through tokens (one per new CSI). The library remains the
 * reference for the token formats (issuance-client.ts) and for verification (tests).
 */
import { constants, createHash, type KeyObject, randomBytes, verify } from 'node:crypto';
import { PSS_HASH, PSS_SALT_LENGTH } from './constants.js';
import { TokenError } from './errors.js';
import { bitLength, i2osp, modInverse, modPow, os2ip, randomBelow } from './rsa-integers.js';

/** RFC 9474 §5: "SHA-384 as the EMSA-PSS Hash option" — hLen 48. */
const H_LEN = 48;

/** An RSA public key as the blinding arithmetic needs it. */
export interface RsaPublicKey {
  readonly n: bigint;
  readonly e: bigint;
  /** RFC 9474 `modulus_len`: octets of n. */
  readonly modulusLength: number;
  /** For the RSASSA-PSS check at the end of Finalize. */
  readonly keyObject: KeyObject;
}

export interface BlindOutput {
  /** RFC 9474 §4.2 `blinded_msg`, modulus_len octets. */
  readonly blindedMsg: Uint8Array;
  /** RFC 9474 §4.2 `inv`: the blinding inverse, kept by the client for Finalize. */
  readonly inv: bigint;
}

/** Deterministic inputs, for test vectors only: the PSS salt and the blind r. */
export interface BlindInputs {
  readonly salt?: Uint8Array;
  readonly r?: bigint;
}

/** n and e of a node:crypto RSA public key. */
export function rsaPublicKeyOf(keyObject: KeyObject): RsaPublicKey {
  if (keyObject.type !== 'public' || keyObject.asymmetricKeyType !== 'rsa') {
    throw new TokenError('token-key-invalid', 'blind rsa needs an rsa public key');
  }
  const jwk = keyObject.export({ format: 'jwk' });
  const n = os2ip(Buffer.from(jwk.n ?? '', 'base64url'));
  const e = os2ip(Buffer.from(jwk.e ?? '', 'base64url'));
  return { n, e, modulusLength: Math.ceil(bitLength(n) / 8), keyObject };
}

function sha384(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha384');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** RFC 8017 §B.2.1 MGF1 with SHA-384: `length` octets from `seed`. */
export function mgf1(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / H_LEN) * H_LEN);
  const counter = new Uint8Array(4);
  for (let i = 0; i * H_LEN < length; i++) {
    new DataView(counter.buffer).setUint32(0, i);
    out.set(sha384(seed, counter), i * H_LEN);
  }
  return out.subarray(0, length);
}

/**
 * RFC 8017 §9.1.1 EMSA-PSS-ENCODE(M, emBits) with SHA-384, MGF1-SHA-384 and `salt`:
 * EM = maskedDB || H || 0xbc, where H = Hash(0x00*8 || mHash || salt) and
 * DB = PS || 0x01 || salt, the leftmost 8·emLen − emBits bits of maskedDB cleared.
 */
export function emsaPssEncode(msg: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const emLen = Math.ceil(emBits / 8);
  // Step 3: "If emLen < hLen + sLen + 2, output 'encoding error' and stop."
  if (emLen < H_LEN + salt.length + 2) {
    throw new TokenError('blind-rsa-input-invalid', `pss encoding error: ${emBits} bits is too short`);
  }
  const mHash = sha384(msg);
  const h = sha384(new Uint8Array(8), mHash, salt);
  const dbLength = emLen - H_LEN - 1;
  const db = new Uint8Array(dbLength);
  db[dbLength - salt.length - 1] = 0x01;
  db.set(salt, dbLength - salt.length);
  const mask = mgf1(h, dbLength);
  for (let i = 0; i < dbLength; i++) db[i] = db[i]! ^ mask[i]!;
  db[0] = db[0]! & (0xff >> (8 * emLen - emBits));
  const em = new Uint8Array(emLen);
  em.set(db, 0);
  em.set(h, dbLength);
  em[emLen - 1] = 0xbc;
  return em;
}

/**
 * RFC 9474 §4.2 Blind(pk, msg): encode msg with EMSA-PSS, multiply by r^e for a fresh
 * uniform r, and return the blinded message with r⁻¹ mod n.
 *
 * Steps 3 and 4 ("m is not coprime with n" → invalid input; r not invertible →
 * blinding error) are one inversion here: (m·r)⁻¹ exists exactly when both m and r are
 * coprime with n, and r⁻¹ = m·(m·r)⁻¹. An r that fails is drawn again (both events
 * mean a factor of n was found, probability ≈ 2^-1000).
 */
export function blind(pk: RsaPublicKey, msg: Uint8Array, inputs: BlindInputs = {}): BlindOutput {
  const salt = inputs.salt ?? new Uint8Array(randomBytes(PSS_SALT_LENGTH));
  const encoded = emsaPssEncode(msg, bitLength(pk.n) - 1, salt);
  const m = os2ip(encoded);
  for (;;) {
    const r = inputs.r ?? randomBelow(pk.n);
    const inverse = modInverse((m * r) % pk.n, pk.n);
    if (inverse === null) {
      if (modInverse(m, pk.n) === null) {
        throw new TokenError('blind-rsa-input-invalid', 'encoded message is not coprime with the modulus');
      }
      if (inputs.r !== undefined)
        throw new TokenError('blind-rsa-input-invalid', 'blind r is not invertible');
      continue;
    }
    const inv = (m * inverse) % pk.n;
    // Step 6: x = RSAVP1(pk, r) = r^e mod n; step 7: z = m · x mod n.
    const z = (m * modPow(r, pk.e, pk.n)) % pk.n;
    return { blindedMsg: i2osp(z, pk.modulusLength), inv };
  }
}

/**
 * RFC 9474 §4.3 Finalize(pk, msg, blind_sig, inv): s = z · inv mod n, then
 * RSASSA-PSS-VERIFY(pk, msg, sig) with SHA-384 and a 48-octet salt; the signature.
 */
export function finalize(pk: RsaPublicKey, msg: Uint8Array, blindSig: Uint8Array, inv: bigint): Uint8Array {
  // Step 1: "If len(blind_sig) != modulus_len, raise 'unexpected input size'."
  if (blindSig.length !== pk.modulusLength) {
    throw new TokenError(
      'blind-rsa-input-invalid',
      `blind signature of ${blindSig.length} octets, expected ${pk.modulusLength}`,
    );
  }
  const z = os2ip(blindSig);
  if (z >= pk.n) throw new TokenError('blind-rsa-input-invalid', 'blind signature is not below the modulus');
  const sig = i2osp((z * inv) % pk.n, pk.modulusLength);
  const ok = verify(
    PSS_HASH,
    msg,
    { key: pk.keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH },
    sig,
  );
  if (!ok) throw new TokenError('blind-rsa-signature-invalid', 'unblinded signature does not verify');
  return sig;
}
