/**
 * Constants of the oblivious relay (RFC 9230 §4: the "Oblivious Proxy"), each with the
 * sentence it implements or the reason for its value.
 */

/** RFC 9230 §4.1: "Clients MUST set the HTTP Content-Type header to "application/oblivious-dns-message"". */
export const ODOH_MEDIA_TYPE = 'application/oblivious-dns-message';

/** DESIGN §7: "Relay: POST /proxy?targethost=<host name>&targetpath=/dns-query". */
export const PROXY_PATH = '/proxy';
export const DEFAULT_TARGET_PATH = '/dns-query';

/**
 * Request body limit. An ODoH query is a padded DNS query (RFC 8467 §4.1: 128-byte
 * blocks) plus 87 bytes of framing, HPKE enc and tag; with a Privacy Pass token in EDNS
 * it stays under 1 KiB. 16 KiB leaves room and keeps a flood cheap to refuse.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024;

/**
 * Response body limit: the largest ObliviousDoHMessage a response can be — type (1),
 * key_id<0..2^16-1> holding the 16-byte resp_nonce (2 + 16), and
 * encrypted_message<1..2^16-1> (2 + 65535), RFC 9230 §6.1.
 */
export const MAX_RESPONSE_BYTES = 1 + 2 + 16 + 2 + 0xffff;

/** Token bucket per client: sustained queries per second and burst (0 disables). */
export const DEFAULT_RATE_PER_SECOND = 50;
export const DEFAULT_BURST = 100;
/** Clients remembered by the limiter; the one seen least recently is forgotten first. */
export const MAX_TRACKED_CLIENTS = 100_000;

/** Requests being forwarded at once, over all clients; more get 503. */
export const DEFAULT_MAX_IN_FLIGHT = 256;

/** Upstream timeout (connect + headers + body), milliseconds. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 5_000;

/** SIGTERM: how long in-flight requests may take to finish before sessions are cut. */
export const DRAIN_TIMEOUT_MS = 10_000;

/** RFC 9209 §2: the Proxy-Status member naming this intermediary. */
export const PROXY_STATUS_NAME = 'mimi-relay';
