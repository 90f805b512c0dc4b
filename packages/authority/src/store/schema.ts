/**
 * The SQLite schema of the mapping store and its migrations, applied in order by the
 * `user_version` pragma (SQLite "PRAGMA user_version": an integer the database keeps
 * for the application). Never edit a released step; append a new one.
 */
import type Database from 'better-sqlite3';
import { MappingStoreError } from '../errors.js';

const MIGRATIONS: readonly string[] = [
  // 1: mappings, and the replay guards that outlive them (DESIGN §4 "kept, forever").
  `CREATE TABLE mappings (
     csi    TEXT    NOT NULL,
     id     TEXT    NOT NULL,
     owner  TEXT    NOT NULL,
     epoch  INTEGER NOT NULL,
     rk     BLOB    NOT NULL,
     serial INTEGER NOT NULL,
     exp    INTEGER NOT NULL,
     cbor   BLOB    NOT NULL,
     PRIMARY KEY (csi, id)
   ) WITHOUT ROWID;
   CREATE INDEX mappings_owner ON mappings (owner, exp);
   CREATE INDEX mappings_exp ON mappings (exp);
   CREATE TABLE key_guards (
     csi    TEXT    NOT NULL,
     rk     BLOB    NOT NULL,
     serial INTEGER NOT NULL,
     epoch  INTEGER NOT NULL,
     PRIMARY KEY (csi, rk)
   ) WITHOUT ROWID;
   CREATE TABLE csi_guards (
     csi           TEXT    NOT NULL PRIMARY KEY,
     highest_epoch INTEGER NOT NULL,
     last_digest   BLOB,
     last_result   TEXT
   ) WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Bring `db` to SCHEMA_VERSION; refuses a database written by a newer program. */
export function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new MappingStoreError(
      'store-schema-newer',
      `database ${path} has schema version ${current}, newer than this program's ${SCHEMA_VERSION}`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
