/**
 * Which upstream failures the relay repeats, once. RFC 9113 §8.7: a request on a stream
 * the server refused (REFUSED_STREAM, or above the last stream id of a GOAWAY, §6.8)
 * "was not processed" and may be retried; a pooled connection the target closes while
 * our request is on its way (idle timeout, restart, drain) fails the same way from here —
 * undici reports a GOAWAY as a socket error and fails the streams it carried.
 *
 * Repeating is safe for what a relay carries: an ODoH query (RFC 9230 §4) asks, it
 * changes nothing at the target, and the relay sends the very same sealed bytes, so the
 * target learns nothing new. If the first copy was processed after all, its Privacy Pass
 * token is spent and the target refuses the repeat; the stub then retries once more with a
 * fresh token (packages/stub-resolver exchange.ts). Only failures before any response
 * byte qualify: once headers have arrived, the target has answered.
 */

/** Error codes (undici, node) of a connection lost before the response began. */
const CONNECTION_LOST_CODES: ReadonlySet<string> = new Set([
  // undici SocketError: "other side closed", a GOAWAY received, the socket closed.
  'UND_ERR_SOCKET',
  // undici ClientClosedError: the pooled client was closed under the request.
  'UND_ERR_CLOSED',
  // The kernel: the target reset the connection, or it was gone when we wrote.
  'ECONNRESET',
  'EPIPE',
]);

/** node:http2 reports a refused stream as this code with the nghttp2 error name in the message. */
const HTTP2_STREAM_ERROR = 'ERR_HTTP2_STREAM_ERROR';
const REFUSED_STREAM = 'NGHTTP2_REFUSED_STREAM';

/**
 * The reason to repeat a request that failed with `err` before any response byte (the
 * metric label: the error code, or `REFUSED_STREAM`), or null when it must not be
 * repeated: a refused connection (the target is down), timeouts (the budget is spent),
 * TLS failures, anything undici cannot name as a lost connection.
 */
export function retryReason(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return null;
  if (CONNECTION_LOST_CODES.has(code)) return code;
  if (code === HTTP2_STREAM_ERROR && typeof message === 'string' && message.includes(REFUSED_STREAM)) {
    return 'REFUSED_STREAM';
  }
  return null;
}
