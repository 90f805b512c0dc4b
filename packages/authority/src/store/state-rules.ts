/**
 * The DP state rules of DESIGN §4, as pure decisions over one CSI's state. Every store
 * implementation loads the state, asks here, and applies the change in one
 * transaction, so the rules live in exactly one place.
 *
 * - Replay guards, kept forever: the highest serial per (CSI, recipient key) and the
 *   highest epoch per CSI. A serial not strictly higher: 409 `stale-serial`; an
 *   attestation epoch lower than the CSI's: 403 `stale-epoch`. A byte-identical retry of
 *   the last accepted object gets the same success again and changes nothing.
 * - A publish with a higher epoch evicts every mapping of lower epoch; `id` is unique
 *   per CSI (same id replaces); `new` and removal with `all` act on every mapping whose
 *   epoch is not higher than the signer's; ≤ 16 mappings (`too-many-mappings`), ≤ 16,384
 *   octets of MSPMAP RDATA (`csi-budget`).
 * - A removal's key must have signed a stored mapping of the CSI or have a stored serial
 *   there (else 403 `not-authorized`). The signer's epoch is the attestation epoch of that
 *   key's latest publish: a key of a previous holder (epoch below the CSI's) is stale.
 * - An unassignment with epoch N removes every mapping of epoch < N and raises the CSI's
 *   epoch to N ("N is the first epoch that stays valid"). One with nothing left to remove
 *   is accepted as a no-op: it can only ever remove, so a replay cannot restore anything.
 */
import type { Mapping, Removal, Unassignment } from '@mimi/protocol';
import { MAX_CSI_RDATA_OCTETS, MAX_MAPPINGS_PER_CSI } from '@mimi/protocol';
import { MappingStoreError } from '../errors.js';
import type { ChangeResult, StoredMapping } from './mapping-store.js';

/** Replay guard of one (CSI, recipient key). */
export interface KeyGuard {
  readonly serial: number;
  /** Attestation epoch of the key's latest accepted publish. */
  readonly epoch: number;
}

/** The last accepted object of a CSI: its SHA-256 and the success it got. */
export interface LastAccepted {
  readonly digest: Uint8Array;
  readonly result: ChangeResult;
}

/** What the rules need to know about one CSI. */
export interface CsiState {
  readonly csi: string;
  readonly owner: string;
  /** Live (unexpired) mappings. */
  readonly mappings: readonly StoredMapping[];
  /** Highest epoch ever seen for the CSI (publishes and unassignments), 0 if none. */
  readonly highestEpoch: number;
  keyGuard(rk: Uint8Array): KeyGuard | undefined;
  readonly last: LastAccepted | undefined;
}

/** One transaction's worth of change to a CSI. */
export interface StateChange {
  readonly csi: string;
  readonly owner: string;
  /** Mapping to insert or replace (by csi, id). */
  readonly put: StoredMapping | undefined;
  readonly deleteIds: readonly string[];
  readonly guard: ({ readonly rk: Uint8Array } & KeyGuard) | undefined;
  readonly highestEpoch: number;
  readonly last: LastAccepted;
}

export type Decision = { readonly retry: ChangeResult } | { readonly change: StateChange };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((octet, i) => octet === b[i]);
}

function isRetry(state: CsiState, digest: Uint8Array): ChangeResult | undefined {
  return state.last !== undefined && sameBytes(state.last.digest, digest) ? state.last.result : undefined;
}

function checkSerial(state: CsiState, guard: KeyGuard | undefined, serial: number): void {
  if (guard !== undefined && serial <= guard.serial) {
    throw new MappingStoreError(
      'stale-serial',
      `serial ${serial} for ${state.csi} is not above the last accepted serial ${guard.serial} of this key`,
      { details: { csi: state.csi, serial, lastSerial: guard.serial } },
    );
  }
}

function staleEpoch(state: CsiState, epoch: number, what: string): MappingStoreError {
  return new MappingStoreError(
    'stale-epoch',
    `${what} epoch ${epoch} for ${state.csi} is below its current epoch ${state.highestEpoch}`,
    { details: { csi: state.csi, epoch, currentEpoch: state.highestEpoch } },
  );
}

/** A verified mapping `mapping` (its CBOR `cbor`, SHA-256 `digest`) at the state's CSI. */
export function decidePublish(
  state: CsiState,
  mapping: Mapping,
  cbor: Uint8Array,
  digest: Uint8Array,
): Decision {
  const retry = isRetry(state, digest);
  if (retry !== undefined) return { retry };
  const { epoch, rk } = mapping.att;
  if (epoch < state.highestEpoch) throw staleEpoch(state, epoch, 'attestation');
  const guard = state.keyGuard(rk);
  checkSerial(state, guard, mapping.serial);

  const removedIds: string[] = [];
  const kept = state.mappings.filter((stored) => {
    if (stored.id === mapping.id) return false; // replaced by the new one
    // Higher-epoch eviction ("a recycled number keeps nothing"), then `new`.
    if (stored.epoch < epoch || (mapping.new === true && stored.epoch <= epoch)) {
      removedIds.push(stored.id);
      return false;
    }
    return true;
  });
  if (kept.length + 1 > MAX_MAPPINGS_PER_CSI) {
    throw new MappingStoreError(
      'too-many-mappings',
      `${state.csi} would have ${kept.length + 1} mappings (max ${MAX_MAPPINGS_PER_CSI})`,
      { details: { csi: state.csi } },
    );
  }
  const octets = kept.reduce((sum, stored) => sum + stored.cbor.length, cbor.length);
  if (octets > MAX_CSI_RDATA_OCTETS) {
    throw new MappingStoreError(
      'csi-budget',
      `mappings of ${state.csi} would total ${octets} octets (max ${MAX_CSI_RDATA_OCTETS})`,
      { details: { csi: state.csi, octets } },
    );
  }

  const put: StoredMapping = {
    csi: state.csi,
    id: mapping.id,
    owner: state.owner,
    epoch,
    rk,
    serial: mapping.serial,
    exp: Math.min(mapping.exp, mapping.att.exp),
    cbor,
  };
  const result: ChangeResult = {
    kind: 'mapping',
    csi: state.csi,
    owner: state.owner,
    serial: mapping.serial,
    removedIds: removedIds.sort(),
  };
  return {
    change: {
      csi: state.csi,
      owner: state.owner,
      put,
      deleteIds: result.removedIds,
      guard: { rk, serial: mapping.serial, epoch },
      highestEpoch: Math.max(state.highestEpoch, epoch),
      last: { digest, result },
    },
  };
}

/** A verified removal at the state's CSI. */
export function decideRemoval(state: CsiState, removal: Removal, digest: Uint8Array): Decision {
  const retry = isRetry(state, digest);
  if (retry !== undefined) return { retry };
  const guard = state.keyGuard(removal.rk);
  const signed = state.mappings.filter((stored) => sameBytes(stored.rk, removal.rk));
  if (guard === undefined && signed.length === 0) {
    throw new MappingStoreError(
      'not-authorized',
      `the removal key of ${state.csi} signed none of its mappings`,
      { details: { csi: state.csi } },
    );
  }
  const signerEpoch = guard?.epoch ?? Math.max(...signed.map((stored) => stored.epoch));
  if (signerEpoch < state.highestEpoch) throw staleEpoch(state, signerEpoch, 'removal key');
  checkSerial(state, guard, removal.serial);

  const ids = removal.all === true ? undefined : new Set(removal.ids ?? []);
  const removedIds = state.mappings
    .filter((stored) => stored.epoch <= signerEpoch && (ids === undefined || ids.has(stored.id)))
    .map((stored) => stored.id)
    .sort();
  const result: ChangeResult = {
    kind: 'removal',
    csi: state.csi,
    owner: state.owner,
    serial: removal.serial,
    removedIds,
  };
  return {
    change: {
      csi: state.csi,
      owner: state.owner,
      put: undefined,
      deleteIds: removedIds,
      guard: { rk: removal.rk, serial: removal.serial, epoch: signerEpoch },
      highestEpoch: state.highestEpoch,
      last: { digest, result },
    },
  };
}

/** A verified unassignment at the state's CSI. */
export function decideUnassignment(
  state: CsiState,
  unassignment: Unassignment,
  digest: Uint8Array,
): Decision {
  const retry = isRetry(state, digest);
  if (retry !== undefined) return { retry };
  const removedIds = state.mappings
    .filter((stored) => stored.epoch < unassignment.epoch)
    .map((stored) => stored.id)
    .sort();
  const result: ChangeResult = {
    kind: 'unassignment',
    csi: state.csi,
    owner: state.owner,
    epoch: unassignment.epoch,
    removedIds,
  };
  return {
    change: {
      csi: state.csi,
      owner: state.owner,
      put: undefined,
      deleteIds: removedIds,
      guard: undefined,
      highestEpoch: Math.max(state.highestEpoch, unassignment.epoch),
      last: { digest, result },
    },
  };
}
