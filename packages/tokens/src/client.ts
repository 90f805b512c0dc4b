/**
 * The stub's side of tokens (DESIGN §7): `token()` hands out one RFC 9577 Token per
 * call from a small pool that is refilled in the background before it runs dry, so a
 * lookup rarely waits for the issuer. The pool is bounded (`poolSize`, at most 256) and
 * refills in batches of at most `batchSize` (one generic batch request each). Tokens of
 * a key that has left the issuer's directory are dropped: DPs no longer take them.
 *
 * When the pool is empty, one token is fetched for the caller first and the refill
 * starts after it, so the first lookup pays for one blinding, not a batch. Callers that
 * find the pool empty while such a fetch is in flight queue up and are served together
 * by the next issuer call: one batch of exactly as many tokens as callers wait (at most
 * 64), each spent at once. Without this, a bulk resolve at concurrency 64 sent one issuer
 * request per token and waited ≈ 0.27 s for each (measured: 86 against 136 resolutions/s
 * with the same tokens fetched in batches).
 *
 * Failures are `TokenError`s: `issuer-quota-exhausted` (HTTP 429; no new request is
 * sent before the issuer's Retry-After), `issuer-auth-failed` (401/403),
 * `issuer-unreachable`, `issuer-error`, `issuer-bad-response`, `directory-invalid`.
 */
import { issuerNameOf, type NetworkChallenge, networkChallenge } from './challenge.js';
import { MAX_BATCH, MediaType } from './constants.js';
import { type DirectoryKey, preferredKey } from './directory.js';
import { type FetchedDirectory, fetchDirectory } from './directory-source.js';
import { TokenError } from './errors.js';
import { type HttpAnswer, type HttpOptions, headerValue, IssuerHttp, mediaTypeOf } from './http.js';
import {
  type BlindedRequest,
  blindRequests,
  decodeBatchResponse,
  decodeSingleResponse,
  encodeBatchRequest,
  encodeSingleRequest,
  finalizeToken,
} from './issuance-client.js';
import { keyIdHex } from './key-epochs.js';

const DEFAULT_POOL_SIZE = 8;
const MAX_POOL_SIZE = 256;
/** After a failed directory fetch, pooled tokens are used this long before trying again. */
const RETRY_AFTER_FAILURE_MS = 30_000;
/** Wait before asking again after a 429 without Retry-After. */
const DEFAULT_QUOTA_RETRY_S = 60;

export interface TokenClientOptions extends HttpOptions {
  /** The issuer's origin (https://host[:port]), as the DPs name it. */
  readonly issuerUrl: string;
  /** The user's API key at the issuer (sent as `Authorization: Bearer`). */
  readonly issuerAuth: string;
  /** Tokens kept ready (default 8; 0 fetches on demand only). */
  readonly poolSize?: number | undefined;
  /** Tokens per issuer call when refilling (default: the pool size, at most 64). */
  readonly batchSize?: number | undefined;
  readonly now?: (() => number) | undefined;
}

interface PooledToken {
  readonly bytes: Uint8Array;
  readonly keyId: string;
}

interface Waiter {
  resolve(token: Uint8Array): void;
  reject(error: unknown): void;
}

export class TokenClient {
  private readonly http: IssuerHttp;
  private readonly challenge: NetworkChallenge;
  private readonly now: () => number;
  private readonly poolSize: number;
  private readonly batchSize: number;
  private pool: PooledToken[] = [];
  private fetched: FetchedDirectory | null = null;
  private directoryFetch: Promise<FetchedDirectory> | null = null;
  private refill: Promise<void> | null = null;
  /** Callers waiting for a token fetched on demand, and the issuer call serving them. */
  private waiters: Waiter[] = [];
  private demand: Promise<void> | null = null;
  /** Set by a quota refusal: no issuer call before this time, this error instead. */
  private quotaBlock: { until: number; error: TokenError } | null = null;
  private closed = false;
  /** The last background refill failure (a caller's own failure is thrown to it). */
  lastError: TokenError | null = null;

  constructor(private readonly options: TokenClientOptions) {
    if (options.issuerAuth === '') throw new TokenError('issuer-auth-failed', 'issuer credential is empty');
    this.challenge = networkChallenge(issuerNameOf(options.issuerUrl));
    this.http = new IssuerHttp(options);
    this.now = options.now ?? Date.now;
    this.poolSize = Math.min(MAX_POOL_SIZE, Math.max(0, Math.floor(options.poolSize ?? DEFAULT_POOL_SIZE)));
    this.batchSize = Math.min(MAX_BATCH, Math.max(1, Math.floor(options.batchSize ?? (this.poolSize || 1))));
  }

  /** Tokens ready in the pool. */
  get available(): number {
    return this.pool.length;
  }

  /** One unspent RFC 9577 Token (354 octets) for EDNS option 65001. */
  async token(): Promise<Uint8Array> {
    if (this.closed) throw new TokenError('client-closed', 'token client is closed');
    await this.currentDirectory();
    const pooled = this.pool.shift();
    if (pooled !== undefined) {
      this.refillInBackground();
      return pooled.bytes;
    }
    const fresh = await new Promise<Uint8Array>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.serveWaiters();
    });
    this.refillInBackground();
    return fresh;
  }

  /**
   * Serve waiting callers: from the pool first, then by one issuer call for as many as
   * wait (at most MAX_BATCH); callers that arrive meanwhile wait for the next call.
   */
  private serveWaiters(): void {
    while (this.waiters.length > 0 && this.pool.length > 0)
      this.waiters.shift()!.resolve(this.pool.shift()!.bytes);
    if (this.demand !== null || this.waiters.length === 0) return;
    const batch = this.waiters.splice(0, MAX_BATCH);
    this.demand = this.fetchTokens(batch.length)
      .then(
        (tokens) => {
          for (const [index, waiter] of batch.entries()) {
            const token = tokens[index];
            if (token !== undefined) waiter.resolve(token.bytes);
            else
              waiter.reject(
                this.quotaBlock?.error ??
                  new TokenError('issuer-bad-response', 'issuer issued fewer tokens than asked'),
              );
          }
        },
        (err: unknown) => {
          for (const waiter of batch) waiter.reject(err);
        },
      )
      .finally(() => {
        this.demand = null;
        this.serveWaiters();
      });
  }

  /**
   * Fill the pool to `count` tokens (at most 256) now, e.g. before a bulk resolve; the
   * number ready after. Stops short when the issuer's quota runs out part-way, and
   * throws only when it could not add a single token.
   */
  async prefetch(count: number): Promise<number> {
    const target = Math.min(MAX_POOL_SIZE, Math.max(0, Math.floor(count)));
    await this.currentDirectory();
    while (this.pool.length < target) {
      await this.refill;
      if (this.pool.length >= target) break;
      if (this.pool.length > 0 && this.quotaBlock !== null && this.now() < this.quotaBlock.until) break;
      this.pool.push(...(await this.fetchTokens(Math.min(MAX_BATCH, target - this.pool.length))));
    }
    return this.pool.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.refill?.catch(() => undefined);
    await this.demand?.catch(() => undefined);
    await this.http.close();
  }

  private refillInBackground(): void {
    if (this.closed || this.refill !== null || this.poolSize === 0) return;
    if (this.pool.length > Math.floor(this.poolSize / 2)) return;
    if (this.quotaBlock !== null && this.now() < this.quotaBlock.until) return;
    const wanted = Math.min(this.batchSize, this.poolSize - this.pool.length);
    this.refill = this.fetchTokens(wanted)
      .then((tokens) => {
        this.pool.push(...tokens);
        this.lastError = null;
        this.serveWaiters();
      })
      .catch((err: unknown) => {
        this.lastError = err instanceof TokenError ? err : new TokenError('issuer-error', String(err));
      })
      .finally(() => {
        this.refill = null;
      });
  }

  /** The directory, fetched again once stale; pooled tokens of retired keys go. */
  private async currentDirectory(): Promise<FetchedDirectory> {
    const fetched = this.fetched;
    if (fetched !== null && this.now() < fetched.freshUntilMs) return fetched;
    this.directoryFetch ??= fetchDirectory(this.http, this.options.issuerUrl, this.now()).finally(() => {
      this.directoryFetch = null;
    });
    try {
      const fresh = await this.directoryFetch;
      this.fetched = fresh;
      const live = new Set(fresh.directory.keys.map((key) => keyIdHex(key.id)));
      this.pool = this.pool.filter((token) => live.has(token.keyId));
      return fresh;
    } catch (err) {
      // A stale directory still names the keys our pooled tokens were made with; use it
      // and wait a while before trying the issuer again, so lookups do not each pay a timeout.
      if (fetched === null || this.pool.length === 0) throw err;
      this.fetched = { ...fetched, freshUntilMs: this.now() + RETRY_AFTER_FAILURE_MS };
      return this.fetched;
    }
  }

  private signingKey(fetched: FetchedDirectory): DirectoryKey {
    const key = preferredKey(fetched.directory, this.now());
    if (key === undefined) {
      throw new TokenError('directory-invalid', 'issuer directory has no token key valid now');
    }
    return key;
  }

  /** One issuer call for `count` tokens; a 422 (stale key) refetches the directory and tries once more. */
  private async fetchTokens(count: number): Promise<PooledToken[]> {
    const block = this.quotaBlock;
    if (block !== null && this.now() < block.until) throw block.error;
    for (let attempt = 0; ; attempt++) {
      const fetched = await this.currentDirectory();
      // After a 422 the issuer has told us our key is not its current one: take the key
      // it prefers (listed first) even if our clock says its not-before is still ahead.
      const key = attempt === 0 ? this.signingKey(fetched) : fetched.directory.keys[0]!;
      const blinded = await blindRequests(this.challenge, key, count);
      const answer = await this.send(fetched.directory.issuerRequestUri, blinded);
      if (answer.status === 422 && attempt === 0) {
        this.fetched = null;
        continue;
      }
      return this.finish(answer, blinded, key);
    }
  }

  private send(url: string, blinded: readonly BlindedRequest[]): Promise<HttpAnswer> {
    const single = blinded.length === 1;
    const headers = {
      authorization: `Bearer ${this.options.issuerAuth}`,
      'content-type': single ? MediaType.TOKEN_REQUEST : MediaType.BATCH_REQUEST,
      accept: single ? MediaType.TOKEN_RESPONSE : MediaType.BATCH_RESPONSE,
    };
    return this.http.post(
      url,
      headers,
      single ? encodeSingleRequest(blinded[0]!) : encodeBatchRequest(blinded),
    );
  }

  private async finish(
    answer: HttpAnswer,
    blinded: readonly BlindedRequest[],
    key: DirectoryKey,
  ): Promise<PooledToken[]> {
    const status = answer.status;
    if (status === 429) {
      this.blockForQuota(answer);
      throw this.quotaBlock!.error;
    }
    if (status === 401 || status === 403) {
      throw new TokenError(
        'issuer-auth-failed',
        `issuer refused the credential (http ${status}): ${errorText(answer)}`,
      );
    }
    const single = blinded.length === 1;
    if (!(status === 200 || (!single && status === 206))) {
      throw new TokenError('issuer-error', `issuer answered http ${status}: ${errorText(answer)}`, {
        details: { status },
      });
    }
    const expectedType = single ? MediaType.TOKEN_RESPONSE : MediaType.BATCH_RESPONSE;
    if (mediaTypeOf(answer.headers) !== expectedType) {
      throw new TokenError(
        'issuer-bad-response',
        `issuer answer has content type '${mediaTypeOf(answer.headers)}'`,
      );
    }
    const signatures = single
      ? [decodeSingleResponse(answer.body)]
      : decodeBatchResponse(answer.body, blinded.length);
    const keyId = keyIdHex(key.id);
    const tokens: PooledToken[] = [];
    for (const [index, signature] of signatures.entries()) {
      if (signature === null) continue;
      tokens.push({ bytes: await finalizeToken(blinded[index]!, signature), keyId });
    }
    // 206: the issuer stopped part-way (our quota ran out); hold off like a 429.
    if (status === 206) this.blockForQuota(answer);
    if (tokens.length === 0)
      throw this.quotaBlock?.error ?? new TokenError('issuer-bad-response', 'issuer issued no token');
    return tokens;
  }

  private blockForQuota(answer: HttpAnswer): void {
    const retry = Number(headerValue(answer.headers, 'retry-after'));
    const seconds = Number.isInteger(retry) && retry >= 0 ? retry : DEFAULT_QUOTA_RETRY_S;
    const until = this.now() + seconds * 1000;
    const detail = answer.status === 429 ? errorText(answer) : 'quota ran out during a batch';
    this.quotaBlock = {
      until,
      error: new TokenError(
        'issuer-quota-exhausted',
        `issuer refused more tokens: ${detail}; next request after ${new Date(until).toISOString()}`,
        { details: { retryAfterSeconds: seconds } },
      ),
    };
  }
}

/** The issuer's one-line error message from its JSON body, or the status text. */
function errorText(answer: HttpAnswer): string {
  try {
    const parsed = JSON.parse(answer.body.toString('utf8')) as { error?: { message?: unknown } };
    const message = parsed.error?.message;
    if (typeof message === 'string') return message.slice(0, 200);
  } catch {
    // not JSON: fall through
  }
  return `http ${answer.status}`;
}
