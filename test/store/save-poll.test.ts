import assert from 'node:assert/strict';
import { DuofeedError } from '../../src/errors.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { articleId } from '../../src/store/sqlite/article-id.js';
import { feedItemHash } from '../../src/store/content-hash.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Article, ArticleInput, Extraction, Translation } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';

const T0 = '2026-11-30T12:00:00.000Z';
const T1 = '2026-11-30T13:00:00.000Z';

const okExtraction: Extraction = {
  status: 'ok',
  method: 'selector',
  contentHtml: '<p>Full body</p>',
  text: 'Full body',
  reason: null,
};

const zh: Translation = {
  title: '标题',
  contentHtml: '<p>正文</p>',
  provider: 'fake',
  model: null,
  at: T0,
  status: 'ok',
  missing: [],
};

function items(sourceId: string, n: number): ArticleInput[] {
  return Array.from({ length: n }, (_, i) =>
    input(
      sourceId,
      feedItem({
        guid: `g${i + 1}`,
        url: `https://a.example.com/p/${i + 1}`,
        canonicalUrl: `https://a.example.com/p/${i + 1}`,
        publishedAt: `2026-11-0${i + 1}T08:00:00.000Z`,
      }),
    ),
  );
}

async function byGuid(store: SqliteStore, guid: string): Promise<Article> {
  const all = await store.listArticles({ limit: 1000 });
  const found = all.filter((a) => a.guid === guid);
  assert.equal(found.length, 1, `exactly one article with guid ${guid}`);
  return found[0] as Article;
}

describe('store/sqlite: savePoll', () => {
  let dir: string;
  let clock: FixedClock;
  let store: SqliteStore;
  beforeEach(() => {
    dir = tempDir();
    clock = new FixedClock(T0);
    store = openSqliteStore({ dataDir: dir, clock });
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('counts new, then unchanged on an identical re-poll, with no duplicates and updatedAt untouched', async () => {
    assert.deepEqual(await store.savePoll('a', items('a', 3), state('a')), { new: 3, updated: 0, unchanged: 0 });
    clock.advance(3_600_000);
    assert.deepEqual(await store.savePoll('a', items('a', 3), state('a')), { new: 0, updated: 0, unchanged: 3 });
    assert.equal(await store.countArticles(), 3);
    assert.equal(await store.countArticles('a'), 3);
    const a = await byGuid(store, 'g2');
    assert.equal(a.firstSeenAt, T0);
    assert.equal(a.updatedAt, T0);
    assert.equal(a.id, articleId('a', 'g2'));
  });

  it('a changed item is updated in place: same id and firstSeenAt, new updatedAt', async () => {
    await store.savePoll('a', items('a', 3), state('a'));
    clock.advance(3_600_000);
    const next = items('a', 4);
    next[1] = input('a', { ...(next[1] as ArticleInput).item, title: 'Corrected title' });
    assert.deepEqual(await store.savePoll('a', next, state('a')), { new: 1, updated: 1, unchanged: 2 });
    const a = await byGuid(store, 'g2');
    assert.equal(a.title, 'Corrected title');
    assert.equal(a.id, articleId('a', 'g2'));
    assert.equal(a.firstSeenAt, T0);
    assert.equal(a.updatedAt, T1);
    assert.equal((await byGuid(store, 'g1')).updatedAt, T0);
    assert.equal((await byGuid(store, 'g4')).firstSeenAt, T1);
  });

  it('a null extraction and empty enrichment keep what was stored; new ones replace it', async () => {
    const item = feedItem({ guid: 'g1', title: 'First' });
    await store.savePoll(
      'a',
      [input('a', item, { extraction: okExtraction, language: 'en', keywords: { en: ['ai'] }, translations: { zh } })],
      state('a'),
    );
    clock.advance(3_600_000);
    // Feed changed, nothing redone this time: extraction/enrichment survive.
    assert.deepEqual(await store.savePoll('a', [input('a', { ...item, title: 'Second' })], state('a')), {
      new: 0,
      updated: 1,
      unchanged: 0,
    });
    let a = await byGuid(store, 'g1');
    assert.equal(a.title, 'Second');
    assert.equal(a.extractionStatus, 'ok');
    assert.equal(a.extractionMethod, 'selector');
    assert.equal(a.contentHtml, '<p>Full body</p>');
    assert.equal(a.text, 'Full body');
    assert.equal(a.language, 'en');
    assert.deepEqual(a.keywords, { en: ['ai'] });
    assert.deepEqual(a.translations, { zh });

    // Same feed fields, only the enrichment is new: that is a change too.
    assert.deepEqual(
      await store.savePoll('a', [input('a', { ...item, title: 'Second' }, { keywords: { en: ['llm'] } })], state('a')),
      { new: 0, updated: 1, unchanged: 0 },
    );
    a = await byGuid(store, 'g1');
    assert.deepEqual(a.keywords, { en: ['llm'] });
    assert.deepEqual(a.translations, { zh });

    // A failed re-extraction replaces the stored one (the pipeline decided to redo it).
    const failed: Extraction = { status: 'failed', method: null, contentHtml: null, text: null, reason: 'EXTRACT_NOT_HTML' };
    await store.savePoll('a', [input('a', { ...item, title: 'Second' }, { extraction: failed })], state('a'));
    a = await byGuid(store, 'g1');
    assert.equal(a.extractionStatus, 'failed');
    assert.equal(a.extractionReason, 'EXTRACT_NOT_HTML');
    assert.equal(a.contentHtml, null);
  });

  it('a new item without extraction is stored as pending', async () => {
    await store.savePoll('a', [input('a', feedItem({ guid: 'g1' }))], state('a'));
    const a = await byGuid(store, 'g1');
    assert.equal(a.extractionStatus, 'pending');
    assert.equal(a.extractionMethod, null);
    assert.equal(a.contentHtml, null);
  });

  it('keyword and translation maps in another key order count as unchanged', async () => {
    const kw1 = { en: ['a'], zh: ['甲'] };
    const kw2 = { zh: ['甲'], en: ['a'] };
    const item = feedItem({ guid: 'g1' });
    await store.savePoll('a', [input('a', item, { keywords: kw1 })], state('a'));
    assert.deepEqual(await store.savePoll('a', [input('a', item, { keywords: kw2 })], state('a')), {
      new: 0,
      updated: 0,
      unchanged: 1,
    });
  });

  it('saves the source state with the items; foreign key cascades', async () => {
    await store.savePoll('a', items('a', 2), state('a', { etag: '"v1"', identityPolicy: 'link' }));
    const s = await store.getSourceState('a');
    assert.equal(s?.etag, '"v1"');
    assert.equal(s?.identityPolicy, 'link');
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    db.prepare('DELETE FROM sources WHERE source_id = ?').run('a');
    assert.equal(await store.countArticles(), 0);
  });

  it('an empty poll stores only the state', async () => {
    assert.deepEqual(await store.savePoll('a', [], state('a', { etag: 'e' })), { new: 0, updated: 0, unchanged: 0 });
    assert.equal((await store.getSourceState('a'))?.etag, 'e');
    assert.equal(await store.countArticles(), 0);
  });

  it('refuses a state or item of another source with INTERNAL, writing nothing', async () => {
    await assert.rejects(store.savePoll('a', items('b', 1), state('a')), (err: unknown) => {
      assert.ok(err instanceof DuofeedError);
      assert.equal(err.code, 'INTERNAL');
      assert.equal(err.sourceId, 'a');
      return true;
    });
    await assert.rejects(store.savePoll('a', [], state('b')), { code: 'INTERNAL' });
    assert.equal(await store.getSourceState('a'), null);
    assert.equal(await store.countArticles(), 0);
  });

  it('findItem returns the id, the feed-level hash and the extraction status', async () => {
    const list = items('a', 2);
    list[0] = { ...(list[0] as ArticleInput), extraction: okExtraction };
    await store.savePoll('a', list, state('a'));
    const first = (list[0] as ArticleInput).item;
    const ref = await store.findItem('a', 'guid', first.guid, first.canonicalUrl);
    assert.deepEqual(ref, { id: articleId('a', 'g1'), contentHash: feedItemHash(first), extractionStatus: 'ok' });
    assert.notEqual(feedItemHash({ ...first, title: 'changed' }), ref?.contentHash);
    // By canonical URL under 'link'; by the other key when the first one misses.
    assert.equal((await store.findItem('a', 'link', 'other-guid', first.canonicalUrl))?.id, articleId('a', 'g1'));
    assert.equal((await store.findItem('a', 'guid', 'g2', null))?.extractionStatus, 'pending');
    assert.equal(await store.findItem('a', 'guid', 'nope', 'https://a.example.com/nope'), null);
    assert.equal(await store.findItem('b', 'guid', 'g1', null), null);
  });
});
