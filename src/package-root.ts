import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The folder holding duofeed's package.json, found by walking up from this compiled file (it runs
 * from dist/ in production and from .test-build/src/ in tests).
 */
export const PACKAGE_ROOT: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duofeed') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('duofeed package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
})();
