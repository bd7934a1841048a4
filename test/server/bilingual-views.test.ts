import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { buildConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logger.js';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { AppConfig, SourceConfig } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { emptyState, MemoryStore } from '../helpers/memory-store.js';
import type { ArticleInput } from '../../src/types.js';
import { bilingualArticles, GCLOUD, hasHan, KR36, SHADOW_IT_ZH, type BilingualSet } from '../publish/bilingual-fixtures.js';
import { STRICT_PARSE_TIMEOUT_MS, strictParse } from '../publish/strict-xml.js';
import { requestText as request, type TextReply as Reply } from '../helpers/http-request.js';
import { sourceConfigFor } from '../helpers/source-config.js';

const DEFAULTS = buildConfig({ sources: [] }, 'test defaults');


function makeConfig(layout: 'stacked' | 'interleaved'): AppConfig {
  return {
    ...DEFAULTS,
    output: { ...DEFAULTS.output, title: 'duofeed', description: 'AI news', baseUrl: 'https://news.example.com', languages: ['zh', 'en'], layout, titleMode: 'primary' },
    translation: { ...DEFAULTS.translation, provider: 'openai', model: 'qwen2.5-72b-instruct', baseUrl: 'http://127.0.0.1:1/v1' },
    sources: [sourceConfigFor(GCLOUD), sourceConfigFor(KR36)],
  };
}

describe('server: bilingual feed and per-language views over loopback', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  let set: BilingualSet;
  let store: MemoryStore;
  let server: RunningServer;
  let port: number;

  before(async () => {
    set = await bilingualArticles();
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    store = new MemoryStore(clock);
    store.put(...set.all);
    const config = makeConfig('interleaved');
    const handler = createRequestHandler({ store, config, sources: buildSourceInfos(config.sources), logger: silentLogger(), clock });
    server = await startServer(handler, 0, '127.0.0.1');
    port = server.port;
  });
  after(() => server.close());

  it('the merged /feed.json is bilingual in the configured layout and reports the configured provider for pending items', async () => {
    const r = await request(port, '/feed.json');
    assert.equal(r.status, 200);
    const items = (JSON.parse(r.body) as { items: Array<Record<string, any>> }).items;
    const ok = items.find((i) => i.id === set.enOk.guid)!;
    assert.equal(ok.title, SHADOW_IT_ZH.title);
    assert.match(ok.content_html, /^<div class="duofeed-interleaved" lang="zh">/);
    assert.ok(ok._duofeed.versions.zh && ok._duofeed.versions.en, 'zh and en versions both present');
    assert.deepEqual(items.find((i) => i.id === set.enPending.guid)!._duofeed.translation, { provider: 'openai', model: 'qwen2.5-72b-instruct', at: null, status: 'pending', missing: [] });
  });

  for (const [path, format] of [['/feed.xml', 'rss'], ['/atom.xml', 'atom'], ['/feed.json', 'json']] as const) {
    it(`${path}?lang=zh and ?lang=en: one language per item, their own self link, ETag and 304`, async () => {
      const merged = await request(port, path);
      const zh = await request(port, `${path}?lang=zh`);
      const en = await request(port, `${path}?lang=en`);
      for (const r of [merged, zh, en]) assert.equal(r.status, 200);
      const etags = [merged.headers.etag, zh.headers.etag, en.headers.etag];
      assert.equal(new Set(etags).size, 3, 'one ETag per variant');
      assert.ok(zh.body.includes(`https://news.example.com${path}?lang=zh`), 'self link of the view');

      // Conditional GET per variant: the zh tag revalidates zh only.
      assert.equal((await request(port, `${path}?lang=zh`, { 'If-None-Match': String(zh.headers.etag) })).status, 304);
      assert.equal((await request(port, `${path}?lang=en`, { 'If-None-Match': String(zh.headers.etag) })).status, 200);
      assert.equal((await request(port, path, { 'If-None-Match': String(zh.headers.etag) })).status, 200);
      assert.equal((await request(port, path, { 'If-None-Match': String(merged.headers.etag) })).status, 304);
      assert.equal((await request(port, `${path}?lang=en`, { 'If-Modified-Since': String(en.headers['last-modified']) })).status, 304);

      const titles = await viewTitles(format, en.body);
      assert.equal(titles.length, 5);
      const english = [set.enOk, set.enFlagged, set.enPending, set.enMismatch].map((a) => a.title);
      for (const t of english) assert.ok(titles.includes(t), t);
      assert.ok(titles.every((t) => !hasHan(t)), 'no Chinese title in the en view');
      const zhTitles = await viewTitles(format, zh.body);
      assert.equal(zhTitles.length, 4);
      assert.ok(zhTitles.every(hasHan));
      if (format !== 'json') strictParse(zh.body);
    });
  }

  it('?lang=ZH is the zh view (same ETag); ?lang=fr, an empty or a repeated lang answer 400 SERVER_BAD_REQUEST naming the choices', async () => {
    const zh = await request(port, '/feed.xml?lang=zh');
    assert.equal((await request(port, '/feed.xml?lang=ZH')).headers.etag, zh.headers.etag);
    for (const path of ['/feed.xml?lang=fr', '/atom.xml?lang=fr', '/feed.json?lang=fr', '/feed.xml?lang=', '/feed.json?lang=zh&lang=en', '/atom.xml?lang=zh-CN']) {
      const r = await request(port, path);
      assert.equal(r.status, 400, path);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      const body = JSON.parse(r.body) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'SERVER_BAD_REQUEST', path);
      assert.match(body.error.message, /zh, en/, path);
    }
    assert.match(JSON.parse((await request(port, '/feed.xml?lang=fr')).body).error.message, /Unknown language "fr"/);
    const head = await request(port, '/feed.xml?lang=fr', {}, 'HEAD');
    assert.equal(head.status, 400);
    assert.equal(head.body, '');
    // Other parameters (cache busters) are ignored.
    assert.equal((await request(port, '/feed.xml?lang=zh&t=123')).headers.etag, zh.headers.etag);
  });

  it('each variant is built once and then served from the cache', async () => {
    const before = store.listCalls;
    for (let i = 0; i < 3; i++) {
      for (const p of ['/feed.xml', '/feed.xml?lang=zh', '/feed.json?lang=en']) assert.equal((await request(port, p)).status, 200);
    }
    assert.equal(store.listCalls, before, 'all three variants were already cached by earlier tests');
    assert.ok(before >= 3, 'merged, zh and en were each built');
  });

  it('the index page links each language view', async () => {
    const $ = cheerio.load((await request(port, '/')).body);
    const hrefs = $('a').toArray().map((a) => $(a).attr('href'));
    for (const p of ['/feed.xml?lang=zh', '/atom.xml?lang=en', '/feed.json?lang=zh']) assert.ok(hrefs.includes(`https://news.example.com${p}`), p);
  });
});

async function viewTitles(format: 'rss' | 'atom' | 'json', body: string): Promise<string[]> {
  if (format === 'json') return (JSON.parse(body) as { items: Array<{ title: string }> }).items.map((i) => i.title);
  return (await new Parser().parseString(body)).items.map((i) => i.title ?? '');
}

describe('server: a translation stored by a later poll', () => {
  it('reaches the merged feed and the zh view after invalidate(), with a new ETag', async () => {
    const set = await bilingualArticles();
    const clock = new FixedClock('2026-08-23T12:00:00.000Z');
    const store = new MemoryStore(clock);
    const a = set.enOk;
    const input = (translations: ArticleInput['translations']): ArticleInput => ({
      sourceId: a.sourceId,
      item: { guid: a.guid, url: a.url, canonicalUrl: a.canonicalUrl, title: a.title, publishedAt: a.publishedAt, modifiedAt: null, dateHadNoZone: false, author: null, summaryHtml: null, contentHtml: a.contentHtml, categories: a.categories, enclosures: [], imageUrl: null },
      extraction: null,
      language: 'en',
      keywords: a.keywords,
      translations,
    });
    const state = emptyState(GCLOUD.id, GCLOUD.feedUrl);
    assert.deepEqual(await store.savePoll(a.sourceId, [input({})], state), { new: 1, updated: 0, unchanged: 0 });
    const config = makeConfig('stacked');
    const handler = createRequestHandler({ store, config, sources: buildSourceInfos(config.sources), logger: silentLogger(), clock });
    const server = await startServer(handler, 0, '127.0.0.1');
    try {
      const before = await request(server.port, '/feed.json');
      assert.equal(JSON.parse(before.body).items[0].title, a.title);
      assert.equal((await request(server.port, '/feed.json?lang=zh')).body.includes(SHADOW_IT_ZH.title), false);
      assert.deepEqual(await store.savePoll(a.sourceId, [input(a.translations)], state), { new: 0, updated: 1, unchanged: 0 });
      // A re-poll that carries no translation keeps the stored one.
      assert.deepEqual(await store.savePoll(a.sourceId, [input({})], state), { new: 0, updated: 0, unchanged: 1 });
      handler.invalidate();
      const after = await request(server.port, '/feed.json');
      assert.notEqual(after.headers.etag, before.headers.etag);
      const item = JSON.parse(after.body).items[0];
      assert.equal(item.title, SHADOW_IT_ZH.title);
      assert.equal(item._duofeed.translation.status, 'ok');
      assert.equal(JSON.parse((await request(server.port, '/feed.json?lang=zh')).body).items[0].title, SHADOW_IT_ZH.title);
    } finally {
      await server.close();
    }
  });
});
