/**
 * Verification of discovery objects (DESIGN §4 "Verification rules"), pure: the time
 * `now` (Unix seconds) and the CSIP key records (the DNSSEC-validated CSIPKEY RRset, as
 * records or RDATA bytes) are given by the caller.
 *
 * One style throughout: each function returns the verified object(s) or throws an
 * ObjectError whose `code` is the reason — a decode code (codec.ts) or one of
 * `csi-mismatch`, `expired`, `csip-key-unknown`, `scope`, `csip-key-expired`,
 * `key-noncanonical`, `key-small-order`, `signature`.
 *
 * Checks run cheapest first: decode, binding, time windows, then signatures.
 */

import { DEFAULT_APEX } from '../csi/constants.js';
import { normalizeCsi } from '../csi/normalize.js';
import { csiOwnerName } from '../csi/owner-name.js';
import { ObjectError } from '../errors.js';
import { canonicalName } from '../wire/name.js';
import { decodeObject } from './codec.js';
import { CLOCK_SKEW_SECONDS } from './constants.js';
import { verifyByCsip } from './csip-keys.js';
import { DecodedMapping, type UnsignedCbor, unsignedCborOf } from './decoded-mapping.js';
import { checkObjectSignature, checkSignatureOver } from './signing.js';
import type {
  Attestation,
  CsipKeyRecord,
  Mapping,
  Removal,
  SignedKind,
  SignedObjects,
  Unassignment,
} from './types.js';

export interface VerifyOptions {
  /** Unix seconds. */
  readonly now: number;
  /** The CSI asked for (any accepted input form); every object must be about it. */
  readonly expectCsi?: string;
  /** The DNS owner name the object was found at; must be the CSI's name under `apex`. */
  readonly ownerName?: string;
  /** Apex for `ownerName`; default `mimi.arpa.`. */
  readonly apex?: string;
}

export interface CsipVerifyOptions extends VerifyOptions {
  /** CSIPKEY records (typed, or RDATA bytes decoded strictly here). */
  readonly csipKeys: readonly (CsipKeyRecord | Uint8Array)[];
}

export interface VerifiedAttestation {
  readonly attestation: Attestation;
  readonly csipKey: CsipKeyRecord;
}

export interface VerifiedMapping {
  readonly mapping: Mapping;
  /** `mapping.att`, here too so epoch selection can read it directly. */
  readonly att: Attestation;
  readonly csipKey: CsipKeyRecord;
  /** The earlier of the mapping's and the attestation's `exp` ("a mapping dies with its attestation"). */
  readonly expires: number;
}

function objectOf<K extends SignedKind>(kind: K, input: Uint8Array | SignedObjects[K]): SignedObjects[K] {
  return input instanceof Uint8Array ? decodeObject(kind, input) : input;
}

/** `csi` must be the CSI asked for and live at the owner name the answer came from. */
function checkBinding(kind: string, csi: string, options: VerifyOptions): void {
  if (options.expectCsi !== undefined) {
    let expected: string;
    try {
      expected = normalizeCsi(options.expectCsi).csi;
    } catch (cause) {
      throw new ObjectError('csi-mismatch', `${kind}: expected csi '${options.expectCsi}' is not a csi`, {
        cause,
      });
    }
    if (expected !== csi) {
      throw new ObjectError('csi-mismatch', `${kind} is for '${csi}', not the csi asked for '${expected}'`);
    }
  }
  if (options.ownerName !== undefined) {
    let owner: string;
    try {
      owner = csiOwnerName(normalizeCsi(csi), options.apex ?? DEFAULT_APEX);
    } catch (cause) {
      // Only a name over 255 octets under a long apex can fail here: no record can live there.
      throw new ObjectError('csi-mismatch', `${kind} for '${csi}' has no owner name under this apex`, {
        cause,
      });
    }
    if (canonicalName(options.ownerName) !== owner) {
      throw new ObjectError(
        'csi-mismatch',
        `${kind} for '${csi}' found at '${options.ownerName}', not at '${owner}'`,
      );
    }
  }
}

/** `iat ≤ now + 300` always; `now < exp` when the object has an `exp`. */
function checkWindow(kind: string, object: { iat: number; exp?: number }, now: number): void {
  if (object.iat > now + CLOCK_SKEW_SECONDS) {
    throw new ObjectError(
      'expired',
      `${kind} issued at ${object.iat}, more than ${CLOCK_SKEW_SECONDS} s after now ${now}`,
    );
  }
  if (object.exp !== undefined && !(now < object.exp)) {
    throw new ObjectError('expired', `${kind} expired at ${object.exp} (now ${now})`);
  }
}

/** An attestation: window, then the CSIP key (id, scope, expiry) and its signature. */
export function verifyAttestation(
  input: Uint8Array | Attestation,
  options: CsipVerifyOptions,
): VerifiedAttestation {
  const attestation = objectOf('attestation', input);
  checkBinding('attestation', attestation.csi, options);
  checkWindow('attestation', attestation, options.now);
  const csipKey = verifyByCsip('attestation', attestation, options.csipKeys, options.now);
  return { attestation, csipKey };
}

/**
 * The mapping and, when it came as bytes, the CBOR its signatures cover cut from them
 * (decoded-mapping.ts): the same octets re-encoding gives, without the encoding.
 */
function mappingOf(input: Uint8Array | Mapping | DecodedMapping): {
  mapping: Mapping;
  unsigned: UnsignedCbor | undefined;
} {
  if (input instanceof DecodedMapping) return { mapping: input.mapping, unsigned: input.unsignedCbor() };
  if (input instanceof Uint8Array) {
    // Decoded here and used only here, synchronously: the bytes are what was decoded.
    return { mapping: decodeObject('mapping', input), unsigned: unsignedCborOf(input) };
  }
  return { mapping: input, unsigned: undefined };
}

/**
 * An MSPMAP record: `att.csi == mapping.csi ==` the CSI asked for, windows of the
 * mapping and its attestation, the attestation under its CSIP key, and the mapping
 * under `att.rk`.
 */
export function verifyMapping(
  input: Uint8Array | Mapping | DecodedMapping,
  options: CsipVerifyOptions,
): VerifiedMapping {
  const { mapping, unsigned } = mappingOf(input);
  const att = mapping.att;
  if (att.csi !== mapping.csi) {
    throw new ObjectError(
      'csi-mismatch',
      `mapping is for '${mapping.csi}' but its attestation is for '${att.csi}'`,
    );
  }
  checkBinding('mapping', mapping.csi, options);
  checkWindow('attestation', att, options.now);
  checkWindow('mapping', mapping, options.now);
  const csipKey = verifyByCsip('attestation', att, options.csipKeys, options.now, unsigned?.attestation);
  const signer = 'the attested recipient key';
  if (unsigned === undefined) checkObjectSignature('mapping', mapping, att.rk, signer);
  else checkSignatureOver('mapping', unsigned.mapping, mapping.sig, att.rk, signer);
  return { mapping, att, csipKey, expires: Math.min(mapping.exp, att.exp) };
}

/**
 * A removal: binding, `iat` window, and the signature of its own `rk`. Whether `rk` may
 * remove anything is DP state (DESIGN §4 "DP state rules"), not checked here.
 */
export function verifyRemoval(input: Uint8Array | Removal, options: VerifyOptions): Removal {
  const removal = objectOf('removal', input);
  checkBinding('removal', removal.csi, options);
  checkWindow('removal', removal, options.now);
  checkObjectSignature('removal', removal, removal.rk, 'its rk');
  return removal;
}

/** An unassignment: binding, `iat` window, then the CSIP key (id, scope, expiry) and signature. */
export function verifyUnassignment(
  input: Uint8Array | Unassignment,
  options: CsipVerifyOptions,
): { unassignment: Unassignment; csipKey: CsipKeyRecord } {
  const unassignment = objectOf('unassignment', input);
  checkBinding('unassignment', unassignment.csi, options);
  checkWindow('unassignment', unassignment, options.now);
  const csipKey = verifyByCsip('unassignment', unassignment, options.csipKeys, options.now);
  return { unassignment, csipKey };
}
