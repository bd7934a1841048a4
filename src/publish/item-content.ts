import type { Article, Enclosure, OutputConfig } from '../types.js';
import { interleavedHtml, stackedHtml } from './bilingual-layout.js';
import { escapeHtml } from './html-escape.js';
import { compareClaim } from '../store/article-order.js';
import { iriId, originalItemId, translationId, urnId } from './item-ids.js';
import { keywordsFor, languageVersions, primaryLanguage, UNDETERMINED, type ItemVersion } from './item-versions.js';
import { unknownSourceInfo, type SourceInfo } from './source-info.js';
import { translationReport, type TranslationReport, type TranslationSetting } from './translation-report.js';
import { toXmlChars } from './xml-chars.js';

/** How items are laid out: the bilingual settings of `output`, the provider, and the view. */
export interface PublishOptions {
  /** `output.languages`, primary first (primary subtags, e.g. `["zh", "en"]`). */
  languages: readonly string[];
  layout: OutputConfig['layout'];
  titleMode: OutputConfig['titleMode'];
  /** Configured translation provider (`none` = none) and model, for `_duofeed.translation`. */
  translation: TranslationSetting;
  /**
   * Per-language view (`?lang=zh`): only items with a version in this language, each in that
   * language only; null = the merged bilingual feed.
   */
  lang: string | null;
}

/** Settings used when a caller gives none: the config defaults, no provider, merged view. */
export const DEFAULT_PUBLISH_OPTIONS: PublishOptions = {
  languages: ['zh', 'en'],
  layout: 'stacked',
  titleMode: 'primary',
  translation: { provider: 'none', model: null },
  lang: null,
};

/** The language facts of an item, for `_duofeed` (JSON Feed) and `xml:lang` (Atom). */
export interface ItemLanguages {
  /** Original's language: detected, else the source's declared one; null when neither is known. */
  original: string | null;
  /** Keywords by primary subtag: every output language (empty when none), then others present. */
  keywords: Record<string, string[]>;
  /** Published versions by primary subtag (the original and accepted translations; one in a view). */
  versions: Record<string, { title: string; content_html: string }>;
  translation: TranslationReport;
}

/** One article in the shape every format builder writes (dates normalized, id unique). */
export interface PublishItem {
  article: Article;
  source: SourceInfo;
  /**
   * The item's own id, unique within this output and the same in every output (item-ids.ts
   * `originalItemId`): its guid when it claimed it first, else `urn:duofeed:article:<store id>`;
   * in a language view showing a translation, that id marked with the language.
   */
  id: string;
  /** The id of the item as shown in its original language (merged feed); equals `id` unless a view shows a translation. */
  originalId: string;
  /** As published: the primary version's title, or `primary | secondary` (titleMode `both`). */
  title: string;
  /** BCP 47 tag of the published title (and of the content's first version); null when unknown. */
  language: string | null;
  /** Original article URL; null when the item has none. */
  link: string | null;
  author: string | null;
  /** Item summary HTML (feed's description/summary, original language); null in a view of a translation. */
  summaryHtml: string | null;
  /** Language of the summary (the original's); null when unknown. */
  summaryLanguage: string | null;
  /**
   * Body HTML followed by the visible attribution line: one version as it always was, or the
   * versions in the stacked or interleaved layout (see bilingual-layout.ts).
   */
  contentHtml: string;
  /** Source's publication date, UTC ISO; null when the feed gave none. */
  publishedAt: string | null;
  /** modifiedAt ?? publishedAt ?? firstSeenAt (case 32): never null, never "now". */
  updatedAt: string;
  /**
   * Article categories then keywords (languages in sorted key order), duplicates removed
   * (case-insensitive, NFKC). In a view: only that language's keywords, after the article's
   * categories when the view is the original's language.
   */
  categories: string[];
  enclosures: Enclosure[];
  imageUrl: string | null;
  languages: ItemLanguages;
}

/** Fixed date used when a record carries no usable date at all (keeps output deterministic). */
export const EPOCH_ISO = '1970-01-01T00:00:00.000Z';

/**
 * Turns stored articles into publishable items, keeping the given order (newest first).
 * Identity ({@link originalItemId}): an item's id depends only on the item and what the store
 * holds about it, never on which other articles this output holds, so it is the same in the
 * merged feed, per-source and per-tag feeds, filtered feeds, every page and every rebuild: its
 * guid (filtered to XML 1.0 `Char`) when it claimed that guid first (`Article.guidOwner`: of all
 * stored articles with this guid, the first seen), else `urn:duofeed:article:<store id>` (store
 * ids are unique). An item stored later with a guid already published (another source
 * republishing it; case 19's shared guids when given unkeyed) gets the urn; the earlier item
 * keeps its id. Articles that carry no `guidOwner` (not read from a store) are ranked by the same
 * claim order among the articles given. Should two ids still coincide (guids differing only in
 * characters XML forbids, a guid that is literally another item's urn), the later claimer takes
 * its urn. A view showing an item in a translation is another text and gives it another id,
 * stable and distinct per language: the original's IRI (the Atom id) marked with the language
 * ({@link translationId}, `…#duofeed-lang=zh`), the same in all three formats; should that equal
 * the id of another item of this output (a feed that republishes a duofeed view), the marked
 * `urn:duofeed:article:<store id>` is used instead. Readers that cache by id across
 * subscriptions (newsboat) then keep each view's version.
 *
 * Languages (issue 3, DESIGN.md "Output of one bilingual item"): each item's versions are the
 * original and its accepted translations (item-versions.ts). With one version the item is
 * published as it always was (title, body + attribution); with more, the title follows
 * `titleMode` and the content `layout`. In a language view (`options.lang`) an item without a
 * version in that language is left out (the server already asks the store for items having one,
 * `ArticleQuery.language`, so this only guards other callers), and the others carry only that version:
 * its title, `<div lang>`-wrapped body and attribution, its keywords; the original-language
 * summary is dropped when the version is a translation.
 * @param articles stored articles, newest first, already limited by the caller
 * @param sources attribution per source id; unknown ids fall back to {@link unknownSourceInfo}
 * @param options bilingual settings and view; default {@link DEFAULT_PUBLISH_OPTIONS}
 * @returns one item per article (fewer in a view); never throws
 */
export function prepareItems(articles: readonly Article[], sources: ReadonlyMap<string, SourceInfo>, options: PublishOptions = DEFAULT_PUBLISH_OPTIONS): PublishItem[] {
  const owners = guidOwners(articles);
  const ids = new Array<string>(articles.length);
  const used = new Set<string>();
  // In claim order, so that in the rare clash the earlier claimer keeps its id.
  const byClaim = articles.map((article, i) => ({ article, i })).sort((x, y) => compareClaim(x.article, y.article));
  for (const { article, i } of byClaim) {
    let id = originalItemId(article, owners.get(article.guid) === article.id);
    if (used.has(id)) id = urnId(article.id);
    for (let n = 2; used.has(id); n++) id = `${urnId(article.id)}#${n}`;
    used.add(id);
    ids[i] = id;
  }
  const out: PublishItem[] = [];
  articles.forEach((article, i) => {
    const source = sources.get(article.sourceId) ?? unknownSourceInfo(article.sourceId);
    const item = layoutItem(article, source, ids[i]!, options, used);
    if (item !== null) out.push(item);
  });
  return out;
}

// Who claimed each guid first: the store's answer when the article carries it, else the first
// claimer among the articles given.
function guidOwners(articles: readonly Article[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const a of articles) if (a.guidOwner !== undefined) owners.set(a.guid, a.guidOwner);
  for (const a of [...articles].sort(compareClaim)) if (!owners.has(a.guid)) owners.set(a.guid, a.id);
  return owners;
}

// The id of an item shown in its translation `key` (see prepareItems): never one of the
// originals' ids of this output (`taken`).
function viewTranslationId(article: Article, originalId: string, key: string, taken: ReadonlySet<string>): string {
  const marked = translationId(iriId(originalId, toXmlChars(article.id)), key);
  return taken.has(marked) ? translationId(urnId(article.id), key) : marked;
}

function layoutItem(article: Article, source: SourceInfo, id: string, options: PublishOptions, taken: ReadonlySet<string>): PublishItem | null {
  const all = languageVersions(article, source, options.languages);
  const original = all.find((v) => v.translation === null)!;
  const viewKey = options.lang === null ? null : primaryLanguage(options.lang);
  const shown = viewKey === null ? all : all.filter((v) => v.key === viewKey);
  const first = shown[0];
  if (first === undefined) return null;
  const publishedAt = isoOrNull(article.publishedAt);
  const link = article.url && article.url !== '' ? article.url : null;
  let title: string;
  let content: string;
  if (viewKey !== null) {
    title = first.title;
    content = `<div class="duofeed-version" lang="${escapeHtml(first.lang)}">${first.bodyHtml}</div>`;
  } else if (shown.length === 1) {
    title = first.title;
    content = first.bodyHtml;
  } else {
    const second = shown[1]!;
    title = options.titleMode === 'both' && second.title !== first.title ? `${first.title} | ${second.title}` : first.title;
    content = options.layout === 'interleaved' ? interleavedHtml(shown) : stackedHtml(shown);
  }
  const originalLang = original.lang === UNDETERMINED ? null : original.lang;
  const viewOfTranslation = viewKey !== null && first.translation !== null;
  return {
    article,
    source,
    id: viewOfTranslation ? viewTranslationId(article, id, first.key, taken) : id,
    originalId: id,
    title,
    language: first.lang === UNDETERMINED ? null : first.lang,
    link,
    author: article.author,
    summaryHtml: viewOfTranslation ? null : article.summaryHtml,
    summaryLanguage: originalLang,
    contentHtml: content + attributionHtml(source, link, viewKey),
    publishedAt,
    updatedAt: isoOrNull(article.modifiedAt) ?? publishedAt ?? isoOrNull(article.firstSeenAt) ?? EPOCH_ISO,
    categories: viewKey === null ? itemCategories(article) : viewCategories(article, first),
    enclosures: article.enclosures,
    imageUrl: article.imageUrl,
    languages: {
      original: originalLang,
      keywords: keywordsByLanguage(article, viewKey === null ? options.languages : [viewKey], viewKey === null),
      versions: Object.fromEntries(versionOrder(shown, original).map((v) => [v.key, { title: v.title, content_html: v.bodyHtml }])),
      translation: translationReport(article, original.key, options.languages, options.translation),
    },
  };
}

// `versions` lists the original first (the record the translations come from), then translations
// in display order.
function versionOrder(shown: readonly ItemVersion[], original: ItemVersion): ItemVersion[] {
  return shown.includes(original) ? [original, ...shown.filter((v) => v !== original)] : [...shown];
}

// Every output language's key is present (empty when none); in the merged feed, other languages
// with keywords follow in sorted order.
function keywordsByLanguage(article: Article, languages: readonly string[], others: boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of languages) {
    const key = primaryLanguage(l);
    if (key !== '' && !(key in out)) out[key] = keywordsFor(article, key);
  }
  if (others) {
    for (const k of Object.keys(article.keywords).map(primaryLanguage).sort()) {
      if (k === '' || k in out) continue;
      const words = keywordsFor(article, k);
      if (words.length > 0) out[k] = words;
    }
  }
  return out;
}

/**
 * The visible attribution line appended to every item's content (DESIGN.md, "Output of one
 * bilingual item"): `来源 / Source: <a href="original">Source name</a>`. A language view labels
 * it in its own language (`Source:` in an English view, `来源：` in a Chinese one) so the view
 * carries one language only; other languages keep the bilingual label.
 * @param source the item's source
 * @param link original article URL; falls back to the site, then the feed URL, then plain text
 * @param viewLang language of a per-language view; null/absent = the merged feed
 * @returns an HTML paragraph, markup-significant characters escaped
 */
export function attributionHtml(source: SourceInfo, link: string | null, viewLang: string | null = null): string {
  const href = link ?? source.siteUrl ?? (source.feedUrl !== '' ? source.feedUrl : null);
  const name = escapeHtml(source.name);
  const target = href === null ? name : `<a href="${escapeHtml(href)}">${name}</a>`;
  const key = viewLang === null ? '' : primaryLanguage(viewLang);
  const label = key === 'en' ? 'Source: ' : key === 'zh' ? '来源：' : '来源 / Source: ';
  return `<p class="duofeed-source">${label}${target}</p>`;
}

/**
 * Newest `updatedAt` of the items (the feed-level `updated`, RFC 4287 §4.2.15).
 * @returns UTC ISO string, or null for an empty list
 */
export function newestUpdate(items: readonly PublishItem[]): string | null {
  let best: string | null = null;
  for (const item of items) if (best === null || Date.parse(item.updatedAt) > Date.parse(best)) best = item.updatedAt;
  return best;
}

/**
 * Normalizes a stored date to `YYYY-MM-DDTHH:mm:ss.sssZ`.
 * @returns null when absent or unparseable (an invalid date is never published)
 */
export function isoOrNull(value: string | null): string | null {
  if (value === null || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function itemCategories(article: Article): string[] {
  const { out, add } = categoryCollector();
  article.categories.forEach(add);
  for (const lang of Object.keys(article.keywords).sort()) (article.keywords[lang] ?? []).forEach(add);
  return out;
}

// A view's categories are in its language only: the publisher's categories only in a view of
// the original (they are in its language), then the view language's keywords.
function viewCategories(article: Article, version: ItemVersion): string[] {
  const { out, add } = categoryCollector();
  if (version.translation === null) article.categories.forEach(add);
  version.keywords.forEach(add);
  return out;
}

function categoryCollector(): { out: string[]; add: (value: string) => void } {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (value: string): void => {
    const v = value.trim();
    const key = v.normalize('NFKC').toLowerCase();
    if (v === '' || seen.has(key)) return;
    seen.add(key);
    out.push(v);
  };
  return { out, add };
}
