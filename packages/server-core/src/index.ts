/**
 * @mimi/server-core: the request pipeline, listeners (DoH, Do53) and process plumbing
 * shared by mimi-root and mimi-authoritative.
 */
export { checkDo53Address, formatHostPort, type HostPort, isLoopback, parseHostPort } from './address.js';
export { AnswerCache, type AnswerCacheLimits, type CacheEntry } from './answer-cache.js';
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
  usageText,
} from './flags.js';
export type { HookVerdict, QueryContext, QueryHook } from './hooks.js';
export {
  decodeDnsParameter,
  HttpError,
  mediaType,
  readBody,
  statusForError,
  statusForOutcome,
} from './http-errors.js';
export {
  type HttpsLimits,
  HttpsListener,
  type HttpsRoute,
  type RouteContext,
  type RouteHandler,
  sendError,
} from './https-listener.js';
export {
  createLogger,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from './logger.js';
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
  type HandleOptions,
  type Outcome,
  type PipelineOptions,
  type PipelineResult,
  QueryPipeline,
  type RateLimitOptions,
} from './pipeline.js';
export { type EdnsInfo, ednsOptions, type ParsedQuery, peekId, readQuery } from './query-reader.js';
export { ClientRateLimiter, clientKey, type TokenBucketOptions } from './rate-limit.js';
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
export { loadTlsMaterial, type TlsFiles, type TlsMaterial } from './tls-files.js';
export { truncateResponse, udpLimit } from './truncate.js';
export { ZoneSet } from './zone-set.js';
