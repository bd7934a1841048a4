import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root (tests run from .test-build/test/…). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The shared data folder, read in place (never copied into the repo). */
export const SHARED = process.env.DUOFEED_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');
export const CORPUS = path.join(SHARED, 'corpus');
export const CASES = path.join(SHARED, 'cases');
/** Path of a file in ../shared/corpus. */
export function corpus(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}
/** Path of a file in ../shared/cases. */
export function caseFile(...parts: string[]): string {
  return path.join(CASES, ...parts);
}
