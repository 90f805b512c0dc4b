/**
 * `@mimi/server-core/basics`: the parts of the server core that any of our HTTPS programs
 * needs — per-client rate limiter, TLS file checks, logger, HTTP error answers — without
 * the DNS pipeline, the authority and the privacy code the full index loads (the relay
 * takes these, and starts in a fraction of the time the full import costs).
 */
export { ServerConfigError } from './errors.js';
export { type ErrorAnswer, errorAnswer, HttpError } from './http-errors.js';
export {
  createLogger,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from './logger.js';
export { ClientRateLimiter, clientKey, type TokenBucketOptions } from './rate-limit.js';
export { loadTlsMaterial, readCaFile, type TlsFiles, type TlsMaterial } from './tls-files.js';
