/**
 * RFC 9578 §6.2 issuance for an authenticated user, and the generic batch of
 * draft-ietf-privacypass-batched-tokens (§"Generic Token Batch"), which this issuer
 * supports so a client fills its pool in one call:
 *
 * - `application/private-token-request`: one TokenRequest → 200 with one TokenResponse.
 * - `application/private-token-generic-batch-request`: up to 64 → 200 with a
 *   GenericBatchTokenResponse; when the user's quota runs out part-way, the rest are
 *   absent and the status is 206 ("If the Issuer issues some but not all tokens, it
 *   MUST return an HTTP 206").
 *
 * RFC 9578 §6.2: an unsupported token_type, a truncated_token_key_id that is not the
 * current key's, or a blinded_msg of the wrong size is 422. Only the current epoch's key
 * signs, so everyone's tokens come from one key (RFC 9576 §6.2 key consistency); a
 * client with last epoch's directory gets 422 and fetches it again. No quota left at
 * all is 429 with Retry-After: the start of the next epoch.
 */
import { genericBatched, publicVerif, TOKEN_TYPES } from '@cloudflare/privacypass-ts';
import { MAX_BATCH, MediaType, TOKEN_REQUEST_LENGTH, TOKEN_TYPE_BLIND_RSA } from '@mimi/tokens';
import { type EpochClock, epochAt, secondsToNextEpoch } from './epoch.js';
import { IssuerHttpError } from './errors.js';
import type { EpochKey, EpochKeyStore } from './key-store.js';
import type { QuotaLedger } from './quota.js';
import { blindSign } from './signer.js';

/** The largest body a batch of MAX_BATCH requests needs (plus its length prefix). */
export const MAX_REQUEST_BODY = MAX_BATCH * TOKEN_REQUEST_LENGTH + 8;

export interface IssuanceAnswer {
  readonly status: 200 | 206;
  readonly contentType: string;
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
}

export class Issuance {
  constructor(
    private readonly keys: EpochKeyStore,
    private readonly quota: QuotaLedger,
    private readonly clock: EpochClock,
  ) {}

  async issue(user: string, contentType: string, body: Uint8Array): Promise<IssuanceAnswer> {
    if (contentType !== MediaType.TOKEN_REQUEST && contentType !== MediaType.BATCH_REQUEST) {
      throw new IssuerHttpError(
        415,
        'unsupported-media-type',
        `content type '${contentType}' is neither ${MediaType.TOKEN_REQUEST} nor ${MediaType.BATCH_REQUEST}`,
      );
    }
    const now = this.clock.now();
    const epoch = epochAt(this.clock, now);
    const { current } = await this.keys.keysFor(epoch);
    const single = contentType === MediaType.TOKEN_REQUEST;
    const blinded = single ? [parseSingle(body, current)] : parseBatch(body, current);
    const granted = this.quota.take(user, epoch, blinded.length);
    const retryAfter = String(secondsToNextEpoch(this.clock, now));
    if (granted === 0) {
      throw new IssuerHttpError(
        429,
        'quota-exhausted',
        `user '${user}' has used its ${this.quota.quota} tokens of epoch ${epoch}; the next epoch starts in ${retryAfter} s`,
        { headers: { 'retry-after': retryAfter } },
      );
    }
    const signatures = blinded.map((message, index) =>
      index < granted ? blindSign(current.privateKey, current.publicKey, message) : null,
    );
    if (single) {
      return { status: 200, contentType: MediaType.TOKEN_RESPONSE, body: signatures[0]!, headers: {} };
    }
    const response = new genericBatched.GenericBatchTokenResponse(
      signatures.map(
        (signature) =>
          new genericBatched.OptionalTokenResponse(
            signature === null ? null : new publicVerif.TokenResponse(signature),
          ),
      ),
    );
    const partial = granted < blinded.length;
    return {
      status: partial ? 206 : 200,
      contentType: MediaType.BATCH_RESPONSE,
      body: response.serialize(),
      headers: partial ? { 'retry-after': retryAfter } : {},
    };
  }
}

function unprocessable(code: string, message: string, cause?: unknown): IssuerHttpError {
  return new IssuerHttpError(422, code, message, cause === undefined ? {} : { cause });
}

/** Checks of RFC 9578 §6.2 on one TokenRequest; its blinded_msg. */
function checkRequest(type: number, truncatedId: number, key: EpochKey, where: string): void {
  if (type !== TOKEN_TYPE_BLIND_RSA) {
    throw unprocessable(
      'unsupported-token-type',
      `${where}token type 0x${type.toString(16).padStart(4, '0')} is not 0x0002`,
    );
  }
  if (truncatedId !== key.truncatedId) {
    throw unprocessable(
      'unknown-token-key',
      `${where}truncated token key id ${truncatedId} is not the current key's; fetch the issuer directory again`,
    );
  }
}

function parseSingle(body: Uint8Array, key: EpochKey): Uint8Array {
  if (body.length !== TOKEN_REQUEST_LENGTH) {
    throw unprocessable(
      'token-request-malformed',
      `token request of ${body.length} octets, not ${TOKEN_REQUEST_LENGTH}`,
    );
  }
  checkRequest((body[0]! << 8) | body[1]!, body[2]!, key, '');
  return body.subarray(3);
}

function parseBatch(body: Uint8Array, key: EpochKey): Uint8Array[] {
  let batch: genericBatched.BatchedTokenRequest;
  try {
    batch = genericBatched.BatchedTokenRequest.deserialize(body.slice());
  } catch (cause) {
    throw unprocessable('token-request-malformed', 'generic batch token request does not decode', cause);
  }
  const requests = batch.tokenRequests;
  if (requests.length === 0)
    throw unprocessable('token-request-malformed', 'generic batch token request is empty');
  if (requests.length > MAX_BATCH) {
    throw unprocessable(
      'batch-too-large',
      `batch of ${requests.length} token requests; at most ${MAX_BATCH}`,
    );
  }
  return requests.map((request, index) => {
    checkRequest(request.tokenType, request.truncatedTokenKeyId, key, `request ${index}: `);
    const message = request.blindMsg;
    if (message.length !== TOKEN_TYPES.BLIND_RSA.Nk) {
      throw unprocessable(
        'token-request-malformed',
        `request ${index}: blinded message of ${message.length} octets`,
      );
    }
    return message;
  });
}
