import assert from 'node:assert/strict';
import { articleSortKey, cursorAfter } from '../../src/store/article-order.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { ArticleQuery } from '../../src/store/store.js';
import { FixedClock } from '../helpers/clock.js';
import { MemoryStore } from '../helpers/memory-store.js';
import { GCLOUD, KR36 } from '../publish/bilingual-fixtures.js';
import { filterCorpus, SAVED_AT, type FilterCorpus } from '../server/filter-fixtures.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';

describe('store: listArticles filters (SQLite, corpus items in zh and en) and the memory store agreeing with it', function () {
  this.timeout(60_000);
  let corpus: FilterCorpus;
  let memory: MemoryStore;

  before(async () => {
    corpus = await filterCorpus();
    memory = new MemoryStore(new FixedClock(SAVED_AT));
    memory.put(...corpus.all);
  });
  after(async () => {
    await corpus?.store.close();
    if (corpus) removeDir(corpus.dir);
  });

  const guids = (list: { guid: string }[]): string[] => list.map((a) => a.guid);

  it('source, keyword, CJK text and cursor queries give the same items in the same order in both stores', async () => {
    const queries: ArticleQuery[] = [
      { limit: 1000, sourceIds: [KR36.id] },
      { limit: 1000, sourceIds: [GCLOUD.id, 'googleai'] },
      { limit: 1000, keywords: ['吴恩达'] },
      { limit: 1000, keywords: ['Andrew Ng'] },
      { limit: 1000, keywords: ['gartner', '影子 IT'] },
      { limit: 1000, keywords: ['gartner', '吴恩达'] },
      { limit: 1000, text: '芯片' },
      { limit: 1000, text: '大模型' },
      { limit: 5, text: '模型', sourceIds: [KR36.id] },
      { limit: 1000, before: { sortAt: SAVED_AT, id: null } },
      { limit: 1000, before: cursorAfter(corpus.all[40]!) },
      { limit: 3, before: cursorAfter(corpus.all[3]!), keywords: [] },
    ];
    for (const q of queries) {
      const sql = await corpus.store.listArticles(q);
      const mem = await memory.listArticles(q);
      assert.deepEqual(guids(sql), guids(mem), JSON.stringify(q));
    }
    assert.ok((await corpus.store.listArticles({ limit: 1000, text: '芯片' })).length > 5);
  });

  it('a cursor inside a run of equal dates continues with the next id of that date', async () => {
    const all = corpus.all;
    const i = all.findIndex((a, n) => n + 1 < all.length && articleSortKey(a) === articleSortKey(all[n + 1]!));
    assert.ok(i >= 0, 'the corpus has equal dates');
    const rest = await corpus.store.listArticles({ limit: 1000, before: cursorAfter(all[i]!) });
    assert.deepEqual(guids(rest), guids(all.slice(i + 1)));
  });

  it('an empty or punctuation-only text query matches nothing rather than everything', async () => {
    assert.deepEqual(await corpus.store.listArticles({ limit: 10, text: '—!' }), []);
    assert.deepEqual(await memory.listArticles({ limit: 10, text: '—!' }), []);
    assert.equal((await corpus.store.listArticles({ limit: 10, text: '' })).length, 10, 'empty = no filter');
  });
});

describe('store: keyword and full-text indexes follow writes and are built for old rows by the migration', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => removeDir(dir));

  it('an update re-indexes the item: old words and keywords stop matching, new ones match', async () => {
    const store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    try {
      const first = input('a', feedItem({ guid: 'g1', title: '英伟达发布大模型', publishedAt: '2026-01-01T00:00:00.000Z' }), { keywords: { zh: ['英伟达'] } });
      await store.savePoll('a', [first], state('a'));
      assert.equal((await store.listArticles({ limit: 5, text: '模型' })).length, 1);
      assert.equal((await store.listArticles({ limit: 5, keywords: ['英伟达'] })).length, 1);
      const second = input('a', feedItem({ guid: 'g1', title: 'Nvidia ships new chips', publishedAt: '2026-01-01T00:00:00.000Z' }), { keywords: { en: ['Nvidia'] } });
      assert.deepEqual(await store.savePoll('a', [second], state('a')), { new: 0, updated: 1, unchanged: 0 });
      assert.deepEqual(await store.listArticles({ limit: 5, text: '模型' }), []);
      assert.deepEqual(await store.listArticles({ limit: 5, keywords: ['英伟达'] }), []);
      assert.equal((await store.listArticles({ limit: 5, text: 'chip' })).length, 1, 'stemmed English word');
      assert.equal((await store.listArticles({ limit: 5, keywords: ['NVIDIA'] })).length, 1);
      const fts = store.database.prepare('SELECT count(*) FROM articles_fts').pluck().get();
      assert.equal(fts, 1, 'one index row per article');
    } finally {
      await store.close();
    }
  });

  it('deleting a source removes its index rows (cascade and trigger)', async () => {
    const store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    try {
      await store.savePoll('a', [input('a', feedItem({ guid: 'g1', title: '芯片' }), { keywords: { zh: ['芯片'] } })], state('a'));
      store.database.prepare("DELETE FROM sources WHERE source_id = 'a'").run();
      for (const table of ['articles', 'article_keywords', 'article_search', 'articles_fts']) {
        assert.equal(store.database.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), 0, table);
      }
    } finally {
      await store.close();
    }
  });

  it('a database written before the indexes (schema 3) is indexed when opened by this build', async () => {
    const old = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    await old.savePoll('a', [input('a', feedItem({ guid: 'g1', title: '硅谷VC的新规则：掌握芯片才能坐庄AI初创' }), { keywords: { zh: ['硅谷'], en: ['Silicon Valley'] } })], state('a'));
    await old.savePoll('b', [input('b', feedItem({ guid: 'g2', title: 'Build zero-trust AI agents' }))], state('b'));
    // Back to what schema 3 had: the rows, without the tables and index of steps 4 to 6.
    old.database.exec('DROP INDEX articles_guid_claim; DROP TABLE article_languages; DROP TRIGGER article_search_delete; DROP TABLE articles_fts; DROP TABLE article_search; DROP TABLE article_keywords;');
    old.database.pragma('user_version = 3');
    assert.equal(MIGRATIONS[3]!.name, 'keyword and full-text indexes');
    await old.close();
    const store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    try {
      assert.deepEqual(guids(await store.listArticles({ limit: 5, text: '芯片' })), ['g1']);
      assert.deepEqual(guids(await store.listArticles({ limit: 5, text: 'agents' })), ['g2']);
      assert.deepEqual(guids(await store.listArticles({ limit: 5, keywords: ['silicon valley'] })), ['g1']);
    } finally {
      await store.close();
    }
  });

  const guids = (list: { guid: string }[]): string[] => list.map((a) => a.guid);
});
