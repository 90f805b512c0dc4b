/**
 * What every MappingStore implementation shares: decoding the objects (DESIGN §4
 * "Encoding, exactly"), deriving owner names (DESIGN §3), running the state rules in
 * one transaction, emitting change events after commit, and building the served
 * RRsets (MSPMAP + the NAPTR ENUM view). Subclasses supply storage only.
 */
import { sha256 } from '@mimi/crypto';
import {
  CLASS_IN,
  canonicalName,
  csiOwnerName,
  decodeMapping,
  decodeRemoval,
  decodeUnassignment,
  type MspEntry,
  naptrCodec,
  normalizeCsi,
  type RRset,
  RRType,
} from '@mimi/protocol';
import { MAPPING_TTL_SECONDS } from '../constants.js';
import { MappingStoreError } from '../errors.js';
import type {
  AcceptedChange,
  ChangeListener,
  MappingRRsets,
  MappingStore,
  StoredMapping,
} from './mapping-store.js';
import { enumView } from './naptr-view.js';
import {
  type CsiState,
  type Decision,
  decidePublish,
  decideRemoval,
  decideUnassignment,
  type StateChange,
} from './state-rules.js';

export interface StoreOptions {
  /** Apex of the discovery network (DESIGN §3), for owner names. Default `mimi.arpa.`. */
  readonly apex?: string;
  /** TTL of the MSPMAP and NAPTR RRsets; at most 300 s (DESIGN §5). */
  readonly ttl?: number;
}

function decodeOr<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, kind: string): T {
  try {
    return decode(bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new MappingStoreError('malformed', `${kind} does not decode: ${reason}`, { cause });
  }
}

export abstract class RuleEnforcingStore implements MappingStore {
  protected readonly apex: string;
  protected readonly ttl: number;
  private readonly listeners: ChangeListener[] = [];

  protected constructor(options: StoreOptions = {}) {
    this.apex = canonicalName(options.apex ?? 'mimi.arpa.');
    this.ttl = Math.min(options.ttl ?? MAPPING_TTL_SECONDS, MAPPING_TTL_SECONDS);
  }

  /** Run `body` atomically: all of its writes or none. */
  protected abstract transaction<T>(body: () => T): T;
  /** The CSI's state as of `now` (live mappings only). */
  protected abstract loadState(csi: string, owner: string, now: number): CsiState;
  /** Write `change`, and drop the CSI's mappings expired at `now`. */
  protected abstract applyChange(change: StateChange, now: number): void;
  /** Live mappings at an owner name, sorted by id. */
  protected abstract liveAt(owner: string, now: number): StoredMapping[];
  abstract mappings(csi: string, now: number): StoredMapping[];
  abstract ownersAfter(after: string, limit: number, now: number): string[];
  abstract purgeExpired(now: number): number;
  abstract close(): void;

  publish(object: Uint8Array, now: number): AcceptedChange {
    const mapping = decodeOr(decodeMapping, object, 'mapping');
    const digest = sha256(object);
    return this.accept(mapping.csi, now, (state) => decidePublish(state, mapping, object, digest));
  }

  remove(object: Uint8Array, now: number): AcceptedChange {
    const removal = decodeOr(decodeRemoval, object, 'removal');
    const digest = sha256(object);
    return this.accept(removal.csi, now, (state) => decideRemoval(state, removal, digest));
  }

  unassign(object: Uint8Array, now: number): AcceptedChange {
    const unassignment = decodeOr(decodeUnassignment, object, 'unassignment');
    const digest = sha256(object);
    return this.accept(unassignment.csi, now, (state) => decideUnassignment(state, unassignment, digest));
  }

  rrsetsAt(owner: string, now: number): MappingRRsets {
    const live = this.liveAt(owner, now);
    if (live.length === 0) return { rrsets: [], changesAt: undefined };
    const mspmap: RRset = {
      name: owner,
      type: RRType.MSPMAP,
      class: CLASS_IN,
      ttl: this.ttl,
      rdatas: live.map((stored) => stored.cbor),
    };
    const rrsets: RRset[] = [mspmap];
    const lists: (readonly MspEntry[])[] = live.map((stored) => decodeMapping(stored.cbor).msps);
    const naptrs = enumView(lists);
    if (naptrs.length > 0) {
      rrsets.push({
        name: owner,
        type: RRType.NAPTR,
        class: CLASS_IN,
        ttl: this.ttl,
        rdatas: naptrs.map((naptr) => naptrCodec.encode(naptr)),
      });
    }
    return { rrsets, changesAt: Math.min(...live.map((stored) => stored.exp)) };
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  protected emit(owners: string[]): void {
    if (owners.length === 0) return;
    for (const listener of this.listeners) listener(owners);
  }

  protected ownerOf(csi: string): string {
    try {
      return csiOwnerName(normalizeCsi(csi, { apex: this.apex }), this.apex);
    } catch (cause) {
      throw new MappingStoreError('malformed', `csi '${csi}' has no owner name`, { cause });
    }
  }

  private accept(csi: string, now: number, decide: (state: CsiState) => Decision): AcceptedChange {
    const owner = this.ownerOf(csi);
    const decision = this.transaction(() => {
      const made = decide(this.loadState(csi, owner, now));
      if ('change' in made) this.applyChange(made.change, now);
      return made;
    });
    if ('retry' in decision) return { result: decision.retry, retry: true };
    this.emit([owner]);
    return { result: decision.change.last.result, retry: false };
  }
}
