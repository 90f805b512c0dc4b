/**
 * The management API's refusals (DESIGN §4 "Stable error codes", §7): the one place
 * where a reason code becomes an HTTP status, and where the errors of the layers below
 * (ObjectError from verification, MappingStoreError from the state rules) become
 * reason codes. Every refusal is an HttpError, which server-core's listener writes as
 * `{"error": {"code", "message"}}` with the status chosen here.
 */
import { isMimiError } from '@mimi/errors';
import { HttpError } from '@mimi/server-core';

/** DESIGN §4's stable codes, plus `unavailable` when we cannot check right now. */
export type ApiCode =
  | 'malformed'
  | 'too-large'
  | 'not-served-here'
  | 'csip-key-unknown'
  | 'out-of-scope'
  | 'bad-signature'
  | 'csi-mismatch'
  | 'expired'
  | 'stale-serial'
  | 'stale-epoch'
  | 'too-many-mappings'
  | 'csi-budget'
  | 'not-authorized'
  | 'rate-limited'
  | 'unavailable';

/**
 * DESIGN §7: "400 malformed, 403 not authorized, 404 CSI not served here, 409 stale
 * serial or too many mappings, 413 HTTP body over its limit …, 429 rate-limited".
 * `unavailable` (the CSIP keys cannot be fetched: resolver configuration missing,
 * root unreachable, chain bogus) is a temporary failure of ours: 503 (RFC 9110 §15.6.4).
 */
export function httpStatusFor(code: ApiCode): number {
  switch (code) {
    case 'malformed':
      return 400;
    case 'csip-key-unknown':
    case 'out-of-scope':
    case 'bad-signature':
    case 'csi-mismatch':
    case 'expired':
    case 'stale-epoch':
    case 'not-authorized':
      return 403;
    case 'not-served-here':
      return 404;
    case 'stale-serial':
    case 'too-many-mappings':
    case 'csi-budget':
      return 409;
    case 'too-large':
      return 413;
    case 'rate-limited':
      return 429;
    case 'unavailable':
      return 503;
  }
}

/** Seconds a client should wait after 429 or 503 (RFC 9110 §10.2.3 Retry-After). */
const RETRY_AFTER_SECONDS: Partial<Record<ApiCode, string>> = { 'rate-limited': '1', unavailable: '5' };

/** A refusal with its status, and Retry-After where waiting helps. */
export function apiError(code: ApiCode, message: string, options: { cause?: unknown } = {}): HttpError {
  const retryAfter = RETRY_AFTER_SECONDS[code];
  return new HttpError(httpStatusFor(code), code, message, {
    cause: options.cause,
    ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }),
  });
}

/**
 * ObjectError codes of @mimi/protocol's verifiers (and decoders) as API codes. Every
 * decode fault — CBOR, schema, version, a limit inside the object such as its 4,096
 * octets — is `malformed` (DESIGN §7: "a limit broken inside a decodable object is 400
 * `malformed`").
 */
export function apiCodeForObjectError(code: string): ApiCode {
  switch (code) {
    case 'csi-mismatch':
      return 'csi-mismatch';
    case 'expired':
    case 'csip-key-expired':
      return 'expired';
    case 'csip-key-unknown':
      return 'csip-key-unknown';
    case 'scope':
      return 'out-of-scope';
    case 'signature':
    case 'key-noncanonical':
    case 'key-small-order':
    case 'key-length':
      return 'bad-signature';
    default:
      return 'malformed';
  }
}

/** MappingStoreError codes are DESIGN §4's own; anything unexpected from the store is not the client's fault. */
const STORE_CODES = new Set<ApiCode>([
  'malformed',
  'stale-serial',
  'stale-epoch',
  'too-many-mappings',
  'csi-budget',
  'not-authorized',
]);

/** A store refusal as an API refusal; other errors are returned as they are (500). */
export function fromStoreError(err: unknown): unknown {
  if (isMimiError(err) && STORE_CODES.has(err.code as ApiCode)) {
    return apiError(err.code as ApiCode, err.message, { cause: err });
  }
  return err;
}
