import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

/**
 * Path of the published JSON Schema (feeds.config.schema.json at the package root; the same file
 * editors read through the config's `"$schema"` key).
 */
export const SCHEMA_PATH = path.join(PACKAGE_ROOT, 'feeds.config.schema.json');

let cached: Record<string, unknown> | null = null;

/** The schema object, read once from SCHEMA_PATH. */
export function loadSchema(): Record<string, unknown> {
  cached ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  return cached;
}
