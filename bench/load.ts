/**
 * Load during polling (issue 4 point 8): N concurrent readers on /feed.xml and /feed.json (half
 * of them conditional) while the real service, started as a child process, polls M loopback
 * feeds on a 10-second cron. Prints requests/s, errors, latency percentiles, polling done during
 * the run, the child's CPU and peak RSS, and writes the same to bench/results/load.json (one
 * entry per size, merged with the runs already there).
 *
 *   npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/load.js \
 *     [--readers 200] [--sources 500] [--seconds 20] [--warmup-seconds 3] [--page-fraction 0.1] [--latency-ms 0]
 *     [--items 20] [--cycle-seconds 10] [--change-every 10] [--think-ms 0] [--concurrent-sources N] [--cpu-prof]
 *     [--wait-idle SECONDS] [--out bench/results/load.json | --out -]
 *
 * All traffic stays on 127.0.0.1; every loop is bounded in count and time; the child, the farm
 * and the temp dir are cleaned up on success, failure and Ctrl-C.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { startFeedFarm, type FarmStats, type FeedFarm } from './lib/feed-farm.js';
import { runReaders, type Sample } from './lib/readers.js';
import { round1, summarizeLatency, type LatencySummary } from './lib/latency-stats.js';
import { readProcStats, readSystemCpu } from './lib/proc-stats.js';
import { startService, type LogCounts, type ServiceChild } from './lib/service-child.js';
import { summarizeProfile, type ProfileSummary } from './lib/profile-summary.js';
import type { LoopSnapshot } from './lib/loop-monitor.js';

interface Params {
  readers: number;
  sources: number;
  seconds: number;
  warmupSeconds: number;
  items: number;
  cycleSeconds: number;
  changeEvery: number;
  pageFraction: number;
  latencyMs: number;
  thinkMs: number;
  concurrentSources: number | null;
  cpuProf: boolean;
  waitIdleSeconds: number;
  out: string | null;
}

interface HealthLine {
  id: string;
  items: number;
  errorCount: number;
  lastErrorCode: string | null;
  lastSuccessAt: string | null;
}

const TARGET = { readers: 200, sources: 500, errors: 0, p99Ms: 100 };

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 6; k++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duofeed') return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the duofeed repository root above this script');
}

function parseParams(argv: string[]): Params {
  const { values } = parseArgs({
    args: argv,
    options: {
      readers: { type: 'string', default: '200' },
      sources: { type: 'string', default: '500' },
      seconds: { type: 'string', default: '20' },
      'warmup-seconds': { type: 'string', default: '3' },
      items: { type: 'string', default: '20' },
      'cycle-seconds': { type: 'string', default: '10' },
      'change-every': { type: 'string', default: '10' },
      'page-fraction': { type: 'string', default: '0.1' },
      'latency-ms': { type: 'string', default: '0' },
      'think-ms': { type: 'string', default: '0' },
      'concurrent-sources': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'wait-idle': { type: 'string', default: '0' },
      out: { type: 'string', default: 'bench/results/load.json' },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}], got ${String(v)}`);
    return n;
  };
  const cycle = num('cycle-seconds', values['cycle-seconds'], 1, 59);
  if (60 % cycle !== 0) throw new Error('--cycle-seconds must divide 60 (it becomes a */N seconds cron field)');
  return {
    readers: Math.round(num('readers', values.readers, 1, 5000)),
    sources: Math.round(num('sources', values.sources, 1, 20000)),
    seconds: num('seconds', values.seconds, 1, 600),
    warmupSeconds: num('warmup-seconds', values['warmup-seconds'], 0, 120),
    items: Math.round(num('items', values.items, 1, 200)),
    cycleSeconds: cycle,
    changeEvery: Math.round(num('change-every', values['change-every'], 1, 1000)),
    pageFraction: num('page-fraction', values['page-fraction'], 0, 1),
    latencyMs: num('latency-ms', values['latency-ms'], 0, 5000),
    thinkMs: num('think-ms', values['think-ms'], 0, 60_000),
    concurrentSources: values['concurrent-sources'] === undefined ? null : Math.round(num('concurrent-sources', values['concurrent-sources'], 1, 1000)),
    cpuProf: values['cpu-prof'] === true,
    waitIdleSeconds: num('wait-idle', values['wait-idle'], 0, 3600),
    out: values.out === '-' || values.out === '' ? null : (values.out as string),
  };
}

function writeConfig(file: string, p: Params, farm: FeedFarm): void {
  const pageSources = Math.round(p.sources * p.pageFraction);
  const sources = Array.from({ length: p.sources }, (_, i) => ({
    id: `bench-${String(i).padStart(5, '0')}`,
    url: farm.feedUrl(i),
    name: `Bench feed ${i}`,
    language: i % 4 === 3 ? 'zh-CN' : 'en',
    // Spread the page-fetching sources evenly over the list (exactly pageSources of them) so
    // they are not all polled in one burst.
    extract: { fetchPages: Math.floor((i * pageSources) / p.sources) !== Math.floor(((i - 1) * pageSources) / p.sources) },
  }));
  const http: Record<string, unknown> = { allowPrivateNetworks: true, timeoutMs: 20_000 };
  if (p.concurrentSources !== null) http.maxConcurrentSources = p.concurrentSources;
  const config = {
    schedule: `*/${p.cycleSeconds} * * * * *`,
    http,
    output: { title: 'duofeed load bench', baseUrl: 'http://127.0.0.1' },
    sources,
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
}

// /healthz, timed (ms); null with the reason when it fails or takes longer than 60 s, so one slow
// health report does not throw away a whole run.
async function getHealth(origin: string): Promise<{ sources: HealthLine[] | null; ms: number; error: string | null }> {
  const t0 = Date.now();
  try {
    const res = await request(`${origin}/healthz`, { signal: AbortSignal.timeout(60_000) });
    const body = (await res.body.json()) as { sources: HealthLine[] };
    if (res.statusCode !== 200) throw new Error(`/healthz answered ${res.statusCode}`);
    return { sources: body.sources, ms: Date.now() - t0, error: null };
  } catch (err) {
    return { sources: null, ms: Date.now() - t0, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

function progress(text: string): void {
  process.stderr.write(`[load ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function diffCounts(a: LogCounts, b: LogCounts): LogCounts {
  const out = { ...b };
  for (const k of Object.keys(out) as Array<keyof LogCounts>) out[k] = b[k] - a[k];
  return out;
}

function perFeedDelta(a: FarmStats, b: FarmStats): { min: number; max: number; mean: number } {
  const d = b.perFeed.map((v, i) => v - (a.perFeed[i] ?? 0));
  return { min: Math.min(...d), max: Math.max(...d), mean: round1(d.reduce((x, y) => x + y, 0) / Math.max(1, d.length)) };
}

function latencyBy(samples: Sample[], pred: (s: Sample) => boolean): LatencySummary {
  return summarizeLatency(samples.filter(pred).map((s) => s.ms));
}

const mb = (bytes: number): number => round1(bytes / (1024 * 1024));

// On a shared machine other jobs inflate latency: wait (bounded) for a 2-second window in which
// at least 1.5 cores were idle. Returns the idle core-seconds per second of the last window.
async function waitForIdle(maxSeconds: number): Promise<number | null> {
  const until = Date.now() + maxSeconds * 1000;
  let idle: number | null = null;
  do {
    const a = readSystemCpu();
    await new Promise((r) => setTimeout(r, 2000));
    const b = readSystemCpu();
    if (!a || !b) return null;
    idle = round1((b.idleSeconds - a.idleSeconds) / 2);
    if (idle >= 1.5) return idle;
  } while (Date.now() < until);
  return idle;
}

async function main(): Promise<void> {
  const p = parseParams(process.argv.slice(2));
  const idleBefore = p.waitIdleSeconds > 0 ? await waitForIdle(p.waitIdleSeconds) : null;
  const root = repoRoot();
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'duofeed-load-'));
  const profDir = p.cpuProf ? mkdtempSync(path.join(os.tmpdir(), 'duofeed-load-prof-')) : null;
  let farm: FeedFarm | null = null;
  let child: ServiceChild | null = null;
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    // SIGTERM first so a --cpu-prof child writes its profile; SIGKILL after the grace period.
    if (child) await child.stop(15_000).catch(() => undefined);
    if (farm) await farm.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\n${sig}: cleaning up\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    farm = await startFeedFarm({ feeds: p.sources, itemsPerFeed: p.items, cycleMs: p.cycleSeconds * 1000, changeEvery: p.changeEvery, latencyMs: p.latencyMs });
    const configPath = path.join(tmp, 'feeds.config.json');
    writeConfig(configPath, p, farm);
    const dataDir = path.join(tmp, 'data');
    mkdirSync(dataDir);
    const loopFile = path.join(tmp, 'loop.json');
    const monitor = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'loop-monitor.js');
    child = await startService({
      root,
      configPath,
      dataDir,
      nodeFlags: ['--import', pathToFileURL(monitor).href, ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])],
      startTimeoutMs: 30_000,
      env: { DUOFEED_BENCH_LOOP_FILE: loopFile },
    });
    const origin = `http://127.0.0.1:${child.port}`;
    progress(`service pid ${child.pid} listening on ${origin}; farm ${farm.origin}; waiting for the first poll`);
    const theFarm = farm;
    await waitFor('the first poll cycle to begin (first feed request at the farm)', () => theFarm.stats().firstFeedRequestAtMs !== null, 60_000);

    progress('first poll began; reading /healthz');
    const health0 = await getHealth(origin);
    progress(`/healthz took ${health0.ms} ms; ${p.readers} readers for ${p.warmupSeconds} s warm-up + ${p.seconds} s`);
    // Counters are read when the warm-up ends, so they cover the measured part only.
    let farm0 = farm.stats();
    let logs0 = child.counts();
    let proc0 = readProcStats(child.pid);
    let benchCpu0 = process.cpuUsage();
    let sys0 = readSystemCpu();
    let load0 = os.loadavg()[0] ?? 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    let startedAt = new Date().toISOString();
    const theChild = child;
    const measureStart = (): void => {
      farm0 = theFarm.stats();
      logs0 = theChild.counts();
      proc0 = readProcStats(theChild.pid);
      benchCpu0 = process.cpuUsage();
      sys0 = readSystemCpu();
      load0 = os.loadavg()[0] ?? 0;
      loop.enable();
      startedAt = new Date().toISOString();
      theChild.signal('SIGUSR2');
    };

    const run = await runReaders({
      origin,
      readers: p.readers,
      durationMs: p.seconds * 1000,
      warmupMs: p.warmupSeconds * 1000,
      maxRequestsPerReader: 1_000_000,
      requestTimeoutMs: 10_000,
      thinkMs: p.thinkMs,
      onMeasureStart: measureStart,
    });

    loop.disable();
    const benchCpu = process.cpuUsage(benchCpu0);
    const sys1 = readSystemCpu();
    const load1 = os.loadavg()[0] ?? 0;
    const proc1 = readProcStats(child.pid);
    let serviceLoop: LoopSnapshot | null = null;
    try {
      serviceLoop = JSON.parse(readFileSync(loopFile, 'utf8')) as LoopSnapshot;
    } catch {
      serviceLoop = null;
    }
    // The child rewrites the snapshot every 250 ms from a timer: an old snapshot means its event
    // loop was blocked (or the process starved of CPU) at the end of the run, which the
    // histogram itself cannot show yet.
    const loopSnapshotAgeMs = serviceLoop === null ? null : Date.now() - serviceLoop.at;
    const logs1 = child.counts();
    const farm1 = farm.stats();
    progress(`readers done (${run.samples.length} requests); reading /healthz`);
    const health1 = await getHealth(origin);
    progress(`/healthz took ${health1.ms} ms`);

    const s = run.samples;
    const bad = s.filter((x) => x.status !== 200 && x.status !== 304);
    const errorsByStatus: Record<string, number> = {};
    for (const x of bad) errorsByStatus[String(x.status)] = (errorsByStatus[String(x.status)] ?? 0) + 1;
    const all = summarizeLatency(s.map((x) => x.ms));
    const sum = (h: HealthLine[] | null): number | null => (h === null ? null : h.reduce((a, x) => a + x.items, 0));
    const before = sum(health0.sources);
    const after = sum(health1.sources);
    const failing = (health1.sources ?? []).filter((h) => h.errorCount > 0);
    const failingCodes: Record<string, number> = {};
    for (const h of failing) failingCodes[h.lastErrorCode ?? '?'] = (failingCodes[h.lastErrorCode ?? '?'] ?? 0) + 1;

    const result = {
      label: `${p.readers} readers, ${p.sources} sources`,
      startedAt,
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        totalMemoryMB: mb(os.totalmem()),
        idleCoresBeforeStart: idleBefore,
        loadAverage1mAtStart: round1(load0),
        loadAverage1mAtEnd: round1(load1),
        // CPU taken during the run by processes other than the service child and this bench
        // (other jobs on a shared machine): when large, latency figures are pessimistic.
        otherProcessesCpuSeconds:
          sys0 && sys1 && proc0 && proc1
            ? round1(Math.max(0, sys1.busySeconds - sys0.busySeconds - (proc1.cpuSeconds - proc0.cpuSeconds) - (benchCpu.user + benchCpu.system) / 1e6))
            : null,
        machineIdleSecondsDuringRun: sys0 && sys1 ? round1(sys1.idleSeconds - sys0.idleSeconds) : null,
      },
      params: {
        readers: p.readers,
        sources: p.sources,
        seconds: p.seconds,
        warmupSeconds: p.warmupSeconds,
        itemsPerFeed: p.items,
        schedule: `*/${p.cycleSeconds} * * * * * (farm cycle ${p.cycleSeconds} s)`,
        feedsChangingPerCycle: `1 in ${p.changeEvery}`,
        pageFetchingSources: Math.round(p.sources * p.pageFraction),
        farmLatencyMs: p.latencyMs,
        readerThinkMs: p.thinkMs,
        maxConcurrentSources: p.concurrentSources ?? 'service default',
        cpuProfile: p.cpuProf,
      },
      requests: {
        total: s.length,
        perSecond: round1(s.length / (run.elapsedMs / 1000)),
        ok200: s.filter((x) => x.status === 200).length,
        notModified304: s.filter((x) => x.status === 304).length,
        conditionalSent: s.filter((x) => x.conditional).length,
        conditionalAnswered200: s.filter((x) => x.conditional && x.status === 200).length,
        errors: bad.length,
        errorsByStatus,
        errorMessages: run.errorMessages,
        bodyMB: mb(s.reduce((a, x) => a + x.bytes, 0)),
        distinctFeedVersionsSeen: run.distinctEtags,
      },
      latencyMs: {
        all,
        full200: latencyBy(s, (x) => x.status === 200),
        conditional304: latencyBy(s, (x) => x.status === 304),
        feedXml: latencyBy(s, (x) => x.path === '/feed.xml'),
        feedJson: latencyBy(s, (x) => x.path === '/feed.json'),
        byPathAndEncoding: Object.fromEntries(
          ['/feed.xml', '/feed.json'].flatMap((pth) =>
            ['gzip', 'br', 'identity'].map((enc) => {
              const sel = s.filter((x) => x.path === pth && x.encoding === enc);
              const full = sel.filter((x) => x.status === 200);
              return [`${pth} ${enc}`, { ...summarizeLatency(sel.map((x) => x.ms)), meanFullBodyKB: round1(full.reduce((a, x) => a + x.bytes, 0) / Math.max(1, full.length) / 1024) }];
            }),
          ),
        ),
      },
      polling: {
        sourcePollsLogged: diffCounts(logs0, logs1),
        farmFeedRequests: { ok200: farm1.feed200 - farm0.feed200, notModified304: farm1.feed304 - farm0.feed304 },
        farmPageRequests: farm1.pages - farm0.pages,
        // Complete cycles = polls of the least-polled source; started = of the most-polled one.
        pollCycles: (() => {
          const d = perFeedDelta(farm0, farm1);
          return { complete: d.min, started: d.max, meanPerSource: d.mean };
        })(),
        // From /healthz before the warm-up and after the run.
        itemsStoredDuringWarmupAndRun: before !== null && after !== null ? after - before : null,
        itemsStoredTotal: after,
        healthzMs: { before: health0.ms, after: health1.ms },
        healthzErrors: [health0.error, health1.error].filter((e) => e !== null),
        sourcesNeverSucceeded: health1.sources === null ? null : health1.sources.filter((h) => h.lastSuccessAt === null).length,
        sourcesFailingAtEnd: failing.length,
        failingCodes,
        serviceProblems: child.problems(),
      },
      service: {
        pid: child.pid,
        cpuSecondsDuringRun: proc0 && proc1 ? round1(proc1.cpuSeconds - proc0.cpuSeconds) : null,
        cpuPercentOfOneCore: proc0 && proc1 ? round1(((proc1.cpuSeconds - proc0.cpuSeconds) / (run.elapsedMs / 1000)) * 100) : null,
        cpuSecondsTotal: proc1 ? round1(proc1.cpuSeconds) : null,
        peakRssMB: proc1 ? mb(proc1.peakRssBytes) : null,
        // Event-loop delay of the child during the run (perf_hooks histogram, ms; includes time
        // the process waited for a CPU on a busy machine).
        eventLoopDelayMs: serviceLoop,
        eventLoopSnapshotAgeMs: loopSnapshotAgeMs,
      },
      benchProcess: {
        cpuSeconds: round1((benchCpu.user + benchCpu.system) / 1e6),
        eventLoopDelayP99Ms: round1(loop.percentile(99) / 1e6),
        eventLoopDelayMaxMs: round1(loop.max / 1e6),
      },
      target: {
        ...TARGET,
        applies: p.readers === TARGET.readers && p.sources === TARGET.sources,
        met: bad.length === TARGET.errors && all.p99 < TARGET.p99Ms,
      },
      profile: null as ProfileSummary | null,
      profileFile: null as string | null,
    };

    await cleanup();
    if (profDir) {
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        result.profileFile = path.join(profDir, file);
        result.profile = summarizeProfile(result.profileFile, 25);
      }
    }
    print(result);
    if (p.out !== null) {
      const out = path.resolve(root, p.out);
      mkdirSync(path.dirname(out), { recursive: true });
      let existing: { runs?: Record<string, unknown> } = {};
      try {
        existing = JSON.parse(readFileSync(out, 'utf8')) as typeof existing;
      } catch {
        existing = {};
      }
      const runs = { ...(existing.runs ?? {}), [result.label]: result };
      writeFileSync(
        out,
        `${JSON.stringify({ benchmark: 'bench/load.ts (issue 4 point 8)', target: TARGET, runs }, null, 2)}\n`,
      );
      process.stdout.write(`\nwritten to ${path.relative(root, out)} (runs["${result.label}"])\n`);
    }
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function lat(l: LatencySummary): string {
  return `n=${l.count}  p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  max ${l.max}  (mean ${l.mean})`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function print(r: any): void {
  const w = (line = ''): boolean => process.stdout.write(`${line}\n`);
  w(`duofeed load during polling: ${r.label}, ${r.params.seconds} s measured after ${r.params.warmupSeconds} s warm-up`);
  w(`machine: ${r.machine.cores} cores (${r.machine.cpuModel}), node ${r.machine.node}, ${r.machine.platform}; ` +
    `load avg ${r.machine.loadAverage1mAtStart} → ${r.machine.loadAverage1mAtEnd}, other processes used ${r.machine.otherProcessesCpuSeconds} CPU s and ${r.machine.machineIdleSecondsDuringRun} core-s stayed idle during the run`);
  w(`setup: ${r.params.itemsPerFeed} items/feed, schedule ${r.params.schedule}, feeds changing per cycle ${r.params.feedsChangingPerCycle}, ${r.params.pageFetchingSources} sources fetch pages, farm latency ${r.params.farmLatencyMs} ms, maxConcurrentSources ${r.params.maxConcurrentSources}`);
  w(`requests: ${r.requests.total} in ${r.params.seconds} s = ${r.requests.perSecond} req/s  (200: ${r.requests.ok200}, 304: ${r.requests.notModified304}; conditional sent ${r.requests.conditionalSent}, of which answered 200: ${r.requests.conditionalAnswered200}; ${r.requests.bodyMB} MB of bodies; ${r.requests.distinctFeedVersionsSeen} distinct ETags seen)`);
  w(`errors: ${r.requests.errors} ${JSON.stringify(r.requests.errorsByStatus)}${r.requests.errorMessages.length ? ` ${JSON.stringify(r.requests.errorMessages)}` : ''}`);
  w(`latency ms, all:          ${lat(r.latencyMs.all)}`);
  w(`latency ms, full 200:     ${lat(r.latencyMs.full200)}`);
  w(`latency ms, 304:          ${lat(r.latencyMs.conditional304)}`);
  w(`latency ms, /feed.xml:    ${lat(r.latencyMs.feedXml)}`);
  w(`latency ms, /feed.json:   ${lat(r.latencyMs.feedJson)}`);
  for (const [k, v] of Object.entries(r.latencyMs.byPathAndEncoding) as Array<[string, LatencySummary & { meanFullBodyKB: number }]>) {
    w(`  ${k.padEnd(20)} ${lat(v)}  body ${v.meanFullBodyKB} KB`);
  }
  const pl = r.polling;
  w(`polling during the run: cycles complete ${pl.pollCycles.complete}, started ${pl.pollCycles.started} (mean ${pl.pollCycles.meanPerSource} polls/source); ` +
    `logged polls: ${pl.sourcePollsLogged.polled} stored, ${pl.sourcePollsLogged.notModified} not modified, ${pl.sourcePollsLogged.pollFailed} failed, ${pl.sourcePollsLogged.skipped} skipped; ` +
    `new items ${pl.sourcePollsLogged.newItems}, updated ${pl.sourcePollsLogged.updatedItems}; farm: ${pl.farmFeedRequests.ok200} feed 200 / ${pl.farmFeedRequests.notModified304} feed 304 / ${pl.farmPageRequests} pages`);
  w(`items stored during warm-up + run (healthz): ${pl.itemsStoredDuringWarmupAndRun} (total ${pl.itemsStoredTotal}; /healthz took ${pl.healthzMs.before} ms before, ${pl.healthzMs.after} ms after${pl.healthzErrors.length ? `, failed: ${JSON.stringify(pl.healthzErrors)}` : ''}); sources never succeeded ${pl.sourcesNeverSucceeded}, failing at end ${pl.sourcesFailingAtEnd} ${JSON.stringify(pl.failingCodes)}`);
  if (pl.serviceProblems.length) w(`service warnings/errors: ${JSON.stringify(pl.serviceProblems)}`);
  w(`service child: CPU ${r.service.cpuSecondsDuringRun} s during the run (${r.service.cpuPercentOfOneCore} % of one core), ${r.service.cpuSecondsTotal} s total, peak RSS ${r.service.peakRssMB} MB`);
  const el = r.service.eventLoopDelayMs;
  if (el) w(`service event-loop delay ms: p50 ${el.p50}  p90 ${el.p90}  p99 ${el.p99}  max ${el.max}  (mean ${el.mean}); snapshot ${r.service.eventLoopSnapshotAgeMs} ms old when read${r.service.eventLoopSnapshotAgeMs > 1000 ? ' (STALE: the loop was blocked or starved at the end of the run)' : ''}`);
  w(`bench process: CPU ${r.benchProcess.cpuSeconds} s, own event-loop delay p99 ${r.benchProcess.eventLoopDelayP99Ms} ms (max ${r.benchProcess.eventLoopDelayMaxMs})`);
  const t = r.target;
  w(`target (${t.readers} readers, ${t.sources} sources, ${t.errors} errors, p99 < ${t.p99Ms} ms): ${t.met ? 'MET' : 'MISSED'}${t.applies ? '' : ' (checked at this size; the target is for 200 × 500)'}`);
  if (r.profile) {
    w(`\nCPU profile of the child (${r.profile.totalMs} ms sampled): ${r.profileFile}`);
    w('self time by area:');
    for (const a of r.profile.areas.slice(0, 15)) w(`  ${String(a.ms).padStart(9)} ms  ${a.name}`);
    w('self time by function:');
    for (const f of r.profile.functions.slice(0, 20)) w(`  ${String(f.ms).padStart(9)} ms  ${f.name}`);
    w('inclusive time of duofeed functions:');
    for (const f of r.profile.inclusive.slice(0, 25)) w(`  ${String(f.ms).padStart(9)} ms  ${f.name}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/load failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
