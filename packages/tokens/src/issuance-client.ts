/**
 * The client half of RFC 9578 §6 issuance, through the Privacy Pass library: blind a
 * fresh token input per token (§6.1), send one TokenRequest
 * (`application/private-token-request`) or several in a generic batch
 * (draft-ietf-privacypass-batched-tokens, `application/private-token-generic-batch-request`),
 * and finalize each blind signature into an RFC 9577 Token (§6.3). Finalize checks the
 * unblinded signature (RFC 9474 §4.4), so a wrong answer never becomes a token.
 *
 * The library's client keeps one request's state per instance, hence one instance per
 * token.
 */
import { genericBatched, publicVerif } from '@cloudflare/privacypass-ts';
import type { NetworkChallenge } from './challenge.js';
import { NK } from './constants.js';
import type { DirectoryKey } from './directory.js';
import { TokenError } from './errors.js';

export interface BlindedRequest {
  readonly request: publicVerif.TokenRequest;
  readonly client: publicVerif.Client;
}

/** Blind `count` fresh token inputs for `key` (each ≈ 50 ms of pure-JS big-number work). */
export async function blindRequests(
  challenge: NetworkChallenge,
  key: DirectoryKey,
  count: number,
): Promise<BlindedRequest[]> {
  const out: BlindedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const client = new publicVerif.Client(publicVerif.BlindRSAMode.PSS);
    const request = await client.createTokenRequest(challenge.challenge, key.encoded);
    out.push({ request, client });
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
  try {
    const token = await blinded.client.finalize(new publicVerif.TokenResponse(blindSig.slice()));
    return token.serialize();
  } catch (cause) {
    throw new TokenError(
      'issuer-bad-response',
      'issuer blind signature does not finalize into a valid token',
      {
        cause,
      },
    );
  }
}
