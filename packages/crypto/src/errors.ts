import { MimiError } from '@mimi/errors';

/**
 * Errors of the crypto layer. Codes:
 * - `key-length`, `key-noncanonical`, `key-small-order`: a public key refused by the
 *   Ed25519 profile (DESIGN §4);
 * - `key-file-permissions`, `key-file-format`, `key-file-exists`: private key files;
 * - `encoding`: a base64/base64url/hex value that does not decode to what was expected.
 */
export class CryptoError extends MimiError {}
