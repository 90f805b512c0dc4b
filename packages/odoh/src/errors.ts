import { MimiError } from '@mimi/errors';

/**
 * Errors of Oblivious DoH. Stable codes:
 * - `odoh-malformed`: bytes that do not parse as the RFC 9230 §5/§6.1 structures, or a
 *   message of the wrong type;
 * - `odoh-unsupported`: no ObliviousDoHConfig with a version and cipher suite we speak;
 * - `odoh-unknown-key`: a query for a key id the target does not hold (RFC 9230 §8
 *   step 1: answered 401 so the client fetches fresh configs);
 * - `odoh-decrypt`: authentication failed (wrong key, tampered bytes, bad DH output);
 * - `odoh-padding`: decrypted, but the padding is not all zeros (RFC 9230 §7, §8 step 4);
 * - `odoh-too-large`: a DNS message or padding that does not fit a 16-bit length;
 * - `odoh-key-ring`: a key ring built from inconsistent entries or options;
 * - `odoh-key-file-*` (`missing`, `permissions`, `format`, `write`): the target's key ring file;
 * - `odoh-internal`: a call this package itself should never make (an HKDF length out of range).
 */
export class OdohError extends MimiError {}
