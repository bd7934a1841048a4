import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { createLogger, silentLogger } from '../../src/logger.js';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { createRequestHandler, type RequestHandler } from '../../src/server/handler.js';
import type { HealthReport } from '../../src/server/health.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';
import type { AppConfig, SourceConfig } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { emptyState, MemoryStore } from '../helpers/memory-store.js';
import { ANTHROPIC, anthropicArticles, makeArticle } from '../publish/article-fixtures.js';
import { buildConfig } from '../../src/config/load-config.js';
import { strictParse } from '../publish/strict-xml.js';
import { request, type Reply } from '../helpers/http-request.js';

/** Defaults for keys a test does not care about. */
const DEFAULTS = buildConfig({ sources: [] }, 'test defaults');


function source(over: Partial<SourceConfig>): SourceConfig {
  return {
    id: ANTHROPIC.id,
    url: ANTHROPIC.feedUrl,
    name: ANTHROPIC.name,
    language: 'en',
    siteUrl: ANTHROPIC.siteUrl,
    enabled: true,
    extract: { selector: null, remove: [], fetchPages: true },
    schedule: null,
    timezone: null,
    categories: [],
    ...over,
  };
}

function makeConfig(baseUrl: string | null = null): AppConfig {
  return {
    schedule: '*/30 * * * *',
    scheduleTimezone: null,
    http: {
      timeoutMs: 10_000,
      maxFeedBytes: 5_000_000,
      maxPageBytes: 5_000_000,
      maxRedirects: 5,
      userAgent: 'duofeed-test',
      allowPrivateNetworks: true,
      maxConcurrentSources: 2,
      maxConcurrentPages: 2,
      maxItemsPerFeed: 50,
    },
    output: { ...DEFAULTS.output, title: 'duofeed AI news', description: 'merged', baseUrl, maxItems: 40, cacheMaxAgeSeconds: 300 },
    keywords: DEFAULTS.keywords,
    translation: DEFAULTS.translation,
    sources: [source({}), source({ id: 'quiet', url: 'https://quiet.example/feed', name: 'Quiet <Blog>', siteUrl: null, enabled: false })],
  };
}

const sha = (b: Buffer): string => `"${createHash('sha256').update(b).digest('hex').slice(0, 32)}"`;

describe('server over loopback', () => {
  let clock: FixedClock;
  let store: MemoryStore;
  let handler: RequestHandler;
  let server: RunningServer;
  let port: number;
  /** Last-Modified of the merged feeds: the latest store write among the page's 40 items. */
  let stored: string;

  before(async () => {
    clock = new FixedClock('2026-08-23T12:00:00.000Z');
    store = new MemoryStore(clock);
    store.put(...(await anthropicArticles(100)));
    const config = makeConfig();
    await store.saveSourceState({ ...emptyState(ANTHROPIC.id, ANTHROPIC.feedUrl), lastSuccessAt: '2026-08-23T11:00:00.000Z', lastAttemptAt: '2026-08-23T11:30:00.000Z', errorCount: 1, lastErrorCode: 'FETCH_TIMEOUT', lastErrorMessage: 'timed out', nextPollAt: '2026-08-23T12:30:00.000Z' });
    handler = createRequestHandler({ store, config, sources: buildSourceInfos(config.sources, await store.listSourceStates()), logger: silentLogger(), clock });
    server = await startServer(handler, 0, '127.0.0.1');
    port = server.port;
    const page = await store.listArticles({ limit: config.output.maxItems });
    stored = new Date(Math.max(...page.map((a) => Date.parse(a.updatedAt)))).toUTCString();
    // Not the newest item's date: Last-Modified is when the feed's content was last written.
    assert.notEqual(stored, new Date(Date.parse(page[0]!.publishedAt!)).toUTCString());
  });
  after(() => server.close());

  const routes = [
    ['/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
  ] as const;

  for (const [path, type] of routes) {
    it(`GET ${path}: content type, strong ETag of the body, Last-Modified, Cache-Control, Vary`, async () => {
      const r = await request(port, path);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], type);
      assert.equal(r.headers.etag, sha(r.body));
      assert.equal(r.headers['last-modified'], stored);
      assert.equal(r.headers['cache-control'], 'public, max-age=300');
      // RSS and Atom vary by Accept too: browsers get them as application/xml (see feedContentTypeFor).
      assert.equal(r.headers.vary, path === '/feed.json' ? 'Accept-Encoding' : 'Accept-Encoding, Accept');
      assert.equal(r.headers['content-length'], String(r.body.length));
      assert.equal(r.headers['content-encoding'], undefined);
    });
  }

  it('the feeds parse back with output.maxItems items and self links derived from the Host header', async () => {
    const rss = await new Parser().parseString((await request(port, '/feed.xml')).body.toString('utf8'));
    assert.equal(rss.items.length, 40);
    assert.equal(rss.items[0]?.title, 'How Claude’s text watermark works');
    assert.equal(rss.feedUrl, `http://127.0.0.1:${port}/feed.xml`);
    const $ = cheerio.load((await request(port, '/atom.xml')).body.toString('utf8'), { xml: true });
    assert.equal($('entry').length, 40);
    assert.equal($('entry > source > title').first().text(), 'Anthropic News');
    const json = JSON.parse((await request(port, '/feed.json')).body.toString('utf8'));
    assert.equal(json.items.length, 40);
    assert.equal(json.feed_url, `http://127.0.0.1:${port}/feed.json`);
  });

  it('a hostile Host header does not reach the self links', async () => {
    const r = await request(port, '/feed.xml', { Host: 'evil.example"/><x y="' });
    assert.equal(r.status, 200);
    assert.match(r.body.toString('utf8'), /<atom:link href="http:\/\/localhost\/feed.xml"/);
  });

  it('If-None-Match with the ETag (alone, in a list, weak, or *) gives 304 without a body', async () => {
    const first = await request(port, '/feed.xml');
    const etag = String(first.headers.etag);
    for (const inm of [etag, `"nope", ${etag}`, `W/${etag}`, '*']) {
      const r = await request(port, '/feed.xml', { 'If-None-Match': inm });
      assert.equal(r.status, 304, inm);
      assert.equal(r.body.length, 0);
      assert.equal(r.headers.etag, etag);
      assert.equal(r.headers['last-modified'], first.headers['last-modified']);
      assert.equal(r.headers['cache-control'], 'public, max-age=300');
    }
    const miss = await request(port, '/feed.xml', { 'If-None-Match': '"0123"' });
    assert.equal(miss.status, 200);
    assert.deepEqual(miss.body, first.body);
  });

  it('If-Modified-Since: 304 when not modified since, 200 when older; ignored when If-None-Match is present', async () => {
    const later = new Date(Date.parse(stored) + 86_400_000).toUTCString();
    assert.equal((await request(port, '/atom.xml', { 'If-Modified-Since': stored })).status, 304);
    assert.equal((await request(port, '/atom.xml', { 'If-Modified-Since': later })).status, 304);
    assert.equal((await request(port, '/atom.xml', { 'If-Modified-Since': new Date(Date.parse(stored) - 1000).toUTCString() })).status, 200);
    assert.equal((await request(port, '/atom.xml', { 'If-Modified-Since': 'yesterday' })).status, 200);
    const both = await request(port, '/atom.xml', { 'If-None-Match': '"other"', 'If-Modified-Since': later });
    assert.equal(both.status, 200);
  });

  it('HEAD has the GET headers and no body', async () => {
    const get = await request(port, '/feed.json');
    const head = await request(port, '/feed.json', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], String(get.body.length));
    assert.equal(head.headers.etag, get.headers.etag);
    assert.equal(head.headers['content-type'], 'application/feed+json; charset=utf-8');
  });

  it('gzip and br by Accept-Encoding decode to the identity body, with a per-coding ETag that still revalidates', async () => {
    const plain = await request(port, '/feed.xml');
    const gz = await request(port, '/feed.xml', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(zlib.gunzipSync(gz.body), plain.body);
    assert.ok(gz.body.length < plain.body.length / 3);
    assert.equal(gz.headers.etag, `${String(plain.headers.etag).slice(0, -1)}-gzip"`);
    const br = await request(port, '/feed.xml', { 'Accept-Encoding': 'gzip;q=0.5, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(zlib.brotliDecompressSync(br.body), plain.body);
    const prefersGzip = await request(port, '/feed.xml', { 'Accept-Encoding': 'br;q=0.1, gzip' });
    assert.equal(prefersGzip.headers['content-encoding'], 'gzip');
    const reval = await request(port, '/feed.xml', { 'Accept-Encoding': 'gzip', 'If-None-Match': String(gz.headers.etag) });
    assert.equal(reval.status, 304);
  });

  it('unknown path: 404 JSON SERVER_NOT_FOUND; other methods: 405 with Allow', async () => {
    const nf = await request(port, '/nope.xml');
    assert.equal(nf.status, 404);
    assert.equal(nf.headers['content-type'], 'application/json; charset=utf-8');
    const body = JSON.parse(nf.body.toString('utf8'));
    assert.equal(body.error.code, 'SERVER_NOT_FOUND');
    assert.equal(typeof body.error.message, 'string');
    const post = await request(port, '/feed.xml', {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    assert.equal(JSON.parse(post.body.toString('utf8')).error.code, 'SERVER_METHOD_NOT_ALLOWED');
  });

  it('/healthz reports every configured source from its stored state and article count', async () => {
    const r = await request(port, '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    const report = JSON.parse(r.body.toString('utf8')) as HealthReport;
    assert.deepEqual(report, {
      status: 'ok',
      sources: [
        { id: 'anthropic', name: 'Anthropic News', feedUrl: ANTHROPIC.feedUrl, lastSuccessAt: '2026-08-23T11:00:00.000Z', lastAttemptAt: '2026-08-23T11:30:00.000Z', errorCount: 1, lastErrorCode: 'FETCH_TIMEOUT', lastErrorMessage: 'timed out', nextPollAt: '2026-08-23T12:30:00.000Z', disabledReason: null, items: 100 },
        { id: 'quiet', name: 'Quiet <Blog>', feedUrl: 'https://quiet.example/feed', lastSuccessAt: null, lastAttemptAt: null, errorCount: 0, lastErrorCode: null, lastErrorMessage: null, nextPollAt: null, disabledReason: 'disabled in config', items: 0 },
      ],
    });
  });

  it('/ is an HTML index with subscribe links and escaped source names', async () => {
    const r = await request(port, '/');
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    const $ = cheerio.load(r.body.toString('utf8'));
    const hrefs = $('a').toArray().map((a) => $(a).attr('href'));
    for (const p of ['/feed.xml', '/atom.xml', '/feed.json']) assert.ok(hrefs.includes(`http://127.0.0.1:${port}${p}`), p);
    assert.equal($('link[type="application/rss+xml"]').attr('href'), `http://127.0.0.1:${port}/feed.xml`);
    assert.ok($('#sources .name').toArray().some((n) => $(n).text() === 'Quiet <Blog>'));
  });
});

describe('server feed cache', () => {
  async function setup(maxAge = 300) {
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    const store = new MemoryStore(clock);
    store.put(makeArticle({ id: 'a', sourceId: ANTHROPIC.id, guid: 'https://x.example/a', url: 'https://x.example/a', title: 'First', publishedAt: '2026-08-01T00:00:00Z' }));
    const config = makeConfig('https://news.example.com/');
    const cfg: AppConfig = { ...config, output: { ...config.output, cacheMaxAgeSeconds: maxAge } };
    const handler = createRequestHandler({ store, config: cfg, sources: buildSourceInfos(cfg.sources), logger: silentLogger(), clock });
    const server = await startServer(handler, 0, '127.0.0.1');
    return { clock, store, handler, server };
  }

  it('200 concurrent readers share one build; self links use output.baseUrl', async () => {
    const { store, server } = await setup();
    try {
      const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => request(server.port, ['/feed.xml', '/atom.xml', '/feed.json'][i % 3]!)));
      assert.ok(replies.every((r) => r.status === 200));
      assert.equal(store.listCalls, 1);
      assert.match(replies[0]!.body.toString('utf8'), /<atom:link href="https:\/\/news.example.com\/feed.xml"/);
    } finally {
      await server.close();
    }
  });

  it('rebuilds when the article count changes, on invalidate(), and after cacheMaxAgeSeconds', async () => {
    const { clock, store, handler, server } = await setup(60);
    try {
      const r1 = await request(server.port, '/feed.xml');
      const e1 = r1.headers.etag;
      assert.equal((await request(server.port, '/feed.xml')).headers.etag, e1);
      assert.equal(store.listCalls, 1);

      store.put(makeArticle({ id: 'b', sourceId: ANTHROPIC.id, guid: 'https://x.example/b', url: 'https://x.example/b', title: 'Second', publishedAt: '2026-08-02T00:00:00Z' }));
      const r2 = await request(server.port, '/feed.xml');
      assert.equal(store.listCalls, 2);
      assert.notEqual(r2.headers.etag, e1);
      // `put` bypasses the store's write times (b says it was written long ago): the bytes changed
      // without a newer write, so Last-Modified is the build time, after the previous one.
      assert.equal(r2.headers['last-modified'], clock.now().toUTCString());
      assert.ok(Date.parse(String(r2.headers['last-modified'])) > Date.parse(String(r1.headers['last-modified'])));

      // Same count, changed in place: invisible until invalidate().
      store.put(makeArticle({ id: 'b', sourceId: ANTHROPIC.id, guid: 'https://x.example/b', url: 'https://x.example/b', title: 'Second (corrected)', publishedAt: '2026-08-02T00:00:00Z' }));
      assert.equal((await request(server.port, '/feed.xml')).headers.etag, r2.headers.etag);
      handler.invalidate();
      const r3 = await request(server.port, '/feed.xml');
      assert.equal(store.listCalls, 3);
      assert.match(r3.body.toString('utf8'), /Second \(corrected\)/);

      store.put(makeArticle({ id: 'b', sourceId: ANTHROPIC.id, guid: 'https://x.example/b', url: 'https://x.example/b', title: 'Second (v3)', publishedAt: '2026-08-02T00:00:00Z' }));
      clock.advance(59_000);
      await request(server.port, '/feed.xml');
      assert.equal(store.listCalls, 3);
      clock.advance(1_000);
      assert.match((await request(server.port, '/feed.xml')).body.toString('utf8'), /Second \(v3\)/);
      assert.equal(store.listCalls, 4);
    } finally {
      await server.close();
    }
  });
});

describe('server failures', () => {
  it('a store failure inside a request answers 500 INTERNAL and logs the error under err', async () => {
    const clock = new FixedClock();
    const broken = new MemoryStore(clock);
    broken.listArticles = async () => {
      throw new Error('disk on fire');
    };
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => lines.push(...c.toString('utf8').split('\n').filter(Boolean)));
    const config = makeConfig();
    const handler = createRequestHandler({ store: broken as Store, config, sources: buildSourceInfos(config.sources), logger: createLogger('error', sink), clock });
    const server = await startServer(handler, 0, '127.0.0.1');
    try {
      const r = await request(server.port, '/feed.xml');
      assert.equal(r.status, 500);
      assert.deepEqual(JSON.parse(r.body.toString('utf8')), { error: { code: 'INTERNAL', message: 'Internal error; the server log has the details' } });
      assert.doesNotMatch(r.body.toString('utf8'), /disk on fire/);
      await new Promise((resolve) => setImmediate(resolve));
      const entry = JSON.parse(lines.at(-1)!) as { stage: string; err: { code: string; message: string } };
      assert.equal(entry.stage, 'server');
      assert.equal(entry.err.code, 'INTERNAL');
      assert.match(entry.err.message, /^disk on fire/);
      // The failed build is not cached: the next request tries again.
      broken.listArticles = MemoryStore.prototype.listArticles;
      assert.equal((await request(server.port, '/feed.xml')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('startServer on a port in use rejects with SERVER_LISTEN', async () => {
    const first = await startServer((_req, res) => res.end(), 0, '127.0.0.1');
    try {
      await assert.rejects(startServer((_req, res) => res.end(), first.port, '127.0.0.1'), { code: 'SERVER_LISTEN' });
    } finally {
      await first.close();
    }
  });
});

describe('server: Last-Modified is never in the future', () => {
  it('an item dated after now gives Last-Modified = when it was stored (now here), not its date', async () => {
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    const store = new MemoryStore(clock);
    const future = { ...emptyState('future', 'https://future.example/feed') };
    await store.savePoll('future', [{ sourceId: 'future', item: { guid: 'f1', url: 'https://future.example/1', canonicalUrl: 'https://future.example/1', title: 'From 2035', publishedAt: '2035-01-01T00:00:00.000Z', modifiedAt: null, dateHadNoZone: false, author: null, summaryHtml: null, contentHtml: '<p>x</p>', categories: [], enclosures: [], imageUrl: null }, extraction: null, language: null, keywords: {}, translations: {} }], future);
    const cfg = { ...DEFAULTS, sources: [] };
    const handler = createRequestHandler({ store, config: cfg, sources: new Map([['future', { id: 'future', name: 'F', feedUrl: 'https://future.example/feed', siteUrl: null, language: 'en' }]]), logger: silentLogger(), clock });
    const srv = await startServer(handler, 0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${srv.port}/feed.xml`);
      await res.arrayBuffer();
      assert.equal(res.headers.get('last-modified'), 'Sun, 23 Aug 2026 12:00:00 GMT');
    } finally {
      await srv.close();
    }
  });
});

describe('server: /sources.opml and CORS on JSON Feed', () => {
  it('lists every source as an OPML 2.0 rss outline (escaped), and only /feed.json carries CORS', async () => {
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    const store = new MemoryStore(clock);
    const sources = new Map([
      ['a', { id: 'a', name: 'R&D <Lab> "News"', feedUrl: 'https://a.example/feed?x=1&y=2', siteUrl: 'https://a.example/', language: 'en' }],
      ['b', { id: 'b', name: '量子位', feedUrl: 'https://www.qbitai.com/feed', siteUrl: null, language: 'zh-CN' }],
    ]);
    const handler = createRequestHandler({ store, config: { ...DEFAULTS, sources: [] }, sources, logger: silentLogger(), clock });
    const srv = await startServer(handler, 0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${srv.port}/sources.opml`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/x-opml; charset=utf-8/);
      const body = await res.text();
      assert.equal(strictParse(body).name, "opml");
      const $ = cheerio.load(body, { xml: true });
      assert.equal($('opml').attr('version'), '2.0');
      const outlines = $('body > outline').toArray().map((o) => ({ ...(o as unknown as { attribs: Record<string, string> }).attribs }));
      assert.deepEqual(outlines, [
        { type: 'rss', text: 'R&D <Lab> "News"', title: 'R&D <Lab> "News"', xmlUrl: 'https://a.example/feed?x=1&y=2', htmlUrl: 'https://a.example/', language: 'en' },
        { type: 'rss', text: '量子位', title: '量子位', xmlUrl: 'https://www.qbitai.com/feed', language: 'zh-CN' },
      ]);
      const json = await fetch(`http://127.0.0.1:${srv.port}/feed.json`);
      await json.arrayBuffer();
      assert.equal(json.headers.get('access-control-allow-origin'), '*');
      const rss = await fetch(`http://127.0.0.1:${srv.port}/feed.xml`);
      await rss.arrayBuffer();
      assert.equal(rss.headers.get('access-control-allow-origin'), null);
    } finally {
      await srv.close();
    }
  });
});
