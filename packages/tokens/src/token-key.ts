/**
 * Issuer public keys in the RFC 9578 §6.5 encoding: "a DER-encoded SubjectPublicKeyInfo
 * (SPKI) object carrying pkI. The SPKI object MUST use the RSASSA-PSS OID [RFC5756],
 * which specifies the hash algorithm and salt size" (SHA-384, MGF1-SHA-384, 48). The key
 * id is "SHA256(encoded_key)" and a TokenRequest carries only its last octet.
 *
 * The conversions between the rsaEncryption SPKI that node:crypto and WebCrypto speak
 * and the RSASSA-PSS one come from the Privacy Pass library, so our directory bytes are
 * the ones every other implementation of it produces.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { publicVerif } from '@cloudflare/privacypass-ts';
import { NID, NK } from './constants.js';
import { TokenError } from './errors.js';

/** A token key as a verifier or client holds it. */
export interface TokenKey {
  /** RFC 9578 §6.5 encoding (what the directory carries, base64url). */
  readonly encoded: Uint8Array;
  /** SHA256(encoded): RFC 9577 `token_key_id`. */
  readonly id: Uint8Array;
  /** For node:crypto RSASSA-PSS verification. */
  readonly publicKey: KeyObject;
}

/** RFC 9578 §6.5 encoding of an RSA public key (node KeyObject, rsaEncryption). */
export function encodeTokenKey(publicKey: KeyObject): Uint8Array {
  if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'rsa') {
    throw new TokenError('token-key-invalid', 'issuer key must be an rsa public key');
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength;
  if (bits !== NK * 8) {
    throw new TokenError('token-key-invalid', `issuer key must have a ${NK * 8}-bit modulus, got ${bits}`);
  }
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return publicVerif.convertEncToRSASSAPSS(spki);
}

/** RFC 9578 §6.5: token_key_id = SHA256(encoded_key). */
export function tokenKeyId(encoded: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(encoded).digest());
}

/**
 * RFC 9578 §6.1: "truncated_token_key_id" is the least significant byte of the
 * token_key_id in network byte order (in other words, the last 8 bits of token_key_id).
 */
export function truncatedKeyId(id: Uint8Array): number {
  if (id.length !== NID) throw new TokenError('token-key-invalid', `token key id must be ${NID} octets`);
  return id[NID - 1]!;
}

/**
 * Decode a directory `token-key`: exactly the RFC 9578 §6.5 SPKI with the RSASSA-PSS
 * parameters SHA-384 / MGF1-SHA-384 / salt 48 (re-encoding must give the same bytes, so
 * no other parameters or DER variants pass), carrying a 2048-bit RSA key.
 */
export function decodeTokenKey(encoded: Uint8Array): TokenKey {
  let publicKey: KeyObject;
  try {
    const rsaEncryption = publicVerif.convertRSASSAPSSToEnc(encoded);
    publicKey = createPublicKey({ key: Buffer.from(rsaEncryption), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new TokenError('token-key-invalid', 'token key is not a der subjectpublickeyinfo', { cause });
  }
  const canonical = encodeTokenKey(publicKey);
  if (!Buffer.from(canonical).equals(Buffer.from(encoded))) {
    throw new TokenError(
      'token-key-invalid',
      'token key is not the rfc 9578 rsassa-pss encoding (sha-384, mgf1 sha-384, salt 48)',
    );
  }
  return { encoded: canonical, id: tokenKeyId(canonical), publicKey };
}
