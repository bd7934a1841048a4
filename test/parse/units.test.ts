import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { absolutizeHtml } from '../../src/parse/absolutize-html.js';
import { canonicalizeUrl } from '../../src/parse/canonical-url.js';
import { parseFeedDate } from '../../src/parse/dates.js';
import { keepNewest, parseFeed } from '../../src/parse/parse-feed.js';
import { prepareXml } from '../../src/parse/prepare-xml.js';
import { sniffFormat, xmlRootFormat } from '../../src/parse/sniff-format.js';
import type { FeedItem } from '../../src/types.js';

const FEED_URL = 'https://feeds.example.com/feed.xml';

describe('parse: dates', () => {
  const cases: Array<[string, string | null, string | null, boolean]> = [
    ['Wed, 01 Jul 15 00:00:00 +0200', null, '2015-06-30T22:00:00.000Z', false],
    ['Fri, 31 Dec 99 23:59:59 GMT', null, '1999-12-31T23:59:59.000Z', false],
    ['1 July 2015 0:00 PDT', null, '2015-07-01T07:00:00.000Z', false],
    ['Tue, 10 Jun 2003 04:00:00 +05:30', null, '2003-06-09T22:30:00.000Z', false],
    ['2003-12-13T18:30:02.25Z', null, '2003-12-13T18:30:02.250Z', false],
    ['2003-12-13T18:30:02-08:00', null, '2003-12-14T02:30:02.000Z', false],
    ['2019-10-04 08:54:59', 'Asia/Shanghai', '2019-10-04T00:54:59.000Z', true],
    ['Sun, 09 Sep 2018 10:30:00', 'Asia/Shanghai', '2018-09-09T02:30:00.000Z', true],
    ['16.02.2018, 07:30 Uhr', null, '2018-02-16T07:30:00.000Z', true],
    ['2018/09/09', null, '2018-09-09T00:00:00.000Z', false],
    ['Sun Sep 09 2018 10:30:00 GMT+0800 (China Standard Time)', null, '2018-09-09T02:30:00.000Z', false],
    ['Sun Sep  9 10:30:00 2018', null, '2018-09-09T10:30:00.000Z', true],
    ['20240102T030405Z', null, '2024-01-02T03:04:05.000Z', false],
    // Spring-forward gap in New York: 02:30 does not exist; lands after the gap.
    ['2021-03-14 02:30:00', 'America/New_York', '2021-03-14T07:30:00.000Z', true],
    // Fall-back overlap: 01:30 happens twice; the earlier (EDT) instant is taken.
    ['2021-11-07 01:30:00', 'America/New_York', '2021-11-07T05:30:00.000Z', true],
  ];
  for (const [raw, tz, iso, noZone] of cases) {
    it(`${raw} (${tz ?? 'no zone'}) → ${iso}`, () => {
      assert.deepEqual(parseFeedDate(raw, tz), { iso, hadNoZone: noZone });
    });
  }

  it('returns null for empty, blank, impossible and junk values without throwing', () => {
    for (const raw of [null, undefined, '', '   ', 'Mo, 32 Foo 2024 25:61', '2018-02-30', '2018-13-01', 'soon', '31.02.2020']) {
      assert.deepEqual(parseFeedDate(raw, null), { iso: null, hadNoZone: false }, String(raw));
    }
  });

  it('treats an unknown IANA zone as UTC', () => {
    assert.deepEqual(parseFeedDate('2019-10-04 08:54:59', 'Nowhere/Special'), {
      iso: '2019-10-04T08:54:59.000Z',
      hadNoZone: true,
    });
  });

  it('case 16: gives identical results under every host TZ (child processes)', () => {
    const moduleUrl = new URL('../../src/parse/dates.js', import.meta.url).href;
    const script = `import { parseFeedDate } from ${JSON.stringify(moduleUrl)};
      const out = ['Sun, 09 Sep 2018 10:30:00', '2019-10-04 08:54:59', '2019-10-04T08:54:59']
        .flatMap((d) => [parseFeedDate(d, 'Asia/Shanghai').iso, parseFeedDate(d, null).iso]);
      process.stdout.write(JSON.stringify([new Date(2019, 0, 1).getTimezoneOffset(), out]));`;
    const results = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo'].map((TZ) =>
      JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ } }).toString(),
      ) as [number, string[]],
    );
    // The hosts really differ…
    assert.deepEqual(results.map((r) => r[0]), [0, 480, -540]);
    // …and the parsed instants do not.
    const expected = [
      '2018-09-09T02:30:00.000Z', '2018-09-09T10:30:00.000Z',
      '2019-10-04T00:54:59.000Z', '2019-10-04T08:54:59.000Z',
      '2019-10-04T00:54:59.000Z', '2019-10-04T08:54:59.000Z',
    ];
    for (const r of results) assert.deepEqual(r[1], expected);
  });
});

describe('parse: canonicalizeUrl', () => {
  it('drops fragments and tracking parameters, keeps the rest verbatim and in order', () => {
    assert.equal(
      canonicalizeUrl('HTTPS://News.Example.COM:443/a/b?z=1&utm_source=x&a=%20b&fbclid=1&UTM_Medium=y&ref_src=t#frag'),
      'https://news.example.com/a/b?z=1&a=%20b',
    );
    assert.equal(canonicalizeUrl('https://x.example.com/p?gclid=1&mc_cid=2&mc_eid=3'), 'https://x.example.com/p');
    assert.equal(canonicalizeUrl('https://x.example.com/p?ref=rss&flag'), 'https://x.example.com/p?ref=rss&flag');
    assert.equal(canonicalizeUrl('not a url'), null);
  });
});

describe('parse: absolutizeHtml', () => {
  it('rewrites href/src/srcset/poster and leaves schemes alone', () => {
    const html = '<a href="../x">x</a><img src="i.png" srcset="a.png 1x,b.png 2x"><a href="javascript:void(0)">j</a><img src="data:image/png;base64,AA">';
    assert.equal(
      absolutizeHtml(html, 'https://s.example.com/d/e/'),
      '<a href="https://s.example.com/d/x">x</a><img src="https://s.example.com/d/e/i.png" srcset="https://s.example.com/d/e/a.png 1x, https://s.example.com/d/e/b.png 2x"><a href="javascript:void(0)">j</a><img src="data:image/png;base64,AA">',
    );
  });

  it('returns the input untouched when nothing is relative or the base is unusable', () => {
    const html = '<p>Caf&eacute; <a href="https://a.example.com/">a</a></p>';
    assert.equal(absolutizeHtml(html, 'https://s.example.com/'), html);
    assert.equal(absolutizeHtml('<img src="x.png">', 'not-a-url'), '<img src="x.png">');
  });
});

describe('parse: prepareXml and sniffing', () => {
  it('strips BOM and blank lines before the declaration', () => {
    const out = prepareXml('\uFEFF\n\n  <?xml version="1.0"?><rss/>', FEED_URL);
    assert.equal(out.xml, '<?xml version="1.0"?><rss/>');
  });

  it('leaves CDATA, comments and PIs alone while repairing markup', () => {
    const out = prepareXml('<rss><!-- a & b --><t><![CDATA[x & &nbsp; y]]>&nbsp;&</t></rss>', FEED_URL);
    assert.equal(out.xml, '<rss><!-- a & b --><t><![CDATA[x & &nbsp; y]]>&#xa0;&amp;</t></rss>');
  });

  it('sniffs by content', () => {
    assert.equal(sniffFormat(' \n'), 'empty');
    assert.equal(sniffFormat('\uFEFF {"a":1}'), 'json');
    assert.equal(sniffFormat('  <rss/>'), 'xml');
    assert.equal(sniffFormat('hello'), 'other');
    assert.deepEqual(xmlRootFormat('<?xml version="1.0"?><!-- c --><rdf:RDF xmlns:rdf="x"/>'), { format: 'rdf', rootName: 'rdf:RDF' });
    assert.deepEqual(xmlRootFormat('<feed/>'), { format: 'atom', rootName: 'feed' });
    assert.equal(xmlRootFormat('<!DOCTYPE html><html></html>'), null);
  });
});

describe('parse: errors', () => {
  const opts = { feedUrl: FEED_URL, timezone: null, maxItems: 10, sourceId: 'src-1' };

  it('PARSE_EMPTY for blank documents', async () => {
    await assert.rejects(parseFeed('  \r\n', opts), { code: 'PARSE_EMPTY', sourceId: 'src-1', url: FEED_URL });
  });

  it('PARSE_NOT_A_FEED for HTML, OPML, text and non-feed JSON', async () => {
    for (const text of ['<!DOCTYPE html><html><body>hi</body></html>', '<opml version="2.0"><body/></opml>', 'just text', '{"rss":{"channel":{}}}', '[1,2]', '<rss version="2.0"></rss>', '<rdf:RDF xmlns:rdf="x"/>']) {
      await assert.rejects(parseFeed(text, opts), { code: 'PARSE_NOT_A_FEED' }, text);
    }
  });

  it('PARSE_XML names the feed URL, line and column', async () => {
    const err = await parseFeed('<rss version="2.0">\n<channel>\n<item><title>a</b></item></channel></rss>', opts).then(
      () => null,
      (e: unknown) => e as { code: string; message: string; details: Record<string, unknown> },
    );
    assert.ok(err);
    assert.equal(err.code, 'PARSE_XML');
    assert.match(err.message, /feeds\.example\.com\/feed\.xml/);
    assert.equal(err.details.line, 3);
  });

  it('PARSE_JSON for broken JSON', async () => {
    await assert.rejects(parseFeed('{"version": ', opts), { code: 'PARSE_JSON' });
  });
});

describe('parse: maxItems', () => {
  function item(guid: string, publishedAt: string | null): FeedItem {
    return {
      guid, url: null, canonicalUrl: null, title: guid, publishedAt, modifiedAt: null, dateHadNoZone: false,
      author: null, summaryHtml: null, contentHtml: null, categories: [], enclosures: [], imageUrl: null,
    };
  }

  it('keeps the newest by date, undated last, in document order', () => {
    const items = [
      item('old', '2020-01-01T00:00:00.000Z'),
      item('undated', null),
      item('new', '2022-01-01T00:00:00.000Z'),
      item('mid', '2021-01-01T00:00:00.000Z'),
    ];
    assert.deepEqual(keepNewest(items, 2).map((i) => i.guid), ['new', 'mid']);
    assert.deepEqual(keepNewest(items, 4).map((i) => i.guid), ['old', 'undated', 'new', 'mid']);
    assert.deepEqual(keepNewest([item('a', null), item('b', null), item('c', null)], 2).map((i) => i.guid), ['a', 'b']);
  });

  it('applies to parseFeed', async () => {
    const text = `<rss version="2.0"><channel><title>t</title>${[1, 2, 3, 4, 5]
      .map((n) => `<item><title>n${n}</title><link>https://a.example.com/${n}</link><pubDate>2024-01-0${n}T00:00:00Z</pubDate></item>`)
      .join('')}</channel></rss>`;
    const feed = await parseFeed(text, { feedUrl: FEED_URL, timezone: null, maxItems: 2 });
    assert.deepEqual(feed.items.map((i) => i.title), ['n4', 'n5']);
  });
});


describe('parse: a non-http xml:base is ignored', () => {
  it('relative links resolve against the feed URL, not javascript:', async () => {
    const { parseFeed } = await import('../../src/parse/parse-feed.js');
    const xml = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(1)//"><title>t</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
<entry xml:base="data:text/html,"><title>e</title><id>urn:e</id><updated>2024-01-01T00:00:00Z</updated><link href="/post/1"/><content type="html">&lt;a href="/x"&gt;x&lt;/a&gt;</content></entry></feed>`;
    const feed = await parseFeed(xml, { feedUrl: 'https://blog.example.org/feed.atom', timezone: null, maxItems: 10 });
    assert.equal(feed.items[0]!.url, 'https://blog.example.org/post/1');
    assert.match(feed.items[0]!.contentHtml ?? '', /href="https:\/\/blog\.example\.org\/x"/);
  });
});
