import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DuofeedError } from '../errors.js';
import type { Clock } from '../types.js';

/** How long a writer waits for the config lock by default (ms): long enough for another import of a large OPML file. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

/** Pause between attempts to take the lock (ms). */
const RETRY_MS = 100;

/** How to take the lock. */
export interface ConfigLockOptions {
  /** Total wait before giving up (ms); 0 tries once. */
  waitMs: number;
  /** Writes the lock's `since` (when it was taken). */
  clock: Clock;
}

interface LockOwner {
  pid: number;
  since: string;
}

/** Blocks the thread for `ms` without spinning: the import is a synchronous CLI step with nothing else to run. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readOwner(text: string): LockOwner | null {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    return typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 ? { pid: v.pid, since: String(v.since ?? '?') } : null;
  } catch {
    return null;
  }
}

/** False only when the OS says no such process: EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function readQuietly(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Creates the lock with O_EXCL; false when it exists. */
function tryCreate(lock: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a lock whose owner is dead. It is first renamed aside (atomic), so of two processes
 * taking over the same stale lock only one moves it; if what was moved is no longer the stale
 * content (another process took over and locked in between), it is linked back (link never
 * overwrites) so that process keeps its lock.
 */
function takeOver(lock: string, staleText: string): void {
  const aside = `${lock}.stale-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // Gone already: someone else took it over or released it.
  }
  const moved = readQuietly(aside);
  if (moved !== staleText) {
    try {
      linkSync(aside, lock);
    } catch {
      // A third process locked meanwhile; the one we moved lost its lock (see README: a narrow race).
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // Nothing to clean.
  }
}

/** The lock file of a config: `<real path of the config>.lock`, so a symlink and its target share one lock. */
export function configLockPath(configFile: string): string {
  let real: string;
  try {
    real = realpathSync(configFile);
  } catch {
    real = path.resolve(configFile);
  }
  return `${real}.lock`;
}

/**
 * Runs `fn` while holding the config's write lock, so two `import-opml` runs on one config take
 * turns instead of both merging into the same old file (a lost update).
 *
 * The lock is a file `<config>.lock` created with O_EXCL (`wx`) holding
 * `{"pid": N, "since": ISO 8601}`. While it exists and its pid is alive, the caller retries every
 * 100 ms up to `waitMs`. A lock whose pid no longer exists (a crashed import) is taken over; one
 * that cannot be read as such (being written, or damaged) counts as held. The lock is removed
 * when `fn` returns or throws, only if it is still ours.
 *
 * @param configFile path of the config (symlinks resolved for the lock's name)
 * @param fn the read–merge–write step; it must re-read the config itself (under the lock)
 * @param opts wait (ms) and clock
 * @returns what `fn` returns
 * @throws DuofeedError CONFIG_CONFLICT when the lock is still held after `waitMs` (the message
 *   names the lock file and its pid and time); CONFIG_WRITE_FAILED when the lock file cannot be
 *   created (read-only folder); whatever `fn` throws
 */
export function withConfigLock<T>(configFile: string, fn: () => T, opts: ConfigLockOptions): T {
  const lock = configLockPath(configFile);
  const mine = `${JSON.stringify({ pid: process.pid, since: opts.clock.now().toISOString() })}\n`;
  const maxWaits = Math.ceil(Math.max(0, opts.waitMs) / RETRY_MS);
  let waits = 0;
  // Bounds the immediate retries (lock released or taken over under us) so a lock that cannot be
  // moved aside (no write permission on the folder) ends in the wait instead of a busy loop.
  let quickRetries = 0;
  let holder = '';
  let acquired = false;
  for (;;) {
    try {
      acquired = tryCreate(lock, mine);
    } catch (cause) {
      throw new DuofeedError('CONFIG_WRITE_FAILED', `could not create the lock file ${lock} for ${configFile}: ${(cause as Error).message}; the config is unchanged`, {
        stage: 'config',
        url: configFile,
        cause,
      });
    }
    if (acquired) break;
    const text = readQuietly(lock);
    const owner = text === null ? null : readOwner(text);
    if (quickRetries < 20 && (text === null || (owner !== null && owner.pid !== process.pid && !isAlive(owner.pid)))) {
      quickRetries++;
      if (text !== null) takeOver(lock, text);
      continue;
    }
    holder = owner !== null ? `pid ${owner.pid} since ${owner.since}` : 'an owner whose lock file is unreadable';
    if (waits >= maxWaits) break;
    waits++;
    sleep(RETRY_MS);
  }
  if (!acquired) {
    throw new DuofeedError(
      'CONFIG_CONFLICT',
      `${configFile} is being changed by another import: ${lock} is held by ${holder} (waited ${opts.waitMs} ms); nothing was written. Try again when it finishes, or remove ${lock} if no import is running`,
      { stage: 'config', url: configFile, details: { lock, waitMs: opts.waitMs } },
    );
  }
  try {
    return fn();
  } finally {
    if (readQuietly(lock) === mine) {
      try {
        unlinkSync(lock);
      } catch {
        // Already removed; nothing else to release.
      }
    }
  }
}
