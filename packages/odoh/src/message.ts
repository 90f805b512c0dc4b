/**
 * The ODoH message and its plaintext (RFC 9230 §6.1):
 *
 *   struct {                                   struct {
 *      uint8  message_type;  // 0x01 / 0x02       opaque dns_message<1..2^16-1>;
 *      opaque key_id<0..2^16-1>;                  opaque padding<0..2^16-1>;   // all zeros
 *      opaque encrypted_message<1..2^16-1>;    } ObliviousDoHMessagePlaintext;
 *   } ObliviousDoHMessage;
 *
 * A query's key_id is the config's key id; a response's carries resp_nonce (§8 step 9).
 * Padding is zeros up to a block size (RFC 8467 via RFC 9230 §11); the receiver refuses
 * any non-zero padding byte (§7, §8 step 4).
 */
import { MAX_VECTOR16, MESSAGE_TYPE_QUERY } from './constants.js';
import { OdohError } from './errors.js';
import { concatBytes, opaque16, TlsReader } from './tls-vector.js';

export interface ObliviousDoHMessage {
  readonly messageType: number;
  readonly keyId: Uint8Array;
  readonly encryptedMessage: Uint8Array;
}

export function encodeMessage(message: ObliviousDoHMessage): Uint8Array {
  if (message.encryptedMessage.length === 0) {
    throw new OdohError('odoh-malformed', 'odoh message: encrypted_message is empty');
  }
  return concatBytes(
    Uint8Array.of(message.messageType),
    opaque16(message.keyId, 'odoh message key_id'),
    opaque16(message.encryptedMessage, 'odoh message encrypted_message'),
  );
}

/** Strict decode; `expectedType` refuses a response where a query belongs and vice versa. */
export function decodeMessage(bytes: Uint8Array, expectedType: number): ObliviousDoHMessage {
  const reader = new TlsReader(bytes, 'odoh message');
  const messageType = reader.uint8('message_type');
  if (messageType !== expectedType) {
    throw new OdohError(
      'odoh-malformed',
      `odoh message: message_type 0x${hex2(messageType)} where 0x${hex2(expectedType)} was expected`,
      { details: { messageType } },
    );
  }
  const keyId = reader.opaque16('key_id', 0);
  const encryptedMessage = reader.opaque16('encrypted_message', 1);
  reader.end();
  return { messageType, keyId, encryptedMessage };
}

/** RFC 9230 §6.2 aad of a query: 0x01 || len(key_id) || key_id. */
export function queryAad(keyId: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(MESSAGE_TYPE_QUERY), opaque16(keyId, 'key_id'));
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}

export interface PaddingOptions {
  /** Pad dns_message + padding up to a multiple of this many bytes (0 or 1: no padding). */
  readonly paddingTo?: number;
  /** An exact number of padding bytes instead (test vectors); wins over `paddingTo`. */
  readonly paddingLength?: number;
}

/** How many zero bytes of padding `dnsLength` gets. */
export function paddingLengthFor(dnsLength: number, options: PaddingOptions, defaultBlock: number): number {
  if (options.paddingLength !== undefined) {
    checkCount(options.paddingLength, 'padding length');
    return options.paddingLength;
  }
  const block = options.paddingTo ?? defaultBlock;
  checkCount(block, 'padding block size');
  if (block <= 1) return 0;
  return (block - (dnsLength % block)) % block;
}

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_VECTOR16) {
    throw new OdohError('odoh-too-large', `${what} ${value} is not between 0 and 65535`, {
      details: { value },
    });
  }
}

export function encodePlaintext(dnsMessage: Uint8Array, paddingLength: number): Uint8Array {
  if (dnsMessage.length === 0) {
    throw new OdohError('odoh-malformed', 'odoh plaintext: dns_message is empty');
  }
  return concatBytes(
    opaque16(dnsMessage, 'odoh plaintext dns_message'),
    opaque16(new Uint8Array(paddingLength), 'odoh plaintext padding'),
  );
}

/** The DNS message inside a decrypted plaintext, after checking the padding is all zeros. */
export function decodePlaintext(bytes: Uint8Array): Uint8Array {
  const reader = new TlsReader(bytes, 'odoh plaintext');
  const dnsMessage = reader.opaque16('dns_message', 1);
  const padding = reader.opaque16('padding', 0);
  reader.end();
  const bad = padding.findIndex((byte) => byte !== 0);
  if (bad !== -1) {
    throw new OdohError(
      'odoh-padding',
      `odoh plaintext: padding byte ${bad} of ${padding.length} is not zero`,
      {
        details: { index: bad },
      },
    );
  }
  return dnsMessage.slice();
}
