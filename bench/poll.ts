/**
 * bench/poll — polling at scale (issue 6 point 7): 1,000 sources of 20 items each on a loopback
 * farm (bench/lib/step-farm.ts), polled by the real CLI `duofeed poll-once --json` as a child
 * process: a first cycle (every feed new), then a re-poll after 10 % of the feeds changed (one
 * new and one edited item each) so 90 % answer 304. A share of the sources (`--page-fraction`,
 * default 0.1 as in bench/load.ts) fetches and extracts article pages, the rest keep the feed's
 * content. Prints each cycle's wall seconds (the whole command: start-up, polls, commit, exit),
 * CPU seconds and peak RSS of the child (`/usr/bin/time -v`, else /proc VmHWM sampling), and
 * checks the poll-once summary (statuses, new/updated counts).
 *
 *   npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/poll.js \
 *     [--sources 1000] [--items 20] [--changed 0.1] [--page-fraction 0.1] [--repolls 3]
 *     [--cpu-prof] [--wait-idle 0] [--out bench/results/poll.json | --out -]
 *
 * Goals: re-poll ≤ 30 s on 2 cores; peak RSS ≤ 200 MB.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStepFarm, type StepFarm } from './lib/step-farm.js';
import { runMeasured, type ChildCost } from './lib/measured-child.js';
import { summarizeProfile } from './lib/profile-summary.js';
import {
  finishMachine,
  limitRow,
  machineInfo,
  median,
  printTable,
  progress,
  repoRoot,
  round2,
  waitForIdle,
  writeResult,
} from './lib/bench-report.js';

const NAME = 'poll';
const GOAL_REPOLL_S = 30;
const GOAL_RSS_MB = 200;

interface PollSummary {
  ok: number;
  notModified: number;
  failed: number;
  skipped: number;
  newItems: number;
  updatedItems: number;
  errorCodes: Record<string, number>;
}

function summarize(stdout: string): PollSummary {
  const parsed = JSON.parse(stdout) as { results: Array<{ status: string; counts: { new: number; updated: number }; errorCode?: string | null }> };
  const s: PollSummary = { ok: 0, notModified: 0, failed: 0, skipped: 0, newItems: 0, updatedItems: 0, errorCodes: {} };
  for (const r of parsed.results) {
    if (r.status === 'ok') s.ok++;
    else if (r.status === 'not-modified') s.notModified++;
    else if (r.status === 'failed') s.failed++;
    else s.skipped++;
    s.newItems += r.counts.new;
    s.updatedItems += r.counts.updated;
    if (r.errorCode) s.errorCodes[r.errorCode] = (s.errorCodes[r.errorCode] ?? 0) + 1;
  }
  return s;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sources: { type: 'string', default: '1000' },
      items: { type: 'string', default: '20' },
      changed: { type: 'string', default: '0.1' },
      'page-fraction': { type: 'string', default: '0.1' },
      repolls: { type: 'string', default: '3' },
      'cpu-prof': { type: 'boolean', default: false },
      'wait-idle': { type: 'string', default: '0' },
      out: { type: 'string', default: `bench/results/${NAME}.json` },
    },
    strict: true,
  });
  const sources = Math.max(1, Number(values.sources));
  const items = Math.max(1, Number(values.items));
  const changed = Math.min(1, Math.max(0, Number(values.changed)));
  const pageFraction = Math.min(1, Math.max(0, Number(values['page-fraction'])));
  const repolls = Math.max(1, Number(values.repolls));
  const root = repoRoot();
  const cli = path.join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'duofeed-poll-bench-'));
  const profRoot = values['cpu-prof'] === true ? mkdtempSync(path.join(os.tmpdir(), 'duofeed-poll-prof-')) : null;
  let farm: StepFarm | null = null;
  try {
    farm = await startStepFarm(sources, items);
    const pageSources = Math.round(sources * pageFraction);
    const config = {
      http: { allowPrivateNetworks: true },
      output: { title: 'duofeed poll bench', baseUrl: 'http://127.0.0.1' },
      sources: Array.from({ length: sources }, (_, i) => ({
        id: `p${String(i).padStart(5, '0')}`,
        url: farm!.feedUrl(i),
        name: `Poll feed ${i}`,
        language: i % 4 === 3 ? 'zh-CN' : 'en',
        // Exactly pageSources of them, spread evenly over the list.
        extract: { fetchPages: Math.floor((i * pageSources) / sources) !== Math.floor(((i - 1) * pageSources) / sources) },
      })),
    };
    const configPath = path.join(tmp, 'feeds.config.json');
    writeFileSync(configPath, JSON.stringify(config));
    const dataDir = path.join(tmp, 'data');
    mkdirSync(dataDir);
    const pollOnce = async (label: string): Promise<{ cost: ChildCost; summary: PollSummary }> => {
      progress(NAME, `${label}: poll-once over ${sources} sources`);
      const profDir = profRoot ? path.join(profRoot, label.replace(/\W+/g, '-')) : null;
      const cost = await runMeasured([...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), cli, 'poll-once', '--json', '--config', configPath, '--data-dir', dataDir], {
        cwd: root,
        env: { LOG_LEVEL: 'warn' },
        timeoutMs: 30 * 60_000,
      });
      if (cost.exitCode !== 0) throw new Error(`poll-once exited ${String(cost.exitCode)}: ${cost.stderrTail}`);
      const summary = summarize(cost.stdout);
      progress(NAME, `${label}: ${cost.wallSeconds.toFixed(1)} s, CPU ${cost.cpuSeconds.toFixed(1)} s, peak RSS ${cost.peakRssMB.toFixed(0)} MB; ${JSON.stringify(summary)}`);
      return { cost, summary };
    };

    const idle = await waitForIdle(Number(values['wait-idle']));
    let machine = machineInfo(idle);
    const farm0 = farm.stats();
    const first = await pollOnce('first cycle');
    const farm1 = farm.stats();
    const changedCount = Math.round(sources * changed);
    const re: Array<{ cost: ChildCost; summary: PollSummary }> = [];
    for (let r = 0; r < repolls; r++) {
      // A different scattered set of feeds changes before each re-poll (7919 is prime, so the
      // first `changedCount` multiples are distinct mod sources); it is not aligned with the
      // page-fetching sources, so about `pageFraction` of the changed feeds fetch pages.
      for (let k = 0; k < changedCount; k++) farm.step((k * 7919 + r * 131) % sources);
      re.push(await pollOnce(`re-poll ${r + 1}`));
    }
    const farm2 = farm.stats();
    machine = finishMachine(machine);

    const reWall = median(re.map((x) => x.cost.wallSeconds));
    const reCpu = median(re.map((x) => x.cost.cpuSeconds));
    const peak = Math.max(first.cost.peakRssMB, ...re.map((x) => x.cost.peakRssMB));
    const rows = [
      limitRow(`re-poll (${Math.round((1 - changed) * 100)} % answer 304), wall, median of ${repolls}`, 's', reWall, GOAL_REPOLL_S),
      limitRow('re-poll CPU (user + sys), median', 's', reCpu, null),
      limitRow('first cycle (every feed new), wall', 's', first.cost.wallSeconds, null),
      limitRow('first cycle CPU (user + sys)', 's', first.cost.cpuSeconds, null),
      limitRow('peak RSS over all cycles', 'MB', peak, GOAL_RSS_MB),
      limitRow('peak RSS, first cycle', 'MB', first.cost.peakRssMB, null),
      limitRow('peak RSS, re-poll (max)', 'MB', Math.max(...re.map((x) => x.cost.peakRssMB)), null),
    ];
    printTable(
      `duofeed poll-once at scale: ${sources} sources × ${items} items, ${pageSources} fetch pages; re-poll after ${changedCount} feeds changed`,
      machine,
      rows,
    );
    process.stdout.write(
      `first cycle: ${JSON.stringify(first.summary)}; farm served ${farm1.feed200 - farm0.feed200} feeds, ${farm1.pages - farm0.pages} pages\n` +
        `re-polls: ${re.map((x) => JSON.stringify(x.summary)).join('; ')}; farm served ${farm2.feed200 - farm1.feed200} feed 200, ${farm2.feed304 - farm1.feed304} feed 304, ${farm2.pages - farm1.pages} pages\n` +
        `CPU and RSS measured by ${first.cost.measuredBy}\n`,
    );
    if (profRoot) {
      for (const label of ['first cycle', 're-poll 1']) {
        const dir = path.join(profRoot, label.replace(/\W+/g, '-'));
        const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
        if (!file) continue;
        const prof = summarizeProfile(path.join(dir, file), 25);
        process.stdout.write(`\nCPU profile of poll-once, ${label} (${prof.totalMs} ms sampled): ${path.join(dir, file)}\n`);
        for (const a of prof.areas.slice(0, 12)) process.stdout.write(`  ${String(a.ms).padStart(9)} ms  ${a.name}\n`);
        for (const f of prof.functions.slice(0, 20)) process.stdout.write(`  ${String(f.ms).padStart(9)} ms  ${f.name}\n`);
      }
    }
    const costJson = (c: ChildCost): Record<string, unknown> => ({
      wallSeconds: round2(c.wallSeconds),
      cpuSeconds: round2(c.cpuSeconds),
      userSeconds: round2(c.userSeconds),
      systemSeconds: round2(c.systemSeconds),
      peakRssMB: round2(c.peakRssMB),
      measuredBy: c.measuredBy,
    });
    writeResult(root, values.out === '-' ? null : (values.out as string), {
      benchmark: 'bench/poll.ts (issue 6 point 7)',
      startedAt: new Date().toISOString(),
      machine,
      params: { sources, itemsPerFeed: items, changedPerRepoll: changedCount, pageFetchingSources: pageSources, repolls, maxConcurrentSources: 'config default' },
      rows,
      details: {
        first: { ...costJson(first.cost), summary: first.summary },
        repolls: re.map((x) => ({ ...costJson(x.cost), summary: x.summary })),
        farm: { first: { feeds200: farm1.feed200 - farm0.feed200, pages: farm1.pages - farm0.pages }, repolls: { feeds200: farm2.feed200 - farm1.feed200, feeds304: farm2.feed304 - farm1.feed304, pages: farm2.pages - farm1.pages } },
      },
    });
  } finally {
    await farm?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/${NAME} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
