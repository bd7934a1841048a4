import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { entryUpdated, expectedEntries, startClientFixture, type ClientFixture } from './fixture.js';
import { requireFeedparser, SYSTEM_PYTHON } from './require-client.js';

const run = promisify(execFile);

// The Universal Feed Parser fetches each URL itself (its own HTTP client, Accept-Encoding and
// User-Agent), then fetches it again conditionally with the ETag and with the Last-Modified it
// received. Dates are printed as Unix seconds (UTC, via calendar.timegm).
const PROBE = `
import calendar, json, sys, feedparser

def secs(t):
    return None if t is None else calendar.timegm(t)

out = []
for url in sys.argv[1:]:
    d = feedparser.parse(url)
    by_etag = feedparser.parse(url, etag=d.get('etag'))
    by_date = feedparser.parse(url, modified=d.get('modified'))
    out.append({
        'url': url,
        'status': d.get('status'),
        'bozo': int(bool(d.get('bozo'))),
        'bozo_exception': repr(d.get('bozo_exception')) if d.get('bozo') else None,
        'version': d.get('version'),
        'encoding': d.get('encoding'),
        'content_encoding': d.get('headers', {}).get('content-encoding'),
        'feed': {
            'title': d.feed.get('title'),
            'links': [{'rel': l.get('rel'), 'href': l.get('href')} for l in d.feed.get('links', [])],
        },
        'entries': [{
            'title': e.get('title'),
            'link': e.get('link'),
            'published': secs(e.get('published_parsed')),
            'updated': secs(e.get('updated_parsed')),
            'author': e.get('author'),
        } for e in d.entries],
        'by_etag': {'status': by_etag.get('status'), 'entries': len(by_etag.entries)},
        'by_date': {'status': by_date.get('status'), 'entries': len(by_date.entries)},
    })
print(json.dumps(out, ensure_ascii=False))
`;

interface ProbeEntry {
  title: string | null;
  link: string | null;
  published: number | null;
  updated: number | null;
  author: string | null;
}
interface ProbeResult {
  url: string;
  status: number | null;
  bozo: number;
  bozo_exception: string | null;
  version: string;
  encoding: string;
  content_encoding: string | null;
  feed: { title: string | null; links: Array<{ rel: string; href: string }> };
  entries: ProbeEntry[];
  by_etag: { status: number | null; entries: number };
  by_date: { status: number | null; entries: number };
}

/** Runs the probe over the URLs (async: the server under test lives in this process). */
async function probe(urls: string[]): Promise<ProbeResult[]> {
  const { stdout } = await run(SYSTEM_PYTHON, ['-c', PROBE, ...urls], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ProbeResult[];
}

const secondsOf = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

describe('clients: the Universal Feed Parser (python3-feedparser) reads every feed variant', function () {
  this.timeout(180_000);
  let f: ClientFixture;
  let results: Map<string, ProbeResult>;

  // path, format, view language, source filter
  const VARIANTS: Array<[string, 'rss' | 'atom', string | null, string[] | undefined]> = [
    ['/feed.xml', 'rss', null, undefined],
    ['/atom.xml', 'atom', null, undefined],
    ['/feed.xml?lang=zh', 'rss', 'zh', undefined],
    ['/feed.xml?lang=en', 'rss', 'en', undefined],
    ['/atom.xml?lang=zh', 'atom', 'zh', undefined],
    ['/atom.xml?lang=en', 'atom', 'en', undefined],
    // issue 5 point 3 (filters): `source` query parameter and per-source feeds.
    ['/feed.xml?source=techcrunch', 'rss', null, ['techcrunch']],
    ['/sources/techcrunch/atom.xml', 'atom', null, ['techcrunch']],
    ['/sources/36kr/feed.xml', 'rss', null, ['36kr']],
  ];

  before(async () => {
    requireFeedparser();
    f = await startClientFixture();
    const list = await probe(VARIANTS.map(([p]) => `${f.origin}${p}`));
    results = new Map(list.map((r) => [r.url.slice(f.origin.length), r]));
  });
  after(() => f?.close());

  it('the fixture holds items of both languages, some translated, some with authors', () => {
    const zh = expectedEntries(f, 'zh');
    const en = expectedEntries(f, 'en');
    assert.ok(zh.some((e) => e.article.sourceId === '36kr') && zh.some((e) => e.article.sourceId !== '36kr'), 'zh view: Chinese originals and a translation');
    assert.ok(en.some((e) => e.article.sourceId === '36kr'), 'en view: a translated Chinese item');
    assert.ok(f.articles.some((a) => a.author !== null) && f.articles.some((a) => a.author === null));
  });

  for (const [path, format, lang, sourceIds] of VARIANTS) {
    it(`${path}: bozo 0, ${format === 'rss' ? 'rss20' : 'atom10'}, every stored item with its title, link, dates and author`, () => {
      const r = results.get(path)!;
      assert.equal(r.status, 200, `${path} answered ${r.status}`);
      assert.equal(r.bozo, 0, `${path}: bozo_exception ${r.bozo_exception}`);
      assert.equal(r.version, format === 'rss' ? 'rss20' : 'atom10');
      assert.equal(r.encoding.toLowerCase(), 'utf-8');
      assert.equal(r.content_encoding, 'gzip', 'feedparser asks for gzip and gets it');
      assert.ok(r.feed.title !== null && r.feed.title.trim() !== '', 'a feed title');
      if (sourceIds === undefined) assert.ok(r.feed.title.startsWith(f.config.output.title), r.feed.title);

      const expected = expectedEntries(f, lang, sourceIds);
      assert.ok(expected.length > 0);
      assert.equal(r.entries.length, expected.length, `${path}: entry count`);
      assert.deepEqual(
        r.entries.map((e) => e.title),
        expected.map((e) => e.title),
        `${path}: titles in the view's language, newest first`,
      );
      for (const [i, want] of expected.entries()) {
        const got = r.entries[i]!;
        const a = want.article;
        assert.equal(got.link, want.link, `${path} #${i} link`);
        assert.equal(got.published, secondsOf(a.publishedAt!), `${path} #${i} published`);
        // RSS has one date (pubDate) and feedparser reports it as updated too; Atom's updated is
        // modified ?? published ?? first seen.
        assert.equal(got.updated, secondsOf(format === 'atom' ? entryUpdated(a) : a.publishedAt!), `${path} #${i} updated`);
        if (a.author !== null) assert.equal(got.author, a.author, `${path} #${i} author`);
        else assert.equal(got.author, null, `${path} #${i} has no author`);
      }
      const self = r.feed.links.find((l) => l.rel === 'self');
      assert.equal(self?.href, `${f.origin}${path}`, 'self link = the URL the reader asked for');
    });
  }

  it('feedparser revalidates with the ETag and with Last-Modified it received and gets 304 with no entries', () => {
    for (const [path] of VARIANTS.slice(0, 6)) {
      const r = results.get(path)!;
      assert.deepEqual(r.by_etag, { status: 304, entries: 0 }, `${path} If-None-Match`);
      assert.deepEqual(r.by_date, { status: 304, entries: 0 }, `${path} If-Modified-Since`);
    }
    const paths = new Set(VARIANTS.slice(0, 6).map(([p]) => p));
    const conditional = f.requests.filter((q) => paths.has(q.url) && (q.headers['if-none-match'] ?? q.headers['if-modified-since']) !== undefined);
    assert.equal(conditional.length, 12, 'two conditional requests per feed reached the server');
    assert.deepEqual([...new Set(conditional.map((q) => q.status))], [304]);
  });
});
