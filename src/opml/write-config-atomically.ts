import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fstatSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DuofeedError } from '../errors.js';

/** File operations the writer uses; tests replace one to fail midway or to play another owner. */
export interface WriteOps {
  rename: (from: string, to: string) => void;
  /** Owner the new files must get: the config's (`stat`). */
  owner: (file: string) => { uid: number; gid: number };
  /** Gives an open file an owner (`fchown`); throws EPERM when not permitted (not root). */
  fchown: (fd: number, uid: number, gid: number) => void;
}

const REAL_OPS: WriteOps = {
  rename: renameSync,
  owner: (file) => {
    const st = statSync(file);
    return { uid: st.uid, gid: st.gid };
  },
  fchown: fchownSync,
};

/** What a write did. */
export interface WriteResult {
  /** Absolute path of the backup. */
  backup: string;
  /** Remarks for the operator (the old owner could not be kept). */
  warnings: string[];
}

/** `20261130T120000Z`: UTC, ISO 8601 basic format (no `:`, which some file systems refuse). */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Creates `file` (failing if it exists) with the config's owner and mode, writes all of `data`,
 * fsyncs and closes it. A file created by root would belong to root, and a service running as
 * the config's owner could no longer read a 640 config: so the owner is copied when the OS
 * permits (root; or a group of the caller's); a refusal is returned, not thrown, because the
 * content is still right. The mode is set with fchmod after fchown (which may clear set-id bits,
 * and open's mode is cut by the umask).
 * @returns the fchown error, or null when the owner is as wanted
 */
function writeNewFile(file: string, data: Buffer, mode: number, owner: { uid: number; gid: number }, ops: WriteOps): Error | null {
  const fd = openSync(file, 'wx', mode);
  let refused: Error | null = null;
  try {
    const st = fstatSync(fd);
    if (st.uid !== owner.uid || st.gid !== owner.gid) {
      try {
        ops.fchown(fd, owner.uid, owner.gid);
      } catch (e) {
        refused = e as Error;
      }
    }
    fchmodSync(fd, mode);
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return refused;
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
 *    file system, so the rename is atomic), with the old file's mode and owner (uid/gid, when the
 *    OS permits: root can, others only for their own files; otherwise a warning), fsynced;
 * 3. the config is read again and compared with `oldBytes`: another program (an editor) that
 *    saved it meanwhile would lose its edit, so the write stops instead;
 * 4. the temporary file is renamed over the config and the directory fsynced.
 * A symlinked config is followed: the real file is replaced, the link kept. When any step fails,
 * the temporary file and the backup are removed and the config is untouched: readers see the old
 * file or the new one, never a partial one.
 *
 * @param file config path
 * @param oldBytes the config's current bytes (as read and parsed by the caller)
 * @param newText the merged config (UTF-8)
 * @param now time for the backup's name
 * @param ops file operations (tests inject a failing rename, another owner, a refused fchown)
 * @returns absolute path of the backup, and warnings (owner not kept)
 * @throws DuofeedError CONFIG_WRITE_FAILED naming the step and the OS reason (read-only mount,
 *   disk full, permissions); CONFIG_CONFLICT when the config changed since `oldBytes` were read;
 *   nothing has changed then
 */
export function writeConfigAtomically(file: string, oldBytes: Buffer, newText: string, now: Date, opsIn: Partial<WriteOps> = {}): WriteResult {
  const ops: WriteOps = { ...REAL_OPS, ...opsIn };
  let backup: string | null = null;
  let tmp: string | null = null;
  let step = 'resolve the config path';
  try {
    const real = realpathSync(file);
    const dir = path.dirname(real);
    const mode = statSync(real).mode & 0o7777;
    const owner = ops.owner(real);
    let refused: Error | null = null;
    step = 'write the backup';
    const stem = `${real}.bak-${backupStamp(now)}`;
    for (let n = 1; backup === null; n++) {
      const candidate = n === 1 ? stem : `${stem}-${n}`;
      try {
        refused = writeNewFile(candidate, oldBytes, mode, owner, ops);
        backup = candidate;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw e;
      }
    }
    step = 'write the temporary file';
    const candidateTmp = path.join(dir, `.${path.basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
    tmp = candidateTmp;
    refused = writeNewFile(candidateTmp, Buffer.from(newText, 'utf8'), mode, owner, ops) ?? refused;
    step = 'check the config is unchanged';
    if (!readFileSync(real).equals(oldBytes)) {
      throw new DuofeedError(
        'CONFIG_CONFLICT',
        `${file} was changed by another program while the import ran; nothing was written (its edit is kept). Run the import again`,
        { stage: 'config', url: file },
      );
    }
    step = 'replace the config';
    ops.rename(candidateTmp, real);
    tmp = null;
    fsyncDir(dir);
    const warnings =
      refused === null
        ? []
        : [`could not keep the config's owner: ${real} was owned by uid ${owner.uid} gid ${owner.gid}, the new file and the backup belong to this user (${refused.message}); chown it back if another user reads it`];
    return { backup, warnings };
  } catch (cause) {
    removeQuietly(tmp);
    removeQuietly(backup);
    if (cause instanceof DuofeedError) throw cause;
    throw new DuofeedError('CONFIG_WRITE_FAILED', `could not ${step} for ${file}: ${(cause as Error).message}; the config is unchanged`, {
      stage: 'config',
      url: file,
      cause,
    });
  }
}
