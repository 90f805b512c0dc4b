/**
 * An in-memory MappingStore with the same rules as the SQLite one (the rules live in
 * state-rules.ts; both run the one contract suite). For tests and throwaway servers:
 * nothing survives the process.
 */
import { toHex } from '@mimi/crypto';
import type { StoredMapping } from './mapping-store.js';
import { RuleEnforcingStore, type StoreOptions } from './rule-store.js';
import type { CsiState, KeyGuard, LastAccepted, StateChange } from './state-rules.js';

interface CsiRecord {
  readonly mappings: Map<string, StoredMapping>;
  readonly keys: Map<string, KeyGuard>;
  highestEpoch: number;
  last: LastAccepted | undefined;
}

export class MemoryMappingStore extends RuleEnforcingStore {
  private readonly csis = new Map<string, CsiRecord>();
  /** Owner name → CSI (one each way, DESIGN §3). */
  private readonly csiByOwner = new Map<string, string>();

  constructor(options: StoreOptions = {}) {
    super(options);
  }

  /** Changes are applied by one synchronous call: nothing can interleave. */
  protected transaction<T>(body: () => T): T {
    return body();
  }

  protected loadState(csi: string, owner: string, now: number): CsiState {
    const record = this.csis.get(csi);
    return {
      csi,
      owner,
      mappings: record === undefined ? [] : [...record.mappings.values()].filter((m) => m.exp > now),
      highestEpoch: record?.highestEpoch ?? 0,
      keyGuard: (rk) => record?.keys.get(toHex(rk)),
      last: record?.last,
    };
  }

  protected applyChange(change: StateChange, now: number): void {
    let record = this.csis.get(change.csi);
    if (record === undefined) {
      record = { mappings: new Map(), keys: new Map(), highestEpoch: 0, last: undefined };
      this.csis.set(change.csi, record);
      this.csiByOwner.set(change.owner, change.csi);
    }
    for (const [id, stored] of record.mappings) if (stored.exp <= now) record.mappings.delete(id);
    for (const id of change.deleteIds) record.mappings.delete(id);
    if (change.put !== undefined) record.mappings.set(change.put.id, change.put);
    if (change.guard !== undefined) {
      record.keys.set(toHex(change.guard.rk), { serial: change.guard.serial, epoch: change.guard.epoch });
    }
    record.highestEpoch = change.highestEpoch;
    record.last = change.last;
  }

  protected liveAt(owner: string, now: number): StoredMapping[] {
    const csi = this.csiByOwner.get(owner);
    return csi === undefined ? [] : this.mappings(csi, now);
  }

  mappings(csi: string, now: number): StoredMapping[] {
    const record = this.csis.get(csi);
    if (record === undefined) return [];
    return [...record.mappings.values()].filter((m) => m.exp > now).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  ownersAfter(after: string, limit: number, now: number): string[] {
    const owners = [...this.csiByOwner.keys()].filter(
      (owner) => owner > after && this.liveAt(owner, now).length > 0,
    );
    return owners.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
  }

  purgeExpired(now: number): number {
    const owners = new Set<string>();
    let count = 0;
    for (const record of this.csis.values()) {
      for (const [id, stored] of record.mappings) {
        if (stored.exp > now) continue;
        record.mappings.delete(id);
        owners.add(stored.owner);
        count++;
      }
    }
    this.emit([...owners]);
    return count;
  }

  close(): void {}
}
