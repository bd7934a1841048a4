import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { register as globalRegistry } from 'prom-client';
import { corpus } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { E2E_PAGE_IDS } from '../helpers/e2e-pages.js';
import { startFakeOpenAI, type FakeTranslatorServer } from '../helpers/fake-translators.js';
import { createApp, startService, type App, type Running } from '../../src/main.js';
import type { PollResult } from '../../src/pipeline/poll-source.js';
import { flagKind } from '../../src/metrics/flag-kind.js';
import { labelKey, parseExposition, series, type Exposition } from './exposition.js';

const CORPUS_FEED = corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml');
const BENCH = corpus('extraction', 'article-extraction-benchmark');
const PAGE_IDS = E2E_PAGE_IDS.slice(0, 3);
// A title whose figure and names the fake engine will drop (see mt.table below).
const FLAGGED_TITLE = `Benchmark article ${PAGE_IDS[0]}: GPT-4o scores 88.7% on MMLU`;
const SECRET = 'SECRETTOKEN42';

/** `<item>` count of an RSS file, read independently of duofeed's parser. */
const countItems = (file: string): number => (readFileSync(file, 'latin1').match(/<item[\s>]/g) ?? []).length;

function pagesFeed(origin: string): string {
  const items = [
    ...PAGE_IDS.map((id, i) => ({ title: i === 0 ? FLAGGED_TITLE : `Benchmark article ${id}`, link: `${origin}/articles/${id}.html`, guid: `bench-${id}` })),
    { title: 'A page that is not there', link: `${origin}/articles/missing.html`, guid: 'missing' },
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Pages</title><link>${origin}/</link><description>d</description>\n${items
    .map((it, i) => `<item><title>${it.title}</title><link>${it.link}</link><guid isPermaLink="false">${it.guid}</guid><pubDate>${new Date(Date.UTC(2024, 0, 1 + i)).toUTCString()}</pubDate><description>Teaser ${it.guid}.</description></item>`)
    .join('\n')}\n</channel></rss>\n`;
}

const benchPage = (id: string): Buffer => gunzipSync(readFileSync(path.join(BENCH, 'html', `${id}.html.gz`)));

/** Code points of every segment the fake engine received (what the engine would bill). */
function charactersSent(mt: FakeTranslatorServer): number {
  let n = 0;
  for (const r of mt.requests) {
    const messages = (r.body?.['messages'] ?? []) as Array<{ role: string; content: string }>;
    const user = JSON.parse(messages.find((m) => m.role === 'user')?.content ?? '[]') as unknown;
    const segments = (Array.isArray(user) ? user : (user as { segments: string[] }).segments) as string[];
    for (const s of segments) n += [...s].length;
  }
  return n;
}

function asObject(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function count(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

describe('metrics: GET /metrics after a real poll, a translation backfill and HTTP requests', function () {
  this.timeout(240_000);
  let publisher: Loopback;
  let mt: FakeTranslatorServer;
  let dir: string;
  let app: App;
  let running: Running;
  let base: string;
  const publisherRequests: Array<{ path: string; status: number }> = [];
  const results: PollResult[][] = [];
  let scrape: Exposition;
  let scrapeText: string;
  let scrapeType: string | null;
  // Per-source and per-keyword feeds are being added on another branch: before they exist these
  // answer 404 (route `other`), after they do 200 (their route template). Either is checked.
  let perSourceStatus = 0;
  let perTagStatus = 0;

  before(async () => {
    publisher = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname;
      const reply = (status: number, type: string | null, body: string | Buffer = '', extra: Record<string, string> = {}): void => {
        publisherRequests.push({ path: p, status });
        res.writeHead(status, { ...(type ? { 'content-type': type } : {}), ...extra });
        res.end(body);
      };
      if (p === '/corpus.xml') {
        if (req.headers['if-none-match'] === '"c1"') return reply(304, null, '', { etag: '"c1"' });
        return reply(200, 'application/rss+xml', readFileSync(CORPUS_FEED), { etag: '"c1"' });
      }
      if (p === '/pages.xml') return reply(200, 'application/rss+xml; charset=utf-8', pagesFeed(publisher.origin));
      if (p === '/broken.xml') return reply(500, 'text/plain', 'internal error');
      // A real web page where a feed should be: not a feed.
      if (p === '/html.xml') return reply(200, 'text/html; charset=utf-8', benchPage(PAGE_IDS[1] as string));
      if (p === '/gone.xml') return reply(410, 'text/plain', 'gone');
      const m = /^\/articles\/([\w-]+)\.html$/.exec(p);
      if (m && PAGE_IDS.includes(m[1] as string)) return reply(200, 'text/html; charset=utf-8', benchPage(m[1] as string));
      return reply(404, 'text/plain', 'not found');
    });
    mt = await startFakeOpenAI(null);
    // Drops the figure and both names of one title, on the first try and on the retry naming them.
    mt.table.set(FLAGGED_TITLE, '[zh] 一篇基准文章');
    dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-metrics-'));
    const config = path.join(dir, 'feeds.config.json');
    const src = (id: string, route: string, fetchPages: boolean): Record<string, unknown> => ({
      id,
      url: `${publisher.origin}${route}`,
      name: `Source ${id}`,
      language: 'en',
      extract: { fetchPages },
    });
    writeFileSync(
      config,
      JSON.stringify({
        http: { allowPrivateNetworks: true, timeoutMs: 20_000 },
        output: { maxItems: 500, languages: ['zh', 'en'] },
        translation: { provider: 'openai', baseUrl: mt.origin, model: 'fake-mt-1', apiKeyEnv: null, requestsPerMinute: 6000, concurrency: 4 },
        sources: [src('corpus', '/corpus.xml', false), src('pages', '/pages.xml', true), src('broken', '/broken.xml', false), src('html', '/html.xml', false), src('gone', '/gone.xml', false)],
      }),
    );
    app = await createApp({ configPath: config, dataDir: path.join(dir, 'data'), port: 0, logLevel: 'silent' });
    running = await startService(app, 0, false);
    base = `http://127.0.0.1:${running.port}`;
    // Two poll cycles: the second sees a 304, known items (no page fetched again), the same two
    // failures, and the 410 source disabled (skipped). Each cycle starts the backfill; waiting
    // for it joins the run in progress.
    for (let i = 0; i < 2; i++) {
      results.push(await app.runner.run(app.config.sources, false));
      await app.backfill.run();
    }
  });

  after(async () => {
    await running?.stop();
    await publisher?.close();
    await mt?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const http = async (p: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(`${base}${p}`, init);
    await res.arrayBuffer();
    return res;
  };

  it('answers reader requests, then /metrics in the Prometheus text format (GET and HEAD)', async () => {
    const feed = await http('/feed.xml');
    assert.equal(feed.status, 200);
    const etag = feed.headers.get('etag');
    assert.ok(etag);
    assert.equal((await http('/feed.xml', { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal((await http('/atom.xml', { method: 'HEAD' })).status, 200);
    assert.equal((await http('/feed.json?lang=en')).status, 200);
    assert.equal((await http(`/feed.xml?lang=${SECRET}`)).status, 400);
    assert.equal((await http(`/no/such/${SECRET}?token=${SECRET}`)).status, 404);
    assert.equal((await http(`/sources/${SECRET}/feed.xml?x=${SECRET}`)).status, 404);
    assert.equal((await http('/feed.xml', { method: 'POST' })).status, 405);
    assert.equal((await http('/healthz')).status, 200);
    perSourceStatus = (await http(`/sources/corpus/feed.xml?lang=en&x=${SECRET}`)).status;
    perTagStatus = (await http(`/tags/${encodeURIComponent('机器学习')}/atom.xml`)).status;
    const head = await http('/metrics', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    scrapeType = res.headers.get('content-type');
    assert.equal(scrapeType, 'text/plain; version=0.0.4; charset=utf-8');
    scrapeText = await res.text();
    scrape = parseExposition(scrapeText);
    assert.equal(scrape.types.get('duofeed_polls_total'), 'counter');
    assert.equal(scrape.types.get('duofeed_fetch_duration_seconds'), 'histogram');
    assert.equal(scrape.types.get('duofeed_stored_items'), 'gauge');
    assert.ok(scrape.samples.some((s) => s.name === 'process_cpu_user_seconds_total'), 'default process metrics');
  });

  it('counts polls by source and outcome exactly', () => {
    const expected = new Map<string, number>();
    for (const cycle of results) for (const r of cycle) count(expected, labelKey({ source: r.sourceId, outcome: r.status.replace('-', '_') }));
    // The scenario, spelled out: what each source must have done.
    assert.deepEqual(asObject(expected), {
      'outcome=failed,source=broken': 2,
      'outcome=failed,source=gone': 1,
      'outcome=failed,source=html': 2,
      'outcome=not_modified,source=corpus': 1,
      'outcome=ok,source=corpus': 1,
      'outcome=ok,source=pages': 2,
      'outcome=skipped,source=gone': 1,
    });
    assert.deepEqual(asObject(series(scrape, 'duofeed_polls_total')), asObject(expected));
  });

  it('counts items stored: every item of the corpus feed and of the pages feed, once', async () => {
    const corpusItems = countItems(CORPUS_FEED);
    assert.ok(corpusItems > 0);
    const stored = series(scrape, 'duofeed_items_stored_total');
    assert.deepEqual(asObject(stored), {
      [labelKey({ change: 'new', source: 'corpus' })]: corpusItems,
      [labelKey({ change: 'new', source: 'pages' })]: PAGE_IDS.length + 1,
    });
    const total = await app.store.countArticles();
    assert.equal(total, corpusItems + PAGE_IDS.length + 1);
    assert.equal(series(scrape, 'duofeed_stored_items').get(''), total);
  });

  it('counts every recorded error by code and stage: feed failures, page failures, extraction reasons, HTTP errors', async () => {
    const expected = new Map<string, number>();
    for (const cycle of results) {
      for (const r of cycle) {
        if (r.status !== 'failed') continue;
        assert.ok(r.errorCode);
        count(expected, labelKey({ code: r.errorCode, stage: r.errorCode.startsWith('PARSE_') ? 'parse' : 'fetch' }));
      }
    }
    assert.deepEqual(
      results.flat().filter((r) => r.status === 'failed').map((r) => `${r.sourceId}:${r.errorCode}`).sort(),
      ['broken:FETCH_HTTP_STATUS', 'broken:FETCH_HTTP_STATUS', 'gone:FETCH_GONE', 'html:PARSE_NOT_A_FEED', 'html:PARSE_NOT_A_FEED'],
    );
    // Per item: a page that could not be fetched (fetch stage) or gave no article (extract stage).
    const articles = await app.store.listArticles({ limit: 1000 });
    for (const a of articles) {
      if (a.extractionStatus !== 'failed' || a.extractionReason === null) continue;
      count(expected, labelKey({ code: a.extractionReason, stage: a.extractionReason.startsWith('FETCH_') ? 'fetch' : 'extract' }));
    }
    assert.ok(articles.some((a) => a.guid === 'missing' && a.extractionReason === 'FETCH_HTTP_STATUS'));
    // The answers of the HTTP requests above.
    count(expected, labelKey({ code: 'SERVER_BAD_REQUEST', stage: 'server' }));
    count(expected, labelKey({ code: 'SERVER_NOT_FOUND', stage: 'server' }), 2 + [perSourceStatus, perTagStatus].filter((st) => st === 404).length);
    count(expected, labelKey({ code: 'SERVER_METHOD_NOT_ALLOWED', stage: 'server' }));
    assert.equal(app.backfill.progress().failed, 0, 'no translation failed');
    assert.deepEqual(asObject(series(scrape, 'duofeed_errors_total')), asObject(expected));
  });

  it('fetch and extraction histograms count every fetch the publisher saw and every extraction', () => {
    const feedPaths = new Set(app.config.sources.map((s) => new URL(s.url).pathname));
    const feedFetches = publisherRequests.filter((r) => feedPaths.has(r.path)).length;
    const pageFetches = publisherRequests.filter((r) => r.path.startsWith('/articles/'));
    const nonSkipped = results.flat().filter((r) => r.status !== 'skipped').length;
    assert.equal(feedFetches, nonSkipped);
    assert.equal(pageFetches.length, PAGE_IDS.length + 1, 'each page once: the re-poll fetched none');
    const fetchCount = series(scrape, 'duofeed_fetch_duration_seconds_count');
    assert.equal(fetchCount.get('kind=feed'), feedFetches);
    assert.equal(fetchCount.get('kind=page'), pageFetches.length);
    // Extraction runs on every page that was fetched (answered 200).
    const extracted = pageFetches.filter((r) => r.status === 200).length;
    assert.equal(series(scrape, 'duofeed_extraction_duration_seconds_count').get(''), extracted);
    // Buckets are cumulative and end in +Inf = count.
    for (const [name, key, n] of [
      ['duofeed_fetch_duration_seconds', 'kind=feed', feedFetches],
      ['duofeed_extraction_duration_seconds', '', extracted],
    ] as const) {
      const buckets = scrape.samples.filter((s) => s.name === `${name}_bucket` && labelKey(s.labels, ['le']) === key);
      assert.ok(buckets.length > 2);
      for (let i = 1; i < buckets.length; i++) assert.ok((buckets[i] as { value: number }).value >= (buckets[i - 1] as { value: number }).value);
      const inf = buckets.find((b) => b.labels['le'] === '+Inf');
      assert.equal(inf?.value, n);
      assert.ok((series(scrape, `${name}_sum`).get(key) ?? -1) >= 0);
    }
  });

  it('counts translation characters as the engine received them, translations by outcome, and fidelity flags by kind', async () => {
    assert.ok(mt.requests.length > 0, 'the fake engine was called');
    const chars = series(scrape, 'duofeed_translation_characters_total');
    assert.deepEqual([...chars.keys()], ['provider=openai,target=zh']);
    assert.equal(chars.get('provider=openai,target=zh'), charactersSent(mt));

    const articles = await app.store.listArticles({ limit: 1000 });
    const outcomes = new Map<string, number>();
    const flags = new Map<string, number>();
    for (const a of articles) {
      for (const [to, t] of Object.entries(a.translations)) {
        count(outcomes, labelKey({ provider: t.provider, status: t.status, target: to }));
        for (const token of t.missing) count(flags, `flag=${flagKind(token)}`);
      }
    }
    assert.equal(outcomes.get('provider=openai,status=ok,target=zh'), articles.length - [...outcomes.entries()].filter(([k]) => k.includes('flagged')).reduce((n, [, v]) => n + v, 0));
    assert.deepEqual(asObject(series(scrape, 'duofeed_translations_total')), asObject(outcomes));
    assert.deepEqual(asObject(series(scrape, 'duofeed_translation_flags_total')), asObject(flags));
    // The one title the engine mangled: its figure and its two names are flagged.
    const mangled = articles.find((a) => a.title === FLAGGED_TITLE);
    assert.equal(mangled?.translations['zh']?.status, 'flagged');
    for (const token of ['88.7%', 'GPT-4o', 'MMLU']) assert.ok(mangled!.translations['zh']!.missing.includes(token), token);
    assert.ok((flags.get('flag=number') ?? 0) >= 1);
    assert.ok((flags.get('flag=name') ?? 0) >= 2);
  });

  it('counts HTTP requests by route template, method and status; no raw path or query string becomes a label', () => {
    const requests = series(scrape, 'duofeed_http_requests_total');
    const k = (route: string, method: string, status: number): string => labelKey({ method, route, status: String(status) });
    const expected = new Map<string, number>([
      [k('/feed.xml', 'GET', 200), 1],
      [k('/feed.xml', 'GET', 304), 1],
      [k('/atom.xml', 'HEAD', 200), 1],
      [k('/feed.json', 'GET', 200), 1],
      [k('/feed.xml', 'GET', 400), 1],
      [k('other', 'GET', 404), 2],
      [k('/feed.xml', 'POST', 405), 1],
      [k('/healthz', 'GET', 200), 1],
      // The scrape counts the HEAD before it, not itself (it is counted once answered).
      [k('/metrics', 'HEAD', 200), 1],
    ]);
    count(expected, k(perSourceStatus === 404 ? 'other' : '/sources/:id/feed.xml', 'GET', perSourceStatus));
    count(expected, k(perTagStatus === 404 ? 'other' : '/tags/:keyword/atom.xml', 'GET', perTagStatus));
    assert.deepEqual(asObject(requests), asObject(expected));
    const durations = series(scrape, 'duofeed_http_request_duration_seconds_count');
    assert.equal(durations.get(labelKey({ method: 'GET', route: '/feed.xml' })), 3);
    assert.ok((durations.get(labelKey({ method: 'GET', route: 'other' })) ?? 0) >= 2);
    assert.ok(!scrapeText.includes('机器学习') && !scrapeText.includes('%E6'), 'a keyword leaked into the metrics');
    assert.ok(!scrapeText.includes(SECRET), 'a path segment or query value leaked into the metrics');
    for (const s of scrape.samples) for (const v of Object.values(s.labels)) assert.ok(!v.includes('?'), `${s.name} label ${v}`);
  });

  it('matches prom-client\'s own view of the registry, and nothing went to the global default registry', async () => {
    const json = await app.metrics.registry.getMetricsAsJSON();
    let compared = 0;
    for (const m of json) {
      if (!m.name.startsWith('duofeed_') || m.name.startsWith('duofeed_http_') || String(m.type) !== 'counter') continue;
      for (const v of m.values) {
        const labels = Object.fromEntries(Object.entries(v.labels).map(([a, b]) => [a, String(b)]));
        assert.equal(series(scrape, m.name).get(labelKey(labels)), v.value, `${m.name}{${labelKey(labels)}}`);
        compared++;
      }
    }
    assert.ok(compared >= 10, `compared ${compared} series`);
    assert.equal((await globalRegistry.getMetricsAsJSON()).filter((m) => m.name.startsWith('duofeed_')).length, 0);
  });
});
