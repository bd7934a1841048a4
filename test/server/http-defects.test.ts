import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { buildConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { AppConfig } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { request, type Reply } from '../helpers/http-request.js';
import { sourceConfigFor } from '../helpers/source-config.js';
import { feedItem, input, removeDir, state, tempDir } from '../store/fixtures.js';

/**
 * HTTP defects of issue 5 (points 2 and 3), over loopback with a real SQLite store: control
 * characters in parameters and path segments, Last-Modified as the time the representation last
 * changed, origin-form request targets, CORS on JSON feed answers, and message wording.
 */

const SOURCE = { id: 'x', name: 'Source X', feedUrl: 'https://x.example/feed.xml', siteUrl: null, language: 'en' };
const MAX_ITEMS = 50;

function config(): AppConfig {
  const defaults = buildConfig({ sources: [] }, 'test defaults');
  return {
    ...defaults,
    output: { ...defaults.output, baseUrl: 'https://news.example.com', maxItems: MAX_ITEMS, languages: ['en', 'zh'] },
    sources: [sourceConfigFor(SOURCE)],
  };
}

interface Fixture {
  clock: FixedClock;
  store: SqliteStore;
  server: RunningServer;
  logs: string[];
  dir: string;
  save(guid: string, title: string, publishedAt: string): Promise<void>;
  close(): Promise<void>;
}

async function fixture(): Promise<Fixture> {
  const clock = new FixedClock('2026-08-23T12:00:00.000Z');
  const dir = tempDir();
  const store = openSqliteStore({ dataDir: dir, clock });
  const cfg = config();
  const logs: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => logs.push(...c.toString('utf8').split('\n').filter(Boolean)));
  // No rebuild interval: every store write is published by the next request (the defect is not about the cache's pace).
  const handler = createRequestHandler({ store, config: cfg, sources: buildSourceInfos(cfg.sources), logger: createLogger('info', sink), clock, feedCache: { minRebuildIntervalMs: 0 } });
  const server = await startServer(handler, 0, '127.0.0.1');
  return {
    clock,
    store,
    server,
    logs,
    dir,
    async save(guid, title, publishedAt) {
      const url = `https://x.example/${guid}`;
      await store.savePoll(SOURCE.id, [input(SOURCE.id, feedItem({ guid, url, canonicalUrl: url, title, publishedAt, contentHtml: `<p>${title}</p>` }))], state(SOURCE.id, { feedUrl: SOURCE.feedUrl }));
    },
    async close() {
      await server.close();
      await store.close();
      removeDir(dir);
    },
  };
}

const errorOf = (r: Reply): { code: string; message: string } => (JSON.parse(r.text) as { error: { code: string; message: string } }).error;

describe('server: HTTP defects of issue 5 (real SQLite)', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
    await f.save('a1', 'Ten o’clock news', '2026-08-23T10:00:00.000Z');
  });
  afterEach(() => f.close());

  describe('control characters in parameters and path segments', () => {
    it('a NUL, DEL or other control character in any parameter or segment answers 400 naming it; nothing reaches FTS5 or the error log', async () => {
      const cases: Array<[string, RegExp]> = [
        ['/feed.json?q=a%00b', /Query parameter q .*control character/],
        ['/feed.json?q=ab%00', /Query parameter q .*control character/],
        ['/feed.json?q=%E6%A8%A1%00%E5%9E%8B', /Query parameter q .*control character/],
        ['/feed.json?q=%00', /Query parameter q .*control character/],
        ['/feed.xml?q=model%7F', /Query parameter q .*control character/],
        ['/feed.xml?q=a%0Ab', /Query parameter q .*control character/],
        ['/feed.xml?q=a%C2%85b', /Query parameter q .*control character/],
        ['/atom.xml?source=x%00', /Query parameter source .*control character/],
        ['/feed.xml?keyword=ai%1F', /Query parameter keyword .*control character/],
        ['/feed.xml?before=2026-08-23T10:00:00Z%00', /Query parameter before .*control character/],
        ['/feed.xml?lang=en%00', /Query parameter lang .*control character/],
        ['/tags/a%00b/feed.json', /path .*control character/],
        ['/sources/x%00/feed.xml', /path .*control character/],
        ['/sources/%7F/atom.xml', /path .*control character/],
      ];
      for (const [target, message] of cases) {
        const r = await request(f.server.port, target);
        assert.equal(r.status, 400, `${target}: ${r.text}`);
        assert.equal(errorOf(r).code, 'SERVER_BAD_REQUEST', target);
        assert.match(errorOf(r).message, message, target);
        assert.match(errorOf(r).message, /U\+00[0-9A-F]{2}/, 'names the character');
      }
      const errors = f.logs.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
      assert.deepEqual(errors, []);
    });

    it('a plain q still searches (control-character check does not refuse ordinary text)', async () => {
      const hit = await request(f.server.port, `/feed.json?q=${encodeURIComponent('o’clock news')}`);
      assert.equal(hit.status, 200);
      assert.equal((JSON.parse(hit.text) as { items: unknown[] }).items.length, 1);
      const quotes = await request(f.server.port, `/feed.json?q=${encodeURIComponent('"news" AND NOT* (x) ^y {z}:')}`);
      assert.equal(quotes.status, 200, quotes.text);
    });
  });

  describe('Last-Modified is when the representation last changed (RFC 9110 §8.8.2)', () => {
    const target = '/sources/x/feed.xml';

    it('an item with an older date added later moves Last-Modified; If-Modified-Since with the old one answers 200 with the item', async () => {
      const first = await request(f.server.port, target);
      assert.equal(first.status, 200);
      const lm1 = String(first.headers['last-modified']);
      assert.equal((await request(f.server.port, target, { 'If-Modified-Since': lm1 })).status, 304, 'unchanged feed: 304 by date');

      f.clock.advance(60_000);
      await f.save('a0', 'Half past nine news', '2026-08-23T09:30:00.000Z');
      const second = await request(f.server.port, target);
      assert.notEqual(second.headers.etag, first.headers.etag);
      const lm2 = String(second.headers['last-modified']);
      assert.ok(Date.parse(lm2) > Date.parse(lm1), `Last-Modified moved forward: ${lm1} → ${lm2}`);
      assert.ok(Date.parse(lm2) <= f.clock.now().getTime(), 'not after now');
      const byDate = await request(f.server.port, target, { 'If-Modified-Since': lm1 });
      assert.equal(byDate.status, 200);
      assert.match(byDate.text, /Half past nine news/);
      assert.equal((await request(f.server.port, target, { 'If-Modified-Since': lm2 })).status, 304);
    });

    it('an edited title moves Last-Modified', async () => {
      const first = await request(f.server.port, target);
      f.clock.advance(120_000);
      await f.save('a1', 'Ten o’clock news (corrected)', '2026-08-23T10:00:00.000Z');
      const r = await request(f.server.port, target, { 'If-Modified-Since': String(first.headers['last-modified']) });
      assert.equal(r.status, 200);
      assert.match(r.text, /\(corrected\)/);
    });

    it('bytes that change without a newer item write (a page gains a next link) still move Last-Modified', async () => {
      const paged = `${target}?limit=1`;
      const first = await request(f.server.port, paged);
      assert.doesNotMatch(first.text, /rel="next"/);
      f.clock.advance(60_000);
      await f.save('a0', 'Half past nine news', '2026-08-23T09:30:00.000Z');
      const r = await request(f.server.port, paged, { 'If-Modified-Since': String(first.headers['last-modified']) });
      assert.equal(r.status, 200);
      assert.match(r.text, /rel="next"/);
      const again = await request(f.server.port, paged);
      assert.equal(again.headers['last-modified'], r.headers['last-modified'], 'the same bytes keep their Last-Modified');
    });

    it('a future-dated item gives a stable Last-Modified, not the request time, and 304 on repeat', async () => {
      f.clock.advance(30_000);
      await f.save('f1', 'From the future', '2035-01-01T00:00:00.000Z');
      const first = await request(f.server.port, target);
      const lm = String(first.headers['last-modified']);
      assert.ok(Date.parse(lm) <= f.clock.now().getTime());
      f.clock.advance(300_000);
      const again = await request(f.server.port, target);
      assert.equal(again.headers['last-modified'], lm);
      assert.equal((await request(f.server.port, target, { 'If-Modified-Since': lm })).status, 304);
    });
  });

  describe('request targets are origin-form paths (RFC 9112 §3.2.1)', () => {
    it('//feed.xml and //evil.example/feed.xml are 404, never the page or another path', async () => {
      for (const target of ['//feed.xml', '//evil.example/feed.xml', '//evil.example/', '//']) {
        const r = await request(f.server.port, target);
        assert.equal(r.status, 404, target);
        assert.equal(errorOf(r).code, 'SERVER_NOT_FOUND', target);
      }
      assert.equal((await request(f.server.port, '/feed.xml?x=//y')).status, 200);
    });
  });

  describe('CORS on JSON feeds', () => {
    it('errors and 304s of JSON feed paths carry Access-Control-Allow-Origin; GET exposes ETag and Last-Modified', async () => {
      for (const target of ['/feed.json?limit=abc', '/sources/nope/feed.json', '/tags/%E5%A4/feed.json', '/feed.json?q=a%00b']) {
        const r = await request(f.server.port, target);
        assert.ok(r.status === 400 || r.status === 404, target);
        assert.equal(r.headers['access-control-allow-origin'], '*', target);
      }
      const ok = await request(f.server.port, '/sources/x/feed.json');
      assert.equal(ok.headers['access-control-allow-origin'], '*');
      assert.match(String(ok.headers['access-control-expose-headers']), /ETag/i);
      assert.match(String(ok.headers['access-control-expose-headers']), /Last-Modified/i);
      const nm = await request(f.server.port, '/sources/x/feed.json', { 'If-None-Match': String(ok.headers.etag) });
      assert.equal(nm.status, 304);
      assert.equal(nm.headers['access-control-allow-origin'], '*');
      // Not on XML feeds.
      assert.equal((await request(f.server.port, '/feed.xml')).headers['access-control-allow-origin'], undefined);
    });

    it('OPTIONS preflight on JSON feed paths answers 204 with the CORS headers; elsewhere 405 with Allow', async () => {
      for (const target of ['/feed.json', '/sources/x/feed.json', '/tags/ai/feed.json?lang=en']) {
        const r = await request(f.server.port, target, { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' }, 'OPTIONS');
        assert.equal(r.status, 204, target);
        assert.equal(r.headers['access-control-allow-origin'], '*');
        assert.equal(r.headers['access-control-allow-methods'], 'GET, HEAD');
        assert.equal(r.headers['access-control-allow-headers'], 'If-None-Match, If-Modified-Since');
        assert.match(String(r.headers['access-control-max-age']), /^\d+$/);
        assert.equal(r.body.length, 0);
      }
      for (const target of ['/feed.xml', '/atom.xml', '/healthz', '/']) {
        const r = await request(f.server.port, target, {}, 'OPTIONS');
        assert.equal(r.status, 405, target);
        assert.equal(r.headers.allow, 'GET, HEAD');
      }
    });
  });

  describe('message wording', () => {
    it('limit=0 says values above the cap are lowered; an empty tag names the path once', async () => {
      const zero = errorOf(await request(f.server.port, '/feed.json?limit=0'));
      assert.match(zero.message, /a whole number from 1; values above 50 are lowered to 50/);
      assert.doesNotMatch(zero.message, /at most/);
      const tag = errorOf(await request(f.server.port, '/tags/%20/feed.json'));
      assert.equal(tag.message.split('/tags/%20/feed.json').length - 1, 1, tag.message);
      assert.match(tag.message, /tag .*empty/i);
    });
  });
});
