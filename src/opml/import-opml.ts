import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatProblems } from '../config/load-config.js';
import { validateConfig, type ConfigProblem } from '../config/validate-config.js';
import { DuofeedError } from '../errors.js';
import type { Clock } from '../types.js';
import { DEFAULT_LOCK_WAIT_MS, withConfigLock } from './config-lock.js';
import { mergeOutlines, type AddedSource, type SkippedOutline } from './merge-outlines.js';
import { parseOpml, type OpmlDocument } from './parse-opml.js';
import { readOpmlFile } from './read-opml-file.js';
import { writeConfigAtomically, type WriteOps } from './write-config-atomically.js';

/** What `import-opml` is asked to do. */
export interface ImportOpmlOptions {
  /** Path of the OPML file. */
  opmlFile: string;
  /** Path of feeds.config.json. */
  configFile: string;
  /** True: validate and report, write nothing. */
  dryRun: boolean;
  /** Names the backup. */
  clock: Clock;
  /** File operations for the write (tests inject failures). */
  ops?: Partial<WriteOps>;
  /** How long to wait for another import's lock on the config (ms); default {@link DEFAULT_LOCK_WAIT_MS}. */
  lockWaitMs?: number;
}

/** What an import did (or, with `dryRun`, would do). */
export interface ImportReport {
  added: AddedSource[];
  skipped: SkippedOutline[];
  /** Absolute path of the backup of the old config; null when nothing was written. */
  backup: string | null;
  /** Absolute path of the config. */
  config: string;
  dryRun: boolean;
  opml: { version: string | null; title: string | null; encoding: string; warnings: string[] };
  /** Remarks about the write (the config's owner could not be kept). */
  warnings: string[];
}

function readConfigJson(file: string): { bytes: Buffer; raw: Record<string, unknown> } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new DuofeedError('CONFIG_NOT_FOUND', `cannot read config file ${file}: ${(cause as Error).message}`, { stage: 'config', url: file, cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new DuofeedError('CONFIG_SYNTAX', `config file ${file} is not valid JSON: ${(cause as Error).message}`, { stage: 'config', url: file, cause });
  }
  const before = validateConfig(raw);
  if (before.length > 0) {
    throw new DuofeedError('CONFIG_INVALID', `${file} is invalid before the import (fix it first): ${before.length} problem(s)\n${formatProblems(before)}`, {
      stage: 'config',
      url: file,
      details: { problems: before },
    });
  }
  return { bytes, raw: raw as Record<string, unknown> };
}

/** Names the outline behind each problem in an added source, so the operator can find it in the OPML file. */
function annotate(problems: ConfigProblem[], firstNew: number, added: AddedSource[]): ConfigProblem[] {
  return problems.map((p) => {
    const m = /^\/sources\/(\d+)(?:\/|$)/.exec(p.path);
    const a = m ? added[Number(m[1]) - firstNew] : undefined;
    return a ? { path: p.path, message: `${p.message} (from outline ${a.outline}, xmlUrl "${a.url}")` } : p;
  });
}

/**
 * `duofeed import-opml FILE`: merges an OPML subscription list into feeds.config.json.
 *
 * The OPML file is read (capped, see readOpmlFile) and parsed (parseOpml) first. Then, under the
 * config's write lock (withConfigLock: a second import waits for the first and merges into its
 * result instead of losing it), the config is read and validated (it must be valid before it is
 * changed); the feed outlines are appended to `sources` (mergeOutlines: duplicates, outlines
 * without `xmlUrl` and non-http(s) URLs skipped with the reason); the merged config is validated
 * with the project's validator (JSON Schema + rules) and only then written — 2-space JSON, other
 * keys and their order kept — atomically with a backup, owner and mode kept, refusing if another
 * program changed the file meanwhile (writeConfigAtomically). Nothing is written when nothing is
 * added or with `dryRun` (which takes no lock).
 *
 * @param opts files, dry-run flag, clock, lock wait
 * @returns the report (added, skipped, backup path or null, config path, warnings)
 * @throws DuofeedError CONFIG_NOT_FOUND / CONFIG_SYNTAX (config unreadable / not JSON),
 *   CONFIG_INVALID (config invalid before the import, or the merge would be: `details.problems`
 *   with JSON paths, problems in new sources naming their outline), OPML_INVALID (see parseOpml,
 *   readOpmlFile), CONFIG_CONFLICT (lock held past the wait, or the config changed by another
 *   program; nothing written), CONFIG_WRITE_FAILED (the file is unchanged)
 */
export function importOpml(opts: ImportOpmlOptions): ImportReport {
  const doc = parseOpml(readOpmlFile(opts.opmlFile), opts.opmlFile);
  if (opts.dryRun) return mergeAndWrite(opts, doc);
  return withConfigLock(opts.configFile, () => mergeAndWrite(opts, doc), { waitMs: opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, clock: opts.clock });
}

/** Reads the config (under the lock when writing), merges `doc` into it, validates, writes. */
function mergeAndWrite(opts: ImportOpmlOptions, doc: OpmlDocument): ImportReport {
  const config = path.resolve(opts.configFile);
  const { bytes, raw } = readConfigJson(opts.configFile);
  const plan = mergeOutlines(raw, doc.outlines);
  const report: ImportReport = {
    added: plan.added,
    skipped: plan.skipped,
    backup: null,
    config,
    dryRun: opts.dryRun,
    opml: { version: doc.version, title: doc.title, encoding: doc.encoding, warnings: doc.warnings },
    warnings: [],
  };
  if (plan.added.length === 0) return report;
  const problems = validateConfig(plan.config);
  if (problems.length > 0) {
    const named = annotate(problems, plan.firstNewIndex, plan.added);
    throw new DuofeedError(
      'CONFIG_INVALID',
      `importing ${opts.opmlFile} would make ${opts.configFile} invalid; nothing was written: ${named.length} problem(s)\n${formatProblems(named)}`,
      { stage: 'config', url: opts.configFile, details: { problems: named } },
    );
  }
  if (opts.dryRun) return report;
  const text = `${JSON.stringify(plan.config, null, 2)}\n`;
  const written = writeConfigAtomically(opts.configFile, bytes, text, opts.clock.now(), opts.ops);
  report.backup = written.backup;
  report.warnings = written.warnings;
  return report;
}
