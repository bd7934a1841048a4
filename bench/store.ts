/**
 * bench/store — building /feed.xml over a large store (issue 6 point 7): 100k stored items
 * (real corpus items, each with an accepted zh translation and keywords in both languages,
 * inserted through `openSqliteStore().savePoll` in batches per source), then the whole path of an
 * uncached request, repeated: `handler.invalidate()` then `GET /feed.xml` over loopback HTTP to
 * the real request handler (createRequestHandler + startServer): store.listArticles({limit: 50}),
 * layout of both languages, RSS rendering, ETag, response. Reports p50/p99 of the request time,
 * and the parts (listArticles; prepare + render) timed in-process, beside the same build on a
 * small store (1,000 items) to show what the store size costs.
 *
 *   npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/store.js \
 *     [--items 100000] [--sources 500] [--builds 200] [--max-body-chars 3000] [--wait-idle 0]
 *     [--out bench/results/store.json | --out -]
 *
 * Goal: p50 ≤ 20 ms for the uncached /feed.xml at 100k items (p99 printed beside it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { buildConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/logger.js';
import { buildSourceInfos } from '../src/publish/source-info.js';
import { buildFormat, prepareFeed } from '../src/publish/build-feeds.js';
import { createRequestHandler } from '../src/server/handler.js';
import { startServer } from '../src/server/start-server.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import type { AppConfig, Clock } from '../src/types.js';
import { bilingualInput, corpusTemplates, okState, type TemplateItem } from './lib/bilingual-items.js';
import {
  finishMachine,
  limitRow,
  machineInfo,
  median,
  percentile,
  printTable,
  progress,
  repoRoot,
  round2,
  sharedDir,
  waitForIdle,
  writeResult,
} from './lib/bench-report.js';

const NAME = 'store';
const GOAL_MS = 20;
const BATCH = 50;
const BASE_MS = Date.parse('2025-01-01T00:00:00Z');

interface BuildTimes {
  requestMs: number[];
  listMs: number[];
  renderMs: number[];
  bodyBytes: number;
}

function configFor(sources: number): AppConfig {
  return buildConfig(
    {
      output: { title: 'duofeed store bench', baseUrl: 'http://127.0.0.1' },
      sources: Array.from({ length: sources }, (_, i) => ({
        id: `s${String(i).padStart(4, '0')}`,
        url: `https://news.example/s${i}/feed.xml`,
        name: `Source ${i}`,
        language: 'en',
      })),
    },
    'bench/store',
  );
}

/** Fills a fresh store under `dir` with `items` items over `sources` sources; returns seconds taken. */
async function fill(dir: string, items: number, sources: number, templates: TemplateItem[], maxBody: number, clock: Clock): Promise<number> {
  const store = openSqliteStore({ dataDir: dir, clock });
  const t0 = performance.now();
  const perSource = Math.ceil(items / sources);
  let n = 0;
  let lastReport = performance.now();
  for (let s = 0; s < sources && n < items; s++) {
    const id = `s${String(s).padStart(4, '0')}`;
    for (let b = 0; b < perSource && n < items; b += BATCH) {
      const batch = [];
      for (let k = b; k < Math.min(perSource, b + BATCH) && n < items; k++) {
        // Interleave sources in time: item k of source s is the (k * sources + s)-th newest slot.
        batch.push(bilingualInput(id, templates[n % templates.length]!, k * sources + s, BASE_MS, maxBody));
        n++;
      }
      await store.savePoll(id, batch, okState(id, `https://news.example/s${s}/feed.xml`, clock.now().toISOString()));
    }
    if (performance.now() - lastReport > 10_000) {
      progress(NAME, `${n} / ${items} items stored`);
      lastReport = performance.now();
    }
  }
  await store.close();
  return (performance.now() - t0) / 1000;
}

/** Uncached /feed.xml builds against the store in `dir`: over HTTP, and its parts in-process. */
async function measure(dir: string, sources: number, builds: number, clock: Clock): Promise<BuildTimes> {
  const config = configFor(sources);
  const store = openSqliteStore({ dataDir: dir, clock });
  const handler = createRequestHandler({
    store,
    config,
    sources: buildSourceInfos(config.sources, await store.listSourceStates()),
    logger: silentLogger(),
    clock,
  });
  const server = await startServer(handler, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}/feed.xml`;
  const times: BuildTimes = { requestMs: [], listMs: [], renderMs: [], bodyBytes: 0 };
  try {
    const once = async (): Promise<void> => {
      handler.invalidate();
      const t0 = performance.now();
      const res = await request(url);
      const body = await res.body.arrayBuffer();
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`/feed.xml answered ${res.statusCode}`);
      times.requestMs.push(ms);
      times.bodyBytes = body.byteLength;
    };
    for (let i = 0; i < 10; i++) await once();
    times.requestMs = [];
    for (let i = 0; i < builds; i++) await once();
    // The same work without HTTP, split in two, to tell the store read from the rendering.
    const sourceInfos = buildSourceInfos(config.sources, await store.listSourceStates());
    for (let i = 0; i < builds; i++) {
      const t0 = performance.now();
      const articles = await store.listArticles({ limit: config.output.maxItems });
      const t1 = performance.now();
      const prepared = prepareFeed({ articles, sources: sourceInfos, output: config.output, selfBaseUrl: 'http://127.0.0.1', translation: config.translation });
      buildFormat(prepared, 'rss');
      const t2 = performance.now();
      times.listMs.push(t1 - t0);
      times.renderMs.push(t2 - t1);
    }
  } finally {
    await server.close();
    await store.close();
  }
  return times;
}

const summary = (xs: number[]): { p50: number; p90: number; p99: number; max: number } => ({
  p50: round2(percentile(xs, 50)),
  p90: round2(percentile(xs, 90)),
  p99: round2(percentile(xs, 99)),
  max: round2(Math.max(...xs)),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: '100000' },
      sources: { type: 'string', default: '500' },
      builds: { type: 'string', default: '200' },
      'small-items': { type: 'string', default: '1000' },
      'max-body-chars': { type: 'string', default: '3000' },
      'wait-idle': { type: 'string', default: '0' },
      out: { type: 'string', default: `bench/results/${NAME}.json` },
    },
    strict: true,
  });
  const items = Math.max(50, Number(values.items));
  const sources = Math.max(1, Number(values.sources));
  const builds = Math.max(5, Number(values.builds));
  const smallItems = Math.max(50, Number(values['small-items']));
  const maxBody = Number(values['max-body-chars']);
  const root = repoRoot();
  const clock: Clock = { now: () => new Date('2025-06-01T00:00:00Z') };
  const templates = await corpusTemplates(path.join(sharedDir(root), 'corpus', 'feeds'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'duofeed-store-bench-'));
  try {
    progress(NAME, `${templates.length} corpus items as templates; storing ${items} items over ${sources} sources`);
    const bigDir = path.join(tmp, 'big');
    const smallDir = path.join(tmp, 'small');
    const fillSeconds = await fill(bigDir, items, sources, templates, maxBody, clock);
    progress(NAME, `stored ${items} items in ${fillSeconds.toFixed(1)} s; ${smallItems} items for the small store`);
    await fill(smallDir, smallItems, Math.min(sources, Math.ceil(smallItems / 20)), templates, maxBody, clock);
    const idle = await waitForIdle(Number(values['wait-idle']));
    let machine = machineInfo(idle);
    progress(NAME, `${builds} uncached builds on each store`);
    const big = await measure(bigDir, sources, builds, clock);
    const small = await measure(smallDir, Math.min(sources, Math.ceil(smallItems / 20)), builds, clock);
    machine = finishMachine(machine);
    const b = { request: summary(big.requestMs), list: summary(big.listMs), render: summary(big.renderMs) };
    const s = { request: summary(small.requestMs), list: summary(small.listMs), render: summary(small.renderMs) };
    const label = `same at ${smallItems} items`;
    const rows = [
      limitRow(`uncached GET /feed.xml at ${items} items, p50`, 'ms', b.request.p50, GOAL_MS, s.request.p50, label),
      limitRow(`uncached GET /feed.xml at ${items} items, p99`, 'ms', b.request.p99, null, s.request.p99, label),
      limitRow('  of which store.listArticles(50), p50', 'ms', b.list.p50, null, s.list.p50, label),
      limitRow('  of which layout + RSS render + ETag, p50', 'ms', b.render.p50, null, s.render.p50, label),
      limitRow(`storing ${items} items (savePoll, ${BATCH} per call)`, 's', fillSeconds, null),
    ];
    printTable(`duofeed /feed.xml build over a large store: ${builds} uncached builds, 50 bilingual items (${Math.round(big.bodyBytes / 1024)} KB body)`, machine, rows);
    writeResult(root, values.out === '-' ? null : (values.out as string), {
      benchmark: 'bench/store.ts (issue 6 point 7)',
      startedAt: new Date().toISOString(),
      machine,
      params: { items, sources, builds, smallItems, maxBodyChars: maxBody, batchPerSavePoll: BATCH },
      rows,
      details: {
        big: { ...b, medianRequestMs: round2(median(big.requestMs)), bodyBytes: big.bodyBytes },
        small: { ...s, medianRequestMs: round2(median(small.requestMs)), bodyBytes: small.bodyBytes },
        fillSeconds: round2(fillSeconds),
        path: 'handler.invalidate(); GET /feed.xml (no Accept-Encoding) over loopback to createRequestHandler; parts timed in-process',
      },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/${NAME} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
