/**
 * The client half of RFC 9578 §6 issuance: blind a fresh token input per token (§6.1),
 * send one TokenRequest (`application/private-token-request`) or several in a generic
 * batch (draft-ietf-privacypass-batched-tokens,
 * `application/private-token-generic-batch-request`), and finalize each blind signature
 * into an RFC 9577 Token (§6.3). Finalize checks the unblinded signature (RFC 9474 §4.3),
 * so a wrong answer never becomes a token.
 *
 * The Privacy Pass library builds and parses every message (AuthenticatorInput,
 * TokenRequest, the batch, Token); the RSA blinding itself runs on node:crypto and
 * BigInt (blind-rsa.ts), ≈ 50× faster than the library's pure-JS bignums.
 */
import { randomBytes } from 'node:crypto';
import { AuthenticatorInput, genericBatched, publicVerif, Token } from '@cloudflare/privacypass-ts';
import { blind, finalize, type RsaPublicKey, rsaPublicKeyOf } from './blind-rsa.js';
import type { NetworkChallenge } from './challenge.js';
import { NK, NONCE_LENGTH } from './constants.js';
import type { DirectoryKey } from './directory.js';
import { TokenError } from './errors.js';
import { truncatedKeyId } from './token-key.js';

export interface BlindedRequest {
  readonly request: publicVerif.TokenRequest;
  /** What finalize needs; `inv` is the blinding secret and never leaves the client. */
  readonly pending: {
    readonly authInput: AuthenticatorInput;
    readonly tokenInput: Uint8Array;
    readonly inv: bigint;
    readonly key: RsaPublicKey;
  };
}

/** n and e of each directory key, read once (a JWK export per token would cost more than the blinding). */
const rsaKeys = new WeakMap<DirectoryKey['publicKey'], RsaPublicKey>();

function rsaKeyOf(key: DirectoryKey): RsaPublicKey {
  let rsa = rsaKeys.get(key.publicKey);
  if (rsa === undefined) {
    rsa = rsaPublicKeyOf(key.publicKey);
    rsaKeys.set(key.publicKey, rsa);
  }
  return rsa;
}

/**
 * Blind `count` fresh token inputs for `key` (RFC 9578 §6.1): token_input =
 * token_type || nonce || SHA256(challenge) || token_key_id, blinded for the issuer key.
 */
export async function blindRequests(
  challenge: NetworkChallenge,
  key: DirectoryKey,
  count: number,
): Promise<BlindedRequest[]> {
  const rsa = rsaKeyOf(key);
  const out: BlindedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const nonce = new Uint8Array(randomBytes(NONCE_LENGTH));
    const authInput = new AuthenticatorInput(
      publicVerif.BLIND_RSA,
      publicVerif.BLIND_RSA.value,
      nonce,
      challenge.digest,
      key.id,
    );
    const tokenInput = authInput.serialize();
    const { blindedMsg, inv } = blind(rsa, tokenInput);
    const request = new publicVerif.TokenRequest(truncatedKeyId(key.id), blindedMsg, publicVerif.BLIND_RSA);
    out.push({ request, pending: { authInput, tokenInput, inv, key: rsa } });
  }
  return out;
}

/** RFC 9578 §6.1 TokenRequest bytes of one request. */
export function encodeSingleRequest(blinded: BlindedRequest): Uint8Array {
  return blinded.request.serialize();
}

/** draft-ietf-privacypass-batched-tokens GenericBatchTokenRequest of several. */
export function encodeBatchRequest(blinded: readonly BlindedRequest[]): Uint8Array {
  const batch = new genericBatched.Client().createTokenRequest(
    blinded.map((item) => new genericBatched.TokenRequest(item.request)),
  );
  return batch.serialize();
}

/** RFC 9578 §6.2 TokenResponse: exactly Nk octets of blind signature. */
export function decodeSingleResponse(body: Uint8Array): Uint8Array {
  if (body.length !== NK) {
    throw new TokenError('issuer-bad-response', `token response of ${body.length} octets, expected ${NK}`);
  }
  return body;
}

/** Blind signatures of a GenericBatchTokenResponse, null where the issuer sent none. */
export function decodeBatchResponse(body: Uint8Array, expected: number): (Uint8Array | null)[] {
  let parsed: genericBatched.GenericBatchTokenResponse;
  try {
    parsed = new genericBatched.Client().deserializeTokenResponse(body.slice());
  } catch (cause) {
    throw new TokenError('issuer-bad-response', 'batch token response does not decode', { cause });
  }
  if (parsed.tokenResponses.length !== expected) {
    throw new TokenError(
      'issuer-bad-response',
      `batch token response has ${parsed.tokenResponses.length} entries for ${expected} requests`,
    );
  }
  return parsed.tokenResponses.map((entry) => {
    const response = entry.tokenResponse;
    if (response === null) return null;
    if (!(response instanceof publicVerif.TokenResponse)) {
      throw new TokenError('issuer-bad-response', 'batch token response carries a token of another type');
    }
    return response.blindSig;
  });
}

/** Unblind and check one signature; the RFC 9577 Token bytes. */
export async function finalizeToken(blinded: BlindedRequest, blindSig: Uint8Array): Promise<Uint8Array> {
  const { authInput, tokenInput, inv, key } = blinded.pending;
  let authenticator: Uint8Array;
  try {
    authenticator = finalize(key, tokenInput, blindSig, inv);
  } catch (cause) {
    throw new TokenError(
      'issuer-bad-response',
      'issuer blind signature does not finalize into a valid token',
      { cause },
    );
  }
  return new Token(publicVerif.BLIND_RSA, authInput, authenticator).serialize();
}
