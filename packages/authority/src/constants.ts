/**
 * Numbers of the authority layer, each with the sentence it implements.
 */

/**
 * "RRsets signed when loaded/changed with validity [now − 1h, now + 7d]": the inception
 * is backdated an hour so validators with slightly slow clocks accept fresh signatures
 * (RFC 4035 §5.3.1 compares inception with the validator's clock).
 */
export const SIGNATURE_INCEPTION_BACKDATE_SECONDS = 3600;
export const SIGNATURE_VALIDITY_SECONDS = 7 * 86_400;
/** "re-signed when less than 2 days remain". */
export const SIGNATURE_REFRESH_SECONDS = 2 * 86_400;
/**
 * DESIGN §5 "re-signed before expiry", spread out: each RRset's validity is shortened by
 * its own offset in [0, 1 day) (RFC 6781 §4.4.2.2 calls this jitter), so that RRsets
 * signed together — a whole store at start-up — come due over a day, not in one burst.
 */
export const SIGNATURE_JITTER_SECONDS = 86_400;

/**
 * DESIGN §5: "mapping RRsets (MSPMAP, NAPTR) and their denials default to ≤ 300 s, so
 * that a removal reaches every cache within minutes".
 */
export const MAPPING_TTL_SECONDS = 300;

/** Bounded caches: "denials … signed once per (qname, bitmap) and kept in a bounded LRU". */
export const DEFAULT_DENIAL_CACHE_ENTRIES = 100_000;
/** Signatures of data RRsets (zone data and mapping RRsets), also bounded. */
export const DEFAULT_RRSET_SIGNATURE_CACHE_ENTRIES = 200_000;

/** DESIGN §4: "the ENUM view ≤ 64 NAPTR records per name (duplicates merged)". */
export const MAX_NAPTR_PER_NAME = 64;
/**
 * DESIGN §4: "tags that are not valid enumservice subtypes — 1–32 of letters, digits,
 * `-` — are left out" (RFC 6117 §3.3 subtype syntax, bounded at 32).
 */
export const ENUMSERVICE_SUBTYPE = /^[A-Za-z0-9-]{1,32}$/;
/** DESIGN §4: the enumservice type of the ENUM view, `E2U+mimi[:<tag>]` (RFC 6116 §3.4.3). */
export const ENUMSERVICE_TYPE = 'mimi';
