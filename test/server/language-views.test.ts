import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { silentLogger } from '../../src/logger.js';
import { languageVersions } from '../../src/publish/item-versions.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Article, ArticleInput, Translation } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { GCLOUD } from '../publish/bilingual-fixtures.js';
import { removeDir, state } from '../store/fixtures.js';
import { filterConfig, filterCorpus, sourceInfos, type FilterCorpus } from './filter-fixtures.js';

/**
 * Language views (`?lang=`) over a real SQLite store of corpus items in zh and en: a view page
 * holds up to `limit` items in its language although the newest merged items are mostly in the
 * other one, its `next` links page through every such item once, and an item translated after it
 * was stored joins the view of the translation's language.
 */

const BASE = 'https://news.example.com';
const LANGUAGES = ['zh', 'en'] as const;
const path = (href: string): string => href.slice(BASE.length);

interface JsonFeed {
  next_url?: string;
  items: Array<{ id: string; language?: string; _duofeed: { originalId: string } }>;
}

// A translation shown in a view has an id of its own (`#duofeed-lang=`); `_duofeed.originalId`
// is the stored item's id, the guid these tests compare with.
const originalId = (i: JsonFeed['items'][number]): string => i._duofeed.originalId;

async function get(port: number, p: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}${p}`);
  const text = await r.text();
  assert.equal(r.status, 200, `${p}: ${text.slice(0, 300)}`);
  return text;
}

/** The independent oracle: the items the publisher has a version in `lang` for (item-versions.ts). */
function inLanguage(all: readonly Article[], sources: ReadonlyMap<string, SourceInfo>, lang: string): Article[] {
  return all.filter((a) => languageVersions(a, sources.get(a.sourceId)!, LANGUAGES).some((v) => v.key === lang));
}

/** JSON Feed pages from `start` by `next_url`; fails on an empty page or a runaway loop. */
async function jsonPages(port: number, start: string): Promise<JsonFeed[]> {
  const pages: JsonFeed[] = [];
  for (let next: string | undefined = start; next !== undefined; ) {
    const page = JSON.parse(await get(port, next)) as JsonFeed;
    assert.ok(page.items.length > 0, `page ${pages.length + 1} (${next}) is not empty`);
    pages.push(page);
    next = page.next_url === undefined ? undefined : path(page.next_url);
    assert.ok(pages.length < 200, 'paging ends');
  }
  return pages;
}

describe('server: language views read full pages from the store (real SQLite, corpus items in zh and en)', function () {
  this.timeout(60_000);
  let corpus: FilterCorpus;
  let server: RunningServer;
  let sources: Map<string, SourceInfo>;
  const MAX = 10;

  before(async () => {
    corpus = await filterCorpus();
    const config = filterConfig(corpus.sources, MAX);
    sources = sourceInfos(config);
    const clock = new FixedClock('2026-08-24T00:00:00.000Z');
    server = await startServer(createRequestHandler({ store: corpus.store, config, sources, logger: silentLogger(), clock }), 0, '127.0.0.1');
  });
  after(async () => {
    await server?.close();
    await corpus?.store.close();
    if (corpus) removeDir(corpus.dir);
  });

  it(`with output.maxItems ${MAX}, each view holds ${MAX} items in its language although the newest ${MAX} merged items do not`, async () => {
    const newest = corpus.all.slice(0, MAX);
    const merged = JSON.parse(await get(server.port, '/feed.json')) as JsonFeed;
    assert.deepEqual(merged.items.map((i) => i.id), newest.map((a) => a.guid), 'the merged feed is the newest items, unchanged');
    for (const lang of LANGUAGES) {
      const want = inLanguage(corpus.all, sources, lang);
      assert.ok(want.length > MAX, `${lang}: ${want.length} items have that language`);
      const view = JSON.parse(await get(server.port, `/feed.json?lang=${lang}`)) as JsonFeed;
      assert.deepEqual(view.items.map(originalId), want.slice(0, MAX).map((a) => a.guid), lang);
      assert.ok(view.items.every((i) => i.language?.split('-')[0] === lang), `${lang}: every item in the view's language`);
      assert.ok(view.next_url !== undefined, `${lang}: older items in that language exist`);
    }
    // The case the fix is about: the newest merged items are mostly Chinese.
    const enAmongNewest = inLanguage(newest, sources, 'en').length;
    assert.ok(enAmongNewest < MAX / 2, `only ${enAmongNewest} of the newest ${MAX} merged items are in en`);
  });

  for (const lang of LANGUAGES) {
    it(`?lang=${lang}: following next links (JSON Feed, limit 7) yields exactly the items in ${lang}, once each, in order, no empty page`, async () => {
      const want = inLanguage(corpus.all, sources, lang).map((a) => a.guid);
      const pages = await jsonPages(server.port, `/feed.json?lang=${lang}&limit=7`);
      const seen = pages.flatMap((p) => p.items.map(originalId));
      assert.equal(new Set(seen).size, seen.length, 'no item twice');
      assert.deepEqual(seen, want);
      assert.equal(pages.length, Math.ceil(want.length / 7));
      assert.ok(pages.slice(0, -1).every((p) => p.items.length === 7), 'every page but the last is full');
    });
  }

  it('paging an Atom view by <link rel="next"> gives the same items; a page that ends with the last item in that language has no next link', async () => {
    const want = inLanguage(corpus.all, sources, 'en').map((a) => a.guid);
    const seen: string[] = [];
    for (let next: string | undefined = '/atom.xml?lang=en&limit=4'; next !== undefined; ) {
      const $ = cheerio.load(await get(server.port, next), { xml: true });
      // RFC 5005 §4: the pages `prev-archive` leads to are archive documents; the first page is not.
      const isArchive = next.includes('before=');
      assert.equal($('feed > fh\\:archive').length, isArchive ? 1 : 0, `${next}: fh:archive`);
      if (isArchive) assert.equal($('feed').attr('xmlns:fh'), 'http://purl.org/syndication/history/1.0');
      const ids = $('entry > id').toArray().map((e) => $(e).text());
      assert.ok(ids.length > 0, `${next} is not empty`);
      seen.push(...ids);
      const href = $('feed > link[rel="next"]').attr('href');
      next = href === undefined ? undefined : path(href);
      assert.ok(seen.length <= want.length, 'paging ends');
    }
    assert.equal(new Set(seen).size, seen.length, 'no entry twice');
    // Entry ids are the guids; an item shown in its English translation carries the view marker.
    assert.deepEqual(seen.map((id) => id.replace(/#duofeed-lang=en$/, '')), want, 'every en item, newest first');
    const byGuid = new Map(corpus.all.map((a) => [a.guid, a]));
    for (const id of seen) {
      const a = byGuid.get(id.replace(/#duofeed-lang=en$/, ''))!;
      const translated = a.language !== null && !a.language.toLowerCase().startsWith('en');
      assert.equal(id.endsWith('#duofeed-lang=en'), translated, `${id}: marked exactly when shown in a translation`);
    }

    // Exactly as many items as the limit (below output.maxItems): one full page and no next.
    const few = inLanguage(corpus.all.filter((a) => a.sourceId === GCLOUD.id), sources, 'zh');
    assert.ok(few.length >= 2 && few.length < MAX, `${few.length}`);
    const exact = JSON.parse(await get(server.port, `/feed.json?source=${GCLOUD.id}&lang=zh&limit=${few.length}`)) as JsonFeed;
    assert.deepEqual(exact.items.map(originalId), few.map((a) => a.guid));
    assert.equal(exact.next_url, undefined, 'no older item in that language');
    const short = JSON.parse(await get(server.port, `/feed.json?source=${GCLOUD.id}&lang=zh&limit=${few.length - 1}`)) as JsonFeed;
    assert.ok(short.next_url !== undefined);
    const rest = JSON.parse(await get(server.port, path(short.next_url!))) as JsonFeed;
    assert.deepEqual(rest.items.map(originalId), [few[few.length - 1]!.guid]);
    assert.equal(rest.next_url, undefined);
  });
});

describe('server: an item translated after it was stored joins the view of that language', function () {
  this.timeout(60_000);

  it('a saved accepted translation adds the item to ?lang=zh at once; a flagged one does not', async () => {
    const corpus = await filterCorpus();
    const config = filterConfig(corpus.sources, 500);
    const sources = sourceInfos(config);
    const clock = new FixedClock('2026-08-24T00:00:00.000Z');
    const server = await startServer(createRequestHandler({ store: corpus.store, config, sources, logger: silentLogger(), clock, feedCache: { minRebuildIntervalMs: 0 } }), 0, '127.0.0.1');
    try {
      const zhIds = async (): Promise<string[]> => (JSON.parse(await get(server.port, '/feed.json?lang=zh')) as JsonFeed).items.map(originalId);
      const untranslated = corpus.all.filter((a) => a.sourceId === GCLOUD.id && Object.keys(a.translations).length === 0);
      const [later, flagged] = untranslated;
      assert.ok(later !== undefined && flagged !== undefined);
      const before = await zhIds();
      assert.ok(!before.includes(later.guid) && !before.includes(flagged.guid));

      // As the translation backfill saves it: the stored item again, with its translation.
      const zh = (a: Article, status: Translation['status']): ArticleInput => ({
        sourceId: a.sourceId,
        item: { guid: a.guid, url: a.url, canonicalUrl: a.canonicalUrl, title: a.title, publishedAt: a.publishedAt, modifiedAt: a.modifiedAt, dateHadNoZone: a.dateHadNoZone, author: a.author, summaryHtml: a.summaryHtml, contentHtml: a.feedContentHtml, categories: a.categories, enclosures: a.enclosures, imageUrl: a.imageUrl },
        extraction: null,
        language: 'en',
        keywords: {},
        translations: { zh: { title: `译：${a.title}`, contentHtml: '<p>译文</p>', provider: 'openai', model: 'm', at: '2026-08-24T00:00:00.000Z', status, missing: status === 'flagged' ? ['2024'] : [] } },
      });
      await corpus.store.savePoll(GCLOUD.id, [zh(later, 'ok'), zh(flagged, 'flagged')], state(GCLOUD.id, { feedUrl: GCLOUD.feedUrl }));
      const after = await zhIds();
      const stored = await corpus.store.listArticles({ limit: 100_000 });
      assert.deepEqual(after, inLanguage(stored, sources, 'zh').map((a) => a.guid), 'the view is the publisher rule over the stored items');
      assert.ok(after.includes(later.guid), 'translated later: now in the zh view');
      assert.ok(!after.includes(flagged.guid), 'flagged: not in the zh view');
      assert.equal(after.length, before.length + 1);
    } finally {
      await server.close();
      await corpus.store.close();
      removeDir(corpus.dir);
    }
  });
});
