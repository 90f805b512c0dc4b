/** Byte encodings used at our boundaries: hex, base64url (unpadded), standard base64. */
import { CryptoError } from './errors.js';

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new CryptoError('encoding', 'not a hex string');
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict unpadded base64url (RFC 4648 §5): Node's decoder silently skips junk, we do not. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new CryptoError('encoding', 'not unpadded base64url');
  }
  return new Uint8Array(Buffer.from(text, 'base64url'));
}

/** Standard base64 with padding (RFC 4648 §4), strictly. */
export function fromBase64(text: string): Uint8Array {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new CryptoError('encoding', 'not standard base64');
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * A 32-byte Ed25519 public key typed by a person: unpadded base64url (43 characters,
 * what we print) or standard base64 (44 characters with padding).
 */
export function parsePublicKeyText(text: string): Uint8Array {
  const trimmed = text.trim();
  let bytes: Uint8Array;
  try {
    bytes = /^[A-Za-z0-9_-]{43}$/.test(trimmed) ? fromBase64Url(trimmed) : fromBase64(trimmed);
  } catch (cause) {
    throw new CryptoError('encoding', 'public key must be 43 characters of base64url or 44 of base64', {
      cause,
    });
  }
  if (bytes.length !== 32) {
    throw new CryptoError('key-length', `public key must be 32 bytes, got ${bytes.length}`);
  }
  return bytes;
}
