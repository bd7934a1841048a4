import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatProblems } from '../config/load-config.js';
import { validateConfig, type ConfigProblem } from '../config/validate-config.js';
import { DuofeedError } from '../errors.js';
import type { Clock } from '../types.js';
import { mergeOutlines, type AddedSource, type SkippedOutline } from './merge-outlines.js';
import { parseOpml } from './parse-opml.js';
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
  ops?: WriteOps;
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
 * The config is read and validated first (it must be valid before it is changed); the OPML file
 * is read (capped, see readOpmlFile) and parsed (parseOpml); its feed outlines are appended to
 * `sources` (mergeOutlines: duplicates and outlines without `xmlUrl` skipped with the reason);
 * the merged config is validated with the project's validator (JSON Schema + rules) and only then
 * written — 2-space JSON, other keys and their order kept — atomically with a backup
 * (writeConfigAtomically). Nothing is written when nothing is added or with `dryRun`.
 *
 * @param opts files, dry-run flag, clock
 * @returns the report (added, skipped, backup path or null, config path)
 * @throws DuofeedError CONFIG_NOT_FOUND / CONFIG_SYNTAX (config unreadable / not JSON),
 *   CONFIG_INVALID (config invalid before the import, or the merge would be: `details.problems`
 *   with JSON paths, problems in new sources naming their outline), OPML_INVALID (see parseOpml,
 *   readOpmlFile), CONFIG_WRITE_FAILED (the file is unchanged)
 */
export function importOpml(opts: ImportOpmlOptions): ImportReport {
  const config = path.resolve(opts.configFile);
  const { bytes, raw } = readConfigJson(opts.configFile);
  const doc = parseOpml(readOpmlFile(opts.opmlFile), opts.opmlFile);
  const plan = mergeOutlines(raw, doc.outlines);
  const report: ImportReport = {
    added: plan.added,
    skipped: plan.skipped,
    backup: null,
    config,
    dryRun: opts.dryRun,
    opml: { version: doc.version, title: doc.title, encoding: doc.encoding, warnings: doc.warnings },
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
  report.backup = writeConfigAtomically(opts.configFile, bytes, text, opts.clock.now(), opts.ops);
  return report;
}
