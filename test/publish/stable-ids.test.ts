import assert from 'node:assert/strict';
import { buildFeeds } from '../../src/publish/build-feeds.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import { articleSortKey } from '../../src/store/article-order.js';
import type { ArticleQuery } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Article, FeedItem } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { feedItem, input, removeDir, state, tempDir } from '../store/fixtures.js';
import { kids, strictParse } from './strict-xml.js';

// The tester's report: a second source publishing an item with the same guid changed the first
// item's published ids (guid → its link), so readers showed it twice. Ids must depend only on the
// item and what is stored about it, never on which other items share the document.

const ORIGIN = 'http://127.0.0.1:18501';
const A: SourceInfo = { id: 'srca', name: 'Source A', feedUrl: `${ORIGIN}/a.xml`, siteUrl: `${ORIGIN}/`, language: 'en' };
const B: SourceInfo = { id: 'srcb', name: 'Source B', feedUrl: `${ORIGIN}/b.xml`, siteUrl: `${ORIGIN}/`, language: 'en' };
const SOURCES = new Map([[A.id, A], [B.id, B]]);

/** One item's ids as the three formats published them. */
interface Ids {
  guid: string;
  isPermaLink: string | undefined;
  atom: string;
  json: string;
}

/** Ids per item link, from a build of `articles`. */
function publishedIds(articles: readonly Article[]): Map<string, Ids> {
  const built = buildFeeds({ articles, sources: SOURCES, output: { title: 'duofeed', description: 'ids' }, selfBaseUrl: ORIGIN });
  const rss = kids(strictParse(built.rss), 'channel', 'item');
  const atom = kids(strictParse(built.atom), 'entry');
  const json = (JSON.parse(built.json) as { items: Array<{ id: string; url?: string }> }).items;
  assert.equal(rss.length, articles.length);
  const out = new Map<string, Ids>();
  json.forEach((j, i) => {
    const guid = kids(rss[i]!, 'guid')[0]!;
    out.set(j.url ?? `#${i}`, { guid: guid.text, isPermaLink: guid.attrs.isPermaLink, atom: kids(atom[i]!, 'id')[0]!.text, json: j.id });
  });
  // Unique within the document, in every format.
  for (const key of ['guid', 'atom', 'json'] as const) assert.equal(new Set([...out.values()].map((v) => v[key])).size, out.size, `${key} unique`);
  return out;
}

function item(guid: string, path: string, publishedAt: string, over: Partial<FeedItem> = {}): FeedItem {
  return feedItem({ guid, url: `${ORIGIN}${path}`, canonicalUrl: `${ORIGIN}${path}`, title: `Item ${path}`, publishedAt, ...over });
}

describe('published item ids are stable when other items share a guid', () => {
  let dir: string;
  let store: SqliteStore;
  let clock: FixedClock;
  const list = (query: Partial<ArticleQuery> = {}): Promise<Article[]> => store.listArticles({ limit: 50, ...query });

  beforeEach(() => {
    dir = tempDir();
    clock = new FixedClock('2026-03-01T00:00:00.000Z');
    store = openSqliteStore({ dataDir: dir, clock });
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it("the tester's repro: source B saving guid xss-1 leaves source A's xss-1 item's ids unchanged", async () => {
    await store.savePoll(A.id, [input(A.id, item('xss-1', '/a1', '2026-02-01T00:00:00Z')), input(A.id, item('a-2', '/a2', '2026-02-02T00:00:00Z'))], state(A.id));
    const before = publishedIds(await list());
    const a1 = before.get(`${ORIGIN}/a1`)!;
    assert.equal(a1.guid, 'xss-1');
    assert.equal(a1.isPermaLink, 'false');
    assert.match(a1.atom, /^urn:duofeed:article:[0-9a-f]{32}$/);
    assert.equal(a1.json, a1.guid);

    clock.advance(60_000);
    await store.savePoll(B.id, [input(B.id, item('xss-1', '/b1', '2026-02-03T00:00:00Z'))], state(B.id));
    const after = publishedIds(await list());
    assert.deepEqual(after.get(`${ORIGIN}/a1`), a1);
    assert.deepEqual(after.get(`${ORIGIN}/a2`), before.get(`${ORIGIN}/a2`));
    const b1 = after.get(`${ORIGIN}/b1`)!;
    assert.notEqual(b1.guid, a1.guid);
    assert.notEqual(b1.atom, a1.atom);
    assert.match(b1.guid, /^urn:duofeed:article:[0-9a-f]{32}$/);
    assert.equal(b1.isPermaLink, 'false');

    // Another rebuild, and another poll of A, change nothing.
    clock.advance(60_000);
    await store.savePoll(A.id, [input(A.id, item('xss-1', '/a1', '2026-02-01T00:00:00Z', { title: 'Item /a1, edited' }))], state(A.id));
    assert.deepEqual(publishedIds(await list()), after);
  });

  it('an IRI guid carried by two sources stays with the item stored first; the later one gets its store urn', async () => {
    const shared = 'https://origin.example/post/1';
    await store.savePoll(A.id, [input(A.id, item(shared, '/a1', '2026-02-01T00:00:00Z'))], state(A.id));
    const first = publishedIds(await list()).get(`${ORIGIN}/a1`)!;
    assert.deepEqual(first, { guid: shared, isPermaLink: 'false', atom: shared, json: shared });
    clock.advance(60_000);
    // B's copy is newer and sorts first in the document: the order must not matter.
    await store.savePoll(B.id, [input(B.id, item(shared, '/b1', '2026-02-05T00:00:00Z'))], state(B.id));
    const after = publishedIds(await list());
    assert.deepEqual(after.get(`${ORIGIN}/a1`), first);
    const b1 = after.get(`${ORIGIN}/b1`)!;
    assert.match(b1.guid, /^urn:duofeed:article:[0-9a-f]{32}$/);
    assert.equal(b1.atom, b1.guid);
    // B alone (its per-source feed) publishes the same id: the claim is the store's, not the document's.
    assert.deepEqual(publishedIds(await list({ sourceIds: [B.id] })).get(`${ORIGIN}/b1`), b1);
  });

  it('one item has the same ids in the merged feed, a per-source feed, filtered feeds and a `before` page', async () => {
    const items = [
      input(A.id, item('xss-1', '/a1', '2026-02-01T00:00:00Z', { title: 'Transformer scaling notes' }), { keywords: { en: ['scaling'] } }),
      input(A.id, item('a-2', '/a2', '2026-02-02T00:00:00Z')),
      input(A.id, item('a-3', '/a3', '2026-02-04T00:00:00Z')),
    ];
    await store.savePoll(A.id, items, state(A.id));
    clock.advance(60_000);
    await store.savePoll(B.id, [input(B.id, item('xss-1', '/b1', '2026-02-03T00:00:00Z', { title: 'Transformer scaling again' }), { keywords: { en: ['scaling'] } })], state(B.id));

    const all = await list();
    const merged = publishedIds(all);
    const a1 = all.find((a) => a.url === `${ORIGIN}/a1`)!;
    const b1 = all.find((a) => a.url === `${ORIGIN}/b1`)!;
    const views: Array<[string, Article[]]> = [
      ['source A', await list({ sourceIds: [A.id] })],
      ['source B', await list({ sourceIds: [B.id] })],
      ['keyword', await list({ keywords: ['scaling'] })],
      ['q', await list({ text: 'transformer' })],
      ['before b1 (a page without b1)', await list({ before: { sortAt: articleSortKey(b1), id: b1.id } })],
      ['before a3', await list({ before: { sortAt: '2026-02-04T00:00:00.000Z', id: null } })],
      ['one item only', [a1]],
      ['only b1', [b1]],
    ];
    let compared = 0;
    for (const [name, articles] of views) {
      for (const [link, ids] of publishedIds(articles)) {
        assert.deepEqual(ids, merged.get(link), `${name}: ${link}`);
        compared++;
      }
    }
    assert.ok(compared >= 10, `compared ${compared} items`);
  });
});
