/**
 * Errors of the server layer. A `QueryError` is a query we answer with an error RCODE
 * (or drop); `rcode.ts` is the one place that turns its `code` into an RCODE. An
 * `AnswerError` is an answer we failed to encode (SERVFAIL). A `ServerConfigError` is a
 * start-up or reload problem (files, addresses); a `UsageError` is a bad command line
 * (exit 2, DESIGN §8).
 */
import { MimiError } from '@mimi/errors';

/** A query that cannot be answered normally; `details.id` holds its ID when it could be read. */
export class QueryError extends MimiError {
  constructor(
    code: string,
    message: string,
    /** The query ID, or -1 when fewer than two octets arrived. */
    readonly id: number,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, { ...options, details: { id } });
  }
}

/** An answer that could not be put on the wire (e.g. over 65,535 octets): SERVFAIL. */
export class AnswerError extends MimiError {}

/** Bad configuration: unreadable or unsafe TLS files, a refused listen address... */
export class ServerConfigError extends MimiError {}

/** A bad command line; the program prints one line and exits with status 2. */
export class UsageError extends MimiError {}
