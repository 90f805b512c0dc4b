/**
 * The one place relay refusals become HTTP answers: a status, a JSON body
 * `{"error": {"code", "message"}}` (the project's error format), and a Proxy-Status
 * header (RFC 9209) — RFC 9230 §4.1 asks for "a 4xx (Client Error) ... along with the
 * Proxy-Status response header with an "error" parameter of type "http_request_error"",
 * 403 with "http_request_denied", 502 with a type naming what failed upstream.
 * A `RelayHttpError` is the server core's `HttpError`, so the status, headers and body
 * come from the core's one `errorAnswer`; the relay adds Proxy-Status.
 */
import { HttpError } from '@mimi/server-core/basics';
import { PROXY_STATUS_NAME } from './constants.js';

/** RFC 9209 §2.3 error types the relay uses. */
export type ProxyErrorType =
  | 'http_request_error'
  | 'http_request_denied'
  | 'connection_limit_reached'
  | 'destination_unavailable'
  | 'connection_refused'
  | 'connection_timeout'
  | 'http_response_timeout'
  | 'tls_certificate_error'
  | 'tls_protocol_error'
  | 'http_response_body_size'
  | 'http_protocol_error'
  | 'proxy_internal_error';

/** Stable codes and their statuses. */
const STATUS_BY_CODE = {
  'not-found': 404,
  'method-not-allowed': 405,
  'bad-request': 400,
  'unsupported-media-type': 415,
  'too-large': 413,
  'target-not-allowed': 403,
  'path-not-allowed': 403,
  'rate-limited': 429,
  overloaded: 503,
  'upstream-failed': 502,
  'shutting-down': 503,
} as const;

export type RelayErrorCode = keyof typeof STATUS_BY_CODE;

/** A refusal of one request: its stable code, HTTP status, RFC 9209 error type and extra headers. */
export class RelayHttpError extends HttpError {
  declare readonly code: RelayErrorCode;

  constructor(
    code: RelayErrorCode,
    message: string,
    readonly proxyError: ProxyErrorType,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(STATUS_BY_CODE[code], code, message, { details: { proxyError }, headers: { ...headers } });
  }
}

/** `Proxy-Status: mimi-relay; error=<type>; details="<text>"` (RFC 9209 §2.1.1, §2.1.5). */
export function proxyStatusError(type: ProxyErrorType, details?: string): string {
  const quoted = details === undefined ? '' : `; details="${details.replace(/["\\]/g, '').slice(0, 200)}"`;
  return `${PROXY_STATUS_NAME}; error=${type}${quoted}`;
}

/** RFC 9230 §4.3: "The Proxy also SHOULD add a Proxy-Status response header with an "received-status" parameter". */
export function proxyStatusReceived(status: number): string {
  return `${PROXY_STATUS_NAME}; received-status=${status}`;
}
