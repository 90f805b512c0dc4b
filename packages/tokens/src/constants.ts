/**
 * Privacy Pass constants for token type 0x0002, Blind RSA (2048-bit), as this network
 * uses it (DESIGN §7 "Tokens"). Each value cites the sentence it implements.
 */

/** RFC 9578 §8.2.2: "Value: 0x0002 / Name: Blind RSA (2048-bit)". */
export const TOKEN_TYPE_BLIND_RSA = 0x0002;

/** RFC 9578 §8.2.2: "Nk: 256" — the authenticator and blinded message length. */
export const NK = 256;

/** RFC 9578 §8.2.2: "Nid: 32" — token_key_id = SHA256(encoded_key). */
export const NID = 32;

/** RFC 9577 §2.2: "uint8_t nonce[32]" and "uint8_t challenge_digest[32]". */
export const NONCE_LENGTH = 32;
export const CHALLENGE_DIGEST_LENGTH = 32;

/** RFC 9577 §2.2 Token minus the authenticator: token_type, nonce, challenge_digest, token_key_id. */
export const TOKEN_INPUT_LENGTH = 2 + NONCE_LENGTH + CHALLENGE_DIGEST_LENGTH + NID;

/** RFC 9577 §2.2 Token for type 0x0002: 2 + 32 + 32 + 32 + 256 = 354 octets. */
export const TOKEN_LENGTH = TOKEN_INPUT_LENGTH + NK;

/** RFC 9578 §6.1 TokenRequest: token_type (2), truncated_token_key_id (1), blinded_msg[Nk]. */
export const TOKEN_REQUEST_LENGTH = 3 + NK;

/**
 * RFC 9578 §6.4: RSASSA-PSS-VERIFY "using SHA-384 as the Hash function, MGF1 with
 * SHA-384 as the PSS mask generation function (MGF), and a 48-byte salt length (sLen)".
 */
export const PSS_HASH = 'sha384';
export const PSS_SALT_LENGTH = 48;

/** RFC 9578 §4: the directory is "located at the well-known location". */
export const ISSUER_DIRECTORY_PATH = '/.well-known/private-token-issuer-directory';

/** RFC 9578 §8.3 media types, and the generic batch ones of draft-ietf-privacypass-batched-tokens. */
export const MediaType = {
  DIRECTORY: 'application/private-token-issuer-directory',
  TOKEN_REQUEST: 'application/private-token-request',
  TOKEN_RESPONSE: 'application/private-token-response',
  BATCH_REQUEST: 'application/private-token-generic-batch-request',
  BATCH_RESPONSE: 'application/private-token-generic-batch-response',
} as const;

/** Our issuer's issuance endpoint (the directory's `issuer-request-uri`, relative to it). */
export const TOKEN_REQUEST_PATH = '/token-request';

/** Most token requests one batch call may carry (draft-ietf-privacypass-batched-tokens
 * §"Generic Token Batch Issuance": "An Issuer MAY ignore TokenRequest if the number of
 * tokens per request past a limit"); the issuer answers 422 past it. */
export const MAX_BATCH = 64;

/** DESIGN §4 clock skew (300 s), used when deciding whether a key's `not-before` has come. */
export const CLOCK_SKEW_MS = 300_000;
