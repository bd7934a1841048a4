import assert from 'node:assert/strict';
import fs from 'node:fs';
import iconv from 'iconv-lite';
import * as cheerio from 'cheerio';
import { parseFeed } from '../../src/parse/parse-feed.js';
import type { ParsedFeed } from '../../src/types.js';
import { corpus } from '../helpers/paths.js';

const FEED_URL = 'https://corpus.example.com/feed';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function decode(path: string, encoding: string): string {
  return iconv.decode(fs.readFileSync(path), encoding);
}

/** Items/entries counted independently of the parser: `<item>` / `<entry>` start tags. */
function countEntries(text: string): number {
  return (text.match(/<(?:item|entry)[\s>]/g) ?? []).length;
}

/** Item titles as written, by cheerio over the raw text (non-empty ones only are required). */
function rawTitles(text: string): string[] {
  const $ = cheerio.load(text, { xml: true });
  return $('item, entry')
    .map((_, el) => $(el).children('title').first().text().trim())
    .get();
}

function checkItems(feed: ParsedFeed, text: string): void {
  const titles = rawTitles(text);
  feed.items.forEach((item, i) => {
    if ((titles[i] ?? 'x') !== '') assert.notEqual(item.title, '', `item ${i} has an empty title`);
    if (item.url !== null) assert.match(item.url, /^https?:\/\/[^/]+/, `item ${i} url`);
    if (item.publishedAt !== null) assert.match(item.publishedAt, ISO, `item ${i} date`);
    assert.notEqual(item.guid, '');
  });
}

const XML_FEEDS: Array<[string, string, ParsedFeed['format']]> = [
  ['feeds/generated/anthropic-news.olshansk.rss2.xml', 'utf8', 'rss'],
  ['feeds/generated/openai-research.olshansk.rss2.xml', 'utf8', 'rss'],
  ['feeds/ai-tech/google-cloud-blog.rss2.xml', 'utf8', 'rss'],
  ['feeds/ai-tech/techcrunch-2011-11.feedburner.rss2.xml', 'utf8', 'rss'],
  ['feeds/ai-tech/theguardian.rss2.xml', 'utf8', 'rss'],
  ['feeds/ai-tech/nextinpact-full.rss2.xml', 'utf8', 'rss'],
  ['feeds/ai-tech/macworld-2017.rss2.xml', 'utf8', 'rss'],
  ['feeds/ai-tech/daringfireball-2017.atom', 'utf8', 'atom'],
  ['feeds/ai-tech/daringfireball-2016.atom-served-as-rss.xml', 'utf8', 'atom'],
  ['feeds/ai-tech/theverge-frontpage-2017.atom', 'utf8', 'atom'],
  ['feeds/ai-tech/google-official-blog-feedburner.atom', 'utf8', 'atom'],
  ['feeds/ai-tech/biorxiv.rss10-rdf.xml', 'utf8', 'rdf'],
  ['feeds/ai-tech/orf-at.rss10-rdf.xml', 'utf8', 'rdf'],
  ['feeds/ai-tech/slashdot.rss10-rdf.iso-8859-1.xml', 'latin1', 'rdf'],
  ['feeds/ai-tech/heise-online.rss090-rdf.xml', 'utf8', 'rdf'],
  ['feeds/non-utf8/zh-kc0011.gb2312.rss2.xml', 'gb18030', 'rss'],
  ['feeds/non-utf8/zh-softsea.gb2312.rss2.xml', 'gb18030', 'rss'],
  ['feeds/non-utf8/zh-cnblog.gb2312.rss092.xml', 'gb18030', 'rss'],
  ['feeds/non-utf8/zh-tw-coolloud.big5.rss10-rdf.xml', 'big5', 'rdf'],
  ['feeds/non-utf8/he-pcplus.windows-1255.rss091.xml', 'windows-1255', 'rss'],
  ['feeds/non-utf8/fr-cerclepsy.iso-8859-1-undeclared.rss2.xml', 'latin1', 'rss'],
  ['feeds/peer-aggregator-output/rss-gpt-36kr-ai-2023-11.zh.rss2.xml', 'utf8', 'rss'],
];

describe('parse: real corpus feeds', () => {
  for (const [file, encoding, format] of XML_FEEDS) {
    it(`${file} (${encoding}) → ${format}, every item`, async () => {
      const text = decode(corpus(file), encoding);
      const feed = await parseFeed(text, { feedUrl: FEED_URL, timezone: null, maxItems: 10_000 });
      assert.equal(feed.format, format);
      assert.equal(feed.items.length, countEntries(text));
      assert.ok(feed.items.length > 0);
      checkItems(feed, text);
    });
  }

  it('spot values: Anthropic (RSS 2.0), Daring Fireball (Atom), heise (RSS 0.90), GB2312 and Big5 titles', async () => {
    const anthropic = await parseFeed(decode(corpus('feeds/generated/anthropic-news.olshansk.rss2.xml'), 'utf8'), {
      feedUrl: FEED_URL, timezone: null, maxItems: 1000,
    });
    assert.ok(anthropic.items.every((i) => i.url?.startsWith('https://www.anthropic.com/')));
    assert.ok(anthropic.items.every((i) => i.publishedAt !== null));

    const kc = decode(corpus('feeds/non-utf8/zh-kc0011.gb2312.rss2.xml'), 'gb18030');
    const kcFeed = await parseFeed(kc, { feedUrl: FEED_URL, timezone: 'Asia/Shanghai', maxItems: 1000 });
    assert.ok(kcFeed.items.some((i) => /[\u4e00-\u9fff]/.test(i.title)), 'Chinese titles decoded');
    assert.deepEqual(kcFeed.items.map((i) => i.title), rawTitles(kc).map((t) => t.replace(/[ \t\n\r\f]+/g, ' ')));

    const big5 = decode(corpus('feeds/non-utf8/zh-tw-coolloud.big5.rss10-rdf.xml'), 'big5');
    const big5Feed = await parseFeed(big5, { feedUrl: FEED_URL, timezone: 'Asia/Taipei', maxItems: 1000 });
    assert.ok(big5Feed.items.every((i) => /[\u4e00-\u9fff]/.test(i.title)));
    assert.ok(big5Feed.warnings.some((w) => /unescaped `&`/.test(w)), 'truncated reference repaired');

    const heise = await parseFeed(decode(corpus('feeds/ai-tech/heise-online.rss090-rdf.xml'), 'utf8'), {
      feedUrl: FEED_URL, timezone: null, maxItems: 1000,
    });
    assert.equal(heise.items.length, 60);
    assert.ok(heise.items.every((i) => i.guid === i.canonicalUrl), 'RSS 0.90 items are keyed by link');
  });

  const jsonDir = corpus('feeds/jsonfeed');
  for (const file of fs.readdirSync(jsonDir).filter((f) => !f.includes('rss-in-json'))) {
    it(`feeds/jsonfeed/${file} → json, every item`, async () => {
      const text = fs.readFileSync(`${jsonDir}/${file}`, 'utf8');
      const data = JSON.parse(text) as { items: Array<{ id: unknown; title?: string; content_text?: string }> };
      const feed = await parseFeed(text, { feedUrl: FEED_URL, timezone: null, maxItems: 10_000 });
      assert.equal(feed.format, 'json');
      assert.equal(feed.items.length, data.items.length);
      feed.items.forEach((item, i) => {
        assert.equal(item.guid, String(data.items[i]?.id));
        assert.notEqual(item.title, '');
        if (item.url !== null) assert.match(item.url, /^https?:\/\//);
        if (item.publishedAt !== null) assert.match(item.publishedAt, ISO);
      });
    });
  }

  it('feeds/jsonfeed/scriptingnews.rss-in-json.json is PARSE_NOT_A_FEED', async () => {
    const text = fs.readFileSync(corpus('feeds/jsonfeed/scriptingnews.rss-in-json.json'), 'utf8');
    await assert.rejects(parseFeed(text, { feedUrl: FEED_URL, timezone: null, maxItems: 10 }), { code: 'PARSE_NOT_A_FEED' });
  });
});

/** rbren/rss-parser's own expected outputs (test/output/X.json) for inputs with zoned dates. */
describe('parse: agrees with rbren-rss-parser expected outputs', () => {
  const suite = corpus('parser-suites/rbren-rss-parser/test');
  const files = ['heise.atom', 'feedburner.atom', 'many-links.rss', 'reddit.rss', 'guardian.rss', 'narro.rss', 'rss-1.rss', 'content-encoded.rss'];
  for (const file of files) {
    it(file, async () => {
      const expected = (JSON.parse(fs.readFileSync(`${suite}/output/${file.replace(/\.\w+$/, '')}.json`, 'utf8')) as {
        feed: { items: Array<{ title?: string; link?: string; isoDate?: string; guid?: string; id?: string; 'content:encoded'?: string }> };
      }).feed.items;
      const feed = await parseFeed(fs.readFileSync(`${suite}/input/${file}`, 'utf8'), {
        feedUrl: FEED_URL, timezone: null, maxItems: 10_000,
      });
      assert.equal(feed.items.length, expected.length);
      expected.forEach((e, i) => {
        const got = feed.items[i];
        assert.ok(got);
        if (typeof e.title === 'string') assert.equal(got.title, e.title.replace(/\s+/g, ' ').trim());
        if (e.link) assert.equal(got.url, e.link);
        if (e.isoDate) assert.equal(got.publishedAt, e.isoDate);
        const id = e.guid ?? e.id;
        if (typeof id === 'string') assert.equal(got.guid, id);
        if (e['content:encoded']) assert.ok(got.contentHtml?.length);
      });
    });
  }
});
