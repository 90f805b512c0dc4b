/**
 * The discovery objects of DESIGN §4 "Records". Field names are the CBOR map keys;
 * byte strings are Uint8Array; integers are JavaScript numbers (≤ 2^53−1 by the schema).
 * Optional booleans are present only when true, optional maps only when non-empty.
 */

/** CSIPKEY RDATA: `{v:1, id, pk, scope, exp}` (unsigned; it is covered by DNSSEC). */
export interface CsipKeyRecord {
  readonly v: 1;
  readonly id: string;
  readonly pk: Uint8Array;
  /** `+digits` prefixes and lowercase A-label domains. */
  readonly scope: readonly string[];
  readonly exp: number;
}

/** `{v:1, csi, rk, csip, epoch, iat, exp}` + `sig` by the CSIP key. */
export interface UnsignedAttestation {
  readonly v: 1;
  readonly csi: string;
  readonly rk: Uint8Array;
  readonly csip: string;
  readonly epoch: number;
  readonly iat: number;
  readonly exp: number;
}
export interface Attestation extends UnsignedAttestation {
  readonly sig: Uint8Array;
}

/** One entry of `msps`: `{msp, pri, tags}` (`tags` always present, possibly empty). */
export interface MspEntry {
  readonly msp: string;
  readonly pri: number;
  readonly tags: readonly string[];
}

/** `policy`: only `sameMspOnly: true` so far; left out when empty. */
export interface MappingPolicy {
  readonly sameMspOnly?: true;
}

/** `{v:1, csi, id, serial, new?, iat, exp, msps, policy?, att}` + `sig` by `att.rk`. */
export interface UnsignedMapping {
  readonly v: 1;
  readonly csi: string;
  readonly id: string;
  readonly serial: number;
  readonly new?: true;
  readonly iat: number;
  readonly exp: number;
  readonly msps: readonly MspEntry[];
  readonly policy?: MappingPolicy;
  readonly att: Attestation;
}
export interface Mapping extends UnsignedMapping {
  readonly sig: Uint8Array;
}

/** `{v:1, csi, rk, ids | all, serial, iat}` + `sig` by `rk`; exactly one of `ids`, `all`. */
export interface UnsignedRemoval {
  readonly v: 1;
  readonly csi: string;
  readonly rk: Uint8Array;
  readonly ids?: readonly string[];
  readonly all?: true;
  readonly serial: number;
  readonly iat: number;
}
export interface Removal extends UnsignedRemoval {
  readonly sig: Uint8Array;
}

/** `{v:1, csi, csip, epoch, iat}` + `sig` by the CSIP key: epochs below `epoch` are void. */
export interface UnsignedUnassignment {
  readonly v: 1;
  readonly csi: string;
  readonly csip: string;
  readonly epoch: number;
  readonly iat: number;
}
export interface Unassignment extends UnsignedUnassignment {
  readonly sig: Uint8Array;
}

/** The kinds that carry a signature; the name is part of the signing input. */
export type SignedKind = 'attestation' | 'mapping' | 'removal' | 'unassignment';
export type ObjectKind = SignedKind | 'csipkey';

export interface SignedObjects {
  attestation: Attestation;
  mapping: Mapping;
  removal: Removal;
  unassignment: Unassignment;
}
export interface UnsignedObjects {
  attestation: UnsignedAttestation;
  mapping: UnsignedMapping;
  removal: UnsignedRemoval;
  unassignment: UnsignedUnassignment;
}
export interface ObjectsByKind extends SignedObjects {
  csipkey: CsipKeyRecord;
}
