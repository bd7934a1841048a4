import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DuofeedError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { Clock } from '../../types.js';
import { applyMigrations, MIGRATIONS, type Migration } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

/** Options of openSqliteStore. */
export interface OpenSqliteStoreOptions {
  /** Directory of the database; created (with parents) when missing. */
  dataDir: string;
  /** Source of firstSeenAt/updatedAt. */
  clock: Clock;
  /** Parent logger; the store logs under a child with `stage: 'store'`. Default: silent. */
  logger?: Logger;
  /** File name inside dataDir. Default `duofeed.sqlite`. */
  fileName?: string;
  /** How long a write waits for another connection's lock before failing (ms). Default 5000. */
  busyTimeoutMs?: number;
  /** Schema steps; default MIGRATIONS (tests pass others). */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating when missing) the SQLite database `<dataDir>/<fileName>` and brings its
 * schema up to date. Pragmas: journal_mode=WAL (readers never block the writer; a crash
 * mid-transaction leaves the last commit intact), foreign_keys=ON, synchronous=NORMAL (safe with
 * WAL: a power cut may lose the last commits, never consistency), busy_timeout.
 * Migrations are keyed by `PRAGMA user_version`, each step in its own transaction.
 * @returns the store (synchronous: opening happens once at start, before any poll)
 * @throws DuofeedError STORE_SCHEMA_TOO_NEW when a newer duofeed wrote the file;
 *   STORE_OPEN_FAILED when the directory or file cannot be created/opened, is not a database,
 *   or a migration step fails (that step is rolled back)
 */
export function openSqliteStore(opts: OpenSqliteStoreOptions): SqliteStore {
  const dbPath = path.join(opts.dataDir, opts.fileName ?? 'duofeed.sqlite');
  const log = (opts.logger ?? silentLogger()).child({ stage: 'store' });
  let db: Database.Database | null = null;
  try {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    const { from, to } = applyMigrations(db, dbPath, opts.migrations ?? MIGRATIONS);
    if (from !== to) log.info({ path: dbPath, from, to }, 'database schema migrated');
    return new SqliteStore(db, opts.clock, log, dbPath);
  } catch (err) {
    db?.close();
    if (err instanceof DuofeedError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new DuofeedError('STORE_OPEN_FAILED', `cannot open database ${dbPath}: ${reason}`, {
      stage: 'store',
      cause: err,
      details: { path: dbPath },
    });
  }
}
