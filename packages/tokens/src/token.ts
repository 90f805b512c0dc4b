/**
 * RFC 9577 §2.2 Token for type 0x0002 (RFC 9578 §6.3), the bytes a query carries in
 * EDNS option 65001 (DESIGN §7):
 *
 *   0      2                34                 66                98                  354
 *   +------+-----------------+------------------+-----------------+--------------------+
 *   | type |   nonce (32)    | challenge_digest | token_key_id    | authenticator (Nk) |
 *   +------+-----------------+------------------+-----------------+--------------------+
 *
 * The signed part (RFC 9578 §6.4 token_authenticator_input) is the first 98 octets.
 * Parsing goes through the Privacy Pass library on a private copy: its decoder reads
 * `bytes.buffer` from offset 0, so handing it a view into a DNS message would read the
 * wrong octets.
 */
import { TOKEN_TYPES, Token } from '@cloudflare/privacypass-ts';
import { TOKEN_INPUT_LENGTH, TOKEN_LENGTH, TOKEN_TYPE_BLIND_RSA } from './constants.js';

export interface ParsedToken {
  readonly nonce: Uint8Array;
  readonly challengeDigest: Uint8Array;
  readonly tokenKeyId: Uint8Array;
  readonly authenticator: Uint8Array;
  /** token_type || nonce || challenge_digest || token_key_id (what the issuer's key signed). */
  readonly authenticatorInput: Uint8Array;
}

export type TokenParse =
  | { readonly ok: true; readonly token: ParsedToken }
  | { readonly ok: false; readonly reason: string };

/** Parse exactly one type-0x0002 Token; a wrong type or length is a reason, not an exception. */
export function parseToken(bytes: Uint8Array): TokenParse {
  if (bytes.length < 2) return { ok: false, reason: `token of ${bytes.length} octets has no token type` };
  const type = (bytes[0]! << 8) | bytes[1]!;
  if (type !== TOKEN_TYPE_BLIND_RSA) {
    return { ok: false, reason: `token type 0x${type.toString(16).padStart(4, '0')} is not 0x0002` };
  }
  if (bytes.length !== TOKEN_LENGTH) {
    return { ok: false, reason: `token of ${bytes.length} octets, type 0x0002 needs ${TOKEN_LENGTH}` };
  }
  // A fresh ArrayBuffer of exactly the token: the library ignores byteOffset, and
  // Buffer#slice would return a view into the whole DNS message.
  const copy = Uint8Array.prototype.slice.call(bytes);
  let token: Token;
  try {
    token = Token.deserialize(TOKEN_TYPES.BLIND_RSA, copy);
  } catch (cause) {
    return { ok: false, reason: `token does not decode: ${(cause as Error).message}` };
  }
  return {
    ok: true,
    token: {
      nonce: token.authInput.nonce,
      challengeDigest: token.authInput.challengeDigest,
      tokenKeyId: token.authInput.tokenKeyId,
      authenticator: token.authenticator,
      authenticatorInput: copy.subarray(0, TOKEN_INPUT_LENGTH),
    },
  };
}
