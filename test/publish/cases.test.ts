import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { buildFeeds } from '../../src/publish/build-feeds.js';
import { applyIdentityPolicy } from '../../src/parse/identity.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { attributionHtml } from '../../src/publish/item-content.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import type { Article } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { caseFile } from '../helpers/paths.js';
import { input, removeDir, state, tempDir } from '../store/fixtures.js';
import { makeArticle, nonXmlChars } from './article-fixtures.js';
import { kids, only, STRICT_PARSE_TIMEOUT_MS, strictParse } from './strict-xml.js';

const parser = new Parser();
const SRC: SourceInfo = { id: 'src', name: 'Example Source', feedUrl: 'https://src.example.org/feed.xml', siteUrl: 'https://src.example.org/', language: 'en' };
const SOURCES = new Map([[SRC.id, SRC]]);

function build(articles: Article[], sources: Map<string, SourceInfo> = SOURCES) {
  return buildFeeds({ articles, sources, output: { title: 'Merged Example Feed', description: 'cases' }, selfBaseUrl: 'https://agg.example.com' });
}

interface CaseItem {
  id: string;
  link: string;
  title: string;
  published?: string;
  updated?: string;
  firstSeen?: string;
  summary?: string;
  contentHtml?: string;
  author?: { name: string };
}

async function caseArticles(name: string): Promise<Article[]> {
  const doc = JSON.parse(await readFile(caseFile(name, 'items.json'), 'utf8')) as { items: CaseItem[] };
  return doc.items.map((it, i) =>
    makeArticle({
      id: `case-${i}`,
      sourceId: SRC.id,
      guid: it.id,
      url: it.link,
      title: it.title,
      publishedAt: it.published ?? null,
      modifiedAt: it.updated ?? null,
      firstSeenAt: it.firstSeen ?? '2024-01-01T00:00:00.000Z',
      summaryHtml: it.summary ?? null,
      contentHtml: it.contentHtml ?? null,
      extractionStatus: it.contentHtml ? 'ok' : 'pending',
      author: it.author?.name ?? null,
    }),
  );
}

/** Checks a document for forbidden characters and that rss-parser (xml2js, strict) accepts it. */
async function parseBack(doc: string): Promise<Parser.Output<Record<string, unknown>>> {
  assert.deepEqual(nonXmlChars(doc), []);
  return parser.parseString(doc);
}

describe('case 19: every item of a source feed shares one guid', () => {
  it('parsed, keyed and stored as the product does, the republished RSS, Atom and JSON give each item a unique id (its link)', async () => {
    const text = await readFile(caseFile('19-duplicate-guids', 'feed.xml'), 'utf8');
    const feed = await parseFeed(text, { feedUrl: SRC.feedUrl, timezone: null, maxItems: 100, sourceId: SRC.id });
    assert.equal(feed.items.length, 10);
    // As poll-source does: the warning makes the source's policy 'link', stickily.
    assert.ok(feed.warnings.some((w) => w.includes('sharing GUID')), feed.warnings.join('; '));
    const items = applyIdentityPolicy(feed.items, 'link');
    const dir = tempDir();
    const store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    try {
      await store.savePoll(SRC.id, items.map((item) => input(SRC.id, item)), state(SRC.id, { identityPolicy: 'link' }));
      const articles = await store.listArticles({ limit: 50 });
      assert.equal(articles.length, 10);
      const built = build(articles);
      const links = articles.map((a) => a.url);
      const rss = await parseBack(built.rss);
      assert.deepEqual(rss.items.map((i) => i.guid), links);
      assert.equal(rss.items[0]?.guid, 'https://boards.example.com/updates/10-board-update');
      assert.equal(rss.items[9]?.guid, 'https://boards.example.com/updates/01-board-update');
      const $ = cheerio.load(built.rss, { xml: true });
      assert.deepEqual($('item > guid').toArray().map((g) => $(g).attr('isPermaLink')), Array(10).fill('true'));
      const atom = await parseBack(built.atom);
      assert.deepEqual(atom.items.map((i) => i.id), links);
      assert.deepEqual(JSON.parse(built.json).items.map((i: { id: string }) => i.id), links);
    } finally {
      await store.close();
      removeDir(dir);
    }
  });

  it('given unkeyed (the shared guid as stored guid), the first-seen item keeps the guid and the others get their store urn, unique in all formats', async () => {
    const feed = await parser.parseString(await readFile(caseFile('19-duplicate-guids', 'feed.xml'), 'utf8'));
    // One second apart in document order: the first item was seen first.
    const articles = feed.items
      .map((item, i) => makeArticle({ id: `b${i}`, sourceId: SRC.id, guid: item.guid!, url: item.link!, title: item.title!, publishedAt: item.isoDate!, firstSeenAt: `2024-01-01T00:00:0${i}.000Z` }))
      .reverse();
    const built = build(articles);
    const expected = articles.map((a) => (a.id === 'b0' ? 'https://boards.example.com/' : `urn:duofeed:article:${a.id}`));
    const rss = await parseBack(built.rss);
    assert.deepEqual(rss.items.map((i) => i.guid), expected);
    assert.deepEqual((await parseBack(built.atom)).items.map((i) => i.id), expected);
    assert.deepEqual(JSON.parse(built.json).items.map((i: { id: string }) => i.id), expected);
    // Read from a store they carry guidOwner: a page without the first-seen item keeps the ids.
    const owned = articles.map((a) => ({ ...a, guidOwner: 'b0' }));
    assert.deepEqual((await parseBack(build(owned.slice(0, 5)).rss)).items.map((i) => i.guid), expected.slice(0, 5));
  });

  it('variant: two sources using the same guid "1", and two items with the same guid and link, stay distinct; the first-seen keeps the guid', async () => {
    const other: SourceInfo = { ...SRC, id: 'other', name: 'Other', feedUrl: 'https://other.example/feed' };
    const seen = (s: number): string => `2024-01-01T00:00:0${s}.000Z`;
    const articles = [
      makeArticle({ id: 'a', sourceId: 'src', guid: '1', url: 'https://src.example.org/1', title: 'A', firstSeenAt: seen(2) }),
      makeArticle({ id: 'b', sourceId: 'other', guid: '1', url: 'https://other.example/1', title: 'B', firstSeenAt: seen(1) }),
      makeArticle({ id: 'c', sourceId: 'other', guid: 'dup', url: 'https://other.example/same', title: 'C', firstSeenAt: seen(3) }),
      makeArticle({ id: 'd', sourceId: 'other', guid: 'dup', url: 'https://other.example/same', title: 'D', firstSeenAt: seen(3) }),
      makeArticle({ id: 'e', sourceId: 'src', guid: 'solo', url: null, title: 'E', firstSeenAt: seen(0) }),
    ];
    const built = build(articles, new Map([[SRC.id, SRC], [other.id, other]]));
    const guids = (await parseBack(built.rss)).items.map((i) => i.guid);
    assert.deepEqual(guids, ['urn:duofeed:article:a', '1', 'dup', 'urn:duofeed:article:d', 'solo']);
    const atomIds = (await parseBack(built.atom)).items.map((i) => i.id);
    assert.deepEqual(atomIds, ['a', 'b', 'c', 'd', 'e'].map((id) => `urn:duofeed:article:${id}`));
  });
});

describe('case 29: non-ASCII stays characters in the republished content', () => {
  const expected = [
    '<p>Привет, мир! Это абзац на русском языке со словом «ёлка».</p>',
    '<p lang="zh">你好，世界。这是一个中文段落。</p>',
    '<code>MemoryLayout&lt;UInt&gt;.size &amp;&amp; a &lt; b</code>',
    'title="Поиск «ёлка»"',
    'href="https://example.com/search?q=ёлка&amp;lang=ru"',
  ];

  it('RSS, Atom and JSON content carry the exact expected strings and no &#x escapes', async () => {
    const html = await readFile(caseFile('29-non-ascii-serialized-as-entities', 'article.html'), 'utf8');
    const body = cheerio.load(html)('article').html()!.trim();
    const art = makeArticle({ id: 'ru', sourceId: SRC.id, guid: 'https://blog.example.ru/2016/05/mixed-scripts/', url: 'https://blog.example.ru/2016/05/mixed-scripts/', title: 'Кириллица и 中文 в одной статье', contentHtml: body, extractionStatus: 'ok', publishedAt: '2016-05-01T00:00:00Z' });
    const built = build([art]);
    for (const doc of [built.rss, built.atom, built.json]) {
      assert.doesNotMatch(doc, /&#x/i);
      assert.doesNotMatch(doc, /&#[0-9]{3,}/);
      assert.ok(doc.includes('Привет, мир!'), 'Cyrillic kept as characters in the raw document');
    }
    const rss = (await parseBack(built.rss)).items[0]!;
    const atom = (await parseBack(built.atom)).items[0]!;
    const json = JSON.parse(built.json).items[0] as { content_html: string; title: string };
    for (const content of [rss['content:encoded'] as string, atom.content!, json.content_html]) {
      for (const s of expected) assert.ok(content.includes(s), `missing ${s}`);
      assert.equal(content, body + attributionHtml(SRC, art.url));
    }
    assert.equal(rss.title, 'Кириллица и 中文 в одной статье');
    assert.equal(json.title, 'Кириллица и 中文 в одной статье');
  });

  it('variant: CJK, emoji and Swedish in title, source name and category survive every format', async () => {
    const src: SourceInfo = { ...SRC, name: '机器之心 Smörgås 🤖' };
    const art = makeArticle({ id: 'zh', sourceId: SRC.id, guid: 'zh-1', url: 'https://src.example.org/zh?q=模型', title: '大模型 🚀 på svenska', categories: ['人工智能'], publishedAt: '2024-05-06T07:08:09Z' });
    const built = build([art], new Map([[SRC.id, src]]));
    assert.doesNotMatch(built.rss + built.atom, /&#/);
    const $ = cheerio.load(built.rss, { xml: true });
    assert.equal($('item > source').text(), '机器之心 Smörgås 🤖');
    assert.equal($('item > category').text(), '人工智能');
    const atom = (await parseBack(built.atom)).items[0]!;
    assert.equal(atom.title, '大模型 🚀 på svenska');
    assert.equal(atom.link, 'https://src.example.org/zh?q=模型');
  });
});

describe('case 31: characters XML forbids never reach the output', () => {
  it('outputs are well-formed; title, author, summary read back as expected; emoji kept', async () => {
    const built = build(await caseArticles('31-output-invalid-xml-chars'));
    const summary = 'Vertical tab, null, unit separator, keep tab\tand newline\nand CR\r.';
    const rss = (await parseBack(built.rss)).items[0]!;
    assert.equal(rss.title, 'Release notes for 2.0');
    assert.equal(rss.creator, 'Jane Doe');
    assert.equal(rss.content, summary);
    const content = rss['content:encoded'] as string;
    assert.ok(content.startsWith('<p>Byte order mark inside text: ab; noncharacters:  ; lone surrogate: \uFFFD end; emoji kept: \u{1F600}</p>'), content);
    const atom = (await parseBack(built.atom)).items[0]!;
    assert.equal(atom.title, 'Release notes for 2.0');
    assert.equal(atom.author, 'Jane Doe');
    assert.equal(atom.summary, summary);
    assert.ok(atom.content!.includes('emoji kept: \u{1F600}'));
    const json = JSON.parse(built.json).items[0] as { title: string; summary: string; content_html: string; authors: Array<{ name: string }> };
    assert.equal(json.title, 'Release notes for 2.0');
    assert.equal(json.authors[0]?.name, 'Jane Doe');
    assert.equal(json.summary, 'Vertical tab, null, unit separator, keep tab and newline and CR .');
    assert.doesNotMatch(JSON.stringify(json), /\\ud[89ab]/i);
    assert.ok(json.content_html.includes('\u{1F600}'));
    assert.deepEqual(nonXmlChars(json.content_html + json.title), []);
  });

  it('variant: forbidden characters in source name, category, URLs, output title and a lone low surrogate', async () => {
    const src: SourceInfo = { ...SRC, name: 'Bad\u0001 Source\uFFFF', feedUrl: 'https://src.example.org/feed\u0002.xml' };
    const art = makeArticle({ id: 'v', sourceId: SRC.id, guid: 'g\u0000', url: 'https://src.example.org/a\u000b', title: 'x\uDC00y', categories: ['c\u001f'], author: '\uD800', publishedAt: '2024-01-01T00:00:00Z' });
    const built = buildFeeds({ articles: [art], sources: new Map([[SRC.id, src]]), output: { title: 'Out\u0008put', description: 'd\u000c' }, selfBaseUrl: 'https://agg.example.com' });
    const rss = await parseBack(built.rss);
    assert.equal(rss.title, 'Output');
    assert.equal(rss.items[0]?.title, 'x\uFFFDy');
    assert.equal(rss.items[0]?.guid, 'g');
    const $ = cheerio.load(built.rss, { xml: true });
    assert.equal($('item > source').text(), 'Bad Source');
    assert.equal($('item > source').attr('url'), 'https://src.example.org/feed.xml');
    assert.equal($('item > category').text(), 'c');
    const atom = await parseBack(built.atom);
    assert.equal(atom.items[0]?.link, 'https://src.example.org/a');
    const json = JSON.parse(built.json);
    assert.equal(json.items[0]._duofeed.source.name, 'Bad Source');
    assert.equal(json.items[0].authors[0].name, '\uFFFD');
  });
});

describe('case 31 with a strict XML parser (expat via python3 xml.dom.minidom)', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  it('RSS and Atom are accepted; title, author, summary (TAB, LF and CR kept exactly) and content read back', async () => {
    const [art] = await caseArticles('31-output-invalid-xml-chars');
    const built = build([art!]);
    const summary = 'Vertical tab, null, unit separator, keep tab\tand newline\nand CR\r.';
    const content = '<p>Byte order mark inside text: ab; noncharacters:  ; lone surrogate: \uFFFD end; emoji kept: \u{1F600}</p>' + attributionHtml(SRC, art!.url);
    const item = only(strictParse(built.rss), 'channel', 'item');
    assert.equal(only(item, 'title').text, 'Release notes for 2.0');
    assert.equal(only(item, 'dc:creator').text, 'Jane Doe');
    assert.equal(only(item, 'description').text, summary);
    assert.equal(only(item, 'content:encoded').text, content);
    const entry = only(strictParse(built.atom), 'entry');
    assert.equal(only(entry, 'title').text, 'Release notes for 2.0');
    assert.equal(only(entry, 'title').attrs.type, 'text');
    assert.equal(only(entry, 'author', 'name').text, 'Jane Doe');
    assert.equal(only(entry, 'summary').text, summary);
    assert.equal(only(entry, 'content').text, content);
  });

  it('variant: CR, TAB and LF in titles, attributes and CDATA survive a strict parser exactly', () => {
    const src: SourceInfo = { ...SRC, name: 'Line\r\nbreak\tname' };
    const art = makeArticle({ id: 'cr', sourceId: SRC.id, guid: 'https://x.example/cr', url: 'https://x.example/cr', title: 'a\rb\r\nc', categories: ['x\ty'], summaryHtml: '<p>one\r\ntwo</p>', feedContentHtml: '\r\r]]>\r', author: 'A\rB', publishedAt: '2024-01-01T00:00:00Z' });
    const built = build([art], new Map([[SRC.id, src]]));
    const item = only(strictParse(built.rss), 'channel', 'item');
    assert.equal(only(item, 'title').text, 'a\rb\r\nc');
    assert.equal(only(item, 'description').text, '<p>one\r\ntwo</p>');
    assert.ok(only(item, 'content:encoded').text.startsWith('\r\r]]>\r<p'));
    assert.equal(only(item, 'dc:creator').text, 'A\rB');
    assert.equal(only(item, 'source').text, 'Line\r\nbreak\tname');
    const entry = only(strictParse(built.atom), 'entry');
    assert.equal(only(entry, 'title').text, 'a\rb\r\nc');
    assert.equal(only(entry, 'category').attrs.term, 'x\ty');
    assert.equal(only(entry, 'source', 'title').text, 'Line\r\nbreak\tname');
  });
});

describe('case 32: Atom <updated> is always present', () => {
  it('feed and entries carry the exact dates from the case; item b has no <published> and no RSS <pubDate>', async () => {
    const built = build(await caseArticles('32-atom-updated-missing'));
    await parseBack(built.atom);
    const $ = cheerio.load(built.atom, { xml: true });
    assert.equal($('feed > updated').length, 1);
    assert.equal($('feed > updated').text(), '2017-04-03T12:34:56.000Z');
    const entries = Object.fromEntries(
      $('entry').toArray().map((el) => {
        const e = $(el);
        assert.equal(e.children('id').length, 1);
        assert.equal(e.children('updated').length, 1);
        return [e.children('id').text(), { updated: e.children('updated').text(), published: e.children('published').length ? e.children('published').text() : null }];
      }),
    );
    assert.deepEqual(entries, {
      'https://src.example.org/a': { updated: '2017-04-01T09:00:00.000Z', published: '2017-04-01T09:00:00.000Z' },
      'https://src.example.org/b': { updated: '2017-04-03T12:34:56.000Z', published: null },
      'https://src.example.org/c': { updated: '2017-04-03T08:00:00.000Z', published: '2017-03-30T08:00:00.000Z' },
    });
    const rss = await parseBack(built.rss);
    assert.deepEqual(rss.items.map((i) => i.pubDate ?? null), ['Sat, 01 Apr 2017 09:00:00 GMT', null, 'Thu, 30 Mar 2017 08:00:00 GMT']);
    const json = JSON.parse(built.json).items as Array<Record<string, unknown>>;
    assert.deepEqual(json.map((i) => [i.date_published ?? null, i.date_modified]), [
      ['2017-04-01T09:00:00.000Z', '2017-04-01T09:00:00.000Z'],
      [null, '2017-04-03T12:34:56.000Z'],
      ['2017-03-30T08:00:00.000Z', '2017-04-03T08:00:00.000Z'],
    ]);
    assert.equal(built.updated, '2017-04-03T12:34:56.000Z');
  });

  it('variant: unparseable stored dates fall back to first seen, and a record with no usable date to the epoch', async () => {
    const arts = [
      makeArticle({ id: 'p', guid: 'https://x.example/p', sourceId: SRC.id, publishedAt: 'not a date', modifiedAt: '', firstSeenAt: '2020-02-02T02:02:02Z' }),
      makeArticle({ id: 'q', guid: 'https://x.example/q', sourceId: SRC.id, firstSeenAt: 'garbage' }),
    ];
    const built = build(arts);
    await parseBack(built.atom);
    const $ = cheerio.load(built.atom, { xml: true });
    assert.deepEqual($('entry > updated').toArray().map((e) => $(e).text()), ['2020-02-02T02:02:02.000Z', '1970-01-01T00:00:00.000Z']);
    assert.equal($('entry > published').length, 0);
    assert.equal($('feed > updated').text(), '2020-02-02T02:02:02.000Z');
    assert.doesNotMatch(built.rss, /pubDate|Invalid Date/);
  });
});

describe('case 36: "]]>" in content cannot break the output', () => {
  it('title, summary and content read back exactly from RSS and Atom; JSON carries the same strings', async () => {
    const [art] = await caseArticles('36-cdata-terminator-output');
    const built = build([art!]);
    const stored = '<pre><code>&lt;![CDATA[ x ]]&gt; and raw: ]]> then ]]> and ]]]]>&gt;</code></pre><p>% <![CDATA[ latex %]]></p>';
    assert.equal(art!.contentHtml, stored);
    const content = stored + attributionHtml(SRC, 'https://src.example.org/cdata');
    const rss = (await parseBack(built.rss)).items[0]!;
    assert.equal(rss.title, 'Ending a CDATA section: ]]> explained');
    assert.equal(rss.content, 'Use ]]> carefully; and again ]]> here.');
    assert.equal(rss['content:encoded'], content);
    const atom = (await parseBack(built.atom)).items[0]!;
    assert.equal(atom.title, 'Ending a CDATA section: ]]> explained');
    assert.equal(atom.summary, 'Use ]]> carefully; and again ]]> here.');
    assert.equal(atom.content, content);
    const json = JSON.parse(built.json).items[0];
    assert.equal(json.title, 'Ending a CDATA section: ]]> explained');
    assert.equal(json.content_html, content);
    const $ = cheerio.load(built.atom, { xml: true });
    assert.equal($('entry > content').text(), content);
  });

  it('variant: ]]> and <![CDATA[ in the source name, category, author and output title', async () => {
    const src: SourceInfo = { ...SRC, name: 'X ]]> Y <![CDATA[' };
    const art = makeArticle({ id: 'v', sourceId: SRC.id, guid: 'https://x.example/v', url: 'https://x.example/v', title: '<![CDATA[ t ]]>', categories: [']]>'], author: 'a]]>b', feedContentHtml: ']]>]]>]]>', publishedAt: '2024-01-01T00:00:00Z' });
    const built = buildFeeds({ articles: [art], sources: new Map([[SRC.id, src]]), output: { title: 'T ]]> T', description: '' }, selfBaseUrl: 'https://agg.example.com' });
    const rss = await parseBack(built.rss);
    assert.equal(rss.title, 'T ]]> T');
    assert.equal(rss.items[0]?.title, '<![CDATA[ t ]]>');
    assert.equal(rss.items[0]?.creator, 'a]]>b');
    assert.ok((rss.items[0]?.['content:encoded'] as string).startsWith(']]>]]>]]><p'));
    const $ = cheerio.load(built.rss, { xml: true });
    assert.equal($('item > source').text(), 'X ]]> Y <![CDATA[');
    assert.equal($('item > category').text(), ']]>');
    const atom = cheerio.load(built.atom, { xml: true });
    assert.equal(atom('entry > source > title').text(), 'X ]]> Y <![CDATA[');
  });
});

describe('case 36 with a strict XML parser (expat via python3 xml.dom.minidom)', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  it('RSS and Atom are accepted and give exactly the expected title, summary and content', async () => {
    const [art] = await caseArticles('36-cdata-terminator-output');
    const built = build([art!]);
    const content = art!.contentHtml! + attributionHtml(SRC, 'https://src.example.org/cdata');
    const item = only(strictParse(built.rss), 'channel', 'item');
    assert.equal(only(item, 'title').text, 'Ending a CDATA section: ]]> explained');
    assert.equal(only(item, 'description').text, 'Use ]]> carefully; and again ]]> here.');
    assert.equal(only(item, 'content:encoded').text, content);
    const entry = only(strictParse(built.atom), 'entry');
    assert.equal(only(entry, 'title').text, 'Ending a CDATA section: ]]> explained');
    assert.equal(only(entry, 'summary').text, 'Use ]]> carefully; and again ]]> here.');
    assert.equal(only(entry, 'content').text, content);
    // Every terminator is split, not only the first (feed 6.0.0 splits one per section):
    // 1 in the title, 2 in the summary, 4 in the content.
    assert.equal(built.atom.split(']]]]><![CDATA[>').length - 1, 1 + 2 + 4);
  });

  it('variant: runs of ]]>, ]]]]>, a trailing ]] and the output mark U+FDD0 itself read back exactly', () => {
    const tricky = ']]>]]>]]]]>x]]\uFDD0\uFDD01]]><![CDATA[ ]]';
    const src: SourceInfo = { ...SRC, name: tricky };
    const art = makeArticle({ id: 't', sourceId: SRC.id, guid: tricky, url: 'https://x.example/t', title: tricky, author: tricky, categories: [tricky], summaryHtml: tricky, feedContentHtml: tricky, publishedAt: '2024-01-01T00:00:00Z' });
    const built = buildFeeds({ articles: [art], sources: new Map([[SRC.id, src]]), output: { title: tricky, description: tricky }, selfBaseUrl: 'https://agg.example.com' });
    const rss = strictParse(built.rss);
    assert.equal(only(rss, 'channel', 'title').text, tricky);
    assert.equal(only(rss, 'channel', 'description').text, tricky);
    const item = only(rss, 'channel', 'item');
    for (const name of ['title', 'guid', 'description', 'dc:creator', 'category', 'source']) assert.equal(only(item, name).text, tricky, name);
    assert.ok(only(item, 'content:encoded').text.startsWith(`${tricky}<p`));
    const atom = strictParse(built.atom);
    assert.equal(only(atom, 'title').text, tricky);
    assert.equal(only(atom, 'subtitle').text, tricky);
    const entry = only(atom, 'entry');
    for (const name of ['title', 'summary']) assert.equal(only(entry, name).text, tricky, name);
    assert.equal(only(entry, 'category').attrs.term, tricky);
    assert.equal(only(entry, 'author', 'name').text, tricky);
    assert.equal(only(entry, 'source', 'title').text, tricky);
    assert.equal(only(entry, 'id').text, 'urn:duofeed:article:t');
    const json = JSON.parse(built.json);
    assert.equal(json.title, tricky);
    assert.equal(json.items[0].id, tricky);
    assert.equal(json.items[0].title, tricky);
  });
});
