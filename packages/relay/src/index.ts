/**
 * The oblivious relay (RFC 9230 §4 "Oblivious Proxy") as a library: start it in-process
 * (tests, the demo) or through the `mimi-relay` command (main.ts).
 */
/** The relay's logger (and its rate limiter) are the server core's. */
export type { Logger, LogLevel } from '@mimi/server-core/basics';
export { type ParsedArgs, parseRelayArgs, type RelayArgs, USAGE } from './args.js';
export {
  DEFAULT_BURST,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_RATE_PER_SECOND,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  MAX_TRACKED_CLIENTS,
  ODOH_MEDIA_TYPE,
  PROXY_PATH,
} from './constants.js';
export { RelayConfigError } from './errors.js';
export { RelayHttpError } from './http-errors.js';
export { InFlightGate } from './in-flight-gate.js';
export { type RelayOptions, type RunningRelay, startRelay } from './server.js';
export {
  normalizeHost,
  parseTargets,
  readTargetsFile,
  type TargetEntry,
  type TargetTable,
} from './targets.js';
export { loadTlsMaterial, readCaFile, type TlsMaterial } from './tls-files.js';
