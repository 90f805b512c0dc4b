/**
 * Signed objects as text (DESIGN §8: "an attestation file holds the signed CBOR as one
 * line of unpadded base64url"; the management API carries the same form, DESIGN §7),
 * and the attestation file read back strictly.
 */
import { fromBase64Url, toBase64Url } from '@mimi/crypto';
import { type Attestation, decodeAttestation, ObjectError } from '@mimi/protocol';
import { CliError } from '../errors.js';

/** One line of unpadded base64url (RFC 4648 §5), newline-terminated. */
export function objectLine(bytes: Uint8Array): string {
  return `${toBase64Url(bytes)}\n`;
}

/**
 * The attestation in a file's text: exactly one non-empty line of base64url (surrounding
 * whitespace and a final newline allowed), decoding strictly as an attestation.
 */
export function parseAttestationText(text: string, shown: string): Attestation {
  const body = text.trim();
  if (body === '' || /\s/.test(body)) {
    throw new CliError('attestation-file', `${shown}: must hold exactly one line of base64url`, {
      details: { path: shown },
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(body);
  } catch (cause) {
    throw new CliError('attestation-file', `${shown}: not unpadded base64url`, {
      cause,
      details: { path: shown },
    });
  }
  try {
    return decodeAttestation(bytes);
  } catch (cause) {
    if (!(cause instanceof ObjectError)) throw cause;
    throw new CliError('attestation-file', `${shown}: not an attestation (${cause.code}: ${cause.message})`, {
      cause,
      details: { path: shown, reason: cause.code },
    });
  }
}
