/**
 * What every side-by-side benchmark shares (issue 6 points 4–7): the machine record (cores, CPU,
 * node, load average before/after, idle cores), waiting for a quiet machine, medians, the printed
 * table (figure, ours, side-by-side, ratio, goal) and the JSON written to bench/results/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSystemCpu } from './proc-stats.js';

/** The machine a run happened on, and how busy it was. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryMB: number;
  /** 1-minute load average when the bench started and when it ended. */
  loadAverage1mBefore: number;
  loadAverage1mAfter: number | null;
  /** Idle core-seconds per second in the 2-s window before measuring (null without --wait-idle or /proc). */
  idleCoresBeforeStart: number | null;
}

/** One row of the printed table. */
export interface Row {
  figure: string;
  ours: number | null;
  /** The side-by-side value (same unit), null when there is none or its tool is missing. */
  theirs: number | null;
  /** What `theirs` is (e.g. "Readability.js + jsdom"). */
  theirsLabel: string;
  unit: string;
  /** ours/theirs when higher is better, theirs/ours when lower is better; null without both. */
  ratio: number | null;
  /** Human wording of the goal, e.g. "≥ 5×"; "" when the row is context only. */
  goal: string;
  /** true/false when the row has a goal and both values; null otherwise. */
  met: boolean | null;
}

/** Repository root: the nearest parent folder whose package.json is named duofeed. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 8; k++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duofeed') return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the duofeed repository root above this script');
}

/** The shared corpus folder (DUOFEED_SHARED overrides ../shared, as in the tests). */
export function sharedDir(root: string): string {
  return process.env.DUOFEED_SHARED ?? path.resolve(root, '..', 'shared');
}

/**
 * Machine figures at the start of a run (the end-of-run load is filled by {@link finishMachine}).
 * @param idleCores result of {@link waitForIdle}, or null
 */
export function machineInfo(idleCores: number | null): MachineInfo {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemoryMB: Math.round(os.totalmem() / 1048576),
    loadAverage1mBefore: round2(os.loadavg()[0] ?? 0),
    loadAverage1mAfter: null,
    idleCoresBeforeStart: idleCores,
  };
}

/** Records the load average at the end of a run. */
export function finishMachine(m: MachineInfo): MachineInfo {
  return { ...m, loadAverage1mAfter: round2(os.loadavg()[0] ?? 0) };
}

/**
 * On a shared machine other jobs skew timings: waits (at most `maxSeconds`) for a 2-s window with
 * at least `minIdleCores` idle cores (from /proc/stat), as bench/load.ts does.
 * @returns idle cores of the last window, or null when not waiting (0 s) or without /proc
 */
export async function waitForIdle(maxSeconds: number, minIdleCores = 1.5): Promise<number | null> {
  if (maxSeconds <= 0) return null;
  const until = Date.now() + maxSeconds * 1000;
  let idle: number | null = null;
  do {
    const a = readSystemCpu();
    await new Promise((r) => setTimeout(r, 2000));
    const b = readSystemCpu();
    if (!a || !b) return null;
    idle = round2((b.idleSeconds - a.idleSeconds) / 2);
    if (idle >= minIdleCores) return idle;
  } while (Date.now() < until);
  return idle;
}

/** Median of numbers (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0–100); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/** Rounds to 2 decimals. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Rounds to 3 significant digits (keeps small and large figures readable). */
export function sig3(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const d = Math.ceil(Math.log10(Math.abs(x)));
  const f = 10 ** (3 - d);
  return Math.round(x * f) / f;
}

/**
 * A row where higher is better (throughput): ratio = ours / theirs; met when ratio ≥ goalRatio.
 * With `goalRatio` null the row is context only.
 */
export function higherRow(figure: string, unit: string, ours: number | null, theirs: number | null, theirsLabel: string, goalRatio: number | null): Row {
  const ratio = ours !== null && theirs !== null && theirs > 0 ? round2(ours / theirs) : null;
  return {
    figure,
    unit,
    ours: ours === null ? null : sig3(ours),
    theirs: theirs === null ? null : sig3(theirs),
    theirsLabel,
    ratio,
    goal: goalRatio === null ? '' : `≥ ${goalRatio}×`,
    met: goalRatio === null || ratio === null ? null : ratio >= goalRatio,
  };
}

/**
 * A row with an absolute limit where lower is better (seconds, MB, ms): met when ours ≤ limit.
 * `theirs` is optional context (ratio = ours / theirs then).
 */
export function limitRow(figure: string, unit: string, ours: number | null, limit: number | null, theirs: number | null = null, theirsLabel = ''): Row {
  return {
    figure,
    unit,
    ours: ours === null ? null : sig3(ours),
    theirs: theirs === null ? null : sig3(theirs),
    theirsLabel,
    ratio: ours !== null && theirs !== null && theirs > 0 ? round2(ours / theirs) : null,
    goal: limit === null ? '' : `≤ ${limit} ${unit}`,
    met: limit === null || ours === null ? null : ours <= limit,
  };
}

function cell(v: number | null, unit: string): string {
  return v === null ? '—' : `${v} ${unit}`.trim();
}

/**
 * Prints rows as a fixed-width table on stdout: figure | ours | side by side | ratio | goal | met.
 * @param title first line
 * @param machine printed under the title
 */
export function printTable(title: string, machine: MachineInfo, rows: readonly Row[]): void {
  const w = (s = ''): void => void process.stdout.write(`${s}\n`);
  w(title);
  w(
    `machine: ${machine.cores} cores (${machine.cpuModel}), node ${machine.node}; load avg ${machine.loadAverage1mBefore} → ${machine.loadAverage1mAfter ?? '?'}` +
      (machine.idleCoresBeforeStart === null ? '' : `, ${machine.idleCoresBeforeStart} idle cores at start`),
  );
  const table = rows.map((r) => [
    r.figure,
    cell(r.ours, r.unit),
    r.theirs === null ? (r.theirsLabel ? `— (${r.theirsLabel})` : '—') : `${cell(r.theirs, r.unit)} (${r.theirsLabel})`,
    r.ratio === null ? '—' : `${r.ratio}×`,
    r.goal || '—',
    r.met === null ? '' : r.met ? 'MET' : 'MISSED',
  ]);
  const head = ['figure', 'duofeed', 'side by side', 'ratio', 'goal', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  w(line(head));
  w(widths.map((n) => '-'.repeat(n)).join('  '));
  for (const row of table) w(line(row));
}

/**
 * Writes `{benchmark, startedAt, machine, params, rows, details}` as pretty JSON to `file`
 * (relative to the repo root), unless `file` is null.
 */
export function writeResult(root: string, file: string | null, result: Record<string, unknown>): void {
  if (file === null) return;
  const out = path.resolve(root, file);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`written to ${path.relative(root, out)}\n`);
}

/**
 * Path of an executable on PATH (or an absolute path that exists), null when absent.
 * @param name e.g. `wrk`, `nginx`, `python3`
 * @param extraDirs also looked in (e.g. /usr/sbin for nginx)
 */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...extraDirs].filter(Boolean);
  for (const d of dirs) {
    const p = path.join(d, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** The message printed when a Debian tool is missing. */
export function missingTool(tool: string, pkg: string): string {
  return `${tool} not found: install it with \`sudo apt-get install -y ${pkg}\` (Debian/Ubuntu); that side of the comparison is skipped`;
}

/** Runs a command and returns its trimmed stdout, null when it fails. */
export function tryRun(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return null;
  }
}

/** Progress line on stderr, prefixed with the bench name and the time. */
export function progress(bench: string, text: string): void {
  process.stderr.write(`[${bench} ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}
