/**
 * The CSIP's attestation (DESIGN §4 "Attestation"): `{v:1, csi, rk, csip, epoch, iat,
 * exp}` signed by the CSIP key, issued after the CSIP has checked that the recipient
 * holds the CSI (outside this system). The recipient key entered by hand gets the
 * Ed25519 profile's key checks (DESIGN §4: "Keys entered by hand (`--recipient-pub`,
 * CSIP key records) get the same check").
 */
import type { KeyObject } from 'node:crypto';
import { CryptoError, checkPublicKey, parsePublicKeyText } from '@mimi/crypto';
import { type SignedResult, signAttestation } from '@mimi/protocol';
import { CliError } from '../errors.js';
import { DAY_SECONDS } from '../options.js';

/** DESIGN §8: "`attest --days` defaults to 365 and `--epoch` to 1". */
export const ATTEST_DEFAULT_DAYS = 365;
export const ATTEST_DEFAULT_EPOCH = 1;

export interface AttestationRequest {
  /** The CSIP's private key. */
  readonly csipKey: KeyObject;
  readonly csipId: string;
  /** Normalized. */
  readonly csi: string;
  readonly recipientKey: Uint8Array;
  readonly epoch: number;
  readonly days: number;
  /** Unix seconds. */
  readonly now: number;
}

/** `--recipient-pub`: 43 characters of base64url or 44 of base64, a key the profile accepts. */
export function parseRecipientKey(text: string): Uint8Array {
  try {
    const key = parsePublicKeyText(text);
    checkPublicKey(key);
    return key;
  } catch (cause) {
    if (!(cause instanceof CryptoError)) throw cause;
    throw new CliError('bad-option', `--recipient-pub refused: ${cause.message}`, {
      cause,
      details: { option: 'recipient-pub', reason: cause.code },
    });
  }
}

export function buildAttestation(request: AttestationRequest): SignedResult<'attestation'> {
  return signAttestation(
    {
      v: 1,
      csi: request.csi,
      rk: request.recipientKey,
      csip: request.csipId,
      epoch: request.epoch,
      iat: request.now,
      exp: request.now + request.days * DAY_SECONDS,
    },
    request.csipKey,
  );
}
