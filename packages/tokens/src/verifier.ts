/**
 * The DP side of tokens (DESIGN §7; RFC 9577 §2.2.2 verification, RFC 9578 §6.4): one
 * `verify` per query, synchronous — the DP's query pipeline is — and cheap: a length
 * check, the challenge digest, a key look-up, one RSASSA-PSS verification through
 * node:crypto (SHA-384, MGF1-SHA-384, 48-octet salt) and a set insert.
 *
 * The issuer's directory is fetched at start and again when its HTTP freshness runs out
 * (a timer, and lazily from `verify`), and at most every 10 s when a token names a key
 * we do not know (RFC 9578 §4: after failures "the directory SHOULD be fetched and
 * revalidated"). `verify` never waits for a fetch; it answers with what it knows.
 */
import { constants as cryptoConstants, verify as rsaVerify } from 'node:crypto';
import { type Edns, EdnsOptionCode, findOption } from '@mimi/protocol';
import { issuerNameOf, networkChallenge } from './challenge.js';
import { PSS_HASH, PSS_SALT_LENGTH } from './constants.js';
import type { IssuerDirectory } from './directory.js';
import { type FetchedDirectory, fetchDirectory } from './directory-source.js';
import { type HttpOptions, IssuerHttp } from './http.js';
import { KeyEpochs, keyIdHex } from './key-epochs.js';
import { DEFAULT_MAX_SPENT_PER_KEY, SpentTokenStore } from './spent-store.js';
import { parseToken } from './token.js';
import { TokenRefusal, type TokenRefusalCode, type TokenVerdict } from './verdict.js';

/** Least time between directory fetches caused by unknown key ids (a flood of junk ids). */
const UNKNOWN_KEY_REFETCH_MS = 10_000;
/** After a failed fetch, try again this much later. */
const RETRY_AFTER_FAILURE_MS = 30_000;

export interface TokenVerifierOptions extends HttpOptions {
  /** The issuer's origin (https://host[:port]); it names the issuer in the challenge. */
  readonly issuerUrl: string;
  /** A directory to use as is, never fetched (tests, or an operator-pinned key set). */
  readonly directory?: IssuerDirectory | undefined;
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /** Bound of the spent-token store per key. */
  readonly maxSpentPerKey?: number | undefined;
}

export class TokenVerifier {
  private readonly now: () => number;
  private readonly expectedDigest: Uint8Array;
  private readonly epochs = new KeyEpochs();
  private readonly spent: SpentTokenStore;
  private readonly http: IssuerHttp | null;
  private freshUntilMs = Number.POSITIVE_INFINITY;
  private fetching: Promise<void> | null = null;
  private lastUnknownKeyFetchMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The last failure to fetch the directory, for health reporting. */
  lastError: Error | null = null;

  constructor(private readonly options: TokenVerifierOptions) {
    this.now = options.now ?? Date.now;
    this.expectedDigest = networkChallenge(issuerNameOf(options.issuerUrl)).digest;
    this.spent = new SpentTokenStore(options.maxSpentPerKey ?? DEFAULT_MAX_SPENT_PER_KEY);
    if (options.directory !== undefined) {
      this.epochs.install(options.directory);
      this.http = null;
    } else {
      this.http = new IssuerHttp(options);
      this.freshUntilMs = Number.NEGATIVE_INFINITY;
    }
  }

  /** A verifier whose directory has been fetched once (throws `TokenError` if it cannot be). */
  static async create(options: TokenVerifierOptions): Promise<TokenVerifier> {
    const verifier = new TokenVerifier(options);
    if (options.directory === undefined) await verifier.refresh();
    return verifier;
  }

  /** Fetch the directory now (one fetch at a time); throws when it fails. */
  refresh(): Promise<void> {
    if (this.http === null) return Promise.resolve();
    this.fetching ??= this.fetchOnce().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  /** Verdict on the token in a query's EDNS option 65001 (DESIGN §7). */
  verifyEdns(edns: Edns | undefined): TokenVerdict {
    return this.verify(findOption(edns, EdnsOptionCode.MIMI_TOKEN)?.data);
  }

  /** Verdict on RFC 9577 Token bytes; a fresh, valid token is spent by this call. */
  verify(bytes: Uint8Array | undefined): TokenVerdict {
    const now = this.now();
    if (now >= this.freshUntilMs) this.refreshInBackground();
    if (bytes === undefined)
      return refuse(TokenRefusal.MISSING, 'query carries no token (edns option 65001)');
    const parsed = parseToken(bytes);
    if (!parsed.ok) return refuse(TokenRefusal.MALFORMED, parsed.reason);
    const token = parsed.token;
    if (!Buffer.from(token.challengeDigest).equals(Buffer.from(this.expectedDigest))) {
      return refuse(
        TokenRefusal.INVALID,
        `token was made for another challenge than issuer ${this.issuerName}`,
      );
    }
    const standing = this.epochs.standingOf(token.tokenKeyId, now);
    const keyId = keyIdHex(token.tokenKeyId);
    switch (standing.standing) {
      case 'expired':
        return refuse(
          TokenRefusal.EXPIRED_EPOCH,
          `token key ${keyId.slice(0, 16)} belongs to an expired epoch`,
        );
      case 'not-yet-valid':
        return refuse(
          TokenRefusal.UNKNOWN_KEY,
          `token key ${keyId.slice(0, 16)} is not valid before ${standing.notBefore}`,
        );
      case 'unknown':
        this.refetchForUnknownKey(now);
        return refuse(
          TokenRefusal.UNKNOWN_KEY,
          this.epochs.loaded
            ? `token key ${keyId.slice(0, 16)} is not in the directory of issuer ${this.issuerName}`
            : `directory of issuer ${this.issuerName} not loaded yet`,
        );
      case 'accepted':
        break;
    }
    const valid = rsaVerify(
      PSS_HASH,
      token.authenticatorInput,
      {
        key: standing.key.publicKey,
        padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
        saltLength: PSS_SALT_LENGTH,
      },
      token.authenticator,
    );
    if (!valid) return refuse(TokenRefusal.INVALID, 'token signature does not verify under the issuer key');
    this.spent.retainOnly(new Set(this.epochs.accepted(now).map((key) => keyIdHex(key.id))));
    switch (this.spent.spend(keyId, token.nonce)) {
      case 'replayed':
        return refuse(TokenRefusal.REPLAYED, 'token already spent at this server');
      case 'full':
        return refuse(TokenRefusal.STORE_FULL, `spent-token store for key ${keyId.slice(0, 16)} is full`);
      case 'fresh':
        return { ok: true, tokenKeyId: token.tokenKeyId };
    }
  }

  /** Spent tokens kept, per key id (hex), for metrics. */
  spentCounts(): Record<string, number> {
    return Object.fromEntries(this.spent.keys.map((id) => [id, this.spent.count(id)]));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.fetching?.catch(() => undefined);
    await this.http?.close();
  }

  private get issuerName(): string {
    return issuerNameOf(this.options.issuerUrl);
  }

  private async fetchOnce(): Promise<void> {
    const http = this.http!;
    let fetched: FetchedDirectory;
    try {
      fetched = await fetchDirectory(http, this.options.issuerUrl, this.now());
    } catch (err) {
      this.lastError = err as Error;
      this.freshUntilMs = this.now() + RETRY_AFTER_FAILURE_MS;
      this.arm(RETRY_AFTER_FAILURE_MS);
      throw err;
    }
    this.lastError = null;
    this.epochs.install(fetched.directory);
    this.freshUntilMs = fetched.freshUntilMs;
    this.arm(fetched.freshUntilMs - fetched.fetchedAtMs);
  }

  /** Refetch when the directory goes stale, without anyone having to ask. */
  private arm(delayMs: number): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refreshInBackground(), Math.max(1_000, delayMs));
    this.timer.unref();
  }

  private refreshInBackground(): void {
    if (this.closed || this.http === null) return;
    this.refresh().catch(() => undefined);
  }

  private refetchForUnknownKey(now: number): void {
    if (now - this.lastUnknownKeyFetchMs < UNKNOWN_KEY_REFETCH_MS) return;
    this.lastUnknownKeyFetchMs = now;
    this.refreshInBackground();
  }
}

function refuse(code: TokenRefusalCode, message: string): TokenVerdict {
  return { ok: false, code, message };
}
