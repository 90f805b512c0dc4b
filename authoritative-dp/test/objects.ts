/**
 * Builders of signed objects for the management API tests (DESIGN §4): recipients'
 * keys, attestations by a test CSIP, mappings, removals and unassignments, with
 * windows around the real time (integration tests run against real servers).
 */
import type { KeyObject } from 'node:crypto';
import { generateEd25519 } from '@mimi/crypto';
import {
  type Attestation,
  type MspEntry,
  signAttestation,
  signMapping,
  signRemoval,
  signUnassignment,
} from '@mimi/protocol';
import type { TestCsip } from '@mimi/test-support';

const DAY = 86_400;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export interface Recipient {
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
}

export function recipient(): Recipient {
  return generateEd25519();
}

let lastSerial = 0;
/** Strictly increasing serials across a test file (DESIGN §8: "the current Unix time in milliseconds"). */
export function nextSerial(): number {
  lastSerial = Math.max(lastSerial + 1, Date.now());
  return lastSerial;
}

export function attest(
  csip: Pick<TestCsip, 'id' | 'privateKey'>,
  init: { csi: string; rk: Uint8Array; epoch?: number; iat?: number; exp?: number },
): Attestation {
  const now = nowSeconds();
  return signAttestation(
    {
      v: 1,
      csi: init.csi,
      rk: init.rk,
      csip: csip.id,
      epoch: init.epoch ?? 1,
      iat: init.iat ?? now - 60,
      exp: init.exp ?? now + 365 * DAY,
    },
    csip.privateKey,
  ).object;
}

export const DEFAULT_MSPS: readonly MspEntry[] = [
  { msp: 'whatsapp.example', pri: 10, tags: ['Personal'] },
  { msp: 'wire.example', pri: 20, tags: ['Business'] },
];

export function mapping(
  signer: Pick<Recipient, 'privateKey'>,
  att: Attestation,
  init: {
    id?: string;
    serial?: number;
    csi?: string;
    msps?: readonly MspEntry[];
    new?: true;
    iat?: number;
    exp?: number;
  } = {},
): Uint8Array {
  const now = nowSeconds();
  return signMapping(
    {
      v: 1,
      csi: init.csi ?? att.csi,
      id: init.id ?? 'personal',
      serial: init.serial ?? nextSerial(),
      ...(init.new ? { new: true as const } : {}),
      iat: init.iat ?? now - 60,
      exp: init.exp ?? now + 90 * DAY,
      msps: init.msps ?? DEFAULT_MSPS,
      att,
    },
    signer.privateKey,
  ).bytes;
}

export function removal(
  signer: Recipient,
  init: { csi: string; ids?: readonly string[]; serial?: number; iat?: number },
): Uint8Array {
  return signRemoval(
    {
      v: 1,
      csi: init.csi,
      rk: signer.publicKey,
      ...(init.ids === undefined ? { all: true as const } : { ids: init.ids }),
      serial: init.serial ?? nextSerial(),
      iat: init.iat ?? nowSeconds() - 60,
    },
    signer.privateKey,
  ).bytes;
}

export function unassignment(
  csip: Pick<TestCsip, 'id' | 'privateKey'>,
  init: { csi: string; epoch: number; iat?: number },
): Uint8Array {
  return signUnassignment(
    { v: 1, csi: init.csi, csip: csip.id, epoch: init.epoch, iat: init.iat ?? nowSeconds() - 60 },
    csip.privateKey,
  ).bytes;
}
