/**
 * The recipient's mapping (DESIGN §4 "Mapping"), as `mimi publish` builds it:
 * `{v:1, csi, id, serial, new?, iat, exp, msps, policy?, att}` signed by the recipient
 * key that the attestation names (`att.rk`). The CSI is the attestation's; `exp` is
 * `--days` (default 90) from now; `serial` defaults to the current Unix time in ms
 * (DESIGN §8), which keeps it "strictly increasing per (CSI, recipient key)" for one
 * person publishing by hand.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyOf } from '@mimi/crypto';
import {
  type Attestation,
  type MspEntry,
  type SignedResult,
  signMapping,
  type UnsignedMapping,
} from '@mimi/protocol';
import { CliError } from '../errors.js';
import { DAY_SECONDS } from '../options.js';

/** DESIGN §8: "`publish --days` to 90". */
export const PUBLISH_DEFAULT_DAYS = 90;

export interface MappingRequest {
  /** The recipient's private key. */
  readonly key: KeyObject;
  readonly attestation: Attestation;
  readonly id: string;
  readonly msps: readonly MspEntry[];
  readonly sameMspOnly: boolean;
  readonly isNew: boolean;
  readonly days: number;
  readonly serial: number;
  /** Unix seconds. */
  readonly now: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function buildMapping(request: MappingRequest): SignedResult<'mapping'> {
  const { attestation: att, now } = request;
  if (!sameBytes(publicKeyOf(request.key), att.rk)) {
    throw new CliError(
      'key-mismatch',
      `--key is not the recipient key the attestation for '${att.csi}' names`,
    );
  }
  if (!(now < att.exp)) {
    const when = new Date(att.exp * 1000).toISOString();
    throw new CliError('attestation-expired', `the attestation for '${att.csi}' expired at ${when}`);
  }
  const unsigned: UnsignedMapping = {
    v: 1,
    csi: att.csi,
    id: request.id,
    serial: request.serial,
    ...(request.isNew ? { new: true as const } : {}),
    iat: now,
    exp: now + request.days * DAY_SECONDS,
    msps: request.msps,
    ...(request.sameMspOnly ? { policy: { sameMspOnly: true as const } } : {}),
    att,
  };
  return signMapping(unsigned, request.key);
}
