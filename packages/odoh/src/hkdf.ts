/**
 * HKDF-SHA256 as two separate steps (RFC 5869 §2.2 Extract, §2.3 Expand) over
 * node:crypto HMAC. node's `hkdfSync` fuses the two; HPKE (RFC 9180 §4) and ODoH
 * (RFC 9230 §6.2) expand one PRK several times with different labels, so we keep them apart.
 */
import { createHmac } from 'node:crypto';
import { NH } from './constants.js';
import { OdohError } from './errors.js';

/**
 * RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an absent salt is HashLen zeros — and HMAC
 * pads its key with zeros, so the empty salt gives the same PRK.
 */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', salt).update(ikm).digest());
}

/** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), L ≤ 255·HashLen. */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 255 * NH) {
    throw new OdohError('odoh-internal', `hkdf expand length ${length} out of range`);
  }
  const out = new Uint8Array(length);
  let previous = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++) {
    previous = new Uint8Array(
      createHmac('sha256', prk).update(previous).update(info).update(Uint8Array.of(i)).digest(),
    );
    out.set(previous.subarray(0, Math.min(NH, length - at)), at);
    at += NH;
  }
  return out;
}
