/**
 * The mapping store of an authoritative DP (DESIGN §4 "DP state rules", §10 "Scale"):
 * signed mapping objects by (CSI, id), and, kept forever, the replay guards — the
 * highest serial per (CSI, recipient key) and the highest epoch per CSI.
 *
 * The store enforces the state rules but verifies no signature: the caller (the
 * management API) verified the object, its attestation and the CSIP scope first
 * ("checks run cheapest first: size, decode, zone, then signatures, then state").
 * Refusals throw MappingStoreError with the stable DESIGN §4 code.
 */
import type { RRset } from '@mimi/protocol';

/** One stored mapping: the signed CBOR and what the rules need from it. */
export interface StoredMapping {
  readonly csi: string;
  readonly id: string;
  /** Canonical owner name of the CSI (DESIGN §3). */
  readonly owner: string;
  /** `att.epoch`. */
  readonly epoch: number;
  /** `att.rk`, the key that signed the mapping. */
  readonly rk: Uint8Array;
  readonly serial: number;
  /** min(mapping `exp`, `att.exp`): "a mapping dies with its attestation". */
  readonly exp: number;
  /** The signed mapping, deterministic CBOR: the MSPMAP RDATA. */
  readonly cbor: Uint8Array;
}

export type ChangeKind = 'mapping' | 'removal' | 'unassignment';

/** What an accepted change did; a byte-identical retry gets the same value back. */
export interface ChangeResult {
  readonly kind: ChangeKind;
  readonly csi: string;
  readonly owner: string;
  /** The object's serial (mappings and removals). */
  readonly serial?: number;
  /** The unassignment's epoch. */
  readonly epoch?: number;
  /** Ids of mappings that stopped being served (replaced ids are not listed). */
  readonly removedIds: readonly string[];
}

export interface AcceptedChange {
  readonly result: ChangeResult;
  /** True when this was a byte-identical retry of the last accepted object: nothing changed. */
  readonly retry: boolean;
}

/** The live mapping data at one owner name, as served (DESIGN §4). */
export interface MappingRRsets {
  /** The MSPMAP RRset (one RR per mapping) then the NAPTR RRset of the ENUM view; empty when none. */
  readonly rrsets: readonly RRset[];
  /** Earliest expiry (Unix seconds) among the served mappings: the RRsets change then. */
  readonly changesAt: number | undefined;
}

export type ChangeListener = (owners: string[]) => void;

export interface MappingStore {
  /** Accept a signed mapping (already verified by the caller). */
  publish(object: Uint8Array, now: number): AcceptedChange;
  /** Accept a signed removal (already verified). */
  remove(object: Uint8Array, now: number): AcceptedChange;
  /** Accept a signed unassignment (already verified, CSIP scope checked). */
  unassign(object: Uint8Array, now: number): AcceptedChange;
  /** Live (unexpired) mappings of a CSI, sorted by id. */
  mappings(csi: string, now: number): StoredMapping[];
  /** The MSPMAP and NAPTR RRsets at `owner` (canonical) at time `now`. */
  rrsetsAt(owner: string, now: number): MappingRRsets;
  /**
   * Up to `limit` owner names with live mappings at `now`, in ascending code-unit order,
   * each greater than `after` ('' for the first page): a walk over the whole store in
   * pages (the presigning pass).
   */
  ownersAfter(after: string, limit: number, now: number): string[];
  /** Delete expired mappings (never the replay guards); returns how many. */
  purgeExpired(now: number): number;
  /** Called after each committed change with the owner names it touched. */
  onChange(listener: ChangeListener): void;
  close(): void;
}
