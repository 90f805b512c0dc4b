/**
 * Options and results of the request pipeline (pipeline.ts), kept apart so listeners
 * and hooks can name them without pulling in the pipeline itself.
 */
import type { AnswerCacheLimits } from './answer-cache.js';
import type { QueryHook } from './hooks.js';
import type { Logger } from './logger.js';
import type { ServerMetrics, Transport } from './metrics.js';

export interface RateLimitOptions {
  /** Queries per second per client (0: no limit). */
  readonly queriesPerSecond?: number;
  readonly queryBurst?: number;
  /** Answer-cache misses per second per client (0: no limit). */
  readonly missesPerSecond?: number;
  readonly missBurst?: number;
  readonly maxClients?: number;
}

export interface PipelineOptions {
  readonly metrics?: ServerMetrics;
  readonly logger?: Logger;
  readonly cache?: Partial<AnswerCacheLimits>;
  readonly rateLimit?: RateLimitOptions;
  readonly hooks?: readonly QueryHook[];
  /** Clock in milliseconds since the Unix epoch; tests inject a fixed one. */
  readonly now?: () => number;
}

export interface HandleOptions {
  readonly transport: Transport;
  readonly client: string;
  /** Largest response the transport carries: 1232 for UDP (clamped further by the query), 65535 otherwise. */
  readonly maxResponseSize: number;
}

/** `answered`: bytes to send; `malformed`: a FORMERR (DoH turns it into 400); others send nothing. */
export type Outcome = 'answered' | 'malformed' | 'dropped' | 'rate-limited';

export interface PipelineResult {
  readonly bytes: Buffer | null;
  readonly outcome: Outcome;
  /** The response RCODE, or -1 when nothing is sent. */
  readonly rcode: number;
  /** Seconds an HTTP cache may keep the response (RFC 8484 §5.1); 0 for uncached answers. */
  readonly maxAge: number;
}
