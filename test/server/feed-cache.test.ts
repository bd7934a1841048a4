import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { buildConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logger.js';
import { buildFeeds } from '../../src/publish/build-feeds.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import { FeedCache } from '../../src/server/feed-cache.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startServer } from '../../src/server/start-server.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ArticleQuery } from '../../src/store/store.js';
import type { AppConfig, Article, OutputConfig } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { MemoryStore } from '../helpers/memory-store.js';
import { ANTHROPIC, makeArticle } from '../publish/article-fixtures.js';
import { bilingualArticles, BILINGUAL_SOURCES } from '../publish/bilingual-fixtures.js';
import { feedItem, input, removeDir, state, tempDir } from '../store/fixtures.js';

const DEFAULTS = buildConfig({ sources: [] }, 'test defaults');
const OUTPUT: OutputConfig = { ...DEFAULTS.output, title: 'duofeed', description: 'AI news', baseUrl: null, maxItems: 40, cacheMaxAgeSeconds: 300, languages: ['zh', 'en'] };
const SOURCES = new Map<string, SourceInfo>([[ANTHROPIC.id, ANTHROPIC]]);
const BASE = 'https://news.example.com';

function article(n: number, title = `Story ${n}`): Article {
  return makeArticle({ id: `a${n}`, sourceId: ANTHROPIC.id, guid: `https://x.example/${n}`, url: `https://x.example/${n}`, title, publishedAt: `2026-08-${String(n).padStart(2, '0')}T00:00:00Z` });
}

/** A MemoryStore whose listArticles can be held until the test releases it. */
class GatedStore extends MemoryStore {
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = null;
  }
  override async listArticles(query: ArticleQuery): Promise<Article[]> {
    const result = await super.listArticles(query);
    if (this.gate !== null) await this.gate;
    return result;
  }
}

async function etag(cache: FeedCache, format: 'rss' | 'atom' | 'json' = 'rss', lang: string | null = null): Promise<string> {
  return (await cache.get(BASE, lang, format))!.etag;
}

/** Bounded wait for a condition another part of the process makes true (no timing asserted). */
async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

describe('server/feed-cache: documents', () => {
  it('each format and language view is byte-identical to publish buildFeeds, with the same ETag and Last-Modified date', async () => {
    const set = await bilingualArticles();
    const store = new MemoryStore(new FixedClock());
    store.put(...set.all);
    const translation = { provider: 'openai' as const, model: 'qwen2.5-72b-instruct' };
    const cache = new FeedCache(store, OUTPUT, BILINGUAL_SOURCES, new FixedClock(), translation);
    const articles = await store.listArticles({ limit: OUTPUT.maxItems });
    for (const lang of [null, 'zh', 'en']) {
      const want = buildFeeds({ articles, sources: BILINGUAL_SOURCES, output: OUTPUT, selfBaseUrl: BASE, translation, lang });
      for (const format of ['rss', 'atom', 'json'] as const) {
        const doc = (await cache.get(BASE, lang, format))!;
        assert.equal(doc.body.toString('utf8'), want[format], `${format} ${lang ?? 'merged'}`);
        assert.equal(doc.etag, want.etags[format]);
        assert.equal(doc.updated, want.updated);
      }
    }
  });

  it('renders only the format asked for, compresses each coding once, and a rebuild with equal bytes keeps the document and its compressed bodies', async () => {
    const store = new MemoryStore(new FixedClock());
    store.put(article(1), article(2));
    const cache = new FeedCache(store, OUTPUT, SOURCES, new FixedClock());
    const doc = (await cache.get(BASE, null, 'json'))!;
    assert.deepEqual(cache.stats(), { loads: 1, documents: 1, reused: 0, compressions: 0 });
    const gz = await doc.encoded('gzip');
    assert.equal(gunzipSync(gz).toString('utf8'), doc.body.toString('utf8'));
    assert.equal(await doc.encoded('gzip'), gz);
    await (await cache.get(BASE, null, 'json'))!.encoded('gzip');
    assert.equal(cache.stats().compressions, 1);

    cache.invalidate();
    const again = (await cache.get(BASE, null, 'json'))!;
    assert.equal(again, doc, 'same bytes: the previous document object is kept');
    assert.equal(await again.encoded('gzip'), gz);
    assert.deepEqual(cache.stats(), { loads: 2, documents: 2, reused: 1, compressions: 1 });
    // A format first asked for after the rebuild is rendered then, not before.
    await cache.get(BASE, null, 'rss');
    assert.equal(cache.stats().documents, 3);
  });
});

describe('server/feed-cache: when builds are replaced (injected clock)', () => {
  it('store writes are published at once after a quiet interval, then at most once per minRebuildIntervalMs; the previous build is served meanwhile', async () => {
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    const store = new MemoryStore(clock);
    store.put(article(1));
    const cache = new FeedCache(store, OUTPUT, SOURCES, clock, undefined, { minRebuildIntervalMs: 2_000 });
    const e1 = await etag(cache);
    assert.equal(await etag(cache), e1);
    assert.equal(cache.stats().loads, 1);

    store.put(article(2));
    const e2 = await etag(cache);
    assert.notEqual(e2, e1, 'first change: rebuilt at once');
    assert.equal(cache.stats().loads, 2);

    store.put(article(3));
    clock.advance(1_999);
    assert.equal(await etag(cache), e2, 'second change inside the interval: previous build served');
    store.put(article(4));
    assert.equal(await etag(cache), e2);
    assert.equal(cache.stats().loads, 2);

    clock.advance(1);
    const e3 = await etag(cache);
    assert.notEqual(e3, e2);
    assert.equal(cache.stats().loads, 3);
    assert.match((await cache.get(BASE, null, 'rss'))!.body.toString('utf8'), /Story 4/, 'the rebuild carries every write made meanwhile');
    // No further change: no further load, however much time passes below max-age.
    clock.advance(10_000);
    assert.equal(await etag(cache), e3);
    assert.equal(cache.stats().loads, 3);
  });

  it('invalidate() is published by the next request; max-age still forces a rebuild', async () => {
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    const store = new MemoryStore(clock);
    store.put(article(1));
    const cache = new FeedCache(store, { ...OUTPUT, cacheMaxAgeSeconds: 60 }, SOURCES, clock, undefined, { minRebuildIntervalMs: 2_000 });
    await etag(cache);
    store.put(article(1, 'Story 1 (corrected)'));
    assert.doesNotMatch((await cache.get(BASE, null, 'rss'))!.body.toString('utf8'), /corrected/, 'same count, no marker: not seen yet');
    cache.invalidate();
    assert.match((await cache.get(BASE, null, 'rss'))!.body.toString('utf8'), /corrected/);
    store.put(article(1, 'Story 1 (v3)'));
    clock.advance(60_000);
    assert.match((await cache.get(BASE, null, 'rss'))!.body.toString('utf8'), /v3/);
    assert.equal(cache.stats().loads, 3);
  });

  it('while a rebuild waits for the store, other readers get the previous build; the reader that started it gets the new one', async () => {
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    const store = new GatedStore(clock);
    store.put(article(1));
    const cache = new FeedCache(store, OUTPUT, SOURCES, clock);
    const old = await etag(cache);
    store.put(article(2));
    store.hold();
    const starter = cache.get(BASE, null, 'rss');
    await until('the rebuild to reach the store', () => store.listCalls === 2);
    const meanwhile = await Promise.all([etag(cache), etag(cache, 'rss', null)]);
    assert.deepEqual(meanwhile, [old, old]);
    store.release();
    const fresh = (await starter)!.etag;
    assert.notEqual(fresh, old);
    assert.equal(await etag(cache), fresh);
    assert.equal(store.listCalls, 2, 'one load for the rebuild');
  });

  it('a reader that is no longer wanted after the load gets null and renders nothing', async () => {
    const store = new MemoryStore(new FixedClock());
    store.put(article(1));
    const cache = new FeedCache(store, OUTPUT, SOURCES, new FixedClock());
    assert.equal(await cache.get(BASE, null, 'atom', () => false), null);
    assert.deepEqual(cache.stats(), { loads: 0, documents: 0, reused: 0, compressions: 0 }, 'gone before anything began: nothing is done');
    let asked = 0;
    assert.equal(await cache.get(BASE, null, 'atom', () => asked++ === 0), null);
    assert.equal(cache.stats().documents, 0);
    assert.equal(cache.stats().loads, 1, 'the load itself completes for the next reader');
    assert.ok(await cache.get(BASE, null, 'atom'));
    assert.equal(cache.stats().loads, 1);
  });
});

describe('server/feed-cache over SQLite: change marker', () => {
  let dir: string;
  let store: SqliteStore;
  let other: SqliteStore;
  const clock = new FixedClock('2026-08-23T12:00:00.000Z');
  const save = (s: SqliteStore, guid: string, title = `Title of ${guid}`) =>
    s.savePoll('anthropic', [input('anthropic', feedItem({ guid, title, url: guid, canonicalUrl: guid, publishedAt: '2026-08-01T00:00:00.000Z' }))], state('anthropic'));

  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore({ dataDir: dir, clock });
    other = openSqliteStore({ dataDir: dir, clock });
  });
  afterEach(async () => {
    await store.close();
    await other.close();
    removeDir(dir);
  });

  it('moves on a poll that adds or changes an article, here or in another connection, and not on an unchanged re-save', async () => {
    const m0 = store.changeMarker();
    assert.equal(store.changeMarker(), m0, 'stable while nothing happens');
    await save(store, 'https://x.example/1');
    const m1 = store.changeMarker();
    assert.notEqual(m1, m0);
    await save(store, 'https://x.example/1');
    assert.equal(store.changeMarker(), m1, 'unchanged re-save');
    await save(store, 'https://x.example/1', 'Retitled');
    const m2 = store.changeMarker();
    assert.notEqual(m2, m1, 'changed in place, same count');
    await save(other, 'https://x.example/2');
    assert.notEqual(store.changeMarker(), m2, 'a commit by another connection (another process) is seen');
  });

  it('the server cache follows the marker without counting articles', async () => {
    store.countArticles = async () => {
      throw new Error('counted');
    };
    const cache = new FeedCache(store, OUTPUT, SOURCES, clock, undefined, { minRebuildIntervalMs: 2_000 });
    await save(store, 'https://x.example/1');
    const e1 = await etag(cache, 'json');
    await save(other, 'https://x.example/2', 'Written by poll-once');
    clock.advance(2_000);
    const doc = (await cache.get(BASE, null, 'json'))!;
    assert.notEqual(doc.etag, e1);
    assert.match(doc.body.toString('utf8'), /Written by poll-once/);
  });
});

describe('server handler: a client that has gone', () => {
  it('costs no rendering and no compression, and is counted as abandoned', async () => {
    const clock = new FixedClock();
    const store = new GatedStore(clock);
    store.put(article(1));
    const config: AppConfig = { ...DEFAULTS, output: OUTPUT, sources: [] };
    const handler = createRequestHandler({ store, config, sources: SOURCES, logger: silentLogger(), clock });
    const seen: http.IncomingMessage[] = [];
    const server = await startServer((req, res) => {
      seen.push(req);
      handler(req, res);
    }, 0, '127.0.0.1');
    try {
      store.hold();
      const client = http.request({ host: '127.0.0.1', port: server.port, path: '/feed.xml', headers: { 'Accept-Encoding': 'br' }, agent: false });
      client.on('error', () => undefined);
      client.end();
      await until('the request to reach the store', () => store.listCalls === 1);
      client.destroy();
      await until('the server to see the connection close', () => seen[0]?.socket.destroyed === true);
      store.release();
      await until('the handler to drop the request', () => handler.stats().abandoned === 1);
      assert.equal(handler.stats().documents, 0);
      assert.equal(handler.stats().compressions, 0);

      // A live reader afterwards is served from the load the gone one started.
      const body = await new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: server.port, path: '/feed.xml', agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        }).on('error', reject);
      });
      assert.match(body, /Story 1/);
      assert.equal(store.listCalls, 1);
      assert.equal(handler.stats().loads, 1);
    } finally {
      await server.close();
    }
  });
});
