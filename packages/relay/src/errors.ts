import { MimiError } from '@mimi/errors';

/**
 * Errors of the relay's configuration and start-up (exit code 2 from `mimi-relay`):
 * `usage`, `listen-address`, `targets-file`, `tls-key-permissions`, `tls-file`.
 * Request-time refusals are `RelayHttpError` (http-errors.ts), upstream failures
 * `UpstreamError` (forwarder.ts).
 */
export class RelayConfigError extends MimiError {}
