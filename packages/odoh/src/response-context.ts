/**
 * What both ends keep from a query to protect its response (RFC 9230 §6.2 derive_secrets):
 *
 *   secret = context.Export("odoh response", Nk)
 *   salt   = Q_plain || len(resp_nonce) || resp_nonce
 *   prk    = Extract(salt, secret)
 *   key    = Expand(prk, "odoh key", Nk);  nonce = Expand(prk, "odoh nonce", Nn)
 *
 * Extract and Expand are the suite's plain HKDF (not HPKE's labeled variants), and
 * Q_plain is the whole encoded query plaintext, padding included. The context holds
 * secret material, so it prints as a placeholder and never serialises its bytes.
 */
import { inspect } from 'node:util';
import { aesGcmOpen, aesGcmSeal } from './aead.js';
import { LABEL_KEY, LABEL_NONCE, LABEL_RESPONSE, MESSAGE_TYPE_RESPONSE, NK, NN } from './constants.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { exportSecret } from './hpke.js';
import { concatBytes, opaque16 } from './tls-vector.js';

const encoder = new TextEncoder();
const RESPONSE_EXPORT_CONTEXT = encoder.encode(LABEL_RESPONSE);
const KEY_LABEL = encoder.encode(LABEL_KEY);
const NONCE_LABEL = encoder.encode(LABEL_NONCE);

export class OdohResponseContext {
  readonly #secret: Uint8Array;
  readonly #queryPlaintext: Uint8Array;

  private constructor(secret: Uint8Array, queryPlaintext: Uint8Array) {
    this.#secret = secret;
    this.#queryPlaintext = queryPlaintext;
  }

  /** From the HPKE exporter secret of the query's context and the encoded query plaintext. */
  static fromExporter(exporterSecret: Uint8Array, queryPlaintext: Uint8Array): OdohResponseContext {
    return new OdohResponseContext(exportSecret(exporterSecret, RESPONSE_EXPORT_CONTEXT, NK), queryPlaintext);
  }

  /** AES-128-GCM Seal of a response plaintext under `responseNonce` (encrypt_response_body). */
  seal(responseNonce: Uint8Array, responsePlaintext: Uint8Array): Uint8Array {
    const { key, nonce } = this.derive(responseNonce);
    return aesGcmSeal(key, nonce, responseAad(responseNonce), responsePlaintext);
  }

  /** AES-128-GCM Open of a response (decrypt_response_body); `odoh-decrypt` when it fails. */
  open(responseNonce: Uint8Array, encrypted: Uint8Array): Uint8Array {
    const { key, nonce } = this.derive(responseNonce);
    return aesGcmOpen(key, nonce, responseAad(responseNonce), encrypted);
  }

  private derive(responseNonce: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
    const salt = concatBytes(this.#queryPlaintext, opaque16(responseNonce, 'resp_nonce'));
    const prk = hkdfExtract(salt, this.#secret);
    return { key: hkdfExpand(prk, KEY_LABEL, NK), nonce: hkdfExpand(prk, NONCE_LABEL, NN) };
  }

  toJSON(): string {
    return '[odoh response context]';
  }

  [inspect.custom](): string {
    return 'OdohResponseContext [secret]';
  }
}

/** RFC 9230 §6.2: aad = 0x02 || len(resp_nonce) || resp_nonce. */
function responseAad(responseNonce: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(MESSAGE_TYPE_RESPONSE), opaque16(responseNonce, 'resp_nonce'));
}
