/**
 * The ODoH target endpoint without the HTTP server: bytes of a POST body in, a status,
 * media type and body out (RFC 9230 §4.3, §8). The server owns routing and transport;
 * this owns what ODoH says about the answer:
 * - 200 with `application/oblivious-dns-message` for every DNS answer, SERVFAIL and
 *   NXDOMAIN included (§4.3: "a successful HTTP response with a 2xx status code is used
 *   as long as the DNS response is valid");
 * - 401 when the key id is unknown (§4.3, §8 step 1), so the client refetches configs;
 * - 400 for anything else that fails: decoding, message type, decryption, padding.
 */
import { ODOH_MEDIA_TYPE } from './constants.js';
import { OdohError } from './errors.js';
import type { PaddingOptions } from './message.js';
import { openQuery, sealResponse } from './target.js';
import type { TargetKeys } from './target-key.js';

export interface OdohHttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Set when status is not 200: the stable code and a one-line message. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** The HTTP status of a failed ODoH query, by error code (RFC 9230 §4.3). */
export function odohHttpStatus(code: string): number {
  return code === 'odoh-unknown-key' ? 401 : 400;
}

/**
 * Decrypt `body`, hand the DNS query to `answer`, encrypt what it returns. `answer`
 * must produce a DNS message for every query (a failure is a SERVFAIL message, not an
 * exception); if it throws, the exception propagates to the caller's 5xx handling.
 */
export async function answerObliviousQuery(
  keys: TargetKeys,
  body: Uint8Array,
  answer: (dnsQuery: Uint8Array) => Promise<Uint8Array>,
  padding: PaddingOptions = {},
): Promise<OdohHttpAnswer> {
  let opened: ReturnType<typeof openQuery>;
  try {
    opened = openQuery(keys, body);
  } catch (err) {
    if (!(err instanceof OdohError)) throw err;
    const error = { code: err.code, message: err.message };
    const text = new TextEncoder().encode(JSON.stringify({ error }));
    return { status: odohHttpStatus(err.code), contentType: 'application/json', body: text, error };
  }
  const response = await answer(opened.query);
  return { status: 200, contentType: ODOH_MEDIA_TYPE, body: sealResponse(opened.context, response, padding) };
}
