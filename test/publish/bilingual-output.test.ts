import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { buildFeeds, type BuildFeedsInput } from '../../src/publish/build-feeds.js';
import { attributionHtml } from '../../src/publish/item-content.js';
import type { Article, OutputConfig } from '../../src/types.js';
import { makeArticle, nonXmlChars } from './article-fixtures.js';
import { BILINGUAL_SOURCES, bilingualArticles, GCLOUD, hasHan, KR36, SHADOW_IT_ZH, TURING_EN, type BilingualSet } from './bilingual-fixtures.js';
import { kids, only, STRICT_PARSE_TIMEOUT_MS, strictParse } from './strict-xml.js';

const parser = new Parser({ customFields: { item: [['content:encoded', 'contentEncoded']] } });
const BASE = 'https://news.example.com';
const OPENAI = { provider: 'openai', model: 'qwen2.5-72b-instruct' };

interface Opts {
  layout?: OutputConfig['layout'];
  titleMode?: OutputConfig['titleMode'];
  languages?: string[];
  provider?: { provider: string; model: string | null };
  lang?: string | null;
}

function build(articles: Article[], o: Opts = {}) {
  const input: BuildFeedsInput = {
    articles,
    sources: BILINGUAL_SOURCES,
    output: { title: 'duofeed', description: 'AI news', languages: o.languages ?? ['zh', 'en'], layout: o.layout ?? 'stacked', titleMode: o.titleMode ?? 'primary' },
    selfBaseUrl: BASE,
    translation: o.provider ?? OPENAI,
    lang: o.lang ?? null,
  };
  return buildFeeds(input);
}

type JsonItem = {
  id: string;
  title: string;
  content_html: string;
  language?: string;
  tags?: string[];
  _duofeed: {
    source: unknown;
    extraction: unknown;
    language: string | null;
    keywords: Record<string, string[]>;
    versions: Record<string, { title: string; content_html: string }>;
    translation: unknown;
    originalId: string;
  };
};

function jsonItems(doc: string): JsonItem[] {
  return (JSON.parse(doc) as { items: JsonItem[] }).items;
}

/** The item of an article: its original id is the guid (so is its `id`, unless a view shows it in a translation). */
function byId(items: JsonItem[], a: Article): JsonItem {
  const found = items.find((i) => i._duofeed.originalId === a.guid);
  assert.ok(found, `item ${a.guid} missing`);
  return found;
}

const zhBody = (): string => `<p>${SHADOW_IT_ZH.blocks[0]}</p><p>${SHADOW_IT_ZH.blocks[1]}</p><ol><li>${SHADOW_IT_ZH.blocks[2]}</li><li>${SHADOW_IT_ZH.blocks[3]}</li></ol>`;

/** Top-level element names (with lang/class) of an HTML fragment: the layout's skeleton. */
function skeleton(html: string): string[] {
  const $ = cheerio.load(html, null, false);
  return $.root()
    .children()
    .toArray()
    .map((el) => {
      const $el = $(el);
      const cls = $el.attr('class');
      const lang = $el.attr('lang');
      return `${el.tagName}${cls ? `.${cls}` : ''}${lang ? `[${lang}]` : ''}`;
    });
}

describe('publish: bilingual items from real corpus articles', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  let set: BilingualSet;
  before(async () => {
    set = await bilingualArticles();
  });

  describe('stacked layout, primary-language titles', () => {
    let built: ReturnType<typeof build>;
    before(() => {
      built = build(set.all);
    });

    it('an English item with an accepted zh translation: zh version, divider, en original, source line last', () => {
      const { enOk } = set;
      const item = byId(jsonItems(built.json), enOk);
      assert.equal(item.title, SHADOW_IT_ZH.title);
      const expected =
        `<div class="duofeed-version" lang="zh"><h2>${SHADOW_IT_ZH.title}</h2><p class="duofeed-keywords">关键词 / Keywords: 影子 IT、Google Drive、文件同步与共享、Gartner</p>${zhBody()}</div>` +
        `<hr>` +
        `<div class="duofeed-version" lang="en"><h2>Want to keep your employees productive? Pay attention to shadow IT clues</h2><p class="duofeed-keywords">关键词 / Keywords: shadow IT, Google Drive, file sync and share, Gartner</p>${enOk.contentHtml}</div>` +
        attributionHtml(GCLOUD, enOk.url);
      assert.equal(item.content_html, expected);
      assert.deepEqual(skeleton(item.content_html), ['div.duofeed-version[zh]', 'hr', 'div.duofeed-version[en]', 'p.duofeed-source']);
      const $ = cheerio.load(item.content_html, null, false);
      assert.ok(hasHan($('div[lang="zh"]').text()));
      // The keywords label is bilingual by design (like the source line); everything else is English.
      assert.ok(!hasHan($('div[lang="en"]').children(':not(.duofeed-keywords)').text()), 'the en section is the English original');
      assert.equal($('div[lang="en"] ol > li').length, 2);
    });

    it('a Chinese original with an accepted en translation: the zh original first (its own text, its own tag), then en', () => {
      const { zhOk } = set;
      const item = byId(jsonItems(built.json), zhOk);
      assert.equal(item.title, zhOk.title);
      assert.equal(item.language, 'zh-CN');
      assert.deepEqual(skeleton(item.content_html), ['div.duofeed-version[zh-CN]', 'hr', 'div.duofeed-version[en]', 'p.duofeed-source']);
      const $ = cheerio.load(item.content_html, null, false);
      const zh = $('div[lang="zh-CN"]');
      assert.equal(zh.children('h2').text(), zhOk.title);
      assert.equal(zh.children('p.duofeed-keywords').text(), '关键词 / Keywords: 吴恩达、AI监管、开源、LeCun');
      assert.equal(zh.html(), `<h2>${zhOk.title}</h2><p class="duofeed-keywords">关键词 / Keywords: 吴恩达、AI监管、开源、LeCun</p>${zhOk.contentHtml}`);
      const en = $('div[lang="en"]');
      assert.equal(en.children('h2').text(), TURING_EN.title);
      assert.deepEqual(en.children('p:not(.duofeed-keywords)').toArray().map((p) => $(p).text()), TURING_EN.blocks);
      assert.equal($.root().children().last().text(), '来源 / Source: 36氪 · AI');
    });

    it('flagged, pending and untranslated items are published in their original language only, as before', () => {
      const items = jsonItems(built.json);
      for (const a of [set.enFlagged, set.enPending, set.zhPending]) {
        const item = byId(items, a);
        const source = a.sourceId === GCLOUD.id ? GCLOUD : KR36;
        assert.equal(item.title, a.title);
        assert.equal(item.content_html, a.contentHtml + attributionHtml(source, a.url));
      }
      const flagged = byId(items, set.enFlagged);
      assert.ok(!hasHan(flagged.title + flagged.content_html.replace(/<p class="duofeed-source">.*$/, '')), 'nothing of the flagged translation is published');
      assert.doesNotMatch(flagged.content_html, /54 分钟/);
    });

    it('RSS, Atom and JSON carry the same content; RSS and Atom parse back (rss-parser) with the published titles', async () => {
      const rss = await parser.parseString(built.rss);
      const atom = await parser.parseString(built.atom);
      const json = jsonItems(built.json);
      assert.equal(rss.items.length, 6);
      assert.equal(atom.items.length, 6);
      rss.items.forEach((r, i) => {
        assert.equal(r.title, json[i]!.title);
        assert.equal((r as unknown as { contentEncoded: string }).contentEncoded, json[i]!.content_html);
        assert.equal(atom.items[i]!.title, json[i]!.title);
        assert.equal(atom.items[i]!.content, json[i]!.content_html);
      });
      assert.deepEqual(
        json.map((i) => i.title),
        set.all.map((a) => (a === set.enOk ? SHADOW_IT_ZH.title : a === set.enMismatch ? '上月回顾：GCP 的八月' : a.title)),
      );
    });

    it('a strict XML parser (expat) accepts the bilingual RSS and Atom; every Atom entry has xml:lang = its title language', () => {
      const rss = strictParse(built.rss);
      const atom = strictParse(built.atom);
      const json = jsonItems(built.json);
      const items = kids(rss, 'channel', 'item');
      const entries = kids(atom, 'entry');
      assert.equal(entries.length, 6);
      entries.forEach((e, i) => {
        assert.equal(only(e, 'content').text, json[i]!.content_html);
        assert.equal(only(items[i]!, 'content:encoded').text, json[i]!.content_html);
        assert.equal(only(e, 'title').text, json[i]!.title);
      });
      assert.deepEqual(
        entries.map((e) => e.attrs['xml:lang']),
        set.all.map((a) => ({ [set.enOk.id]: 'zh', [set.enMismatch.id]: 'zh', [set.zhOk.id]: 'zh-CN', [set.zhPending.id]: 'zh-CN', [set.enFlagged.id]: 'en-US', [set.enPending.id]: 'en' })[a.id]),
      );
      assert.equal(atom.attrs['xml:lang'], undefined, 'the merged feed mixes languages: no feed-level xml:lang');
      assert.equal(kids(rss, 'channel', 'language').length, 0);
      assert.deepEqual(nonXmlChars(built.rss + built.atom + built.json), []);
    });

    it('Atom marks a summary in the original language when the title is in another', () => {
      const withSummary = { ...set.enOk, summaryHtml: '<p>Employees turn to shadow IT when legacy tools get in the way.</p>' };
      const entry = only(strictParse(build([withSummary]).atom), 'entry');
      assert.equal(entry.attrs['xml:lang'], 'zh');
      assert.equal(only(entry, 'summary').attrs['xml:lang'], 'en');
      const same = only(strictParse(build([{ ...set.enPending, summaryHtml: '<p>Pixelbook</p>' }]).atom), 'entry');
      assert.equal(same.attrs['xml:lang'], 'en');
      assert.equal(only(same, 'summary').attrs['xml:lang'], undefined);
    });

    it('categories: the item categories, then keywords of both languages, duplicates removed, in a fixed order (all formats)', async () => {
      const expected = ['Perspectives', 'Drive', 'Inside Google Cloud', 'Productivity & Collaboration', 'shadow IT', 'Google Drive', 'file sync and share', 'Gartner', '影子 IT', '文件同步与共享'];
      assert.deepEqual(byId(jsonItems(built.json), set.enOk).tags, expected);
      const rss = await parser.parseString(built.rss);
      assert.deepEqual(rss.items.find((i) => i.guid === set.enOk.guid)?.categories, expected);
      const $ = cheerio.load(built.atom, { xml: true });
      const entry = $('entry').filter((_, e) => $(e).children('id').text() === set.enOk.guid);
      assert.deepEqual(entry.children('category').toArray().map((c) => $(c).attr('term')), expected);
      assert.deepEqual(byId(jsonItems(built.json), set.zhOk).tags, ['Andrew Ng', 'AI regulation', 'open source', 'LeCun', '吴恩达', 'AI监管', '开源']);
      // NFKC + case: a full-width "ＡＩ" and "ai" are the same category as "AI".
      const wide = makeArticle({ id: 'w', guid: 'w', sourceId: GCLOUD.id, title: 'W', categories: ['AI'], keywords: { zh: ['ＡＩ', '模型'], en: ['ai', 'model'] } });
      assert.deepEqual(jsonItems(build([wide]).json)[0]!.tags, ['AI', 'model', '模型']);
    });
  });

  describe('titles', () => {
    it('titleMode both: `primary | secondary` for translated items, the original title otherwise', () => {
      const items = jsonItems(build(set.all, { titleMode: 'both' }).json);
      assert.equal(byId(items, set.enOk).title, `${SHADOW_IT_ZH.title} | ${set.enOk.title}`);
      assert.equal(byId(items, set.zhOk).title, `${set.zhOk.title} | ${TURING_EN.title}`);
      for (const a of [set.enFlagged, set.enPending, set.zhPending]) assert.equal(byId(items, a).title, a.title);
    });

    it('with English as the primary language the English version leads', () => {
      const items = jsonItems(build(set.all, { languages: ['en', 'zh'] }).json);
      assert.equal(byId(items, set.enOk).title, set.enOk.title);
      assert.equal(byId(items, set.zhOk).title, TURING_EN.title);
      assert.deepEqual(skeleton(byId(items, set.zhOk).content_html), ['div.duofeed-version[en]', 'hr', 'div.duofeed-version[zh-CN]', 'p.duofeed-source']);
    });
  });

  describe('interleaved layout', () => {
    let items: JsonItem[];
    let built: ReturnType<typeof build>;
    before(() => {
      built = build(set.all, { layout: 'interleaved' });
      items = jsonItems(built.json);
    });

    it('headline pair, keywords lines, then each zh block followed by its en block; list entries paired inside; source line last', () => {
      const html = byId(items, set.enOk).content_html;
      assert.deepEqual(skeleton(html), ['div.duofeed-interleaved[zh]', 'p.duofeed-source']);
      const $ = cheerio.load(html, null, false);
      const box = $('div.duofeed-interleaved');
      const kidsOf = box.children().toArray().map((el) => `${el.tagName}${$(el).attr('lang') ? `[${$(el).attr('lang')}]` : ''}`);
      assert.deepEqual(kidsOf, ['h2', 'h2[en]', 'p', 'p[en]', 'p', 'p[en]', 'p', 'p[en]', 'ol']);
      const [h1, h2, k1, k2, p1, e1, p2, e2] = box.children().toArray().map((el) => $(el).text());
      assert.equal(h1, SHADOW_IT_ZH.title);
      assert.equal(h2, set.enOk.title);
      assert.equal(k1, '关键词 / Keywords: 影子 IT、Google Drive、文件同步与共享、Gartner');
      assert.equal(k2, '关键词 / Keywords: shadow IT, Google Drive, file sync and share, Gartner');
      assert.ok(p1!.startsWith('员工会用手头的工具完成工作') && e1!.startsWith('Employees use tools at their disposal'));
      assert.ok(p2!.startsWith('这个问题并非鲜为人知') && e2!.startsWith('And this problem is not unknown'));
      const lis = box.find('ol > li').toArray();
      assert.equal(lis.length, 2, 'no list entry added');
      assert.ok($(lis[0]).text().startsWith('无法在手机上工作。'));
      assert.ok($(lis[0]).children('span[lang="en"].duofeed-alt').text().startsWith('Unable to work on their phones.'));
      assert.ok($(lis[1]).children('span[lang="en"]').text().startsWith('Unable to create workspaces'));
      // Links of both versions are kept.
      assert.equal(box.find('a[href="https://www.gartner.com/smarterwithgartner/top-10-security-predictions-2016/"]').length, 2);
    });

    it('a zh original interleaves with its en translation', () => {
      const $ = cheerio.load(byId(items, set.zhOk).content_html, null, false);
      const ps = $('div.duofeed-interleaved > p:not(.duofeed-keywords)').toArray();
      assert.deepEqual(ps.map((p) => $(p).attr('lang') ?? 'zh'), ['zh', 'en', 'zh', 'en', 'zh', 'en']);
      assert.deepEqual(ps.filter((p) => $(p).attr('lang') === 'en').map((p) => $(p).text()), TURING_EN.blocks);
    });

    it('block counts that differ fall back to stacked, saying so in a comment', () => {
      const interleaved = byId(items, set.enMismatch).content_html;
      const stacked = byId(jsonItems(build(set.all).json), set.enMismatch).content_html;
      assert.equal(interleaved, `<!-- duofeed: interleaved layout not possible (2 text blocks in the primary version, 3 in en); shown stacked -->${stacked}`);
    });

    it('untranslated items stay as they were; expat accepts the documents; layouts differ in bytes and ETags', () => {
      for (const a of [set.enFlagged, set.enPending, set.zhPending]) {
        assert.equal(byId(items, a).content_html, a.contentHtml + attributionHtml(a.sourceId === GCLOUD.id ? GCLOUD : KR36, a.url));
      }
      assert.equal(kids(strictParse(built.atom), 'entry').length, 6);
      assert.equal(kids(strictParse(built.rss), 'channel', 'item').length, 6);
      const stacked = build(set.all);
      assert.notEqual(stacked.etags.json, built.etags.json);
      assert.equal(build(set.all, { layout: 'interleaved' }).json, built.json, 'deterministic');
    });
  });

  describe('_duofeed extension', () => {
    it('ok / flagged / pending / none, exactly as specified', () => {
      const items = jsonItems(build(set.all).json);
      const ok = byId(items, set.enOk)._duofeed;
      assert.deepEqual(Object.keys(ok), ['source', 'extraction', 'language', 'keywords', 'versions', 'translation', 'originalId']);
      assert.ok(items.every((i) => i._duofeed.originalId === i.id), 'the merged feed shows every item as itself');
      assert.deepEqual(ok.source, { id: 'gcloud', name: 'Google Cloud Blog', feedUrl: GCLOUD.feedUrl, siteUrl: GCLOUD.siteUrl });
      assert.deepEqual(ok.extraction, { status: 'ok', reason: null });
      assert.equal(ok.language, 'en');
      assert.deepEqual(ok.keywords, { zh: ['影子 IT', 'Google Drive', '文件同步与共享', 'Gartner'], en: ['shadow IT', 'Google Drive', 'file sync and share', 'Gartner'] });
      assert.deepEqual(ok.versions, { en: { title: set.enOk.title, content_html: set.enOk.contentHtml }, zh: { title: SHADOW_IT_ZH.title, content_html: zhBody() } });
      assert.deepEqual(Object.keys(ok.versions), ['en', 'zh']);
      assert.deepEqual(ok.translation, { provider: 'openai', model: 'qwen2.5-72b-instruct', at: '2026-08-23T10:00:00.000Z', status: 'ok', missing: [] });

      const flagged = byId(items, set.enFlagged)._duofeed;
      assert.equal(flagged.language, 'en-US');
      assert.deepEqual(flagged.versions, { en: { title: set.enFlagged.title, content_html: set.enFlagged.contentHtml } });
      assert.deepEqual(flagged.translation, { provider: 'openai', model: 'qwen2.5-72b-instruct', at: '2026-08-23T10:00:00.000Z', status: 'flagged', missing: ['45', '5,800'] });

      const pending = byId(items, set.enPending)._duofeed;
      assert.deepEqual(pending.keywords, { zh: [], en: ['Pixelbook', 'Cloud Code', 'Kubernetes'] });
      assert.deepEqual(pending.translation, { provider: 'openai', model: 'qwen2.5-72b-instruct', at: null, status: 'pending', missing: [] });

      const zhPending = byId(items, set.zhPending);
      assert.equal(zhPending._duofeed.language, 'zh-CN', 'undetected: the source declared language');
      assert.equal(zhPending.language, 'zh-CN');
      assert.deepEqual(zhPending._duofeed.keywords, { zh: ['人工智能', '教育'], en: [] });
      assert.deepEqual(zhPending._duofeed.translation, { provider: 'openai', model: 'qwen2.5-72b-instruct', at: null, status: 'pending', missing: [] });

      const zhOk = byId(items, set.zhOk)._duofeed;
      assert.deepEqual(Object.keys(zhOk.versions), ['zh', 'en']);
      assert.deepEqual(zhOk.translation, { provider: 'deepl', model: null, at: '2026-08-23T10:00:00.000Z', status: 'ok', missing: [] });
    });

    it('no provider configured: untranslated items say none (provider "none"); stored accepted translations are still ok', () => {
      const items = jsonItems(build(set.all, { provider: { provider: 'none', model: null } }).json);
      const none = { provider: 'none', model: null, at: null, status: 'none', missing: [] };
      assert.deepEqual(byId(items, set.enPending)._duofeed.translation, none);
      assert.deepEqual(byId(items, set.zhPending)._duofeed.translation, none);
      assert.equal((byId(items, set.enOk)._duofeed.translation as { status: string }).status, 'ok');
      assert.equal((byId(items, set.enFlagged)._duofeed.translation as { status: string }).status, 'flagged');
    });

    it('an item already in every output language needs nothing: status none with provider null', () => {
      const items = jsonItems(build([set.zhPending, set.zhOk], { languages: ['zh'] }).json);
      assert.deepEqual(byId(items, set.zhPending)._duofeed.translation, { provider: null, model: null, at: null, status: 'none', missing: [] });
      // zh only: the en translation is not an output language; it is still an accepted version.
      assert.deepEqual(byId(items, set.zhOk)._duofeed.keywords, { zh: ['吴恩达', 'AI监管', '开源', 'LeCun'], en: ['Andrew Ng', 'AI regulation', 'open source', 'LeCun'] });
      assert.deepEqual(Object.keys(byId(items, set.zhOk)._duofeed.versions), ['zh', 'en']);
    });
  });

  describe('per-language views', () => {
    it('?lang=zh: only items with a zh version, each in zh only, zh keywords, zh source label', async () => {
      const built = build(set.all, { lang: 'zh' });
      const items = jsonItems(built.json);
      assert.deepEqual(items.map((i) => i._duofeed.originalId), set.all.filter((a) => a !== set.enFlagged && a !== set.enPending).map((a) => a.guid));
      for (const item of items) {
        assert.ok(hasHan(item.title), item.title);
        assert.deepEqual(skeleton(item.content_html).map((s) => s.replace(/\[.*\]/, '')), ['div.duofeed-version', 'p.duofeed-source']);
        assert.match(item.content_html, /<p class="duofeed-source">来源：<a href=/);
        assert.deepEqual(Object.keys(item._duofeed.versions), ['zh']);
        assert.deepEqual(Object.keys(item._duofeed.keywords), ['zh']);
        for (const tag of item.tags ?? []) assert.ok(item._duofeed.keywords.zh!.includes(tag), `${tag} is a zh keyword`);
      }
      const enOk = byId(items, set.enOk);
      assert.equal(enOk.title, SHADOW_IT_ZH.title);
      assert.equal(enOk.language, 'zh');
      assert.equal(enOk.content_html, `<div class="duofeed-version" lang="zh">${zhBody()}</div>${attributionHtml(GCLOUD, set.enOk.url, 'zh')}`);
      const doc = JSON.parse(built.json) as { title: string; language: string; feed_url: string; description: string };
      assert.equal(doc.language, 'zh');
      assert.equal(doc.feed_url, `${BASE}/feed.json?lang=zh`);
      assert.equal(doc.title, 'duofeed [zh]');
      assert.match(doc.description, /items not available in zh are left out/);
      const rss = await parser.parseString(built.rss);
      assert.equal(rss.items.length, 4);
      assert.equal(rss.feedUrl, `${BASE}/feed.xml?lang=zh`);
      assert.equal(only(strictParse(built.rss), 'channel', 'language').text, 'zh');
      const atom = strictParse(built.atom);
      assert.equal(atom.attrs['xml:lang'], 'zh');
      assert.equal(kids(atom, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href, `${BASE}/atom.xml?lang=zh`);
      assert.deepEqual(kids(atom, 'entry').map((e) => e.attrs['xml:lang']), items.map((i) => i.language));
    });

    it('?lang=en: no Chinese anywhere in items from English originals; the zh original comes in its en translation; summaries of translations dropped', async () => {
      const built = build(set.all.map((a) => (a === set.zhOk ? { ...a, summaryHtml: '<p>连续多日的AI末日论大佬口水战</p>' } : a)), { lang: 'en' });
      const items = jsonItems(built.json);
      assert.deepEqual(items.map((i) => i._duofeed.originalId), set.all.filter((a) => a !== set.zhPending).map((a) => a.guid));
      for (const a of [set.enOk, set.enFlagged, set.enPending, set.enMismatch]) {
        const item = byId(items, a);
        assert.equal(item.title, a.title);
        assert.ok(!hasHan(item.title + item.content_html + (item.tags ?? []).join(' ')), `${a.id} carries Chinese`);
        assert.equal(item.content_html, `<div class="duofeed-version" lang="${a.language}">${a.contentHtml}</div>${attributionHtml(GCLOUD, a.url, 'en')}`);
      }
      assert.deepEqual(byId(items, set.enOk).tags, ['Perspectives', 'Drive', 'Inside Google Cloud', 'Productivity & Collaboration', 'shadow IT', 'Google Drive', 'file sync and share', 'Gartner']);
      const zh = byId(items, set.zhOk);
      assert.equal(zh.title, TURING_EN.title);
      assert.equal(zh.language, 'en');
      assert.deepEqual(zh.tags, ['Andrew Ng', 'AI regulation', 'open source', 'LeCun']);
      assert.ok(!hasHan(zh.title + zh.content_html.replace(/<p class="duofeed-source">.*$/, '')));
      assert.equal((zh as unknown as { summary?: string }).summary, undefined);
      const rss = await parser.parseString(built.rss);
      assert.equal(rss.items.length, 5);
      const rssZh = rss.items.find((i) => i.guid === zh.id);
      assert.ok(rssZh !== undefined && !hasHan(JSON.stringify(rssZh).replaceAll(KR36.name, '')), 'only the source name is Chinese');
      const atom = strictParse(built.atom);
      assert.deepEqual(kids(atom, 'entry').map((e) => e.attrs['xml:lang']), items.map((i) => i.language));
      assert.deepEqual([...new Set(items.map((i) => i.language))].sort(), ['en', 'en-US']);
      assert.equal(kids(atom, 'entry', 'summary').length, 0);
    });

    it('views differ from the merged feed and from each other, so their ETags do; each is deterministic', () => {
      const merged = build(set.all);
      const zh = build(set.all, { lang: 'zh' });
      const en = build(set.all, { lang: 'en' });
      const tags = new Set([merged.etags.rss, zh.etags.rss, en.etags.rss, merged.etags.atom, zh.etags.atom, en.etags.atom, merged.etags.json, zh.etags.json, en.etags.json]);
      assert.equal(tags.size, 9);
      assert.deepEqual(build(set.all, { lang: 'zh' }).etags, zh.etags);
      assert.equal(zh.updated, '2023-11-01T23:49:16.000Z');
    });
  });
});
