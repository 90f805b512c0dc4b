/**
 * Limits and names of the CSI rules (DESIGN §3 "Names" and "Normalization").
 * Each value quotes the sentence it implements.
 */

/** "Default apex: `mimi.arpa.` (configurable)." */
export const DEFAULT_APEX = 'mimi.arpa.';

/** "phone: E.164 digits reversed, one label each, under `e164.`" */
export const PHONE_SUBTREE_LABEL = 'e164';

/** "email: `local@domain` → `<h>.<domain in A-labels>.email.mimi.arpa.`" */
export const EMAIL_SUBTREE_LABEL = 'email';

/** "CSIP keys: `<csip-id>.csip.mimi.arpa.`" */
export const CSIP_SUBTREE_LABEL = 'csip';

/** "server host names: under `nic.mimi.arpa.`" */
export const NIC_SUBTREE_LABEL = 'nic';

/** "`+` and 1–15 digits" (ITU-T E.164 §6: at most 15 digits). */
export const MAX_E164_DIGITS = 15;

/** "local part 1–64 octets of UTF-8" (RFC 5321 §4.5.3.1.1). */
export const MAX_LOCAL_PART_OCTETS = 64;

/** "≤ 253 octets" for the domain, in text form without a trailing dot (RFC 1035 §2.3.4). */
export const MAX_HOST_NAME_OCTETS = 253;

/** "LDH labels of 1–63 octets" (RFC 1035 §2.3.4). */
export const MAX_HOST_LABEL_OCTETS = 63;

/** "The whole CSI ≤ 320 octets" (64 + 1 + 255 of RFC 5321 §4.5.3.1). */
export const MAX_CSI_OCTETS = 320;

/** "and its owner name ≤ 255 octets" (wire form, RFC 1035 §2.3.4). */
export const MAX_OWNER_NAME_OCTETS = 255;

/** "`h` is the lowercase hex of the first 28 octets of SHA-256" (RFC 7929 §3). */
export const LOCAL_PART_HASH_OCTETS = 28;

/**
 * Raw inputs longer than this are refused before any Unicode processing, so that a
 * huge paste cannot make NFC or UTS #46 work for nothing. Four UTF-8 octets per
 * character of the longest acceptable CSI is a generous bound.
 */
export const MAX_RAW_INPUT_CHARS = 4 * MAX_CSI_OCTETS;

/**
 * "refusing the four deviation characters (ß, ς, ZWJ, ZWNJ) so that no two readings
 * exist" (UTS #46 §4: the characters processed differently by transitional processing).
 */
export const IDNA_DEVIATION_CHARACTERS: readonly string[] = ['\u00df', '\u03c2', '\u200d', '\u200c'];
