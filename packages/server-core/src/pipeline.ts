/**
 * The request pipeline shared by every transport: query bytes in, response bytes out.
 *
 *   rate limit (queries/s) → read header, question, OPT → BADVERS / class screen
 *   → hooks.beforeAnswer → answer cache ─hit─→ personalise
 *                                    └─miss→ qtype screen → zone check (REFUSED)
 *                                            → rate limit (misses/s) → engine → encode → cache
 *   → hooks.beforeSend → UDP truncation → metrics
 *
 * Only a cache miss reaches the engine, and only after the client's miss bucket gave a
 * token (DESIGN §5: rate-limit before any denial is signed). Every failure becomes a
 * response through `rcode.ts`; nothing a client sends can throw out of `process`.
 */
import { performance } from 'node:perf_hooks';
import { CLASS_IN, Rcode } from '@mimi/protocol';
import { AnswerCache } from './answer-cache.js';
import {
  DEFAULT_CACHE_MAX_BYTES,
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_MISSES_PER_SECOND,
  DEFAULT_QUERIES_PER_SECOND,
  DEFAULT_RATE_LIMIT_CLIENTS,
  EDNS_VERSION,
} from './constants.js';
import type { QueryEngine } from './engine.js';
import { QueryError } from './errors.js';
import type { HookVerdict, QueryContext, QueryHook } from './hooks.js';
import { type Logger, silentLogger } from './logger.js';
import { ServerMetrics, type Transport } from './metrics.js';
import type { HandleOptions, PipelineOptions, PipelineResult } from './pipeline-types.js';
import { nameKeyOf, type ParsedQuery, readQuery } from './query-reader.js';
import { qtypeScreen } from './query-screens.js';
import { ClientRateLimiter } from './rate-limit.js';
import { rcodeForError, rcodeName } from './rcode.js';
import {
  encodeHeaderOnly,
  encodeResponse,
  errorContent,
  isAnswerTo,
  lowercaseQname,
  personalize,
  personalizeInPlace,
} from './response-writer.js';
import { truncateResponse, udpLimit } from './truncate.js';
import { ZoneSet } from './zone-set.js';

export type {
  HandleOptions,
  Outcome,
  PipelineOptions,
  PipelineResult,
  RateLimitOptions,
} from './pipeline-types.js';

const DROPPED: PipelineResult = Object.freeze({ bytes: null, outcome: 'dropped', rcode: -1, maxAge: 0 });
const RATE_LIMITED: PipelineResult = Object.freeze({
  bytes: null,
  outcome: 'rate-limited',
  rcode: -1,
  maxAge: 0,
});

export class QueryPipeline {
  readonly cache: AnswerCache;
  readonly metrics: ServerMetrics;
  private readonly logger: Logger;
  private readonly hooks: QueryHook[];
  /** Some hook may write to the response it is given: each query then gets its own copy. */
  private hooksWrite = false;
  private readonly now: () => number;
  private readonly queryLimiter: ClientRateLimiter;
  private readonly missLimiter: ClientRateLimiter;
  private zones: ZoneSet;
  private readonly debug: boolean;

  constructor(
    private readonly engine: QueryEngine,
    options: PipelineOptions = {},
  ) {
    this.metrics = options.metrics ?? new ServerMetrics({ processMetrics: false });
    this.logger = options.logger ?? silentLogger();
    this.debug = this.logger.isLevelEnabled('debug');
    this.hooks = [];
    for (const hook of options.hooks ?? []) this.addHook(hook);
    this.now = options.now ?? Date.now;
    this.cache = new AnswerCache({
      maxEntries: options.cache?.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
      maxBytes: options.cache?.maxBytes ?? DEFAULT_CACHE_MAX_BYTES,
    });
    const limits = options.rateLimit ?? {};
    const maxClients = limits.maxClients ?? DEFAULT_RATE_LIMIT_CLIENTS;
    this.queryLimiter = new ClientRateLimiter({
      ratePerSecond: limits.queriesPerSecond ?? DEFAULT_QUERIES_PER_SECOND,
      burst: limits.queryBurst,
      maxClients,
    });
    this.missLimiter = new ClientRateLimiter({
      ratePerSecond: limits.missesPerSecond ?? DEFAULT_MISSES_PER_SECOND,
      burst: limits.missBurst,
      maxClients,
    });
    this.zones = new ZoneSet(engine.zones());
    this.metrics.setSources({
      answerCacheEntries: () => this.cache.size,
      answerCacheBytes: () => this.cache.bytes,
    });
    engine.onChange((names) => {
      const dropped = this.cache.invalidate(names);
      if (this.debug) this.logger.debug({ names, dropped }, 'answer cache invalidated');
    });
  }

  /** Add a per-query step (token check, padding...); steps run in the order added. */
  addHook(hook: QueryHook): void {
    this.hooks.push(hook);
    if (hook.beforeSend !== undefined && hook.leavesResponseIntact !== true) this.hooksWrite = true;
  }

  /** After the engine reloaded its zones: new zone list, and no answer from before. */
  afterReload(): void {
    this.zones = new ZoneSet(this.engine.zones());
    this.cache.clear();
  }

  /** The transport-independent entry point: response bytes, or null to send nothing. */
  handleQuery(bytes: Uint8Array, options: HandleOptions): Buffer | null {
    return this.process(bytes, options).bytes;
  }

  /** Like handleQuery, with what happened (DoH maps outcomes to HTTP statuses). */
  process(bytes: Uint8Array, options: HandleOptions): PipelineResult {
    const started = performance.now();
    const now = this.now();
    const transport = options.transport;
    if (!this.queryLimiter.take(options.client, now)) {
      this.metrics.rateLimitedDrop(transport, 'queries');
      return RATE_LIMITED;
    }
    let query: ParsedQuery;
    try {
      query = readQuery(bytes);
    } catch (err) {
      return this.rejectUnparsed(bytes, err, transport, started);
    }
    const context: QueryContext | null =
      this.hooks.length === 0 ? null : { transport, client: options.client, bytes, query, zones: this.zones };

    let response: Buffer;
    let rcode: number;
    let maxAge = 0;
    let cacheState = 'none';
    try {
      if (query.edns !== null && query.edns.version !== EDNS_VERSION) {
        throw new QueryError('edns-version', `edns version ${query.edns.version} is not supported`, query.id);
      }
      if (query.qclass !== CLASS_IN)
        throw new QueryError('class-refused', `class ${query.qclass} is not served`, query.id);
      const verdict = context === null ? undefined : this.beforeAnswer(context);
      if (verdict?.kind === 'drop') return DROPPED;
      if (verdict !== undefined) {
        response = personalizeInPlace(
          encodeResponse(query, verdict.content, verdict.ednsOptions),
          bytes,
          query,
        );
        rcode = verdict.content.rcode;
      } else {
        const entry = this.cache.get(query.key, now);
        if (entry !== undefined) {
          cacheState = 'hit';
          this.metrics.answerCacheHit();
          // Unless a hook may write to it: when the cached response already is this query's
          // (same ID, RD, CD, qname case — DoH sends ID 0), it goes out as it is.
          response =
            !this.hooksWrite && isAnswerTo(entry.bytes, bytes, query)
              ? entry.bytes
              : personalize(entry.bytes, bytes, query);
          rcode = entry.rcode;
          maxAge = Math.max(0, Math.min(entry.maxAge, Math.floor((entry.expiresAt - now) / 1000)));
        } else {
          cacheState = 'miss';
          const screened = qtypeScreen(query.qtype);
          if (screened !== null) throw screened;
          if (!this.zones.contains(nameKeyOf(query.key))) {
            throw new QueryError('not-in-zone', 'qname is outside the zones served here', query.id);
          }
          if (!this.missLimiter.take(options.client, now)) {
            this.metrics.rateLimitedDrop(transport, 'misses');
            return RATE_LIMITED;
          }
          this.metrics.answerCacheMiss();
          const miss = this.answerMiss(query, now);
          response = personalize(miss.bytes, bytes, query);
          rcode = miss.rcode;
          maxAge = miss.maxAge;
        }
      }
    } catch (err) {
      rcode = rcodeForError(err) ?? Rcode.SERVFAIL;
      if (!(err instanceof QueryError)) this.logger.error({ err, qtype: query.qtype }, 'query failed');
      response = personalizeInPlace(encodeResponse(query, errorContent(rcode)), bytes, query);
      maxAge = 0;
    }

    if (context !== null) {
      try {
        response = this.beforeSend(context, response);
      } catch (err) {
        this.logger.error({ err }, 'query hook failed');
        rcode = Rcode.SERVFAIL;
        response = personalizeInPlace(encodeResponse(query, errorContent(rcode)), bytes, query);
      }
    }
    let truncated = false;
    const limit =
      transport === 'udp' ? udpLimit(query.edns, options.maxResponseSize) : options.maxResponseSize;
    if (response.length > limit) {
      response = truncateResponse(response, query.questionEnd);
      truncated = true;
    }
    this.metrics.recordQuery(transport, query.qtype, rcode, (performance.now() - started) / 1000);
    if (this.debug) {
      this.logger.debug(
        {
          transport,
          client: options.client,
          qname: lowercaseQname(query),
          qtype: query.qtype,
          rcode: rcodeName(rcode),
          cache: cacheState,
          truncated,
          size: response.length,
        },
        'query',
      );
    }
    return { bytes: response, outcome: 'answered', rcode, maxAge };
  }

  /**
   * Ask the engine, encode, and keep the bytes for `keepSeconds` (the engine's word on
   * how long they stay right; `cacheSeconds` when it says nothing). HTTP caches are told
   * at most `cacheSeconds`, the smallest TTL (RFC 8484 §5.1).
   */
  private answerMiss(query: ParsedQuery, now: number): { bytes: Buffer; rcode: number; maxAge: number } {
    const sections = this.engine.answer(
      { name: lowercaseQname(query), type: query.qtype },
      query.edns?.dnssecOk ?? false,
      Math.floor(now / 1000),
    );
    const bytes = encodeResponse(query, sections);
    const seconds = Math.max(0, Math.floor(sections.cacheSeconds));
    const keep = sections.keepSeconds === undefined ? seconds : Math.floor(sections.keepSeconds);
    if (keep > 0 && seconds > 0) {
      this.cache.set(query.key, {
        bytes,
        questionEnd: query.questionEnd,
        rcode: sections.rcode,
        expiresAt: now + keep * 1000,
        maxAge: Math.min(seconds, keep),
        invalidationName: sections.invalidationName,
      });
    }
    return { bytes, rcode: sections.rcode, maxAge: Math.min(seconds, Math.max(0, keep)) };
  }

  private beforeAnswer(context: QueryContext): HookVerdict | undefined {
    for (const hook of this.hooks) {
      const verdict = hook.beforeAnswer?.(context);
      if (verdict !== undefined) return verdict;
    }
    return undefined;
  }

  private beforeSend(context: QueryContext, response: Buffer): Buffer {
    let out = response;
    for (const hook of this.hooks) {
      if (hook.beforeSend !== undefined) out = hook.beforeSend(context, out);
    }
    return out;
  }

  /** A query whose header or question could not be read: FORMERR / NOTIMP header, or nothing. */
  private rejectUnparsed(
    bytes: Uint8Array,
    err: unknown,
    transport: Transport,
    started: number,
  ): PipelineResult {
    const rcode = rcodeForError(err);
    if (rcode === null) return DROPPED;
    this.metrics.recordUnparsed(transport, rcode, (performance.now() - started) / 1000);
    if (this.debug) {
      this.logger.debug(
        { transport, rcode: rcodeName(rcode), reason: (err as Error).message },
        'query rejected',
      );
    }
    return {
      bytes: encodeHeaderOnly(bytes, rcode),
      outcome: rcode === Rcode.FORMERR ? 'malformed' : 'answered',
      rcode,
      maxAge: 0,
    };
  }
}
