/**
 * The client side of ODoH (RFC 9230 §7): encrypt a DNS query to a target's config, and
 * decrypt the target's response with what the query left behind.
 *
 *   Q_plain = ObliviousDoHMessagePlaintext(query, zero padding)
 *   enc, ctx = SetupBaseS(pkR, "odoh query");  aad = 0x01 || len(key_id) || key_id
 *   Q = ObliviousDoHMessage(0x01, key_id, enc || ctx.Seal(aad, Q_plain))
 */
import { isSupportedSuite, keyIdOf, type ObliviousDoHConfigContents } from './config.js';
import {
  LABEL_QUERY,
  MESSAGE_TYPE_QUERY,
  MESSAGE_TYPE_RESPONSE,
  QUERY_PADDING_BLOCK,
  RESPONSE_NONCE_LENGTH,
} from './constants.js';
import { OdohError } from './errors.js';
import { sealBase } from './hpke.js';
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
import { concatBytes } from './tls-vector.js';
import type { X25519KeyPair } from './x25519.js';

const QUERY_INFO = new TextEncoder().encode(LABEL_QUERY);

export interface EncryptQueryOptions extends PaddingOptions {
  /** Tests only: a fixed ephemeral key pair so the output is reproducible. */
  readonly ephemeral?: X25519KeyPair;
}

export interface EncryptedQuery {
  /** The ObliviousDoHMessage to POST (type 0x01). */
  readonly request: Uint8Array;
  /** Keep it to decrypt the answer; it is good for exactly this query. */
  readonly context: OdohResponseContext;
}

/** Encrypt `dnsQuery` for `config`; pads to 128-byte blocks unless told otherwise. */
export function encryptQuery(
  config: ObliviousDoHConfigContents,
  dnsQuery: Uint8Array,
  options: EncryptQueryOptions = {},
): EncryptedQuery {
  if (!isSupportedSuite(config)) {
    throw new OdohError(
      'odoh-unsupported',
      `odoh config suite kem 0x${config.kemId.toString(16)} kdf 0x${config.kdfId.toString(16)} aead 0x${config.aeadId.toString(16)} is not supported`,
    );
  }
  const keyId = keyIdOf(config);
  const queryPlaintext = encodePlaintext(
    dnsQuery,
    paddingLengthFor(dnsQuery.length, options, QUERY_PADDING_BLOCK),
  );
  const sealed = sealBase(
    config.publicKey,
    QUERY_INFO,
    queryAad(keyId),
    queryPlaintext,
    options.ephemeral === undefined ? {} : { ephemeral: options.ephemeral },
  );
  const request = encodeMessage({
    messageType: MESSAGE_TYPE_QUERY,
    keyId,
    encryptedMessage: concatBytes(sealed.enc, sealed.ciphertext),
  });
  return { request, context: OdohResponseContext.fromExporter(sealed.exporterSecret, queryPlaintext) };
}

/**
 * The DNS response inside `responseBytes` (a type 0x02 ObliviousDoHMessage whose key_id
 * is resp_nonce); its padding must be zeros before the answer is used (RFC 9230 §7).
 */
export function decryptResponse(context: OdohResponseContext, responseBytes: Uint8Array): Uint8Array {
  const message = decodeMessage(responseBytes, MESSAGE_TYPE_RESPONSE);
  if (message.keyId.length !== RESPONSE_NONCE_LENGTH) {
    throw new OdohError(
      'odoh-malformed',
      `odoh response: resp_nonce is ${message.keyId.length} bytes, must be ${RESPONSE_NONCE_LENGTH}`,
      { details: { length: message.keyId.length } },
    );
  }
  return decodePlaintext(context.open(message.keyId, message.encryptedMessage));
}
