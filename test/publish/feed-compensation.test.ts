import assert from 'node:assert/strict';
import { Feed } from 'feed';
import { buildFeeds } from '../../src/publish/build-feeds.js';
import { decodeMarks, forCdata, forFeedAttr, forRawAttr, forText, forUrl, UNPARSEABLE_URL } from '../../src/publish/feed-values.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import {
  appendChild,
  childElements,
  elementNode,
  markupNode,
  onlyChild,
  parseXmlTree,
  removeChild,
  rootElement,
  serializeXmlTree,
} from '../../src/publish/xml-tree.js';
import type { Article } from '../../src/types.js';
import { makeArticle } from './article-fixtures.js';
import { kids, only, STRICT_PARSE_TIMEOUT_MS, strictParse } from './strict-xml.js';

const DATE = new Date('2024-01-01T00:00:00.000Z');
const SRC: SourceInfo = { id: 'src', name: 'R&D <Lab> "Q" &amp;', feedUrl: 'https://src.example.org/feed?a=1&b=<2>', siteUrl: 'https://src.example.org/?x=1&y=2', language: 'en' };

function build(articles: Article[], source: SourceInfo = SRC) {
  return buildFeeds({ articles, sources: new Map([[source.id, source]]), output: { title: 'Out', description: 'D' }, selfBaseUrl: 'https://agg.example.com' });
}

function plainFeed(): Feed {
  return new Feed({ title: 't', id: 'https://a.example/', link: 'https://a.example/', updated: DATE, generator: 'g' });
}

function code(err: unknown): unknown {
  return (err as { code?: unknown }).code;
}

// If a feed upgrade fixes one of these, the matching compensation would double-escape or is dead:
// this block then fails and says which.
describe('feed 6.0.0 defects that the publisher compensates (pinned)', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  it('splits only the first ]]> of a CDATA section: a second one makes rss2() ill-formed', () => {
    const feed = plainFeed();
    feed.addItem({ title: 'a]]>b]]>c', link: 'https://a.example/1', date: DATE });
    assert.throws(() => strictParse(feed.rss2()), /rejected/);
  });

  it('passes XML-forbidden characters through', () => {
    const feed = plainFeed();
    feed.addItem({ title: 'a\u0001b', link: 'https://a.example/1', date: DATE });
    assert.throws(() => strictParse(feed.rss2()), /rejected/);
  });

  it('un-escapes a literal &amp; in element text, and leaves & and < raw in extension attributes', () => {
    const text = plainFeed();
    text.options.title = 'x &amp; y';
    assert.equal(only(strictParse(text.rss2()), 'channel', 'title').text, 'x & y');
    const attr = plainFeed();
    attr.addItem({ title: 't', link: 'https://a.example/1', date: DATE, extensions: [{ name: 'source', objects: { _attributes: { url: 'https://s/?a&b' }, _text: 's' } }] });
    assert.match(attr.rss2(), /<source url="https:\/\/s\/\?a&b">/);
  });

  it('throws on a non-URL Atom id and on an entry without a date; normalizes URLs; types enclosures image/<ext>', () => {
    const ids = plainFeed();
    ids.addItem({ title: 't', id: '12345', link: 'https://a.example/1', date: DATE });
    assert.throws(() => ids.atom1(), TypeError);
    const dates = plainFeed();
    dates.addItem({ title: 't', link: 'https://a.example/1' } as never);
    assert.throws(() => dates.atom1(), TypeError);
    const urls = plainFeed();
    urls.addItem({ title: 't', link: 'https://A.example/模型', date: DATE, enclosure: { url: 'https://a.example/e.mp3', type: 'audio/mpeg' } });
    const entry = only(strictParse(urls.atom1()), 'entry');
    assert.equal(kids(entry, 'link')[0]?.attrs.href, 'https://a.example/%E6%A8%A1%E5%9E%8B');
    assert.equal(kids(entry, 'link')[1]?.attrs.type, 'image/mp3');
    assert.equal(only(entry, 'title').attrs.type, 'html');
  });

  it('writes JSON Feed version 1 with a singular author', () => {
    const feed = plainFeed();
    feed.addItem({ title: 't', id: 'i', link: 'https://a.example/1', date: DATE, author: [{ name: 'A' }] });
    const json = JSON.parse(feed.json1());
    assert.equal(json.version, 'https://jsonfeed.org/version/1');
    assert.deepEqual(json.items[0].author, { name: 'A' });
  });
});

describe('publish/feed-values through the real feed package', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  const nasty = 'a ]]> b ]]]]> & &amp; &lt; <x> "q" \'s\' \t\n\r\r\n \uFDD0 \uFDD01 \u0001\uFFFE end]]';
  const clean = nasty.replace(/[\u0001\uFFFE]/g, '');

  it('CDATA, text, feed-escaped and raw attribute values read back exactly from a strict parser', () => {
    const feed = plainFeed();
    feed.options.title = forText(nasty);
    feed.addItem({
      title: forCdata(nasty),
      link: forUrl('https://a.example/1'),
      date: DATE,
      description: forCdata(nasty),
      extensions: [{ name: 'source', objects: { _attributes: { url: forRawAttr(nasty) }, _text: forText(nasty) } }],
    });
    const tree = parseXmlTree(feed.rss2());
    const rss = strictParse(serializeXmlTree(tree));
    assert.equal(only(rss, 'channel', 'title').text, clean);
    const item = only(rss, 'channel', 'item');
    assert.equal(only(item, 'title').text, clean);
    assert.equal(only(item, 'description').text, clean);
    assert.equal(only(item, 'source').text, clean);
    assert.equal(only(item, 'source').attrs.url, clean);

    const atom = plainFeed();
    atom.addItem({ title: forCdata(nasty), id: forUrl('urn:x:1'), link: forUrl('https://a.example/1'), date: DATE, category: [{ term: forFeedAttr(nasty) }] });
    const entry = only(strictParse(serializeXmlTree(parseXmlTree(atom.atom1()))), 'entry');
    assert.equal(only(entry, 'title').text, clean);
    assert.equal(only(entry, 'category').attrs.term, clean);
  });

  it('decodes marks differently inside and outside CDATA, and rejects an unknown mark', () => {
    assert.equal(decodeMarks(forCdata(']]>\r'), true), ']]]]><![CDATA[>]]>&#13;<![CDATA[');
    assert.equal(decodeMarks(forCdata(']]>\r'), false), ']]&gt;&#13;');
    assert.equal(decodeMarks(forFeedAttr('<\t\n'), false), '&lt;&#9;&#10;');
    assert.equal(decodeMarks('plain', true), 'plain');
    assert.throws(() => decodeMarks('\uFDD09', false), /unknown output mark/);
    assert.throws(() => decodeMarks('x\uFDD0', false), /unknown output mark/);
  });

  it('forUrl keeps a URL new URL() accepts (filtered) and stands in for one it rejects', () => {
    assert.equal(forUrl('https://a.example/p?q=1&r=模型\u0000'), 'https://a.example/p?q=1&r=模型');
    assert.equal(forUrl('urn:duofeed:article:1'), 'urn:duofeed:article:1');
    assert.equal(forUrl('/relative/path'), UNPARSEABLE_URL);
    assert.equal(forUrl('http://[::1'), UNPARSEABLE_URL);
  });
});

describe('publish/xml-tree', () => {
  it('serializes feed output back byte for byte', () => {
    const feed = plainFeed();
    feed.addItem({ title: 'T & <b>', link: 'https://a.example/1?a=1&b=2', date: DATE, description: 'd', content: '<p>c</p>', category: [{ name: 'c' }] });
    for (const doc of [feed.rss2(), feed.atom1()]) assert.equal(serializeXmlTree(parseXmlTree(doc)), doc);
  });

  it('rejects what a conforming writer never produces, as DuofeedError INTERNAL', () => {
    for (const bad of ['<a x="1<2"/>', '<a>b & c</a>', '<a>x]]>y</a>', '<a><b></a></b>', '<a><![CDATA[x</a>', '<a><b>', '<a x=1/>', '</a>']) {
      assert.throws(() => parseXmlTree(bad), (err) => code(err) === 'INTERNAL', bad);
    }
    assert.equal(serializeXmlTree(parseXmlTree('<a x="&amp;&#10;&#x41;">&lt;<![CDATA[<&]]></a>')), '<a x="&amp;&#10;&#x41;">&lt;<![CDATA[<&]]></a>');
  });

  it('appends children indented like their siblings, nested ones one level deeper; removes with the indentation', () => {
    const doc = parseXmlTree('<r>\n    <e>\n        <a/>\n        <b/>\n    </e>\n</r>');
    const e = onlyChild(rootElement(doc), 'e');
    appendChild(e, elementNode('s', [markupNode('<i>1</i>'), markupNode('<j/>')]));
    removeChild(e, onlyChild(e, 'a'));
    assert.equal(serializeXmlTree(doc), '<r>\n    <e>\n        <b/>\n        <s>\n            <i>1</i>\n            <j/>\n        </s>\n    </e>\n</r>');
    assert.deepEqual(childElements(e).map((c) => c.name), ['b', 's']);
  });
});

describe('publish builders: what feed lacks, added around it', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  const article = (over: Partial<Article> = {}): Article =>
    makeArticle({ id: 'a1', sourceId: SRC.id, guid: 'https://src.example.org/p/1', url: 'https://src.example.org/p/1', title: 'T', publishedAt: '2024-03-04T05:06:07Z', ...over });

  it('RSS <source>, dc:creator and media:thumbnail escape & < " in text and attributes; namespaces are declared', () => {
    const built = build([article({ author: 'A&B <c>', imageUrl: 'https://img.example/i.png?w=1&h=2' })]);
    const rss = strictParse(built.rss);
    assert.equal(rss.attrs['xmlns:media'], 'http://search.yahoo.com/mrss/');
    assert.equal(rss.attrs['xmlns:dc'], 'http://purl.org/dc/elements/1.1/');
    const item = only(rss, 'channel', 'item');
    assert.equal(only(item, 'source').text, 'R&D <Lab> "Q" &amp;');
    assert.equal(only(item, 'source').attrs.url, 'https://src.example.org/feed?a=1&b=<2>');
    assert.equal(only(item, 'dc:creator').text, 'A&B <c>');
    assert.equal(only(item, 'media:thumbnail').attrs.url, 'https://img.example/i.png?w=1&h=2');
    assert.equal(kids(item, 'author').length, 0, 'RSS <author> must be an e-mail address; the name goes to dc:creator');
    assert.match(built.rss, /<source url="https:\/\/src\.example\.org\/feed\?a=1&amp;b=&lt;2&gt;">R&amp;D &lt;Lab&gt; "Q" &amp;amp;<\/source>/);
  });

  it('Atom <source> has the source feed id, title, self and alternate links, with & and < escaped', () => {
    const entry = only(strictParse(build([article()]).atom), 'entry');
    const source = only(entry, 'source');
    assert.deepEqual(source.children.map((c) => [c.name, c.attrs.rel ?? null]), [['id', null], ['title', null], ['link', 'self'], ['link', 'alternate']]);
    assert.equal(only(source, 'id').text, SRC.feedUrl);
    assert.equal(only(source, 'title').text, SRC.name);
    assert.equal(kids(source, 'link')[0]?.attrs.href, SRC.feedUrl);
    assert.equal(kids(source, 'link')[1]?.attrs.href, SRC.siteUrl);
    const noSite = only(strictParse(build([article()], { ...SRC, siteUrl: null }).atom), 'entry', 'source');
    assert.deepEqual(noSite.children.map((c) => c.name), ['id', 'title', 'link']);
  });

  it('URLs and ids are published exactly as stored (feed would percent-encode and lower-case them)', () => {
    const link = 'https://Src.example.org/模型?q=ёлка&x=1';
    const built = build([article({ guid: link, url: link, enclosures: [{ url: 'https://src.example.org/音频.mp3', type: 'audio/mpeg', length: 7, title: null }] })]);
    const item = only(strictParse(built.rss), 'channel', 'item');
    assert.equal(only(item, 'link').text, link);
    assert.equal(only(item, 'guid').text, link);
    assert.equal(only(item, 'guid').attrs.isPermaLink, 'true');
    assert.equal(only(item, 'enclosure').attrs.url, 'https://src.example.org/音频.mp3');
    const entry = only(strictParse(built.atom), 'entry');
    assert.equal(only(entry, 'id').text, link);
    assert.equal(kids(entry, 'link').find((l) => l.attrs.rel === 'alternate')?.attrs.href, link);
    assert.doesNotMatch(built.rss + built.atom, /%E6|&#x/i);
  });

  it('a non-URL guid stays the RSS guid (isPermaLink false) and becomes a urn Atom id; unparseable links are kept, not fatal', () => {
    const built = build([article({ guid: 'post 42 & co', url: 'not a url' }), article({ id: 'a2', guid: 'x2', url: null })]);
    const items = kids(strictParse(built.rss), 'channel', 'item');
    assert.deepEqual(items.map((i) => [only(i, 'guid').text, only(i, 'guid').attrs.isPermaLink]), [['post 42 & co', 'false'], ['x2', 'false']]);
    assert.equal(only(items[0]!, 'link').text, 'not a url');
    assert.equal(kids(items[1]!, 'link').length, 0);
    const entries = kids(strictParse(built.atom), 'entry');
    assert.deepEqual(entries.map((e) => only(e, 'id').text), ['urn:duofeed:article:a1', 'urn:duofeed:article:a2']);
    assert.deepEqual(kids(entries[0]!, 'link').map((l) => l.attrs.href), ['not a url']);
    assert.deepEqual(kids(entries[1]!, 'link').length, 0, 'no href-less <link/> for an entry without a link');
  });

  it('Atom: every enclosure with its own media type, entry titles as text, thumbnail in the media namespace', () => {
    const built = build([
      article({
        title: '<b>not markup</b>',
        imageUrl: 'https://src.example.org/c.png',
        enclosures: [
          { url: 'https://src.example.org/e1.mp3', type: 'audio/mpeg', length: 1, title: 'One & "1"' },
          { url: 'https://src.example.org/e2.ogg', type: null, length: null, title: null },
          { url: 'https://src.example.org/e3.mp4', type: 'video/mp4', length: 3, title: 'Three' },
        ],
      }),
    ]);
    const atom = strictParse(built.atom);
    assert.equal(atom.attrs['xmlns:media'], 'http://search.yahoo.com/mrss/');
    const entry = only(atom, 'entry');
    assert.deepEqual(only(entry, 'title'), { name: 'title', attrs: { type: 'text' }, text: '<b>not markup</b>', children: [] });
    const enclosures = kids(entry, 'link').filter((l) => l.attrs.rel === 'enclosure');
    assert.deepEqual(enclosures.map((l) => l.attrs), [
      { rel: 'enclosure', href: 'https://src.example.org/e1.mp3', title: 'One & "1"', type: 'audio/mpeg', length: '1' },
      { rel: 'enclosure', href: 'https://src.example.org/e2.ogg' },
      { rel: 'enclosure', href: 'https://src.example.org/e3.mp4', type: 'video/mp4', length: '3', title: 'Three' },
    ]);
    assert.equal(only(entry, 'media:thumbnail').attrs.url, 'https://src.example.org/c.png');
    const rss = only(strictParse(built.rss), 'channel', 'item');
    assert.deepEqual(only(rss, 'enclosure').attrs, { length: '1', type: 'audio/mpeg', url: 'https://src.example.org/e1.mp3' });
  });

  it('JSON Feed 1.1: authors array (no 1.0 author), language, attachments, fixed key order', () => {
    const built = build([article({ author: 'Ada', language: 'zh-CN', summaryHtml: '<p>S</p>', categories: ['k'], imageUrl: 'https://src.example.org/c.png', enclosures: [{ url: 'https://src.example.org/e.mp3', type: null, length: null, title: null }] })]);
    const json = JSON.parse(built.json);
    assert.deepEqual(Object.keys(json), ['version', 'title', 'home_page_url', 'feed_url', 'description', '_duofeed', 'items']);
    assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
    const item = json.items[0];
    assert.deepEqual(Object.keys(item), ['id', 'url', 'title', 'content_html', 'summary', 'image', 'date_published', 'date_modified', 'authors', 'tags', 'language', 'attachments', '_duofeed']);
    assert.deepEqual(item.authors, [{ name: 'Ada' }]);
    assert.equal(item.language, 'zh-CN');
    assert.deepEqual(item.attachments, [{ url: 'https://src.example.org/e.mp3', mime_type: 'application/octet-stream' }]);
    assert.equal(item.summary, 'S');
    assert.ok(built.json.endsWith('}\n'));
    const untitled = JSON.parse(build([article({ title: '' })]).json).items[0];
    assert.equal(untitled.title, '');
  });

  it('no date is ever "now": an empty feed has no lastBuildDate, the fixed epoch as Atom updated, and equal bytes across builds', () => {
    const a = build([]);
    const b = build([]);
    assert.equal(a.rss, b.rss);
    assert.equal(a.atom, b.atom);
    assert.equal(kids(strictParse(a.rss), 'channel', 'lastBuildDate').length, 0);
    assert.equal(only(strictParse(a.atom), 'updated').text, '1970-01-01T00:00:00.000Z');
    const dated = build([article({ publishedAt: null, firstSeenAt: '2023-02-03T04:05:06Z' })]);
    assert.equal(only(strictParse(dated.rss), 'channel', 'lastBuildDate').text, 'Fri, 03 Feb 2023 04:05:06 GMT');
    assert.equal(kids(strictParse(dated.rss), 'channel', 'item', 'pubDate').length, 0);
    assert.equal(only(strictParse(dated.atom), 'entry', 'updated').text, '2023-02-03T04:05:06.000Z');
  });
});
