/**
 * Protocol constants and default limits of the server side. Each value quotes the
 * sentence it implements; defaults that are our own choice say why.
 */

/** RFC 1035 §4.1.1: the header is 12 octets. */
export const HEADER_LENGTH = 12;

/** RFC 1035 §2.3.4: "UDP messages 512 octets or less" — the limit without EDNS(0). */
export const UDP_LIMIT_WITHOUT_EDNS = 512;

/** RFC 6891 §6.2.5: "Values lower than 512 MUST be treated as equal to 512." */
export const MIN_EDNS_UDP_PAYLOAD = 512;

/**
 * DESIGN §7 "EDNS(0), 1232-byte UDP payload" (the DNS Flag Day 2020 value): the largest
 * UDP response we send, and the payload size our OPT record advertises.
 */
export const MAX_UDP_PAYLOAD = 1232;

/** RFC 1035 §4.2.2: TCP messages carry a two-octet length, so at most 65,535 octets. */
export const MAX_TCP_MESSAGE = 65_535;

/**
 * RFC 8484 §6 lets a DoH message be up to 65,535 octets; a query is a header, one
 * question and an OPT record, which stays far below 4,096 octets even with a Privacy
 * Pass token (≈ 330 octets) and RFC 8467 padding to a 128-octet block. Anything
 * longer is refused with 413 before it is read.
 */
export const DOH_MAX_QUERY_BYTES = 4096;

/** RFC 8484 §6: "application/dns-message". */
export const DNS_MESSAGE_MEDIA_TYPE = 'application/dns-message';

/** DESIGN §7: DoH "at `/dns-query`, GET and POST". */
export const DOH_PATH = '/dns-query';

/** RFC 1035 §4.1.1 OPCODE 0: "a standard query (QUERY)". */
export const OPCODE_QUERY = 0;

/** RFC 6891 §6.1.3: "DO bit" is the most significant bit of the 16-bit flags field. */
export const EDNS_DO_FLAG = 0x8000;

/** RFC 6891 §6.1.3: "VERSION ... Implementations conforming to this specification MUST set this to 0". */
export const EDNS_VERSION = 0;

/** Header flag bits in octet 2 (RFC 1035 §4.1.1). */
export const FLAG_QR = 0x80;
export const FLAG_AA = 0x04;
export const FLAG_TC = 0x02;
export const FLAG_RD = 0x01;
/** Header flag bit in octet 3 (RFC 4035 §3.2.2: CD is copied from the query). */
export const FLAG_CD = 0x10;

/** Answer cache defaults (our choice: bounded so a random-name flood cannot grow memory). */
export const DEFAULT_CACHE_MAX_ENTRIES = 100_000;
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Per-client rate limits (our choice). Queries/s is generous (one client is often a
 * whole resolver); cache misses/s is tight because each may cost an online signature
 * (DESIGN §5: "rate-limit per client before signing"). 0 disables a limit.
 */
export const DEFAULT_QUERIES_PER_SECOND = 5000;
export const DEFAULT_MISSES_PER_SECOND = 100;
/** How many clients the rate limiter remembers; the least recently seen are forgotten. */
export const DEFAULT_RATE_LIMIT_CLIENTS = 100_000;

/** DoH listener limits (our choice; RFC 9113 §6.5.2 SETTINGS_MAX_CONCURRENT_STREAMS). */
export const DEFAULT_MAX_CONCURRENT_STREAMS = 100;
export const DEFAULT_MAX_SESSIONS = 1000;
export const DEFAULT_MAX_HEADER_LIST_SIZE = 16 * 1024;
export const DEFAULT_HTTP_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Extra HTTPS routes (the management API) may accept larger bodies than DNS queries. */
export const DEFAULT_ROUTE_MAX_BODY_BYTES = 64 * 1024;

/** RFC 7766 §6.2.3: servers "MAY close idle connections"; 10 s like common servers. */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 10_000;
export const DEFAULT_TCP_MAX_CONNECTIONS = 1000;

/** SIGTERM: how long in-flight requests may take before connections are cut. */
export const DEFAULT_DRAIN_MS = 5000;
