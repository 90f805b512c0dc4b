/**
 * A DP's verdict on the token of one query (DESIGN §7). A refusal carries a stable code
 * the DP turns into REFUSED with an Extended DNS Error (RFC 8914) whose EXTRA-TEXT is
 * `<code>: <message>` — the form DESIGN §6 gives a reason — so a stub can tell
 * "fetch a new token" from "this token was bad".
 */
import { type EdnsOption, ExtendedErrorCode, extendedErrorOption } from '@mimi/protocol';

export const TokenRefusal = {
  /** No EDNS option 65001 in a query that needs one. */
  MISSING: 'token-missing',
  /** Not a type-0x0002 RFC 9577 Token of 354 octets. */
  MALFORMED: 'token-malformed',
  /** Its token_key_id is no key of the issuer's directory (or not valid yet). */
  UNKNOWN_KEY: 'token-unknown-key',
  /** Its key belongs to an epoch older than the previous one. */
  EXPIRED_EPOCH: 'token-expired-epoch',
  /** The signature does not verify, or it was made for another challenge. */
  INVALID: 'token-invalid',
  /** This DP has already spent it. */
  REPLAYED: 'token-replayed',
  /** The spent-token store of its key is full, so it cannot be spent safely (fail closed). */
  STORE_FULL: 'token-store-full',
} as const;

export type TokenRefusalCode = (typeof TokenRefusal)[keyof typeof TokenRefusal];

export type TokenVerdict =
  | { readonly ok: true; readonly tokenKeyId: Uint8Array }
  | { readonly ok: false; readonly code: TokenRefusalCode; readonly message: string };

/**
 * RFC 8914 §4.19: "Prohibited ... An authoritative server or recursive resolver that
 * receives a query from an 'unauthorized' client can annotate its REFUSED message with
 * this code." A query without a good token is exactly that.
 */
export const TOKEN_REFUSAL_INFO_CODE = ExtendedErrorCode.PROHIBITED;

/** EXTRA-TEXT of a refusal: `<code>: <message>`. */
export function refusalText(verdict: TokenVerdict & { ok: false }): string {
  return `${verdict.code}: ${verdict.message}`;
}

/** The Extended DNS Error option for a refusal (RFC 8914 §2). */
export function refusalOption(verdict: TokenVerdict & { ok: false }): EdnsOption {
  return extendedErrorOption(TOKEN_REFUSAL_INFO_CODE, refusalText(verdict));
}
