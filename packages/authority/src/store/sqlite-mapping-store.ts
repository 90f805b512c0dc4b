/**
 * The embedded mapping store (DESIGN §10: "SQLite, WAL, synchronous writes; a publish
 * is acknowledged only once durable"): better-sqlite3, WAL journal, synchronous=FULL,
 * one IMMEDIATE transaction per change, schema by user_version migrations.
 */
import Database from 'better-sqlite3';
import { MappingStoreError } from '../errors.js';
import type { ChangeResult, StoredMapping } from './mapping-store.js';
import { RuleEnforcingStore, type StoreOptions } from './rule-store.js';
import { migrate } from './schema.js';
import type { CsiState, KeyGuard, StateChange } from './state-rules.js';

/** How long a writer waits for another process's lock before failing (ms). */
const BUSY_TIMEOUT_MS = 5000;

interface MappingRow {
  csi: string;
  id: string;
  owner: string;
  epoch: number;
  rk: Buffer;
  serial: number;
  exp: number;
  cbor: Buffer;
}

interface CsiGuardRow {
  highest_epoch: number;
  last_digest: Buffer | null;
  last_result: string | null;
}

function toStored(row: MappingRow): StoredMapping {
  return {
    csi: row.csi,
    id: row.id,
    owner: row.owner,
    epoch: row.epoch,
    rk: new Uint8Array(row.rk),
    serial: row.serial,
    exp: row.exp,
    cbor: new Uint8Array(row.cbor),
  };
}

export class SqliteMappingStore extends RuleEnforcingStore {
  private readonly db: Database.Database;
  private readonly sql;

  /** Open (creating if needed) the database at `path` (`:memory:` for a throwaway one). */
  constructor(
    readonly path: string,
    options: StoreOptions = {},
  ) {
    super(options);
    try {
      this.db = new Database(path);
    } catch (cause) {
      throw new MappingStoreError('store-open', `cannot open mapping database ${path}`, { cause });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(this.db, path);
    const columns = 'csi, id, owner, epoch, rk, serial, exp, cbor';
    this.sql = {
      liveByCsi: this.db.prepare(`SELECT ${columns} FROM mappings WHERE csi = ? AND exp > ? ORDER BY id`),
      liveByOwner: this.db.prepare(`SELECT ${columns} FROM mappings WHERE owner = ? AND exp > ? ORDER BY id`),
      // The (owner, exp) index gives owners in order; TEXT compares with BINARY collation,
      // the order of JavaScript's `<` on these ASCII names.
      ownersAfter: this.db.prepare(
        'SELECT DISTINCT owner FROM mappings WHERE owner > ? AND exp > ? ORDER BY owner LIMIT ?',
      ),
      csiGuard: this.db.prepare(
        'SELECT highest_epoch, last_digest, last_result FROM csi_guards WHERE csi = ?',
      ),
      keyGuard: this.db.prepare('SELECT serial, epoch FROM key_guards WHERE csi = ? AND rk = ?'),
      deleteExpiredOfCsi: this.db.prepare('DELETE FROM mappings WHERE csi = ? AND exp <= ?'),
      deleteOne: this.db.prepare('DELETE FROM mappings WHERE csi = ? AND id = ?'),
      put: this.db.prepare(`INSERT OR REPLACE INTO mappings (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      putKeyGuard: this.db.prepare(
        `INSERT INTO key_guards (csi, rk, serial, epoch) VALUES (?, ?, ?, ?)
         ON CONFLICT (csi, rk) DO UPDATE SET serial = excluded.serial, epoch = excluded.epoch`,
      ),
      putCsiGuard: this.db.prepare(
        `INSERT INTO csi_guards (csi, highest_epoch, last_digest, last_result) VALUES (?, ?, ?, ?)
         ON CONFLICT (csi) DO UPDATE SET highest_epoch = excluded.highest_epoch,
           last_digest = excluded.last_digest, last_result = excluded.last_result`,
      ),
      expiredOwners: this.db.prepare('SELECT DISTINCT owner FROM mappings WHERE exp <= ?'),
      deleteExpired: this.db.prepare('DELETE FROM mappings WHERE exp <= ?'),
    };
  }

  protected transaction<T>(body: () => T): T {
    return this.db.transaction(body).immediate();
  }

  protected loadState(csi: string, owner: string, now: number): CsiState {
    const mappings = (this.sql.liveByCsi.all(csi, now) as MappingRow[]).map(toStored);
    const guard = this.sql.csiGuard.get(csi) as CsiGuardRow | undefined;
    const keyGuard = this.sql.keyGuard;
    return {
      csi,
      owner,
      mappings,
      highestEpoch: guard?.highest_epoch ?? 0,
      keyGuard: (rk) => keyGuard.get(csi, Buffer.from(rk)) as KeyGuard | undefined,
      last:
        guard?.last_digest != null && guard.last_result != null
          ? {
              digest: new Uint8Array(guard.last_digest),
              result: JSON.parse(guard.last_result) as ChangeResult,
            }
          : undefined,
    };
  }

  protected applyChange(change: StateChange, now: number): void {
    this.sql.deleteExpiredOfCsi.run(change.csi, now);
    for (const id of change.deleteIds) this.sql.deleteOne.run(change.csi, id);
    const put = change.put;
    if (put !== undefined) {
      this.sql.put.run(
        put.csi,
        put.id,
        put.owner,
        put.epoch,
        Buffer.from(put.rk),
        put.serial,
        put.exp,
        Buffer.from(put.cbor),
      );
    }
    const guard = change.guard;
    if (guard !== undefined)
      this.sql.putKeyGuard.run(change.csi, Buffer.from(guard.rk), guard.serial, guard.epoch);
    this.sql.putCsiGuard.run(
      change.csi,
      change.highestEpoch,
      Buffer.from(change.last.digest),
      JSON.stringify(change.last.result),
    );
  }

  protected liveAt(owner: string, now: number): StoredMapping[] {
    return (this.sql.liveByOwner.all(owner, now) as MappingRow[]).map(toStored);
  }

  mappings(csi: string, now: number): StoredMapping[] {
    return (this.sql.liveByCsi.all(csi, now) as MappingRow[]).map(toStored);
  }

  ownersAfter(after: string, limit: number, now: number): string[] {
    return (this.sql.ownersAfter.all(after, now, limit) as { owner: string }[]).map((row) => row.owner);
  }

  purgeExpired(now: number): number {
    const { owners, count } = this.transaction(() => {
      const expired = (this.sql.expiredOwners.all(now) as { owner: string }[]).map((row) => row.owner);
      return { owners: expired, count: this.sql.deleteExpired.run(now).changes };
    });
    this.emit(owners);
    return count;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
