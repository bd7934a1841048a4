/**
 * bench/run-all — runs every benchmark in sequence, each as its own node process (so one's heap
 * and JIT state never colour another's figures), then prints one combined table (figure, ours,
 * side by side, ratio, goal, met) and writes bench/results/summary.json — the table the README
 * "Performance" section shows.
 *
 *   npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/run-all.js \
 *     [--only extract-speed,parse,serve,poll,store,load,keywords] [--quick] [--wait-idle 0]
 *
 * `--quick` passes small sizes (fewer rounds, 20k stored items, 200 polled sources) for a
 * smoke run and writes to bench/results/quick/ instead; its figures are not comparable with the
 * goals. A bench that fails is reported in
 * the table and the summary, and the others still run. Missing Debian tools (wrk, nginx-light,
 * python3-feedparser, time) are reported by the benches themselves.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { finishMachine, machineInfo, printTable, progress, repoRoot, round2, waitForIdle, writeResult, type Row } from './lib/bench-report.js';

interface Bench {
  name: string;
  script: string;
  args: string[];
  quickArgs: string[];
  /** Rows for the combined table from the bench's JSON result in `dir` (null when it has none). */
  rows(root: string, dir: string): Row[] | null;
  /** The bench takes `--out FILE` (keywords.ts always writes bench/results/keywords.json). */
  takesOut: boolean;
}

function readJson(root: string, rel: string): Record<string, unknown> | null {
  const file = path.join(root, rel);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const ownRows = (name: string) => (root: string, dir: string): Row[] | null => (readJson(root, `${dir}/${name}.json`)?.rows as Row[] | undefined) ?? null;

const LOAD_LABEL = '50 readers, 100 sources';

const BENCHES: Bench[] = [
  { name: 'extract-speed', script: 'extract-speed.js', args: ['--rounds', '3', '--warmup', '1'], quickArgs: ['--rounds', '1', '--warmup', '0'], rows: ownRows('extract-speed'), takesOut: true },
  { name: 'parse', script: 'parse.js', args: ['--rounds', '5', '--warmup', '2'], quickArgs: ['--rounds', '2', '--warmup', '1'], rows: ownRows('parse'), takesOut: true },
  { name: 'serve', script: 'serve.js', args: ['--seconds', '10', '--rounds', '3'], quickArgs: ['--seconds', '3', '--rounds', '1'], rows: ownRows('serve'), takesOut: true },
  { name: 'poll', script: 'poll.js', args: ['--sources', '1000', '--repolls', '3'], quickArgs: ['--sources', '200', '--repolls', '1'], rows: ownRows('poll'), takesOut: true },
  { name: 'store', script: 'store.js', args: ['--items', '100000', '--builds', '200'], quickArgs: ['--items', '20000', '--builds', '50'], rows: ownRows('store'), takesOut: true },
  {
    name: 'load',
    script: 'load.js',
    // Small defaults (issue 4's target is 200 readers × 500 sources: `npm run bench:load`).
    args: ['--readers', '50', '--sources', '100', '--seconds', '10'],
    quickArgs: ['--readers', '50', '--sources', '100', '--seconds', '5'],
    takesOut: true,
    rows: (root, dir) => {
      const run = (readJson(root, `${dir}/load.json`)?.runs as Record<string, Record<string, any>> | undefined)?.[LOAD_LABEL];
      if (!run) return null;
      const p99 = run.latencyMs?.all?.p99 as number;
      return [
        { figure: `load: ${LOAD_LABEL} polling, req/s`, unit: 'req/s', ours: run.requests?.perSecond ?? null, theirs: null, theirsLabel: '', ratio: null, goal: '', met: null },
        { figure: `load: ${LOAD_LABEL}, p99 latency (errors ${run.requests?.errors})`, unit: 'ms', ours: p99 ?? null, theirs: null, theirsLabel: '', ratio: null, goal: '< 100 ms (at 200 × 500)', met: null },
      ];
    },
  },
  {
    name: 'keywords',
    script: 'keywords.js',
    args: [],
    quickArgs: [],
    takesOut: false,
    rows: (root) => {
      const overall = readJson(root, 'bench/results/keywords.json')?.overall as { share?: number; categories?: number } | undefined;
      if (!overall || typeof overall.share !== 'number') return null;
      return [{ figure: `keywords: publisher categories found (of ${overall.categories})`, unit: '%', ours: round2(overall.share * 100), theirs: null, theirsLabel: '', ratio: null, goal: '', met: null }];
    },
  },
];

async function runBench(root: string, b: Bench, quick: boolean, waitIdle: number, dir: string): Promise<{ code: number | null; seconds: number }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), b.script);
  const waitArgs = waitIdle > 0 && b.name !== 'keywords' ? ['--wait-idle', String(waitIdle)] : [];
  const t0 = Date.now();
  const outArgs = b.takesOut ? ['--out', `${dir}/${b.name}.json`] : [];
  const child = spawn(process.execPath, [script, ...(quick ? b.quickArgs : b.args), ...waitArgs, ...outArgs], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return { code, seconds: round2((Date.now() - t0) / 1000) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'wait-idle': { type: 'string', default: '0' },
    },
    strict: true,
  });
  const root = repoRoot();
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
  const chosen = BENCHES.filter((b) => only === null || only.has(b.name));
  const waitIdle = Number(values['wait-idle']);
  // Quick runs write beside, never over, the full results.
  const dir = values.quick === true ? 'bench/results/quick' : 'bench/results';
  let machine = machineInfo(await waitForIdle(waitIdle));
  const outcomes: Record<string, { code: number | null; seconds: number }> = {};
  const rows: Row[] = [];
  for (const b of chosen) {
    progress('run-all', `${b.name} …`);
    outcomes[b.name] = await runBench(root, b, values.quick === true, waitIdle, dir);
    const got = outcomes[b.name]!.code === 0 ? b.rows(root, dir) : null;
    if (got) rows.push(...got);
    else rows.push({ figure: `${b.name}: failed or skipped (exit ${String(outcomes[b.name]!.code)})`, unit: '', ours: null, theirs: null, theirsLabel: '', ratio: null, goal: '', met: null });
  }
  machine = finishMachine(machine);
  process.stdout.write('\n');
  printTable(`duofeed benchmarks${values.quick ? ' (--quick: not comparable with the goals)' : ''}`, machine, rows);
  writeResult(root, `${dir}/summary.json`, {
    benchmark: 'bench/run-all.ts (issue 6 point 8)',
    finishedAt: new Date().toISOString(),
    quick: values.quick === true,
    machine: { ...machine, hostname: os.hostname() },
    benches: outcomes,
    rows,
  });
  if (Object.values(outcomes).some((o) => o.code !== 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/run-all failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
