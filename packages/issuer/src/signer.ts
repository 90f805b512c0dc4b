/**
 * RFC 9474 §4.3 BlindSign with OpenSSL's raw RSA (node:crypto), ≈ 1 ms a token where the
 * Privacy Pass library's pure-JS big numbers take ≈ 0.5 s:
 *
 *   1. m = bytes_to_int(blinded_msg)
 *   2. s = RSASP1(sk, m)             privateDecrypt with RSA_NO_PADDING (OpenSSL refuses m ≥ n,
 *                                    RFC 8017 §5.2.1 "message representative out of range")
 *   3. m' = RSAVP1(pk, s)            publicEncrypt with RSA_NO_PADDING
 *   4. If m != m', raise "signing failure" and stop   (a fault must not leak the key)
 *   5. blind_sig = int_to_bytes(s, modulus_len)
 */
import { constants, type KeyObject, privateDecrypt, publicEncrypt } from 'node:crypto';
import { NK } from '@mimi/tokens';
import { IssuerError, IssuerHttpError } from './errors.js';

export function blindSign(privateKey: KeyObject, publicKey: KeyObject, blindedMsg: Uint8Array): Uint8Array {
  if (blindedMsg.length !== NK) {
    throw new IssuerHttpError(
      422,
      'token-request-malformed',
      `blinded message of ${blindedMsg.length} octets, not ${NK}`,
    );
  }
  const m = Buffer.from(blindedMsg.buffer, blindedMsg.byteOffset, blindedMsg.byteLength);
  let s: Buffer;
  try {
    s = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, m);
  } catch (cause) {
    throw new IssuerHttpError(
      422,
      'token-request-malformed',
      'blinded message is not below the issuer modulus',
      {
        cause,
      },
    );
  }
  // OpenSSL returns the modulus length, leading zeros included (step 5).
  const check =
    s.length === NK ? publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, s) : null;
  if (check === null || !check.equals(m)) {
    throw new IssuerError('signing-failure', 'rsa signature failed its own verification');
  }
  return new Uint8Array(s);
}
