/**
 * Limits and strings of the discovery objects (DESIGN §4 "Records", "Encoding, exactly",
 * "Signing input", "Verification rules"). Each value quotes the sentence it implements.
 */

/** "`v` must be 1". */
export const OBJECT_VERSION = 1;

/** "any object ≤ 4,096 octets". */
export const MAX_OBJECT_OCTETS = 4096;

/** "unsigned integers ≤ 2^53−1 (larger is malformed)". */
export const MAX_UINT = Number.MAX_SAFE_INTEGER;

/** "`pri` ≤ 65535, lower is preferred". */
export const MAX_PRI = 65535;

/** "epochs start at 1". */
export const MIN_EPOCH = 1;

/** "`rk`, `pk` byte strings of 32". */
export const KEY_OCTETS = 32;

/** "`sig` a byte string of 64". */
export const SIG_OCTETS = 64;

/** "`id` and CSIP ids 1–32 of `a-z 0-9 -`". */
export const ID_PATTERN = /^[a-z0-9-]{1,32}$/;

/** "≤ 16 MSPs per mapping". */
export const MAX_MSPS = 16;

/** "≤ 8 tags per MSP". */
export const MAX_TAGS = 8;

/** "each 1–64 octets of UTF-8" (tags). */
export const MAX_TAG_OCTETS = 64;

/** "`ids` 1–16 distinct". */
export const MAX_IDS = 16;

/** "`scope` 1–64 entries". */
export const MAX_SCOPE_ENTRIES = 64;

/** "each `+digits`" (a scope prefix: `+` and 1–15 digits, as an E.164 number at most). */
export const SCOPE_PREFIX_PATTERN = /^\+[0-9]{1,15}$/;

/** "≤ 16 mappings per CSI". */
export const MAX_MAPPINGS_PER_CSI = 16;

/** "all MSPMAP RDATA of one CSI together ≤ 16,384 octets". */
export const MAX_CSI_RDATA_OCTETS = 16384;

/** "`iat ≤ now + 300 s` (clock skew)". */
export const CLOCK_SKEW_SECONDS = 300;

/** "the ASCII context string `mimi-discovery/v1 <kind>` + one zero octet". */
export const SIGNING_CONTEXT_PREFIX = 'mimi-discovery/v1 ';

/**
 * Deepest nesting any object has (mapping → msps → entry → tags → tag); the reader
 * refuses deeper input before recursing, so hostile bytes cannot exhaust the stack.
 */
export const MAX_CBOR_DEPTH = 5;
