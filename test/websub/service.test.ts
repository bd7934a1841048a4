import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import * as cheerio from 'cheerio';
import { createApp, startService, type App, type Running } from '../../src/main.js';
import type { PollResult } from '../../src/pipeline/poll-source.js';
import { corpus } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { changedTopicUrls } from '../../src/websub/topic-urls.js';
import { refusingUrl, startRecordingHub, type RecordingHub } from './recording-hub.js';

const BASE = 'https://news.example.com';
const LANGS = ['zh', 'en'];
/** Feed paths and language views of the public contract (README "Endpoints", issue 5). */
const FORMAT_PATHS = ['/feed.xml', '/atom.xml', '/feed.json'];
const views = (prefix: string) => ['', ...LANGS.map((l) => `?lang=${l}`)].flatMap((q) => FORMAT_PATHS.map((p) => `${BASE}${prefix}${p}${q}`));

const RSS_FILE = corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml');
const ATOM_FILE = corpus('feeds', 'ai-tech', 'theverge-frontpage-2017.atom');

/** Real corpus feeds on loopback, no validators (so a re-poll really compares every item). */
class FeedServer {
  loop!: Loopback;
  /** When set, the Atom feed's first entry title is replaced by this. */
  atomTitle: string | null = null;
  private readonly rss = readFileSync(RSS_FILE);
  private readonly atom = readFileSync(ATOM_FILE, 'utf8');
  firstAtomTitle = /<entry>[\s\S]*?<title[^>]*>([^<]+)<\/title>/.exec(this.atom)![1]!;

  async start(): Promise<void> {
    this.loop = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/google-ai.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.end(this.rss);
      } else if (req.url === '/verge.atom') {
        const body = this.atomTitle === null ? this.atom : this.atom.replace(`>${this.firstAtomTitle}<`, `>${this.atomTitle}<`);
        res.writeHead(200, { 'content-type': 'application/atom+xml' });
        res.end(body);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  }
}

interface Service {
  app: App;
  running: Running;
  dir: string;
  logs: Array<Record<string, unknown>>;
  /** Resolves once a log line matching `pred` was written. */
  logged(pred: (l: Record<string, unknown>) => boolean): Promise<void>;
  stop(): Promise<void>;
}

async function startDuofeed(feeds: FeedServer, output: Record<string, unknown>, translation?: Record<string, unknown>): Promise<Service> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-websub-'));
  const configPath = path.join(dir, 'feeds.config.json');
  const source = (id: string, route: string) => ({
    id,
    url: `${feeds.loop.origin}${route}`,
    name: `Source ${id}`,
    language: 'en',
    allowPrivateNetworks: true,
    extract: { fetchPages: false },
  });
  writeFileSync(configPath, JSON.stringify({ output: { languages: LANGS, ...output }, ...(translation ? { translation } : {}), sources: [source('google-ai', '/google-ai.xml'), source('verge', '/verge.atom')] }));
  const logs: Array<Record<string, unknown>> = [];
  let waiters: Array<{ pred: (l: Record<string, unknown>) => boolean; resolve: () => void }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const l = JSON.parse(line) as Record<string, unknown>;
        logs.push(l);
        for (const w of waiters.filter((x) => x.pred(l))) w.resolve();
        waiters = waiters.filter((x) => !x.pred(l));
      }
      cb();
    },
  });
  const app = await createApp({ configPath, dataDir: path.join(dir, 'data'), port: 0, logLevel: 'warn', logDestination: sink });
  const running = await startService(app, 0, false);
  return {
    app,
    running,
    dir,
    logs,
    logged: (pred) => (logs.some(pred) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pred, resolve }))),
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls every source once, then waits for the background work the poll set off (backfill, hub). */
async function pollAndSettle(s: Service): Promise<PollResult[]> {
  const results = await s.app.runner.run(s.app.config.sources, false);
  await s.app.backfill.drain();
  await s.running.websub?.idle();
  return results;
}

/** The parts of a poll result that do not depend on the wall clock. */
const outcome = (results: PollResult[]) => results.map((r) => ({ sourceId: r.sourceId, status: r.status, counts: r.counts, items: r.items, errorCode: r.errorCode }));

async function get(s: Service, pathAndQuery: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${s.running.port}${pathAndQuery}`);
  assert.equal(res.status, 200, pathAndQuery);
  return res.text();
}

/** rel=hub and rel=self hrefs of a served RSS, Atom or JSON feed (`feedPath` ends in the format's file name). */
async function advertised(s: Service, feedPath: string, query: string): Promise<{ hubs: string[]; self: string[] }> {
  const body = await get(s, `${feedPath}${query}`);
  if (feedPath.endsWith('/feed.json')) {
    const json = JSON.parse(body) as { feed_url?: string; hubs?: Array<{ type: string; url: string }> };
    for (const h of json.hubs ?? []) assert.equal(h.type, 'WebSub');
    return { hubs: (json.hubs ?? []).map((h) => h.url), self: json.feed_url ? [json.feed_url] : [] };
  }
  const $ = cheerio.load(body, { xml: true });
  const channel = feedPath.endsWith('/feed.xml') ? 'rss > channel > atom\\:link' : 'feed > link';
  const hrefs = (rel: string) => $(channel).filter((_, el) => $(el).attr('rel') === rel).map((_, el) => $(el).attr('href')).get();
  return { hubs: hrefs('hub'), self: hrefs('self') };
}

describe('websub: the running service notifies a loopback hub after polls (real corpus feeds)', function () {
  this.timeout(180_000);
  const feeds = new FeedServer();
  let hub: RecordingHub;
  let svc: Service;

  before(async () => {
    await feeds.start();
    hub = await startRecordingHub();
    svc = await startDuofeed(feeds, { baseUrl: `${BASE}/`, websubHub: hub.url });
  });
  after(async () => {
    await svc?.stop();
    await hub?.close();
    await feeds.loop?.close();
  });

  it('a poll that adds items: hub.mode=publish once for each merged, language and per-source feed URL', async () => {
    const results = await pollAndSettle(svc);
    for (const r of results) {
      assert.equal(r.status, 'ok', `${r.sourceId}: ${r.message}`);
      assert.ok(r.counts.new > 0, r.sourceId);
    }
    const expected = [...views(''), ...views('/sources/google-ai'), ...views('/sources/verge')];
    assert.ok(hub.requests.every((r) => r.method === 'POST' && r.mode === 'publish' && r.urls.length === 1));
    assert.match(hub.requests[0]!.contentType ?? '', /^application\/x-www-form-urlencoded/);
    assert.equal(hub.requests[0]!.userAgent, svc.app.config.http.userAgent);
    const sent = hub.requests.map((r) => r.urls[0]!);
    assert.deepEqual([...sent].sort(), [...expected].sort());
    assert.equal(new Set(sent).size, sent.length, 'each URL once');
    assert.deepEqual(svc.logs.filter((l) => l['code'] === 'WEBSUB_NOTIFY_FAILED'), []);
  });

  it('a second poll with nothing changed sends nothing', async () => {
    const before = hub.requests.length;
    const results = await pollAndSettle(svc);
    for (const r of results) {
      assert.equal(r.status, 'ok', `${r.sourceId}: ${r.message}`);
      assert.equal(r.counts.new + r.counts.updated, 0, r.sourceId);
      assert.ok(r.counts.unchanged > 0);
    }
    assert.equal(hub.requests.length, before);
  });

  it('a poll that changes one source\'s item notifies the merged feeds and that source\'s feeds only', async () => {
    const before = hub.requests.length;
    feeds.atomTitle = `${feeds.firstAtomTitle} (updated)`;
    try {
      const results = await pollAndSettle(svc);
      const verge = results.find((r) => r.sourceId === 'verge')!;
      assert.equal(verge.counts.updated, 1);
      assert.equal(results.find((r) => r.sourceId === 'google-ai')!.counts.updated, 0);
    } finally {
      feeds.atomTitle = null;
    }
    const sent = hub.requests.slice(before).map((r) => r.urls[0]!);
    assert.deepEqual([...sent].sort(), [...views(''), ...views('/sources/verge')].sort());
  });

  it('served feeds advertise rel=hub (the configured hub) and rel=self (the notified topic URL) in RSS, Atom and JSON', async () => {
    const notified = new Set(hub.requests.map((r) => r.urls[0]));
    for (const query of ['', '?lang=zh', '?lang=en']) {
      for (const format of FORMAT_PATHS) {
        const { hubs, self } = await advertised(svc, format, query);
        assert.deepEqual(hubs, [hub.url], `${format}${query}`);
        assert.deepEqual(self, [`${BASE}${format}${query}`], `${format}${query}`);
        assert.ok(notified.has(self[0]), `${self[0]} was a notified topic`);
      }
    }
  });
});

describe('websub: rel=hub only on feeds that are notified (W3C WebSub §4)', function () {
  this.timeout(180_000);
  const feeds = new FeedServer();
  let hub: RecordingHub;
  let svc: Service;
  before(async () => {
    await feeds.start();
    hub = await startRecordingHub();
    svc = await startDuofeed(feeds, { baseUrl: BASE, websubHub: hub.url });
    await pollAndSettle(svc);
  });
  after(async () => {
    await svc?.stop();
    await hub?.close();
    await feeds.loop?.close();
  });

  it('merged and per-source feeds and their ?lang= views carry the hub; filtered, tag and paged views do not', async () => {
    const topics = new Set(changedTopicUrls({ baseUrl: BASE, languages: LANGS }, ['google-ai', 'verge']));
    const json = JSON.parse(await get(svc, '/feed.json')) as { items: Array<{ _duofeed: { keywords: Record<string, string[]> } }> };
    const keyword = json.items.flatMap((i) => i._duofeed.keywords['en'] ?? [])[0];
    assert.ok(keyword, 'the served feed has a keyword to filter by');
    const kw = encodeURIComponent(keyword);
    const announced: Array<[string, string]> = [];
    for (const prefix of ['', '/sources/verge', '/sources/google-ai']) {
      // An ignored parameter (tracking) does not change the feed or its self link.
      for (const query of ['', '?lang=zh', '?lang=en', '?utm_source=reader']) announced.push([prefix, query]);
    }
    const silent: Array<[string, string]> = [
      ['', '?source=verge'],
      ['', `?source=verge&keyword=${kw}`],
      ['', `?keyword=${kw}`],
      ['', '?q=chips'],
      ['', '?lang=en&q=chips'],
      ['', '?limit=2'],
      ['', '?before=2030-01-01T00:00:00Z'],
      ['', '?lang=zh&before=2030-01-01T00:00:00Z'],
      [`/tags/${kw}`, ''],
      [`/tags/${kw}`, '?lang=en'],
      ['/sources/verge', '?limit=1'],
      ['/sources/verge', '?source=verge'],
      ['/sources/verge', '?lang=zh&q=chips'],
    ];
    for (const [prefix, query] of [...announced, ...silent]) {
      const expectHub = announced.some(([p, q]) => p === prefix && q === query);
      for (const file of FORMAT_PATHS) {
        const where = `${prefix}${file}${query}`;
        const { hubs, self } = await advertised(svc, `${prefix}${file}`, query);
        assert.equal(self.length, 1, where);
        assert.deepEqual(hubs, expectHub ? [hub.url] : [], `${where}: rel=hub ${expectHub ? 'expected' : 'not expected'}`);
        // Whatever carries the hub is a topic the hub is notified about, and only those.
        assert.equal(topics.has(self[0]!), expectHub, `${where}: self ${self[0]} ${expectHub ? 'is' : 'is not'} a notified topic`);
      }
    }
    const filtered = JSON.parse(await get(svc, '/feed.json?q=chips')) as Record<string, unknown>;
    assert.equal('hubs' in filtered, false, 'JSON Feed without a hub has no hubs member');
  });
});

describe('websub: without output.websubHub', function () {
  this.timeout(120_000);
  const feeds = new FeedServer();
  let svc: Service;
  before(async () => {
    await feeds.start();
    svc = await startDuofeed(feeds, { baseUrl: BASE });
  });
  after(async () => {
    await svc?.stop();
    await feeds.loop?.close();
  });

  it('no notifier, and feeds carry rel=self but no rel=hub (RSS, Atom, JSON)', async () => {
    assert.equal(svc.running.websub, null);
    assert.equal(svc.app.config.output.websubHub, null);
    const results = await pollAndSettle(svc);
    assert.ok(results.every((r) => r.status === 'ok' && r.counts.new > 0));
    for (const query of ['', '?lang=en']) {
      for (const format of FORMAT_PATHS) {
        const { hubs, self } = await advertised(svc, format, query);
        assert.deepEqual(hubs, [], `${format}${query}`);
        assert.deepEqual(self, [`${BASE}${format}${query}`]);
      }
    }
    const json = JSON.parse(await get(svc, '/feed.json')) as Record<string, unknown>;
    assert.equal('hubs' in json, false);
  });
});

describe('websub: a failing hub never changes or blocks polling', function () {
  this.timeout(180_000);
  const feeds = new FeedServer();
  let reference: ReturnType<typeof outcome>;
  before(async () => {
    await feeds.start();
    // The same first poll with no hub configured: what every run below must also give.
    const plain = await startDuofeed(feeds, { baseUrl: BASE });
    try {
      reference = outcome(await pollAndSettle(plain));
    } finally {
      await plain.stop();
    }
    assert.ok(reference.every((r) => r.status === 'ok' && r.counts.new > 0));
  });
  after(async () => {
    await feeds.loop?.close();
  });

  it('a hub refusing the notification (400): same poll results, failure logged with WEBSUB_NOTIFY_FAILED', async () => {
    const hub = await startRecordingHub(() => ({ status: 400 }));
    const svc = await startDuofeed(feeds, { baseUrl: BASE, websubHub: hub.url });
    try {
      assert.deepEqual(outcome(await pollAndSettle(svc)), reference);
      const failed = svc.logs.filter((l) => l['code'] === 'WEBSUB_NOTIFY_FAILED');
      assert.equal(failed.length, hub.requests.length);
      assert.equal(failed.length, 27);
      assert.ok(failed.every((l) => /HTTP 400/.test(String(l['msg']))));
    } finally {
      await svc.stop();
      await hub.close();
    }
  });

  it('a hub that is down (connection refused): polling completes with the same results and stop() does not wait for the retries', async () => {
    const svc = await startDuofeed(feeds, { baseUrl: BASE, websubHub: await refusingUrl() });
    try {
      const results = await svc.app.runner.run(svc.app.config.sources, false);
      assert.deepEqual(outcome(results), reference);
      await svc.logged((l) => l['msg'] === 'WebSub publish notification failed; retrying');
    } finally {
      await svc.stop();
    }
    // Had stop() waited for the deliveries to run out of attempts, their failures would be logged.
    assert.deepEqual(svc.logs.filter((l) => l['code'] === 'WEBSUB_NOTIFY_FAILED'), []);
  });

  it('a hub that never answers blocks neither the poll nor shutdown', async () => {
    const hub = await startRecordingHub(() => 'hang');
    const svc = await startDuofeed(feeds, { baseUrl: BASE, websubHub: hub.url });
    try {
      const results = await svc.app.runner.run(svc.app.config.sources, false);
      assert.deepEqual(outcome(results), reference);
      await hub.received(1);
      assert.deepEqual(svc.logs.filter((l) => l['code'] === 'WEBSUB_NOTIFY_FAILED'), []);
    } finally {
      await svc.stop();
      await hub.close();
    }
  });
});

describe('websub: a translation backfill that changes items notifies again', function () {
  this.timeout(180_000);
  const feeds = new FeedServer();
  let hub: RecordingHub;
  let engine: Loopback;
  let svc: Service;
  let held: Array<() => void> = [];
  let open = false;
  let translated = 0;

  before(async () => {
    await feeds.start();
    hub = await startRecordingHub();
    // A LibreTranslate-style engine that echoes the segments, holding every answer until opened.
    engine = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { q } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { q: string[] };
        const answer = () => {
          translated += q.length;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ translatedText: q }));
        };
        if (open) answer();
        else held.push(answer);
      });
    });
    svc = await startDuofeed(feeds, { baseUrl: BASE, websubHub: hub.url }, { provider: 'libretranslate', baseUrl: engine.origin, apiKeyEnv: null, requestsPerMinute: 10_000, concurrency: 4 });
  });
  after(async () => {
    open = true;
    for (const answer of held.splice(0)) answer();
    await svc?.stop();
    await hub?.close();
    await engine?.close();
    await feeds.loop?.close();
  });

  it('after the poll\'s notifications, the backfill\'s changes announce the merged and the translated sources\' feeds', async () => {
    const results = await svc.app.runner.run(svc.app.config.sources, false);
    assert.ok(results.every((r) => r.status === 'ok' && r.counts.new > 0));
    // The backfill is waiting on the engine: the poll's own notifications go out first.
    await svc.running.websub!.idle();
    const afterPoll = hub.requests.length;
    assert.equal(afterPoll, 27);
    assert.equal(svc.app.backfill.progress().translated + svc.app.backfill.progress().flagged, 0);
    open = true;
    for (const answer of held.splice(0)) answer();
    await svc.app.backfill.drain();
    await svc.running.websub!.idle();
    const p = svc.app.backfill.progress();
    assert.ok(translated > 0 && p.translated + p.flagged > 0, JSON.stringify(p));
    const changedSources = new Set((await svc.app.store.listArticles({ limit: 1000 })).filter((a) => a.translations['zh']).map((a) => a.sourceId));
    assert.ok(changedSources.size > 0);
    const sent = hub.requests.slice(afterPoll).map((r) => r.urls[0]!);
    assert.deepEqual([...sent].sort(), [...views(''), ...[...changedSources].flatMap((id) => views(`/sources/${id}`))].sort());
  });
});
