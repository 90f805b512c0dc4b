/**
 * One question to one zone's servers: build the query, send it with a timeout, check
 * that the response answers it, fail over across every endpoint of the zone and retry
 * (RFC 1035 §7.2, RFC 4697 §2.1), and report the zone unreachable when none answered.
 *
 * Queries: ID 0 (RFC 8484 §4.1), RD clear (the servers are authoritative), EDNS(0)
 * with DO set (RFC 3225 §3) and padded to 128-octet blocks (RFC 8467 §4.1) since they
 * travel encrypted. A server that fails is tried last for a while (`ServerHealth`).
 *
 * Tokens (DESIGN §6, §7): a query that a DP would refuse without a Privacy Pass token
 * carries a fresh one in EDNS option 65001 — never the same token twice, so no two
 * queries can be linked by it. A refusal for the token (REFUSED + EDE `token-…`) is
 * retried once at the same server with a fresh token, then ends the look-up as
 * `unreachable` with the token's reason: other servers of the DP would refuse alike, and
 * each try spends quota.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { isMimiError } from '@mimi/errors';
import { type DnsMessage, typeToString } from '@mimi/protocol';
import {
  DEFAULT_QUERY_TIMEOUT_MS,
  DEFAULT_RETRIES,
  RATE_LIMIT_PAUSE_MS,
  RATE_LIMITED_WAITS,
  SERVER_PENALTY_MS,
} from './constants.js';
import { ResolverError, throwIfAborted, untilAborted } from './errors.js';
import {
  checkResponse,
  describeResponse,
  type Failure,
  failureCode,
  pickFailure,
} from './exchange-response.js';
import { BogusError, UnreachableError } from './outcomes.js';
import { type TokenSource, tokenLabel, tokenNeeded } from './privacy/tokens.js';
import type { TraceSink } from './trace.js';
import { type Endpoint, endpointKey, type Transport } from './transport/transport.js';
import { encodeQuery } from './wire/query.js';

export interface ExchangeOptions {
  readonly timeoutMs?: number;
  readonly retries?: number;
  /** Where tokens come from; without one, no query carries a token. */
  readonly tokens?: TokenSource | undefined;
  /** The network's apex (where the CSI subtrees are), for the token rule. */
  readonly apex?: string | undefined;
}

export interface QueryContext {
  readonly signal?: AbortSignal | undefined;
  readonly trace?: TraceSink;
  /** The zone whose servers are asked (for traces, errors and the token rule). */
  readonly zone: string;
}

type Outcome = { readonly response: DnsMessage } | Failure;

/** Builds the wire query for (qname, qtype), with `token` in EDNS option 65001 when given. */
export function buildQuery(qname: string, qtype: number, token?: Uint8Array): Uint8Array {
  return encodeQuery(qname, qtype, token);
}

/** Remembers which endpoints failed recently, to try them last. */
export class ServerHealth {
  private readonly penalties = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  failed(endpoint: Endpoint): void {
    this.penalties.set(endpointKey(endpoint), this.now() + SERVER_PENALTY_MS);
  }

  succeeded(endpoint: Endpoint): void {
    this.penalties.delete(endpointKey(endpoint));
  }

  /** Healthy endpoints first (in their given order), penalized ones after. */
  order(endpoints: readonly Endpoint[]): Endpoint[] {
    const now = this.now();
    const penalized = (endpoint: Endpoint) => (this.penalties.get(endpointKey(endpoint)) ?? 0) > now;
    return [...endpoints.filter((e) => !penalized(e)), ...endpoints.filter(penalized)];
  }
}

export class Exchanger {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly tokens: TokenSource | undefined;
  private readonly apex: string | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly health: ServerHealth,
    private readonly now: () => number,
    options: ExchangeOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.tokens = options.tokens;
    this.apex = options.apex;
  }

  /** Why no token can go out, or undefined when tokens can be sent. */
  private get tokenBlocker(): string | undefined {
    if (this.tokens === undefined || this.apex === undefined) return 'no token issuer is configured';
    // DESIGN §7: "Tokens never leave an encrypted channel".
    if (this.transport.encrypted !== true) return 'the transport is not encrypted';
    return undefined;
  }

  /**
   * Ask the zone's servers until one gives a usable response (NOERROR or NXDOMAIN that
   * answers the question). Throws UnreachableError when none did, `aborted` on abort.
   */
  async query(
    endpoints: readonly Endpoint[],
    qname: string,
    qtype: number,
    context: QueryContext,
  ): Promise<{ message: DnsMessage; endpoint: Endpoint }> {
    if (endpoints.length === 0) {
      throw new UnreachableError('no-servers', `zone ${context.zone} has no usable server`, context.zone);
    }
    const withToken = this.tokenBlocker === undefined && tokenNeeded(qname, context.zone, this.apex!);
    const failures: Failure[] = [];
    for (let round = 0; round <= this.retries; round++) {
      for (const endpoint of this.distinct(this.health.order(endpoints))) {
        throwIfAborted(context.signal);
        let outcome = await this.tryOnce(endpoint, qname, qtype, withToken, context);
        if (!('response' in outcome) && outcome.tokenRefusal !== undefined) {
          outcome = await this.afterTokenRefusal(endpoint, qname, qtype, outcome, context);
        }
        // Rate-limited (a bulk run past the relay's or DP's per-client budget): wait and
        // ask the same server again, rather than call it dead.
        for (
          let waits = 0;
          !('response' in outcome) && outcome.rateLimited && waits < RATE_LIMITED_WAITS;
          waits++
        ) {
          await pause(RATE_LIMIT_PAUSE_MS, context.signal);
          outcome = await this.tryOnce(endpoint, qname, qtype, withToken, context);
        }
        if ('response' in outcome) {
          this.health.succeeded(endpoint);
          return { message: outcome.response, endpoint };
        }
        throwIfAborted(context.signal);
        this.health.failed(endpoint);
        failures.push(outcome);
      }
    }
    throw unreachable(context.zone, pickFailure(failures));
  }

  /** One endpoint per server the transport reaches (the first, in the order given). */
  private distinct(endpoints: readonly Endpoint[]): Endpoint[] {
    const serverKey = this.transport.serverKey?.bind(this.transport);
    if (serverKey === undefined) return [...endpoints];
    const seen = new Set<string>();
    return endpoints.filter((endpoint) => {
      const key = serverKey(endpoint);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** DESIGN §6: "retry once with a fresh token, then `unreachable` with that reason". */
  private async afterTokenRefusal(
    endpoint: Endpoint,
    qname: string,
    qtype: number,
    refusal: Failure,
    context: QueryContext,
  ): Promise<Outcome> {
    const code = refusal.tokenRefusal!;
    const blocker = this.tokenBlocker;
    if (blocker !== undefined) {
      throw new UnreachableError(code, `${refusal.message}; ${blocker}`, context.zone);
    }
    const retry = await this.tryOnce(endpoint, qname, qtype, true, context);
    if (!('response' in retry) && retry.tokenRefusal !== undefined) {
      throw new UnreachableError(
        retry.tokenRefusal,
        `${retry.message}; refused again with a fresh token`,
        context.zone,
      );
    }
    return retry;
  }

  /** One query to one endpoint (with a fresh token when asked), traced. */
  private async tryOnce(
    endpoint: Endpoint,
    qname: string,
    qtype: number,
    withToken: boolean,
    context: QueryContext,
  ): Promise<Outcome> {
    // The token is taken before the exchange's clock starts: the issuer is not the server.
    const token = withToken ? await this.takeToken(context) : undefined;
    const started = this.now();
    const outcome = await this.attempt(endpoint, buildQuery(qname, qtype, token), qname, qtype, context);
    context.trace?.({
      event: 'query',
      zone: context.zone,
      qname,
      qtype: typeToString(qtype),
      server: { url: endpoint.url, host: endpoint.host },
      outcome:
        'response' in outcome
          ? describeResponse(outcome.response)
          : `failed: ${outcome.code}: ${outcome.message}`,
      ms: this.now() - started,
      ...(this.transport.via === undefined ? {} : { relay: this.transport.via }),
      ...(token === undefined ? {} : { token: tokenLabel(token) }),
    });
    return outcome;
  }

  /** A token from the source, or `unreachable` with the source's reason (DESIGN §6). */
  private async takeToken(context: QueryContext): Promise<Uint8Array> {
    try {
      return await untilAborted(this.tokens!.token(), context.signal);
    } catch (err) {
      throwIfAborted(context.signal);
      if (!isMimiError(err)) throw err;
      throw new UnreachableError(
        err.code,
        `no privacy pass token for a query to zone ${context.zone}: ${err.message}`,
        context.zone,
      );
    }
  }

  private async attempt(
    endpoint: Endpoint,
    query: Uint8Array,
    qname: string,
    qtype: number,
    context: QueryContext,
  ): Promise<Outcome> {
    const { signal } = context;
    // One controller per attempt, aborted by the timer or by the caller's signal; a
    // listener instead of AbortSignal.any, which costs more than the rest per query.
    const timeout = new AbortController();
    const timer = setTimeout(
      () =>
        timeout.abort(
          new ResolverError('transport-timeout', `${endpoint.host} did not answer in ${this.timeoutMs} ms`),
        ),
      this.timeoutMs,
    );
    const onAbort = (): void => timeout.abort(signal!.reason);
    if (signal !== undefined) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    let bytes: Uint8Array;
    try {
      bytes = await this.transport.send(endpoint, query, {
        signal: timeout.signal,
        ...(context.trace === undefined ? {} : { trace: context.trace }),
      });
    } catch (err) {
      throwIfAborted(signal);
      // A forged ODoH config on the way is a DNSSEC failure like any other (DESIGN §6).
      if (err instanceof BogusError) throw err;
      if (timeout.signal.aborted)
        return {
          code: 'timeout',
          message: `${endpoint.host} (${endpoint.url}) did not answer in ${this.timeoutMs} ms`,
        };
      if (err instanceof ResolverError) {
        const failure = { code: failureCode(err.code), message: err.message };
        return err.details.status === 429 ? { ...failure, rateLimited: true } : failure;
      }
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    return checkResponse(bytes, endpoint, qname, qtype);
  }
}

/** Wait `ms`; `aborted` at once when the caller's signal aborts. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (err) {
    throwIfAborted(signal);
    throw err;
  }
}

function unreachable(zone: string, failure: Failure): UnreachableError {
  return new UnreachableError(failure.code, `no server of zone ${zone} answered: ${failure.message}`, zone);
}
