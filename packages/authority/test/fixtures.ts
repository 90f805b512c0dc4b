/**
 * Test fixtures: deterministic keys (seed = SHA-256 of a text, as in the object
 * vectors), a fixed clock, and builders for signed discovery objects (DESIGN §4).
 */
import type { KeyObject } from 'node:crypto';
import { privateKeyFromSeed, publicKeyOf, sha256 } from '@mimi/crypto';
import {
  type MspEntry,
  parseZoneFile,
  signAttestation,
  signMapping,
  signRemoval,
  signUnassignment,
} from '@mimi/protocol';

const text = new TextEncoder();

export function keyFromText(seedText: string): { privateKey: KeyObject; publicKey: Uint8Array } {
  const privateKey = privateKeyFromSeed(sha256(text.encode(seedText)));
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

/** 2026-01-01T01:00:00Z + 1 day: inside every window below. */
export const NOW = 1_767_315_600;
export const IAT = 1_767_225_600;
export const EXP = 1_798_761_600;

export const CSIP = keyFromText('mimi test key 1');
export const ALICE = keyFromText('mimi test key 3');
export const BOB = keyFromText('mimi test key 5');
export const STRANGER = keyFromText('mimi test key 6');

export const CSI = '+447700900123';
export const OWNER = '3.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';
export const OTHER_CSI = '+447700900124';
export const OTHER_OWNER = '4.2.1.0.0.9.0.0.7.7.4.4.e164.mimi.arpa.';

export interface MappingSpec {
  csi?: string;
  id?: string;
  serial: number;
  epoch?: number;
  signer?: { privateKey: KeyObject; publicKey: Uint8Array };
  new?: true;
  msps?: MspEntry[];
  exp?: number;
  attExp?: number;
}

/** A signed mapping's CBOR (attested by CSIP for `signer`). */
export function mapping(spec: MappingSpec): Uint8Array {
  const csi = spec.csi ?? CSI;
  const signer = spec.signer ?? ALICE;
  const att = signAttestation(
    {
      v: 1,
      csi,
      rk: signer.publicKey,
      csip: 'uk-carrier',
      epoch: spec.epoch ?? 1,
      iat: IAT,
      exp: spec.attExp ?? EXP,
    },
    CSIP.privateKey,
  ).object;
  return signMapping(
    {
      v: 1,
      csi,
      id: spec.id ?? 'personal',
      serial: spec.serial,
      ...(spec.new ? { new: true as const } : {}),
      iat: IAT,
      exp: spec.exp ?? EXP,
      msps: spec.msps ?? [{ msp: 'whatsapp.example', pri: 10, tags: ['Personal'] }],
      att,
    },
    signer.privateKey,
  ).bytes;
}

export function removal(spec: {
  csi?: string;
  serial: number;
  ids?: string[];
  all?: true;
  signer?: { privateKey: KeyObject; publicKey: Uint8Array };
}): Uint8Array {
  const signer = spec.signer ?? ALICE;
  return signRemoval(
    {
      v: 1,
      csi: spec.csi ?? CSI,
      rk: signer.publicKey,
      ...(spec.all ? { all: true as const } : { ids: spec.ids ?? ['personal'] }),
      serial: spec.serial,
      iat: IAT,
    },
    signer.privateKey,
  ).bytes;
}

export function unassignment(epoch: number, csi = CSI): Uint8Array {
  return signUnassignment({ v: 1, csi, csip: 'uk-carrier', epoch, iat: IAT }, CSIP.privateKey).bytes;
}

/** Parse master-file text as one ZoneSource. */
export function source(file: string, zoneText: string) {
  return { file, records: parseZoneFile(zoneText, { file }) };
}
