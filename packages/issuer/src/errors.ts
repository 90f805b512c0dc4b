/**
 * Errors of the issuer. `IssuerError` codes are about configuration and state
 * (`usage`, `users-file`, `file-permissions`, `tls-files`, `state-dir`, `key-store`,
 * `signing-failure`); `IssuerHttpError` is an answer to a client with its HTTP status
 * (RFC 9578 §6.2: 422 for a request we cannot process; 401, 413, 415, 429 ...).
 * Exactly one place, http-server.ts, turns them into responses.
 */
import { MimiError } from '@mimi/errors';

export class IssuerError extends MimiError {}

export class IssuerHttpError extends MimiError {
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: number,
    code: string,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(code, message, { cause: options.cause, details: { status } });
    this.headers = Object.freeze({ ...(options.headers ?? {}) });
  }
}
