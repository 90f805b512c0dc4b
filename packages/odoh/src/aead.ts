/**
 * AES-128-GCM (RFC 9180 §7.3, AEAD id 0x0001) through node:crypto: Seal returns
 * ciphertext || tag, Open checks the 16-byte tag and fails as `odoh-decrypt`.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { NT } from './constants.js';
import { OdohError } from './errors.js';

export function aesGcmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const cipher = createCipheriv('aes-128-gcm', key, nonce, { authTagLength: NT });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const tail = cipher.final();
  return new Uint8Array(Buffer.concat([body, tail, cipher.getAuthTag()]));
}

export function aesGcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array {
  if (sealed.length < NT) {
    throw new OdohError(
      'odoh-decrypt',
      `ciphertext is ${sealed.length} bytes, shorter than the ${NT}-byte tag`,
    );
  }
  const decipher = createDecipheriv('aes-128-gcm', key, nonce, { authTagLength: NT });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - NT));
  const body = decipher.update(sealed.subarray(0, sealed.length - NT));
  try {
    return new Uint8Array(Buffer.concat([body, decipher.final()]));
  } catch (cause) {
    throw new OdohError('odoh-decrypt', 'aes-128-gcm authentication failed', { cause });
  }
}
