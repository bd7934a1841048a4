import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { buildFeeds } from '../../src/publish/build-feeds.js';
import { attributionHtml } from '../../src/publish/item-content.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import type { Article } from '../../src/types.js';
import { ANTHROPIC, anthropicArticles, makeArticle, nonXmlChars } from './article-fixtures.js';
import { kids, only, STRICT_PARSE_TIMEOUT_MS, strictParse } from './strict-xml.js';

const OUTPUT = { title: 'duofeed · AI news', description: 'Merged AI news & research' };
const BASE = 'https://news.example.com';
const parser = new Parser();

function build(articles: Article[], sources: Map<string, SourceInfo> = new Map([[ANTHROPIC.id, ANTHROPIC]])) {
  return buildFeeds({ articles, sources, output: OUTPUT, selfBaseUrl: `${BASE}/` });
}

describe('publish/buildFeeds on the real Anthropic corpus feed', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  let articles: Article[];
  let built: ReturnType<typeof build>;
  before(async () => {
    articles = await anthropicArticles(60);
    built = build(articles);
  });

  it('RSS parses back with every item, in order, with title, link, guid and date', async () => {
    const feed = await parser.parseString(built.rss);
    assert.equal(feed.title, OUTPUT.title);
    assert.equal(feed.description, OUTPUT.description);
    assert.equal(feed.feedUrl, `${BASE}/feed.xml`);
    assert.equal(feed.items.length, 60);
    feed.items.forEach((item, i) => {
      const a = articles[i]!;
      assert.equal(item.title, a.title);
      assert.equal(item.link, a.url);
      assert.equal(item.guid, a.guid);
      assert.equal(item.isoDate, a.publishedAt);
      assert.deepEqual(item.categories ?? [], a.categories.filter((c) => c.trim() !== ''));
    });
    assert.equal(new Set(feed.items.map((i) => i.guid)).size, 60);
    assert.equal(feed.items[0]?.title, 'How Claude’s text watermark works');
    assert.equal(feed.lastBuildDate, 'Fri, 14 Aug 2026 00:00:00 GMT');
    assert.deepEqual(nonXmlChars(built.rss), []);
  });

  it('RSS items carry <source url="feed URL">name</source> and the body with the attribution line', () => {
    const $ = cheerio.load(built.rss, { xml: true });
    const items = $('item').toArray();
    assert.equal(items.length, 60);
    items.forEach((el, i) => {
      const source = $(el).children('source');
      assert.equal(source.length, 1);
      assert.equal(source.attr('url'), ANTHROPIC.feedUrl);
      assert.equal(source.text(), 'Anthropic News');
      const a = articles[i]!;
      const body = a.contentHtml ?? a.feedContentHtml ?? '';
      assert.equal($(el).children('content\\:encoded').text(), body + attributionHtml(ANTHROPIC, a.url));
    });
    assert.equal($('channel > atom\\:link').attr('href'), `${BASE}/feed.xml`);
    assert.equal($('channel > generator').text(), 'duofeed');
  });

  it('the extracted body wins over the feed content', () => {
    const $ = cheerio.load(built.rss, { xml: true });
    const first = $('item').first().children('content\\:encoded').text();
    assert.ok(first.startsWith('<p>Extracted body of “How Claude’s text watermark works”.</p>'), first);
    const second = $('item').eq(1).children('content\\:encoded').text();
    assert.ok(second.startsWith(`<p>${articles[1]!.summaryHtml}</p>`), second);
  });

  it('Atom parses back; each entry has one id, one updated and a <source> with id, title, self and alternate links', async () => {
    const feed = await parser.parseString(built.atom);
    assert.equal(feed.items.length, 60);
    feed.items.forEach((item, i) => {
      assert.equal(item.title, articles[i]!.title);
      assert.equal(item.link, articles[i]!.url);
      assert.equal(item.id, articles[i]!.guid);
    });
    const $ = cheerio.load(built.atom, { xml: true });
    assert.equal($('feed > updated').text(), '2026-08-14T00:00:00.000Z');
    assert.equal($('feed > link[rel="self"]').attr('href'), `${BASE}/atom.xml`);
    $('entry').each((i, el) => {
      const entry = $(el);
      assert.equal(entry.children('id').length, 1);
      assert.equal(entry.children('updated').length, 1);
      assert.equal(entry.children('updated').text(), articles[i]!.publishedAt);
      const src = entry.children('source');
      assert.equal(src.length, 1);
      assert.equal(src.children('id').text(), ANTHROPIC.feedUrl);
      assert.equal(src.children('title').text(), 'Anthropic News');
      assert.equal(src.children('link[rel="self"]').attr('href'), ANTHROPIC.feedUrl);
      assert.equal(src.children('link[rel="alternate"]').attr('href'), ANTHROPIC.siteUrl);
    });
    assert.deepEqual(nonXmlChars(built.atom), []);
  });

  it('JSON Feed 1.1 parses back with the _duofeed source and extraction extension', () => {
    const feed = JSON.parse(built.json) as { version: string; feed_url: string; items: Array<Record<string, unknown>> };
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.feed_url, `${BASE}/feed.json`);
    assert.equal(feed.items.length, 60);
    feed.items.forEach((item, i) => {
      const a = articles[i]!;
      assert.equal(item.id, a.guid);
      assert.equal(item.url, a.url);
      assert.equal(item.title, a.title);
      assert.equal(item.date_published, a.publishedAt);
      const ext = item._duofeed as { source: Record<string, unknown>; extraction: Record<string, unknown> };
      assert.deepEqual(Object.keys(ext.source), ['id', 'name', 'feedUrl', 'siteUrl']);
      assert.deepEqual(ext.source, { id: 'anthropic', name: 'Anthropic News', feedUrl: ANTHROPIC.feedUrl, siteUrl: ANTHROPIC.siteUrl });
      assert.deepEqual(ext.extraction, { status: a.extractionStatus, reason: a.extractionReason });
      assert.ok(String(item.content_html).endsWith(`来源 / Source: <a href="${a.url}">Anthropic News</a></p>`));
    });
  });

  it('a strict XML parser (expat) accepts RSS and Atom and reads every title, link, id and body exactly', () => {
    const items = kids(strictParse(built.rss), 'channel', 'item');
    const entries = kids(strictParse(built.atom), 'entry');
    assert.equal(items.length, 60);
    assert.equal(entries.length, 60);
    articles.forEach((a, i) => {
      const body = (a.contentHtml ?? a.feedContentHtml ?? '') + attributionHtml(ANTHROPIC, a.url);
      assert.equal(only(items[i]!, 'title').text, a.title);
      assert.equal(only(items[i]!, 'link').text, a.url);
      assert.equal(only(items[i]!, 'guid').text, a.guid);
      assert.equal(only(items[i]!, 'content:encoded').text, body);
      assert.equal(only(entries[i]!, 'title').text, a.title);
      assert.equal(only(entries[i]!, 'id').text, a.guid);
      assert.equal(only(entries[i]!, 'content').text, body);
      assert.equal(kids(entries[i]!, 'link').find((l) => l.attrs.rel === 'alternate')?.attrs.href, a.url);
    });
  });

  it('is deterministic: the same articles give byte-identical documents and ETags', async () => {
    const again = build(await anthropicArticles(60));
    assert.equal(again.rss, built.rss);
    assert.equal(again.atom, built.atom);
    assert.equal(again.json, built.json);
    assert.deepEqual(again.etags, built.etags);
    assert.match(built.etags.rss, /^"[0-9a-f]{32}"$/);
    assert.notEqual(built.etags.rss, built.etags.atom);
    assert.equal(built.updated, '2026-08-14T00:00:00.000Z');
  });

  it('a change in one article changes the output and its ETag', async () => {
    const changed = await anthropicArticles(60);
    changed[5] = { ...changed[5]!, title: `${changed[5]!.title}!` };
    const other = build(changed);
    assert.notEqual(other.rss, built.rss);
    assert.notEqual(other.etags.rss, built.etags.rss);
  });
});

describe('publish/buildFeeds edge cases', () => {
  it('an empty feed is valid, deterministic, and carries the fixed epoch as Atom updated', async () => {
    const a = build([]);
    const b = build([]);
    assert.equal(a.rss, b.rss);
    assert.equal(a.updated, null);
    assert.equal((await parser.parseString(a.rss)).items.length, 0);
    assert.doesNotMatch(a.rss, /lastBuildDate/);
    const $ = cheerio.load(a.atom, { xml: true });
    assert.equal($('feed > updated').text(), '1970-01-01T00:00:00.000Z');
    assert.equal(JSON.parse(a.json).items.length, 0);
  });

  it('an article whose source is no longer configured is still published, named by its source id', async () => {
    const art = makeArticle({ id: 'x1', guid: 'x1', sourceId: 'gone', url: 'https://gone.example/1', title: 'Old', publishedAt: '2025-01-01T00:00:00Z' });
    const built = build([art], new Map());
    const $ = cheerio.load(built.rss, { xml: true });
    assert.equal($('item > source').length, 0);
    assert.match($('item > content\\:encoded').text(), /来源 \/ Source: <a href="https:\/\/gone.example\/1">gone<\/a>/);
    assert.equal(JSON.parse(built.json).items[0]._duofeed.source.name, 'gone');
    assert.equal((await parser.parseString(built.atom)).items.length, 1);
  });

  it('a non-IRI guid becomes a urn: Atom id; enclosures, image, author and keywords are written', async () => {
    const art = makeArticle({
      id: 'abc123',
      guid: '12345',
      url: 'https://site.example/p/1',
      title: 'Podcast',
      author: 'Ada',
      publishedAt: '2025-02-03T04:05:06Z',
      categories: ['AI', 'ai'],
      keywords: { zh: ['模型'], en: ['model', 'AI'] },
      enclosures: [{ url: 'https://site.example/ep1.mp3', type: 'audio/mpeg', length: 1234, title: 'Episode 1' }],
      imageUrl: 'https://site.example/cover.png',
    });
    const built = build([art]);
    const atom = cheerio.load(built.atom, { xml: true });
    assert.equal(atom('entry > id').text(), 'urn:duofeed:article:abc123');
    assert.equal(atom('entry > link[rel="enclosure"]').attr('length'), '1234');
    assert.equal(atom('entry > author > name').text(), 'Ada');
    assert.deepEqual(atom('entry > category').toArray().map((c) => atom(c).attr('term')), ['AI', 'model', '模型']);
    const rss = await parser.parseString(built.rss);
    assert.equal(rss.items[0]?.guid, '12345');
    assert.equal(rss.items[0]?.creator, 'Ada');
    assert.deepEqual({ ...rss.items[0]?.enclosure }, { url: 'https://site.example/ep1.mp3', length: '1234', type: 'audio/mpeg' });
    const json = JSON.parse(built.json).items[0];
    assert.deepEqual(json.attachments, [{ url: 'https://site.example/ep1.mp3', mime_type: 'audio/mpeg', title: 'Episode 1', size_in_bytes: 1234 }]);
    assert.equal(json.image, 'https://site.example/cover.png');
    assert.deepEqual(json.authors, [{ name: 'Ada' }]);
  });

  it('case 05 (output side): & in titles and links is escaped and reads back as written', async () => {
    const art = makeArticle({
      id: 'g1',
      guid: 'https://games.example.com/articles/2019-08-09-second?ref=rss&utm_source=feed',
      url: 'https://games.example.com/articles/2019-08-09-second?ref=rss&utm_source=feed',
      title: 'Indie studio: "We run D&D nights on a chat server"',
      publishedAt: '2019-08-09T14:00:00.000Z',
    });
    const built = build([art]);
    assert.match(built.rss, /<title>Indie studio: "We run D&amp;D nights on a chat server"<\/title>/);
    for (const doc of [built.rss, built.atom]) {
      const item = (await parser.parseString(doc)).items[0]!;
      assert.equal(item.title, 'Indie studio: "We run D&D nights on a chat server"');
      assert.equal(item.link, 'https://games.example.com/articles/2019-08-09-second?ref=rss&utm_source=feed');
    }
    assert.equal(JSON.parse(built.json).items[0].title, 'Indie studio: "We run D&D nights on a chat server"');
  });
});

describe('publish/buildFeeds: RFC 5005 archive pages', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);

  it('an archive page carries fh:archive in Atom and RSS (namespace declared, well-formed); other pages do not', async () => {
    const articles = await anthropicArticles(3);
    const sources = new Map([[ANTHROPIC.id, ANTHROPIC]]);
    const page = buildFeeds({ articles, sources, output: OUTPUT, selfBaseUrl: BASE, archive: true });
    const head = buildFeeds({ articles, sources, output: OUTPUT, selfBaseUrl: BASE });
    const FH = 'http://purl.org/syndication/history/1.0';
    const atom = strictParse(page.atom);
    assert.equal(atom.attrs['xmlns:fh'], FH);
    assert.equal(kids(atom, 'fh:archive').length, 1);
    const rss = strictParse(page.rss);
    assert.equal(rss.attrs['xmlns:fh'], FH);
    assert.equal(kids(rss, 'channel', 'fh:archive').length, 1);
    assert.equal(kids(strictParse(head.atom), 'fh:archive').length, 0);
    assert.equal(kids(strictParse(head.rss), 'channel', 'fh:archive').length, 0);
    assert.ok(!head.atom.includes('history/1.0') && !head.rss.includes('history/1.0'));
  });
});
