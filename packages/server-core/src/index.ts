/**
 * @mimi/server-core: the request pipeline, listeners (DoH, Do53) and process plumbing
 * shared by mimi-root and mimi-authoritative; the relay takes its per-client rate
 * limiter, TLS file checks, logger and HTTP error answers from here too.
 */
export { checkDo53Address, formatHostPort, type HostPort, isLoopback, parseHostPort } from './address.js';
export { AnswerCache, type AnswerCacheLimits, type CacheEntry } from './answer-cache.js';
// The logger, rate limiter and TLS file checks (also on their own: @mimi/server-core/basics).
export * from './basics.js';
export * from './constants.js';
export type { QueryEngine, QuestionKey, ResponseSections } from './engine.js';
export { AnswerError, QueryError, ServerConfigError, UsageError } from './errors.js';
export {
  type CommandLine,
  type CommonFlags,
  type ExtraOption,
  type ExtraValues,
  type ProgramSpec,
  parseServerArgs,
  type TokenFlags,
  usageText,
} from './flags.js';
export type { HookVerdict, QueryContext, QueryHook } from './hooks.js';
export {
  decodeDnsParameter,
  dnsParameterOf,
  type ErrorAnswer,
  errorAnswer,
  HttpError,
  mediaType,
  readBody,
  readStreamBody,
  statusForError,
  statusForOutcome,
} from './http-errors.js';
export { type HttpsLimits, HttpsListener, sendError } from './https-listener.js';
export {
  type HttpsRoute,
  type RouteContext,
  type RouteHandler,
  RouteTable,
  type StreamAnswer,
  type StreamHandler,
  type StreamRequest,
} from './https-routes.js';
export {
  exitCodeFor,
  type MainOptions,
  runServerMain,
  type ServerParts,
  type ServerSetup,
  serverOptionsFromFlags,
} from './main.js';
export { type EngineMetrics, type MetricsSources, ServerMetrics, type Transport } from './metrics.js';
export {
  ODOH_CONFIGS_MEDIA_TYPE,
  ODOH_MAX_BODY_BYTES,
  odohConfigsRoute,
  odohQueryRoute,
} from './odoh-routes.js';
export { OdohTarget, type OdohTargetOptions } from './odoh-target.js';
export { paddingHook, padResponse, queryIsPadded } from './padding-hook.js';
export {
  type HandleOptions,
  type Outcome,
  type PipelineOptions,
  type PipelineResult,
  QueryPipeline,
  type RateLimitOptions,
} from './pipeline.js';
export { type PrivacyFeatures, type PrivacyOptions, setupPrivacy } from './privacy.js';
export { type EdnsInfo, ednsOptions, type ParsedQuery, peekId, readQuery } from './query-reader.js';
export { rcodeForError, rcodeName } from './rcode.js';
export {
  type EdnsOption,
  encodeHeaderOnly,
  encodeResponse,
  errorContent,
  personalize,
  type ResponseContent,
} from './response-writer.js';
export {
  type RunningServer,
  type ServerAddresses,
  type ServerOptions,
  startServer,
} from './server.js';
export { createSignalHandlers, installSignalHandlers, type SignalHandlers } from './signals.js';
export {
  csiSubtrees,
  needsToken,
  type TokenChecker,
  type TokenHookOptions,
  tokenHook,
  tokenOf,
} from './token-hook.js';
export { findOptRecord, type OptLocation, truncateResponse, udpLimit } from './truncate.js';
export { ZoneSet } from './zone-set.js';
