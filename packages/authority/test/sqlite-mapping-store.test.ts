/**
 * The MappingStore contract on SQLite, plus what only a database has: WAL and
 * synchronous=FULL (DESIGN §10), schema versions, and everything surviving a reopen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, SqliteMappingStore } from '../src/index.js';
import { CSI, mapping, NOW, OWNER, removal } from './fixtures.js';
import { mappingStoreContract } from './mapping-store.contract.js';

mappingStoreContract('sqlite store', () => new SqliteMappingStore(':memory:'));

describe('sqlite store on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'authority-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=FULL at the current schema version', () => {
    const path = join(dir, 'pragmas.db');
    new SqliteMappingStore(path).close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const store = new SqliteMappingStore(path);
    // synchronous is per connection: read it through the store's own connection.
    const inner = (store as unknown as { db: Database.Database }).db;
    expect(inner.pragma('synchronous', { simple: true })).toBe(2); // FULL
    store.close();
  });

  it('keeps mappings, replay guards and the last accepted object across a reopen', () => {
    const path = join(dir, 'reopen.db');
    const kept = mapping({ serial: 2, id: 'work' });
    const removed = mapping({ serial: 1, id: 'personal' });
    let store = new SqliteMappingStore(path);
    store.publish(removed, NOW);
    store.publish(kept, NOW);
    const removalBytes = removal({ serial: 3, ids: ['personal'] });
    const accepted = store.remove(removalBytes, NOW);
    store.close();

    store = new SqliteMappingStore(path);
    expect(store.mappings(CSI, NOW).map((m) => m.id)).toEqual(['work']);
    expect(store.rrsetsAt(OWNER, NOW).rrsets[0]!.rdatas).toEqual([kept]);
    expect(store.remove(removalBytes, NOW)).toEqual({ retry: true, result: accepted.result });
    expect(() => store.publish(removed, NOW)).toThrow(expect.objectContaining({ code: 'stale-serial' }));
    store.close();
  });

  it('refuses a database written by a newer schema', () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteMappingStore(path)).toThrow(
      expect.objectContaining({ code: 'store-schema-newer' }),
    );
  });

  it('reports a database it cannot open', () => {
    const attempt = () => new SqliteMappingStore(join(dir, 'no-such-directory', 'store.db'));
    expect(attempt).toThrow(expect.objectContaining({ code: 'store-open' }));
  });
});
