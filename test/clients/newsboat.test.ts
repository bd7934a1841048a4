import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { expectedEntries, startClientFixture, type ClientFixture } from './fixture.js';
import { requireNewsboat } from './require-client.js';

const run = promisify(execFile);

/** A row of newsboat's `rss_item` table (cache schema of newsboat 2.x). */
interface NewsboatItem {
  id: number;
  guid: string;
  title: string;
  author: string;
  url: string;
  feedurl: string;
  pubDate: number;
}

/** A row of newsboat's `rss_feed` table. */
interface NewsboatFeed {
  rssurl: string;
  url: string;
  title: string;
  lastmodified: number;
  etag: string;
}

/** One newsboat profile: its own HOME, urls file, config file and cache database. */
interface Profile {
  dir: string;
  urls: string;
  config: string;
  cache: string;
}

function makeProfile(root: string, name: string, feedUrls: string[]): Profile {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'home'), { recursive: true });
  const p = { dir, urls: path.join(dir, 'urls'), config: path.join(dir, 'config'), cache: path.join(dir, 'cache.db') };
  fs.writeFileSync(p.urls, feedUrls.map((u) => `${u}\n`).join(''));
  // One thread so the request log is in urls-file order; no retries so a failure shows at once.
  fs.writeFileSync(p.config, 'reload-threads 1\ndownload-retries 1\ndownload-timeout 30\n');
  return p;
}

/** `newsboat -u URLS -c CACHE -C CONFIG -x reload`: one headless reload of every URL, then exit. */
async function reload(newsboat: string, p: Profile): Promise<void> {
  const home = path.join(p.dir, 'home');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'), LANG: 'C.UTF-8' };
  // Async on purpose: the server newsboat talks to runs in this process.
  await run(newsboat, ['-u', p.urls, '-c', p.cache, '-C', p.config, '-x', 'reload'], { env, timeout: 120_000 });
}

function readCache(p: Profile): { feeds: NewsboatFeed[]; items: NewsboatItem[] } {
  const db = new Database(p.cache, { readonly: true, fileMustExist: true });
  try {
    return {
      feeds: db.prepare('SELECT rssurl, url, title, lastmodified, etag FROM rss_feed ORDER BY rssurl').all() as NewsboatFeed[],
      items: db.prepare('SELECT id, guid, title, author, url, feedurl, pubDate FROM rss_item WHERE deleted = 0 ORDER BY id').all() as NewsboatItem[],
    };
  } finally {
    db.close();
  }
}

describe('clients: newsboat subscribes, reloads headless and caches every item', function () {
  this.timeout(300_000);
  let newsboat: string;
  let f: ClientFixture;
  let root: string;

  before(async () => {
    newsboat = requireNewsboat();
    f = await startClientFixture();
    root = fs.mkdtempSync(path.join(f.dir, 'newsboat-'));
  });
  after(() => f?.close());

  // newsboat keys cached items by guid across feeds, and duofeed gives an item the same id in
  // RSS and Atom: one profile per feed URL keeps each feed's items under its own URL.
  const VARIANTS: Array<[string, string | null]> = [
    ['/feed.xml', null],
    ['/atom.xml', null],
    ['/feed.xml?lang=zh', 'zh'],
    ['/atom.xml?lang=en', 'en'],
  ];

  for (const [target, lang] of VARIANTS) {
    it(`${target}: every item with its title, link, date and author; unchanged reloads add nothing and revalidate with 304`, async () => {
      const url = `${f.origin}${target}`;
      const p = makeProfile(root, target.replace(/\W+/g, '_'), [url]);
      const expected = expectedEntries(f, lang);

      await reload(newsboat, p);
      const first = readCache(p);
      assert.equal(first.feeds.length, 1);
      assert.equal(first.feeds[0]!.rssurl, url);
      assert.ok(first.feeds[0]!.title.startsWith(f.config.output.title), first.feeds[0]!.title);
      const items = first.items.filter((i) => i.feedurl === url);
      assert.equal(items.length, expected.length, 'one cached item per published entry');
      const byLink = new Map(items.map((i) => [i.url, i]));
      assert.equal(byLink.size, items.length, 'links are distinct');
      for (const want of expected) {
        const got = byLink.get(want.link);
        assert.ok(got, `cached: ${want.link}`);
        assert.equal(got.title, want.title, want.link);
        assert.equal(got.pubDate, Math.floor(Date.parse(want.article.publishedAt!) / 1000), `date of ${want.link}`);
        assert.equal(got.author, want.article.author ?? '', `author of ${want.link}`);
      }

      // newsboat 2.21 keeps a feed's ETag / Last-Modified from its second fetch on, so the third
      // reload is the first conditional one.
      await reload(newsboat, p);
      await reload(newsboat, p);
      const after = readCache(p);
      assert.deepEqual(after.items, first.items, 'unchanged feed: no item added or changed');
      const seen = f.requests.filter((q) => q.url === target);
      assert.equal(seen.length, 3);
      const last = seen[2]!;
      assert.equal(last.headers['if-none-match'], after.feeds[0]!.etag, 'newsboat sent the ETag it stored');
      assert.equal(Date.parse(String(last.headers['if-modified-since'])) / 1000, after.feeds[0]!.lastmodified, 'and the Last-Modified date');
      assert.equal(last.status, 304);
      assert.match(String(last.headers['user-agent']), /^newsboat\//);
    });
  }

  it('one urls file with the RSS and the Atom feed: every item cached once, under the same id in both formats', async () => {
    const urls = [`${f.origin}/feed.xml?lang=en`, `${f.origin}/atom.xml?lang=en`];
    const p = makeProfile(root, 'both', urls);
    await reload(newsboat, p);
    const { feeds, items } = readCache(p);
    assert.deepEqual(feeds.map((x) => x.rssurl).sort(), [...urls].sort());
    const expected = expectedEntries(f, 'en');
    assert.equal(items.length, expected.length, 'the two formats name each item alike, so newsboat merges them');
    assert.deepEqual(items.map((i) => `${i.url} ${i.title}`).sort(), expected.map((e) => `${e.link} ${e.title}`).sort());
  });

  // A reader following both language views: newsboat keys items by guid across all feeds of a
  // profile, so an item shown in its translation must not share its id with the original (before
  // ids per view, each translated item was cached once, under the later view, in its language).
  for (const ext of ['feed.xml', 'atom.xml']) {
    it(`one urls file with /${ext}?lang=zh and ?lang=en: each view's items cached under its own feed, in its own language`, async () => {
      const views = [
        { lang: 'zh', url: `${f.origin}/${ext}?lang=zh` },
        { lang: 'en', url: `${f.origin}/${ext}?lang=en` },
      ];
      const p = makeProfile(root, `views_${ext.replace(/\W+/g, '_')}`, views.map((v) => v.url));
      await reload(newsboat, p);
      const { feeds, items } = readCache(p);
      assert.deepEqual(feeds.map((x) => x.rssurl).sort(), views.map((v) => v.url).sort());
      const inBoth = expectedEntries(f, 'zh').filter((z) => expectedEntries(f, 'en').some((e) => e.article.id === z.article.id));
      assert.ok(inBoth.length >= 2, 'the fixture has items in both views (translated ones)');
      for (const v of views) {
        const expected = expectedEntries(f, v.lang);
        const cached = items.filter((i) => i.feedurl === v.url);
        assert.deepEqual(cached.map((i) => `${i.url} ${i.title}`).sort(), expected.map((e) => `${e.link} ${e.title}`).sort(), `${v.lang} view: every item, titled in ${v.lang}`);
      }
      assert.equal(items.length, expectedEntries(f, 'zh').length + expectedEntries(f, 'en').length, 'no item of one view replaced one of the other');
      for (const both of inBoth) {
        const guids = items.filter((i) => i.url === both.link).map((i) => i.guid);
        assert.equal(new Set(guids).size, 2, `${both.link}: one guid per view`);
      }

      // The second fetch is unconditional (see above): the same ids again, nothing new or moved.
      await reload(newsboat, p);
      assert.deepEqual(readCache(p).items, items, 'a reload re-reads the same ids');
    });
  }
});
