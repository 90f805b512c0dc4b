/**
 * Fixed keys and signed discovery objects for the stub's tests (DESIGN §4), made with
 * @mimi/protocol's real signing code from fixed seeds, at the vectors' fixed times.
 */
import type { KeyObject } from 'node:crypto';
import { privateKeyFromSeed, publicKeyOf, sha256 } from '@mimi/crypto';
import {
  type Attestation,
  encodeCsipKeyRecord,
  type MappingPolicy,
  type MspEntry,
  signAttestation,
  signMapping,
} from '@mimi/protocol';

/** 2026-01-01T00:00:00Z, the vectors' `iat`. */
export const T_IAT = 1767225600;
/** 2027-01-01T00:00:00Z, the vectors' `exp`. */
export const T_EXP = 1798761600;
/** 2026-01-02T01:00:00Z, the vectors' verification time: the tests' "now" in seconds. */
export const NOW = 1767315600;

const encoder = new TextEncoder();

export function keyFromText(text: string): KeyObject {
  return privateKeyFromSeed(sha256(encoder.encode(text)));
}

export const csipKeys = {
  'uk-carrier': keyFromText('stub test csip uk-carrier'),
  'us-carrier': keyFromText('stub test csip us-carrier'),
  'example-mail': keyFromText('stub test csip example-mail'),
} as const;

export type CsipId = keyof typeof csipKeys;

export const csipScopes: Record<CsipId, string[]> = {
  'uk-carrier': ['+44'],
  'us-carrier': ['+1'],
  'example-mail': ['example.com'],
};

export function recipientKey(name: string): KeyObject {
  return keyFromText(`stub test recipient ${name}`);
}

/** CSIPKEY RDATA of one of the test CSIPs (or another key under its id). */
export function csipKeyRdata(id: CsipId, options: { key?: KeyObject; exp?: number } = {}): Uint8Array {
  return encodeCsipKeyRecord({
    v: 1,
    id,
    pk: publicKeyOf(options.key ?? csipKeys[id]),
    scope: csipScopes[id],
    exp: options.exp ?? T_EXP,
  });
}

export interface AttestOptions {
  readonly csi: string;
  readonly csip: string;
  readonly recipient: KeyObject;
  readonly epoch?: number;
  readonly iat?: number;
  readonly exp?: number;
  /** The key that signs (default the CSIP's own). */
  readonly signer?: KeyObject;
}

export function attest(options: AttestOptions): Attestation {
  const signer = options.signer ?? csipKeys[options.csip as CsipId];
  return signAttestation(
    {
      v: 1,
      csi: options.csi,
      rk: publicKeyOf(options.recipient),
      csip: options.csip,
      epoch: options.epoch ?? 1,
      iat: options.iat ?? T_IAT,
      exp: options.exp ?? T_EXP,
    },
    signer,
  ).object;
}

export interface MappingOptions {
  readonly csi: string;
  readonly id: string;
  readonly att: Attestation;
  readonly recipient: KeyObject;
  readonly msps: readonly MspEntry[];
  readonly serial?: number;
  readonly policy?: MappingPolicy;
  readonly iat?: number;
  readonly exp?: number;
  /** The key that signs (default the recipient's). */
  readonly signer?: KeyObject;
}

/** Signed MSPMAP RDATA. */
export function mapping(options: MappingOptions): Uint8Array {
  return signMapping(
    {
      v: 1,
      csi: options.csi,
      id: options.id,
      serial: options.serial ?? 1,
      iat: options.iat ?? T_IAT,
      exp: options.exp ?? T_EXP,
      msps: options.msps,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      att: options.att,
    },
    options.signer ?? options.recipient,
  ).bytes;
}

export function msp(name: string, pri: number, tags: string[] = []): MspEntry {
  return { msp: name, pri, tags };
}
