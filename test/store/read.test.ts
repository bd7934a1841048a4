import assert from 'node:assert/strict';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { articleId } from '../../src/store/sqlite/article-id.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Article, ArticleInput, SourceState } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';

const T0 = '2026-11-30T12:00:00.000Z';

describe('store/sqlite: reading back', () => {
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

  it('every Article field survives the round trip, nulls as null', async () => {
    const given: ArticleInput = input(
      'a',
      {
        guid: 'g1',
        url: 'https://a.example.com/p/1?utm_source=x',
        canonicalUrl: 'https://a.example.com/p/1',
        title: 'GPT-5 & “quotes” 中文',
        publishedAt: '2026-11-29T08:00:00.000Z',
        modifiedAt: '2026-11-29T09:00:00.000Z',
        dateHadNoZone: true,
        author: 'Ann',
        summaryHtml: '<p>sum</p>',
        contentHtml: '<p>feed body</p>',
        categories: ['AI', 'Research'],
        enclosures: [
          { url: 'https://a.example.com/a.mp3', type: 'audio/mpeg', length: 1234, title: 'Episode' },
          { url: 'https://a.example.com/b.jpg', type: null, length: null, title: null },
        ],
        imageUrl: 'https://a.example.com/lead.jpg',
      },
      {
        extraction: { status: 'ok', method: 'generic', contentHtml: '<p>full</p>', text: 'full', reason: null },
        language: 'en',
        keywords: { en: ['gpt-5'], zh: ['模型'] },
        translations: {
          zh: {
            title: '标题',
            contentHtml: null,
            provider: 'fake',
            model: 'm-1',
            at: T0,
            status: 'flagged',
            missing: ['GPT-5'],
          },
        },
      },
    );
    await store.savePoll('a', [given], state('a'));
    const expected: Article = {
      id: articleId('a', 'g1'),
      sourceId: 'a',
      guid: 'g1',
      url: 'https://a.example.com/p/1?utm_source=x',
      canonicalUrl: 'https://a.example.com/p/1',
      title: 'GPT-5 & “quotes” 中文',
      publishedAt: '2026-11-29T08:00:00.000Z',
      modifiedAt: '2026-11-29T09:00:00.000Z',
      dateHadNoZone: true,
      author: 'Ann',
      summaryHtml: '<p>sum</p>',
      feedContentHtml: '<p>feed body</p>',
      contentHtml: '<p>full</p>',
      text: 'full',
      categories: ['AI', 'Research'],
      enclosures: [
        { url: 'https://a.example.com/a.mp3', type: 'audio/mpeg', length: 1234, title: 'Episode' },
        { url: 'https://a.example.com/b.jpg', type: null, length: null, title: null },
      ],
      imageUrl: 'https://a.example.com/lead.jpg',
      extractionStatus: 'ok',
      extractionMethod: 'generic',
      extractionReason: null,
      language: 'en',
      keywords: { en: ['gpt-5'], zh: ['模型'] },
      translations: given.translations,
      firstSeenAt: T0,
      guidOwner: articleId('a', 'g1'),
      updatedAt: T0,
    };
    const [got] = await store.listArticles({ limit: 1 });
    assert.deepEqual(got, expected);
    assert.deepEqual(await store.getArticle(expected.id), expected);
    assert.equal(await store.getArticle('0'.repeat(32)), null);
  });

  it('guidOwner names the first-seen article carrying the guid, whatever the query returns', async () => {
    await store.savePoll('b', [input('b', feedItem({ guid: 'shared', publishedAt: '2026-01-01T00:00:00.000Z' }))], state('b'));
    clock.advance(1000);
    // Saved later but sorting first (newer date), and its source id sorts first: neither matters.
    await store.savePoll('a', [input('a', feedItem({ guid: 'shared', publishedAt: '2026-06-01T00:00:00.000Z' })), input('a', feedItem({ guid: 'own', publishedAt: '2025-01-01T00:00:00.000Z' }))], state('a'));
    const first = articleId('b', 'shared');
    const later = articleId('a', 'shared');
    const owners = (articles: Article[]) => Object.fromEntries(articles.map((x) => [x.id, x.guidOwner]));
    assert.deepEqual(owners(await store.listArticles({ limit: 10 })), { [first]: first, [later]: first, [articleId('a', 'own')]: articleId('a', 'own') });
    assert.deepEqual(owners(await store.listArticles({ limit: 10, sourceIds: ['a'] })), { [later]: first, [articleId('a', 'own')]: articleId('a', 'own') });
    assert.deepEqual(owners(await store.listArticles({ limit: 1 })), { [later]: first });
    assert.equal((await store.getArticle(later))?.guidOwner, first);
  });

  it('a sparse item reads back with null, [] and {} — never undefined', async () => {
    await store.savePoll('a', [input('a', feedItem({ guid: 'g1' }))], state('a'));
    const [a] = await store.listArticles({ limit: 1 });
    assert.ok(a);
    for (const [k, v] of Object.entries(a)) assert.notEqual(v, undefined, k);
    assert.deepEqual(
      [a.url, a.publishedAt, a.language, a.categories, a.enclosures, a.keywords, a.translations, a.dateHadNoZone],
      [null, null, null, [], [], {}, {}, false],
    );
  });

  it('lists newest first by publishedAt, else firstSeenAt, ties broken by id; filters by source; limits', async () => {
    const at = (iso: string | null) => (iso === null ? {} : { publishedAt: iso });
    await store.savePoll(
      'a',
      [
        input('a', feedItem({ guid: 'a-old', ...at('2026-11-01T00:00:00.000Z') })),
        input('a', feedItem({ guid: 'a-undated' })), // sorts at firstSeenAt = T0
        input('a', feedItem({ guid: 'a-tie', ...at('2026-11-20T00:00:00.000Z') })),
      ],
      state('a'),
    );
    clock.advance(60_000);
    await store.savePoll(
      'b',
      [
        input('b', feedItem({ guid: 'b-tie', ...at('2026-11-20T00:00:00.000Z') })),
        input('b', feedItem({ guid: 'b-new', ...at('2026-11-30T11:59:00.000Z') })),
        // A non-UTC offset is sorted by its instant (2026-11-25T00:00Z), not by its text.
        input('b', feedItem({ guid: 'b-offset', ...at('2026-11-25T08:00:00+08:00') })),
      ],
      state('b'),
    );
    const ties = [articleId('a', 'a-tie'), articleId('b', 'b-tie')].sort();
    const tieGuid = (id: string | undefined) => (id === articleId('a', 'a-tie') ? 'a-tie' : 'b-tie');
    const expected = ['a-undated', 'b-new', 'b-offset', tieGuid(ties[0]), tieGuid(ties[1]), 'a-old'];
    assert.deepEqual((await store.listArticles({ limit: 100 })).map((x) => x.guid), expected);
    assert.deepEqual((await store.listArticles({ limit: 100, sourceIds: [] })).map((x) => x.guid), expected);
    assert.deepEqual((await store.listArticles({ limit: 100, sourceIds: null })).map((x) => x.guid), expected);
    assert.deepEqual((await store.listArticles({ limit: 2 })).map((x) => x.guid), expected.slice(0, 2));
    assert.deepEqual(await store.listArticles({ limit: 0 }), []);
    assert.deepEqual(
      (await store.listArticles({ limit: 100, sourceIds: ['b'] })).map((x) => x.guid),
      ['b-new', 'b-offset', 'b-tie'],
    );
    assert.deepEqual(
      (await store.listArticles({ limit: 100, sourceIds: ['a', 'nope'] })).map((x) => x.guid),
      ['a-undated', 'a-tie', 'a-old'],
    );
    await assert.rejects(store.listArticles({ limit: -1 }), { code: 'INTERNAL' });
    await assert.rejects(store.listArticles({ limit: 1.5 }), { code: 'INTERNAL' });
    assert.equal(await store.countArticles(), 6);
    assert.equal(await store.countArticles('a'), 3);
    assert.equal(await store.countArticles('zzz'), 0);
  });

  it('source state round-trips every field; saveSourceState overwrites; list is ordered by id', async () => {
    const full: SourceState = {
      sourceId: 'z-source',
      feedUrl: 'https://z.example.com/feed',
      etag: 'W/"abc"',
      lastModified: 'Mon, 16 Mar 2026 09:00:00 GMT',
      lastAttemptAt: '2026-11-30T11:00:00.000Z',
      lastSuccessAt: '2026-11-30T10:00:00.000Z',
      nextPollAt: '2026-11-30T13:00:00.000Z',
      errorCount: 3,
      lastErrorCode: 'FETCH_TIMEOUT',
      lastErrorMessage: 'https://z.example.com/feed took longer than 10000 ms',
      disabledReason: 'FETCH_GONE',
      identityPolicy: 'link',
      redirectTo: 'https://z2.example.com/feed',
      redirectCount: 2,
      feedTitle: 'Zed',
      siteUrl: 'https://z.example.com/',
      configUrl: 'https://z.example.com/feed.xml',
    };
    assert.equal(await store.getSourceState('z-source'), null);
    await store.saveSourceState(full);
    assert.deepEqual(await store.getSourceState('z-source'), full);

    const cleared = state('z-source', { feedUrl: 'https://z2.example.com/feed', errorCount: 0 });
    await store.saveSourceState(cleared);
    assert.deepEqual(await store.getSourceState('z-source'), cleared);

    await store.saveSourceState(state('a-source'));
    assert.deepEqual(
      (await store.listSourceStates()).map((s) => s.sourceId),
      ['a-source', 'z-source'],
    );
  });
});
