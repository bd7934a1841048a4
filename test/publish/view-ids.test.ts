import assert from 'node:assert/strict';
import { buildFeeds } from '../../src/publish/build-feeds.js';
import { iriId, isIriLike, translationId } from '../../src/publish/item-ids.js';
import type { Article } from '../../src/types.js';
import { makeArticle } from './article-fixtures.js';
import { BILINGUAL_SOURCES, bilingualArticles, type BilingualSet } from './bilingual-fixtures.js';
import { kids, STRICT_PARSE_TIMEOUT_MS, strictParse } from './strict-xml.js';

const BASE = 'https://news.example.com';

// RFC 3987 §2.2 character classes. Simplified grammar: scheme ":" then ipchar / "/" (the
// authority's inner structure and IP literals are not checked), an optional "?" iquery and an
// optional "#" ifragment, each made only of the characters its production allows.
const UCS_RANGES: Array<[number, number]> = [
  [0xa0, 0xd7ff],
  [0xf900, 0xfdcf],
  [0xfdf0, 0xffef],
  ...Array.from({ length: 13 }, (_, i): [number, number] => [(i + 1) * 0x10000, (i + 1) * 0x10000 + 0xfffd]),
  [0xe1000, 0xefffd],
];
const PRIVATE_RANGES: Array<[number, number]> = [
  [0xe000, 0xf8ff],
  [0xf0000, 0xffffd],
  [0x100000, 0x10fffd],
];
const cls = (ranges: Array<[number, number]>): string => ranges.map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`).join('');
const IPCHAR = `A-Za-z0-9\\-._~!$&'()*+,;=:@${cls(UCS_RANGES)}`;
const PCT = '%[0-9A-Fa-f]{2}';
const IRI = new RegExp(`^[A-Za-z][A-Za-z0-9+.\\-]*:(?:[${IPCHAR}/]|${PCT})*(?:\\?(?:[${IPCHAR}/?${cls(PRIVATE_RANGES)}]|${PCT})*)?(?:#(?:[${IPCHAR}/?]|${PCT})*)?$`, 'u');

/** An absolute IRI by RFC 3987 §2.2 (see the simplifications above). */
function isIri(s: string): boolean {
  return IRI.test(s);
}

/** One item's identity as each format published it, in output order. */
interface PublishedIds {
  rssGuid: string;
  isPermaLink: string | undefined;
  rssLink: string | undefined;
  atomId: string;
  jsonId: string;
  originalId: string;
  /** Language of the published title (JSON `language`). */
  language: string | undefined;
}

function published(articles: Article[], lang: string | null): PublishedIds[] {
  const built = buildFeeds({
    articles,
    sources: BILINGUAL_SOURCES,
    output: { title: 'duofeed', description: 'AI news', languages: ['zh', 'en'] },
    selfBaseUrl: BASE,
    translation: { provider: 'openai', model: 'qwen2.5-72b-instruct' },
    lang,
  });
  const rss = kids(strictParse(built.rss), 'channel', 'item');
  const atom = kids(strictParse(built.atom), 'entry');
  const json = (JSON.parse(built.json) as { items: Array<{ id: string; language?: string; _duofeed: { originalId: string } }> }).items;
  assert.equal(rss.length, json.length);
  assert.equal(atom.length, json.length);
  return json.map((j, i) => {
    const guid = kids(rss[i]!, 'guid')[0];
    return {
      rssGuid: guid?.text ?? '',
      isPermaLink: guid?.attrs.isPermaLink,
      rssLink: kids(rss[i]!, 'link')[0]?.text,
      atomId: kids(atom[i]!, 'id')[0]?.text ?? '',
      jsonId: j.id,
      originalId: j._duofeed.originalId,
      language: j.language,
    };
  });
}

/** The published ids of one article in a build (found by its original id). */
function of(ids: PublishedIds[], originalId: string): PublishedIds {
  const found = ids.find((i) => i.originalId === originalId);
  assert.ok(found, `no item with original id ${originalId}`);
  return found;
}

const primary = (tag: string | null): string => (tag ?? '').split('-')[0]!.toLowerCase();

/** Primary subtag of an article's original language: detected, else its source's declared one. */
const originalKey = (a: Article): string => primary(a.language ?? BILINGUAL_SOURCES.get(a.sourceId)!.language);

describe('publish: item ids per language view', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  let set: BilingualSet;
  before(async () => {
    set = await bilingualArticles();
    // The rules below are stated for these guids: fragment-less absolute URLs.
    for (const a of set.all) assert.match(a.guid, /^https?:\/\/[^#\s]+$/, a.id);
  });

  it('item-ids: the language goes into the fragment (joined with & after an existing one); non-IRI ids become the store-id urn', () => {
    assert.equal(translationId('https://example.com/post', 'zh'), 'https://example.com/post#duofeed-lang=zh');
    assert.equal(translationId('https://example.com/post#c1', 'en'), 'https://example.com/post#c1&duofeed-lang=en');
    assert.equal(translationId('urn:duofeed:article:x1', 'zh'), 'urn:duofeed:article:x1#duofeed-lang=zh');
    assert.equal(iriId('tag:example.com,2024:42', 'x1'), 'tag:example.com,2024:42');
    assert.equal(iriId('12345', 'x1'), 'urn:duofeed:article:x1');
    assert.equal(isIriLike('post 12'), false);
    for (const good of ['https://example.com/p#duofeed-lang=zh', 'urn:duofeed:article:x1#duofeed-lang=en', 'https://例子.测试/文章?id=1#c1&duofeed-lang=zh']) assert.ok(isIri(good), good);
    for (const bad of ['12345', 'https://example.com/a#b#c', 'https://example.com/a b', 'https://example.com/<a>', 'https://example.com/%zz']) assert.ok(!isIri(bad), `checker rejects ${bad}`);
  });

  it('merged feed: ids as before (the guid in every format); RSS isPermaLink is true exactly where the guid is the link', () => {
    const merged = published(set.all, null);
    assert.deepEqual(
      merged.map((i) => [i.rssGuid, i.atomId, i.jsonId, i.originalId]),
      set.all.map((a) => [a.guid, a.guid, a.guid, a.guid]),
    );
    for (const [i, item] of merged.entries()) assert.equal(item.isPermaLink, set.all[i]!.guid === set.all[i]!.url ? 'true' : 'false', item.rssGuid);
    assert.ok(merged.some((i) => i.isPermaLink === 'true'));
  });

  for (const lang of ['zh', 'en']) {
    it(`?lang=${lang}: an item in its original language keeps its id; one in a translation has the id marked with ${lang}, the same in RSS, Atom and JSON, isPermaLink false`, () => {
      const view = published(set.all, lang);
      let originals = 0;
      let translations = 0;
      for (const item of view) {
        const article = set.all.find((a) => a.guid === item.originalId)!;
        assert.ok(article, item.originalId);
        if (originalKey(article) === lang) {
          originals++;
          assert.deepEqual([item.rssGuid, item.atomId, item.jsonId], [article.guid, article.guid, article.guid], `${article.id} shown as itself`);
          assert.equal(item.isPermaLink, article.guid === article.url ? 'true' : 'false');
        } else {
          translations++;
          assert.equal(item.language, lang, `${article.id} is shown in its ${lang} translation`);
          const own = `${article.guid}#duofeed-lang=${lang}`;
          assert.deepEqual([item.rssGuid, item.atomId, item.jsonId], [own, own, own], `${article.id} in ${lang}`);
          assert.equal(item.isPermaLink, 'false', 'the id is not the link');
          assert.equal(item.rssLink, article.url, 'the link is still the original article');
        }
      }
      assert.ok(originals >= 1 && translations >= 1, `${originals} originals, ${translations} translations`);
    });
  }

  it('an item in both views has a different id in each, none equal to another item of the merged feed; ids are unique in every view; every Atom id and translation id is an RFC 3987 IRI', () => {
    const merged = published(set.all, null);
    const zh = published(set.all, 'zh');
    const en = published(set.all, 'en');
    const inBoth = zh.filter((z) => en.some((e) => e.originalId === z.originalId));
    assert.equal(inBoth.length, 3, 'enOk, enMismatch (zh translations) and zhOk (en translation)');
    for (const z of inBoth) {
      const e = of(en, z.originalId);
      for (const k of ['rssGuid', 'atomId', 'jsonId'] as const) assert.notEqual(z[k], e[k], `${z.originalId}: ${k}`);
    }
    for (const view of [merged, zh, en]) {
      for (const k of ['rssGuid', 'atomId', 'jsonId'] as const) assert.equal(new Set(view.map((i) => i[k])).size, view.length, `unique ${k}`);
      for (const i of view) assert.ok(isIri(i.atomId), i.atomId);
    }
    const mergedIds = new Set(merged.map((i) => i.jsonId));
    for (const i of [...zh, ...en]) {
      if (i.jsonId === i.originalId) continue;
      assert.ok(!mergedIds.has(i.jsonId), i.jsonId);
      for (const id of [i.rssGuid, i.jsonId]) assert.ok(isIri(id), id);
    }
  });

  it('stable across rebuilds: a newer item arriving, older items leaving, a new translation text and a rebuild from scratch keep every id', () => {
    const before = { zh: published(set.all, 'zh'), en: published(set.all, 'en') };
    const newer = makeArticle({
      ...set.enPending,
      id: 'gc-newer',
      guid: 'https://cloud.google.com/blog/products/gcp/a-newer-post/',
      url: 'https://cloud.google.com/blog/products/gcp/a-newer-post/',
      publishedAt: '2030-01-01T00:00:00.000Z',
      translations: { zh: { ...set.enOk.translations.zh!, title: '更新的文章' } },
    });
    const retranslated = set.all.map((a) =>
      a === set.enOk ? { ...a, translations: { zh: { ...a.translations.zh!, title: '员工想要高效？留意影子 IT', at: '2026-09-01T00:00:00.000Z' } } } : a,
    );
    const rebuilds: Array<[string, Article[]]> = [
      ['a newer item first', [newer, ...set.all]],
      ['only the two translated items left', [set.enOk, set.zhOk]],
      ['re-translated', retranslated],
      ['from scratch', set.all.map((a) => ({ ...a }))],
    ];
    for (const [what, articles] of rebuilds) {
      for (const lang of ['zh', 'en'] as const) {
        const after = published(articles, lang);
        for (const a of [set.enOk, set.zhOk]) {
          const was = of(before[lang], a.guid);
          const now = of(after, a.guid);
          assert.deepEqual([now.rssGuid, now.atomId, now.jsonId], [was.rssGuid, was.atomId, was.jsonId], `${what}: ${a.id} in ${lang}`);
        }
      }
    }
    assert.equal(of(published([newer, ...set.all], 'zh'), newer.guid).jsonId, `${newer.guid}#duofeed-lang=zh`);
  });

  it('a guid that is not an IRI: the translation gets the store-id urn marked with the language, in every format; a guid with a fragment gets the marker after it', () => {
    const numbered = { ...set.enOk, guid: '12345' };
    const fragment = { ...set.zhOk, guid: `${set.zhOk.url}#comments` };
    const articles = set.all.map((a) => (a === set.enOk ? numbered : a === set.zhOk ? fragment : a));
    const merged = published(articles, null);
    assert.deepEqual([of(merged, '12345').rssGuid, of(merged, '12345').atomId], ['12345', `urn:duofeed:article:${set.enOk.id}`], 'merged feed as before');
    const zh = of(published(articles, 'zh'), '12345');
    const marked = `urn:duofeed:article:${set.enOk.id}#duofeed-lang=zh`;
    assert.deepEqual([zh.rssGuid, zh.atomId, zh.jsonId], [marked, marked, marked]);
    assert.equal(zh.isPermaLink, 'false');
    const en = of(published(articles, 'en'), fragment.guid);
    assert.deepEqual([en.rssGuid, en.atomId, en.jsonId], Array(3).fill(`${fragment.guid}&duofeed-lang=en`));
    assert.ok(isIri(en.atomId), en.atomId);
    assert.equal(of(published(articles, 'zh'), fragment.guid).jsonId, fragment.guid, 'the zh original keeps its guid');
  });

  it('repeated guids (case 19): the first-seen item keeps the guid, the others their store urn, in every view; translations mark that id', () => {
    const dup = set.all.map((a, i) => ({ ...a, guid: 'same-guid-for-all', firstSeenAt: `2024-01-01T00:00:${String(10 + i)}.000Z` }));
    const owner = dup[0]!;
    const idOf = (a: Article): string => (a === owner ? 'same-guid-for-all' : `urn:duofeed:article:${a.id}`);
    const merged = published(dup, null);
    assert.deepEqual(merged.map((i) => i.jsonId), dup.map(idOf));
    for (const lang of ['zh', 'en']) {
      const view = published(dup, lang);
      assert.ok(view.length >= 4);
      for (const item of view) {
        const a = dup.find((x) => idOf(x) === item.originalId);
        assert.ok(a, `original id ${item.originalId} is the merged feed's`);
        assert.equal(item.jsonId, originalKey(a) === lang ? idOf(a) : `urn:duofeed:article:${a.id}#duofeed-lang=${lang}`, `${a.id} in ${lang}`);
      }
    }
  });

  it('an item whose guid is already another item\'s translation id (a republished duofeed view) keeps it; that translation falls back to the store-id urn', () => {
    const republished = makeArticle({
      ...set.zhPending,
      id: 'kr-republished',
      guid: `${set.enOk.guid}#duofeed-lang=zh`,
      url: 'https://www.36kr.com/p/republished',
    });
    const zh = published([...set.all, republished], 'zh');
    assert.equal(of(zh, republished.guid).jsonId, republished.guid);
    const translation = of(zh, set.enOk.guid);
    const fallback = `urn:duofeed:article:${set.enOk.id}#duofeed-lang=zh`;
    assert.deepEqual([translation.rssGuid, translation.atomId, translation.jsonId], [fallback, fallback, fallback]);
    assert.equal(new Set(zh.map((i) => i.jsonId)).size, zh.length);
  });
});
