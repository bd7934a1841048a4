import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Checks for the real feed readers the client tests drive. A missing one fails the test (never a
 * skip: issue 5 requires these checks to run) with the way to install it.
 */

/** Debian's python interpreter; the `python3` on a developer's PATH may be another one without feedparser. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

function installHint(pkg: string): string {
  return `Debian package ${pkg} is not installed. CI installs it in .ci/run; on a developer machine run .ci/run once as root, or: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkg}`;
}

/**
 * Fails unless `/usr/bin/python3` can import feedparser (Debian python3-feedparser).
 * @returns feedparser's version string
 * @throws Error naming the package and how to install it
 */
export function requireFeedparser(): string {
  try {
    return execFileSync(SYSTEM_PYTHON, ['-c', 'import feedparser; print(feedparser.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new Error(installHint('python3-feedparser'));
  }
}

/**
 * Fails unless `newsboat` is on PATH (Debian newsboat).
 * @returns the absolute path of the newsboat binary
 * @throws Error naming the package and how to install it
 */
export function requireNewsboat(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = `${dir}/newsboat`;
    if (dir !== '' && fs.existsSync(candidate)) return candidate;
  }
  throw new Error(installHint('newsboat'));
}
