/**
 * SQLite backend (node:sqlite, no native build). WAL with synchronous=FULL: a commit has reached the disk before the
 * client is answered, so a kill -9 (or a power cut) loses no acknowledged write. The database is locked exclusively
 * (released by the OS if the process dies), so two servers never share a data dir. The revision is stored with each write
 * in the same transaction, so it keeps increasing after a restart even if the last write was a delete.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Backend, StoredEntry } from './backend';

export function sqliteBackend(dataDir: string): Backend {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, 'kube-lite.db'));
  try {
    db.exec(`
    PRAGMA locking_mode = EXCLUSIVE;
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    PRAGMA busy_timeout = 0;
    CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);
  `);
    // The first write takes the exclusive lock for the life of the connection: one server per data dir.
    db.exec('INSERT OR IGNORE INTO meta (id, revision) VALUES (1, 0)');
  } catch (error) {
    db.close();
    if (/locked|busy/i.test((error as Error).message)) {
      throw new Error(`kube-lite: ${dataDir} is in use by another API server`, { cause: error });
    }
    throw error;
  }
  const put: StatementSync = db.prepare('INSERT OR REPLACE INTO objects (key, value) VALUES (?, ?)');
  const del: StatementSync = db.prepare('DELETE FROM objects WHERE key = ?');
  const setRevision: StatementSync = db.prepare('UPDATE meta SET revision = ? WHERE id = 1');
  let open = true;

  return {
    kind: 'sqlite',
    batched: true,
    load() {
      const row = db.prepare('SELECT revision FROM meta WHERE id = 1').get() as { revision: number } | undefined;
      const entries = db.prepare('SELECT key, value FROM objects').all() as unknown as StoredEntry[];
      return { revision: Number(row?.revision ?? 0), entries };
    },
    commit(ops, revision) {
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const { key, value } of ops) {
          if (value === null) del.run(key);
          else put.run(key, value);
        }
        setRevision.run(revision);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}
