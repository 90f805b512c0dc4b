/**
 * Tunables and protocol constants of the stub resolver. Each value cites the sentence
 * it implements, or says why it was chosen.
 */

/** RFC 8484 §6: "The media type is 'application/dns-message'". */
export const DNS_MESSAGE_MEDIA_TYPE = 'application/dns-message';

/** RFC 1035 §4.2.2 / RFC 8484 §6: a DNS message is at most 65535 octets. */
export const MAX_DNS_MESSAGE_OCTETS = 65_535;

/**
 * Per-exchange timeout. Our servers are authoritative (no recursion behind them), so a
 * healthy one answers in milliseconds; two seconds leaves room for a TLS handshake on a
 * slow link and still fails over quickly (RFC 8767 §5 suggests about 1.8 s for a client).
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 2_000;

/** Extra rounds over a zone's servers after every one failed once. */
export const DEFAULT_RETRIES = 1;
/**
 * After an HTTP 429 (RFC 6585 §4) the same server is asked again after this pause —
 * what our DPs and relay send as `retry-after` — at most RATE_LIMITED_WAITS times per
 * query, before the answer counts as a failure.
 */
export const RATE_LIMIT_PAUSE_MS = 1_000;
export const RATE_LIMITED_WAITS = 5;

/** How long a server that failed is tried last (RFC 4697 §2.1.1: do not hammer a lame server). */
export const SERVER_PENALTY_MS = 30_000;

/**
 * RFC 9156 §2.3: "MAX_MINIMISE_COUNT ... a value of 10 is suggested" and "MINIMISE_ONE_LAB
 * ... a value of 4 is suggested": the first four labels are added one at a time, the rest
 * in larger steps, so a 15-digit number costs at most ten queries toward its parents.
 */
export const MAX_MINIMISE_COUNT = 10;
export const MINIMISE_ONE_LAB = 4;

/** Bound on referrals and zone-cut discoveries in one resolution (loop guard, RFC 1034 §5.3.3). */
export const MAX_REFERRALS = 16;

/**
 * Bounds on one zone's servers. Each NS host costs three look-ups (A, AAAA, `_dns.` SVCB)
 * and each endpoint a timeout when dead, and the NS names of a referral are the one
 * unsigned input of a walk: a parent listing thousands of hosts must not turn one
 * resolution into thousands of queries or minutes of failover. Real delegations name a
 * handful of hosts (RFC 2182 §5 discusses how many a zone needs).
 */
export const MAX_NS_HOSTS = 8;
export const MAX_ZONE_ENDPOINTS = 16;

/** Bound on nested look-ups (server host names → their zones → ...), against cycles. */
export const MAX_DEPTH = 6;

/**
 * RFC 2308 §5: negative answers are cached for min(SOA TTL, SOA MINIMUM); with compact
 * denial (RFC 9824) the NSEC TTL is set that way by the signer. A ceiling keeps a
 * misconfigured TTL from pinning data; DESIGN §5: "delegations and keys may live longer"
 * than the ≤ 300 s of mapping data, so one day is the cap for everything.
 */
export const MAX_CACHE_TTL_SECONDS = 86_400;

/** Entries kept by the default LRU cache store (RRsets, delegations, keys, objects). */
export const DEFAULT_CACHE_ENTRIES = 10_000;

/** How many CSIs `resolveMany` resolves at once by default: enough to hide round trips, few enough to be polite. */
export const DEFAULT_CONCURRENCY = 8;

/** RFC 8484 §4.1: "DoH clients SHOULD use a DNS ID of 0 in every DNS request" (cache friendliness). */
export const DOH_QUERY_ID = 0;

/**
 * DESIGN §4: ODOHCFG (65282) "at `_odoh.<host>`": the owner label in front of a server
 * host name that holds the host's ObliviousDoHConfigs (RFC 9230 §5).
 */
export const ODOH_CONFIG_LABEL = '_odoh';

/**
 * Tokens kept ready by a long-lived resolver (an MSP's): enough that lookups rarely wait
 * for the issuer, few enough that a restart wastes little quota. A one-shot run sets 0
 * (tokens die with the process, and each cost quota).
 */
export const DEFAULT_TOKEN_POOL = 8;

/** Most tokens a pool may hold (@mimi/tokens `TokenClient`'s own ceiling). */
export const MAX_TOKEN_POOL = 256;

/** Entries of the root bootstrap's own cache: a handful of apex records (DNSKEY, NS, SVCB, ODOHCFG). */
export const BOOTSTRAP_CACHE_ENTRIES = 64;
