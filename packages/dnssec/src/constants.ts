/**
 * Numbers of the DNSSEC profile (DESIGN §5), each with the sentence that fixes it.
 */

/** RFC 8080 §5: "Ed25519 ... 15". The only algorithm we sign with or accept. */
export const ALGORITHM_ED25519 = 15;

/** RFC 4034 §2.1.2: "The Protocol Field MUST have value 3". */
export const DNSKEY_PROTOCOL = 3;

/**
 * RFC 4034 §2.1.1: "Bit 7 of the Flags field is the Zone Key flag. If bit 7 has value
 * 1, then the DNSKEY record holds a DNS zone key" (bit 7 counted from the left).
 */
export const FLAG_ZONE_KEY = 0x0100;

/** RFC 4034 §2.1.1: "Bit 15 of the Flags field is the Secure Entry Point flag". */
export const FLAG_SEP = 0x0001;

/** RFC 5011 §7: "Bit 8 of the DNSKEY Flags field is designated as the 'REVOKE' flag". */
export const FLAG_REVOKE = 0x0080;

/**
 * Our one key scheme: a single combined signing key (CSK) per zone, flags 257 = Zone
 * Key + SEP, which signs the DNSKEY RRset and every other RRset (RFC 6781 §3.1 allows
 * a single key; the parent's DS points at it).
 */
export const CSK_FLAGS = FLAG_ZONE_KEY | FLAG_SEP;

/** RFC 4509 §5: "SHA-256 ... 2" — the one DS digest type we create and accept. */
export const DIGEST_SHA256 = 2;

/** RFC 8080 §4: "An Ed25519 signature consists of a 64-octet value". */
export const ED25519_SIGNATURE_LENGTH = 64;

/** RFC 8080 §3: "An Ed25519 public key consists of a 32-octet value". */
export const ED25519_PUBLIC_KEY_LENGTH = 32;
