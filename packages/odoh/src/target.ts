/**
 * The target side of ODoH (RFC 9230 §8): find the key by key_id, open the query, and
 * seal the DNS answer under keys derived from the query's HPKE context and a fresh
 * resp_nonce.
 */
import { randomBytes } from 'node:crypto';
import {
  LABEL_QUERY,
  MESSAGE_TYPE_QUERY,
  MESSAGE_TYPE_RESPONSE,
  NT,
  RESPONSE_NONCE_LENGTH,
  RESPONSE_PADDING_BLOCK,
  X25519_KEY_LENGTH,
} from './constants.js';
import { OdohError } from './errors.js';
import { openBase } from './hpke.js';
import {
  decodeMessage,
  decodePlaintext,
  encodeMessage,
  encodePlaintext,
  type PaddingOptions,
  paddingLengthFor,
  queryAad,
} from './message.js';
import { OdohResponseContext } from './response-context.js';
import type { TargetKeys } from './target-key.js';

const QUERY_INFO = new TextEncoder().encode(LABEL_QUERY);

export interface OpenedQuery {
  /** The plaintext DNS query. */
  readonly query: Uint8Array;
  /** Pass it to `sealResponse` for this query's answer. */
  readonly context: OdohResponseContext;
}

/**
 * Steps 1–4 of RFC 9230 §8. Errors: `odoh-malformed` (bytes, type), `odoh-unknown-key`
 * (no such key_id: HTTP 401), `odoh-decrypt`, `odoh-padding` (HTTP 400).
 */
export function openQuery(keys: TargetKeys, request: Uint8Array): OpenedQuery {
  const message = decodeMessage(request, MESSAGE_TYPE_QUERY);
  const key = keys.findKey(message.keyId);
  if (key === undefined) {
    throw new OdohError('odoh-unknown-key', 'odoh query for a key id this target does not hold', {
      details: { keyIdLength: message.keyId.length },
    });
  }
  const encrypted = message.encryptedMessage;
  if (encrypted.length < X25519_KEY_LENGTH + NT) {
    throw new OdohError(
      'odoh-malformed',
      `odoh query: encrypted_message is ${encrypted.length} bytes, shorter than enc and tag`,
      { details: { length: encrypted.length } },
    );
  }
  const enc = encrypted.subarray(0, X25519_KEY_LENGTH);
  const opened = openBase(
    key,
    enc,
    QUERY_INFO,
    queryAad(message.keyId),
    encrypted.subarray(X25519_KEY_LENGTH),
  );
  const query = decodePlaintext(opened.plaintext);
  return { query, context: OdohResponseContext.fromExporter(opened.exporterSecret, opened.plaintext) };
}

export interface SealResponseOptions extends PaddingOptions {
  /** Tests only: a fixed resp_nonce (16 bytes); otherwise random (RFC 9230 §8 step 6). */
  readonly responseNonce?: Uint8Array;
}

/** Steps 5–9 of RFC 9230 §8; pads the answer to 468-byte blocks unless told otherwise. */
export function sealResponse(
  context: OdohResponseContext,
  dnsResponse: Uint8Array,
  options: SealResponseOptions = {},
): Uint8Array {
  const responseNonce = options.responseNonce ?? new Uint8Array(randomBytes(RESPONSE_NONCE_LENGTH));
  if (responseNonce.length !== RESPONSE_NONCE_LENGTH) {
    throw new OdohError(
      'odoh-malformed',
      `resp_nonce is ${responseNonce.length} bytes, must be ${RESPONSE_NONCE_LENGTH}`,
    );
  }
  const plaintext = encodePlaintext(
    dnsResponse,
    paddingLengthFor(dnsResponse.length, options, RESPONSE_PADDING_BLOCK),
  );
  return encodeMessage({
    messageType: MESSAGE_TYPE_RESPONSE,
    keyId: responseNonce,
    encryptedMessage: context.seal(responseNonce, plaintext),
  });
}
