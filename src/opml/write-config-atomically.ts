import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DuofeedError } from '../errors.js';

/** File operations the writer uses; tests replace one to fail midway. */
export interface WriteOps {
  rename: (from: string, to: string) => void;
}

const REAL_OPS: WriteOps = { rename: renameSync };

/** `20261130T120000Z`: UTC, ISO 8601 basic format (no `:`, which some file systems refuse). */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Creates `file` (failing if it exists), writes all of `data`, fsyncs and closes it. */
function writeNewFile(file: string, data: Buffer, mode: number): void {
  const fd = openSync(file, 'wx', mode);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable: the directory entry is on disk once the directory is fsynced. */
function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms and file systems cannot fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function removeQuietly(file: string | null): void {
  if (file === null) return;
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or never created.
  }
}

/**
 * Replaces a config file atomically, keeping a backup of the old bytes next to it.
 *
 * 1. the old bytes go to `<file>.bak-<UTC stamp>` (`feeds.config.json.bak-20261130T120000Z`;
 *    `-2`, `-3` … appended when that name exists), fsynced;
 * 2. the new text goes to a temporary file `.<name>.<random>.tmp` in the same directory (same
 *    file system, so the rename is atomic), with the old file's permissions, fsynced;
 * 3. the temporary file is renamed over the config and the directory fsynced.
 * A symlinked config is followed: the real file is replaced, the link kept. When any step fails,
 * the temporary file and the backup are removed and the config is untouched: readers see the old
 * file or the new one, never a partial one.
 *
 * @param file config path
 * @param oldBytes the config's current bytes (as read and parsed by the caller)
 * @param newText the merged config (UTF-8)
 * @param now time for the backup's name
 * @param ops file operations (tests inject a failing rename)
 * @returns absolute path of the backup
 * @throws DuofeedError CONFIG_WRITE_FAILED naming the step and the OS reason (read-only mount,
 *   disk full, permissions); nothing has changed then
 */
export function writeConfigAtomically(file: string, oldBytes: Buffer, newText: string, now: Date, ops: WriteOps = REAL_OPS): string {
  let backup: string | null = null;
  let tmp: string | null = null;
  let step = 'resolve the config path';
  try {
    const real = realpathSync(file);
    const dir = path.dirname(real);
    const mode = statSync(real).mode & 0o7777;
    step = 'write the backup';
    const stem = `${real}.bak-${backupStamp(now)}`;
    for (let n = 1; backup === null; n++) {
      const candidate = n === 1 ? stem : `${stem}-${n}`;
      try {
        writeNewFile(candidate, oldBytes, mode);
        backup = candidate;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw e;
      }
    }
    step = 'write the temporary file';
    const candidateTmp = path.join(dir, `.${path.basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
    tmp = candidateTmp;
    writeNewFile(candidateTmp, Buffer.from(newText, 'utf8'), mode);
    step = 'replace the config';
    ops.rename(candidateTmp, real);
    tmp = null;
    fsyncDir(dir);
    return backup;
  } catch (cause) {
    removeQuietly(tmp);
    removeQuietly(backup);
    throw new DuofeedError('CONFIG_WRITE_FAILED', `could not ${step} for ${file}: ${(cause as Error).message}; the config is unchanged`, {
      stage: 'config',
      url: file,
      cause,
    });
  }
}
