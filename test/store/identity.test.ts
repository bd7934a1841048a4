import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { articleId } from '../../src/store/sqlite/article-id.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ArticleInput, FeedItem } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { caseFile } from '../helpers/paths.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';

/**
 * The items of case 19's feed.xml, read with a plain pattern: the store is under test here,
 * not the parser, and the file's markup is regular (no CDATA, no entities).
 */
function case19Items(): FeedItem[] {
  const xml = fs.readFileSync(caseFile('19-duplicate-guids', 'feed.xml'), 'utf8');
  const pick = (block: string, tag: string): string => {
    const m = new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(block);
    assert.ok(m, `<${tag}> in item`);
    return m[1] as string;
  };
  return [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => {
    const block = m[1] as string;
    const link = pick(block, 'link');
    return feedItem({
      guid: pick(block, 'guid'),
      url: link,
      canonicalUrl: link,
      title: pick(block, 'title'),
      publishedAt: new Date(pick(block, 'pubDate')).toISOString(),
      summaryHtml: pick(block, 'description'),
    });
  });
}

const pad = (n: number): string => String(n).padStart(2, '0');

describe('store/sqlite: item identity', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  describe('case 19: every item carries the same guid', () => {
    const linkState = state('boards', { identityPolicy: 'link' });

    it('under the link policy: 10 items stored, then a second identical fetch adds 0', async () => {
      const feed = case19Items();
      assert.equal(feed.length, 10);
      assert.equal(new Set(feed.map((i) => i.guid)).size, 1);
      const inputs = feed.map((i) => input('boards', i));

      assert.deepEqual(await store.savePoll('boards', inputs, linkState), { new: 10, updated: 0, unchanged: 0 });
      const stored = await store.listArticles({ limit: 100 });
      assert.equal(stored.length, 10);
      // Newest first: #10 was published last.
      assert.deepEqual(
        stored.map((a) => a.title),
        Array.from({ length: 10 }, (_, i) => `Board update #${10 - i}`),
      );
      assert.deepEqual(
        stored.map((a) => a.url),
        Array.from({ length: 10 }, (_, i) => `https://boards.example.com/updates/${pad(10 - i)}-board-update`),
      );
      assert.deepEqual(
        stored.map((a) => a.id),
        stored.map((a) => articleId('boards', a.canonicalUrl as string)),
      );
      assert.equal(new Set(stored.map((a) => a.id)).size, 10);

      assert.deepEqual(await store.savePoll('boards', inputs, linkState), { new: 0, updated: 0, unchanged: 10 });
      assert.equal(await store.countArticles('boards'), 10);
      assert.equal((await store.getSourceState('boards'))?.identityPolicy, 'link');
    });

    it('variant: the oldest item drops off and a new one with the same guid arrives: 1 new, none overwritten', async () => {
      const feed = case19Items();
      await store.savePoll('boards', feed.map((i) => input('boards', i)), linkState);
      const eleventh = feedItem({
        guid: 'https://boards.example.com/',
        url: 'https://boards.example.com/updates/11-board-update',
        canonicalUrl: 'https://boards.example.com/updates/11-board-update',
        title: 'Board update #11',
        publishedAt: '2026-03-26T09:00:00.000Z',
      });
      const next = [...feed.slice(1), eleventh].map((i) => input('boards', i));
      assert.deepEqual(await store.savePoll('boards', next, linkState), { new: 1, updated: 0, unchanged: 9 });
      const titles = (await store.listArticles({ limit: 100 })).map((a) => a.title);
      assert.equal(titles.length, 11);
      assert.ok(titles.includes('Board update #1'));
      assert.ok(titles.includes('Board update #11'));
    });

    it('variant: the same items under the guid policy collapse into one row (why the policy exists)', async () => {
      const inputs = case19Items().map((i) => input('boards', i));
      assert.deepEqual(await store.savePoll('boards', inputs, state('boards')), { new: 1, updated: 9, unchanged: 0 });
      assert.equal(await store.countArticles(), 1);
    });

    it('variant: a source switched from guid to link keeps its rows and adds the rest', async () => {
      const feed = case19Items();
      await store.savePoll('boards', [input('boards', feed[0] as FeedItem)], state('boards'));
      assert.deepEqual(await store.savePoll('boards', feed.map((i) => input('boards', i)), linkState), {
        new: 9,
        updated: 0,
        unchanged: 1,
      });
      assert.equal(await store.countArticles(), 10);
    });
  });

  it('an item whose guid changed but whose canonical URL is the same is updated in place', async () => {
    const before = feedItem({
      guid: 'tag:a.example.com,2026:1',
      url: 'https://a.example.com/p/1?utm_source=rss',
      canonicalUrl: 'https://a.example.com/p/1',
    });
    await store.savePoll('a', [input('a', before)], state('a'));
    const after: FeedItem = { ...before, guid: 'https://a.example.com/?p=1', url: 'https://a.example.com/p/1?utm_medium=feed' };
    assert.deepEqual(await store.savePoll('a', [input('a', after)], state('a')), { new: 0, updated: 1, unchanged: 0 });
    const all = await store.listArticles({ limit: 10 });
    assert.equal(all.length, 1);
    assert.equal(all[0]?.id, articleId('a', 'tag:a.example.com,2026:1'));
    assert.equal(all[0]?.guid, 'https://a.example.com/?p=1');
    // The new guid is what later polls match on.
    assert.deepEqual(await store.savePoll('a', [input('a', after)], state('a')), { new: 0, updated: 0, unchanged: 1 });
  });

  it('under link policy a changed link with the same unique guid is updated in place', async () => {
    const s = state('a', { identityPolicy: 'link' });
    const before = feedItem({ guid: 'g1', url: 'https://a.example.com/old', canonicalUrl: 'https://a.example.com/old' });
    await store.savePoll('a', [input('a', before)], s);
    const after = { ...before, url: 'https://a.example.com/new', canonicalUrl: 'https://a.example.com/new' };
    assert.deepEqual(await store.savePoll('a', [input('a', after)], s), { new: 0, updated: 1, unchanged: 0 });
    assert.equal(await store.countArticles(), 1);
  });

  it('variant: distinct guids that all link to the home page stay distinct items under the guid policy', async () => {
    const home = 'https://news.example.com/';
    const make = (n: number): ArticleInput =>
      input('a', feedItem({ guid: `post-${n}`, url: home, canonicalUrl: home, title: `Post ${n}` }));
    const first = Array.from({ length: 10 }, (_, i) => make(i + 1));
    assert.deepEqual(await store.savePoll('a', first, state('a')), { new: 10, updated: 0, unchanged: 0 });
    // post-1 leaves the feed, post-11 arrives: it must not take over post-1's row.
    const second = Array.from({ length: 10 }, (_, i) => make(i + 2));
    assert.deepEqual(await store.savePoll('a', second, state('a')), { new: 1, updated: 0, unchanged: 9 });
    assert.equal(await store.countArticles(), 11);
  });

  it('two items that share a link, only one of them known, are not merged by the link', async () => {
    const link = 'https://a.example.com/shared';
    await store.savePoll('a', [input('a', feedItem({ guid: 'x', canonicalUrl: link }))], state('a'));
    const next = [
      input('a', feedItem({ guid: 'x', canonicalUrl: link })),
      input('a', feedItem({ guid: 'y', canonicalUrl: link })),
    ];
    assert.deepEqual(await store.savePoll('a', next, state('a')), { new: 1, updated: 0, unchanged: 1 });
  });

  describe('the second key matches only when unambiguous', () => {
    const L = 'https://a.example.com/shared';

    it('several stored rows share the link: a new guid with that link is a new item', async () => {
      await store.savePoll('a', ['x', 'y'].map((g) => input('a', feedItem({ guid: g, canonicalUrl: L }))), state('a'));
      assert.deepEqual(await store.savePoll('a', [input('a', feedItem({ guid: 'z', canonicalUrl: L }))], state('a')), {
        new: 1,
        updated: 0,
        unchanged: 0,
      });
      assert.equal(await store.countArticles(), 3);
    });

    it('two new items of one poll share the link of one stored row: neither takes it over', async () => {
      await store.savePoll('a', [input('a', feedItem({ guid: 'x', canonicalUrl: L }))], state('a'));
      const next = ['y', 'w'].map((g) => input('a', feedItem({ guid: g, canonicalUrl: L })));
      assert.deepEqual(await store.savePoll('a', next, state('a')), { new: 2, updated: 0, unchanged: 0 });
    });

    it('the stored row is still in the poll under its own guid: the link does not move to another item', async () => {
      await store.savePoll('a', [input('a', feedItem({ guid: 'x', canonicalUrl: L }))], state('a'));
      const next = [
        input('a', feedItem({ guid: 'y', canonicalUrl: L })),
        input('a', feedItem({ guid: 'x', canonicalUrl: 'https://a.example.com/moved' })),
      ];
      assert.deepEqual(await store.savePoll('a', next, state('a')), { new: 1, updated: 1, unchanged: 0 });
      assert.equal((await store.getArticle(articleId('a', 'x')))?.canonicalUrl, 'https://a.example.com/moved');
      assert.equal((await store.getArticle(articleId('a', 'y')))?.canonicalUrl, L);
    });

    it('link policy: several stored rows share the guid: a new link with that guid is a new item', async () => {
      const s = state('a', { identityPolicy: 'link' });
      const mk = (n: number) => input('a', feedItem({ guid: 'G', canonicalUrl: `https://a.example.com/${n}` }));
      await store.savePoll('a', [mk(1), mk(2)], s);
      assert.deepEqual(await store.savePoll('a', [mk(3)], s), { new: 1, updated: 0, unchanged: 0 });
    });

    it('link policy: two new links of one poll share the guid of one stored row: neither takes it over', async () => {
      const s = state('a', { identityPolicy: 'link' });
      const mk = (n: number) => input('a', feedItem({ guid: 'G', canonicalUrl: `https://a.example.com/${n}` }));
      await store.savePoll('a', [mk(1)], s);
      assert.deepEqual(await store.savePoll('a', [mk(2), mk(3)], s), { new: 2, updated: 0, unchanged: 0 });
    });

    it('link policy: the stored row is still in the poll under its own link: the guid does not move', async () => {
      const s = state('a', { identityPolicy: 'link' });
      const l1 = 'https://a.example.com/1';
      await store.savePoll('a', [input('a', feedItem({ guid: 'G', canonicalUrl: l1 }))], s);
      const next = [
        input('a', feedItem({ guid: 'G', canonicalUrl: 'https://a.example.com/2' })),
        input('a', feedItem({ guid: 'H', canonicalUrl: l1 })),
      ];
      assert.deepEqual(await store.savePoll('a', next, s), { new: 1, updated: 1, unchanged: 0 });
      const kept = await store.getArticle(articleId('a', l1));
      assert.deepEqual([kept?.guid, kept?.canonicalUrl], ['H', l1]);
    });
  });

  it('a reused old key gets a numbered id instead of colliding with the row that once had it', async () => {
    const L = 'https://a.example.com/p';
    await store.savePoll('a', [input('a', feedItem({ guid: 'x', canonicalUrl: L }))], state('a'));
    await store.savePoll('a', [input('a', feedItem({ guid: 'x2', canonicalUrl: L }))], state('a'));
    const next = [
      input('a', feedItem({ guid: 'x2', canonicalUrl: L })),
      input('a', feedItem({ guid: 'x', canonicalUrl: 'https://a.example.com/other' })),
    ];
    assert.deepEqual(await store.savePoll('a', next, state('a')), { new: 1, updated: 0, unchanged: 1 });
    assert.equal((await store.getArticle(articleId('a', 'x')))?.guid, 'x2');
    assert.equal((await store.getArticle(articleId('a', 'x\n2')))?.guid, 'x');
  });

  it('the same guid in two sources is two articles', async () => {
    const item = feedItem({ guid: 'same' });
    await store.savePoll('a', [input('a', item)], state('a'));
    await store.savePoll('b', [input('b', item)], state('b'));
    assert.equal(await store.countArticles(), 2);
    assert.notEqual(articleId('a', 'same'), articleId('b', 'same'));
  });

  it('articleId is the first 32 hex chars of sha256(sourceId + "\\n" + key)', () => {
    // sha256("a\nb") computed independently (printf 'a\nb' | sha256sum).
    assert.equal(articleId('a', 'b'), '7e18f737311b2dc3b2f269dd78396b03');
  });
});
