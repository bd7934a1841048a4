import type { Article, Enclosure } from '../types.js';
import { unknownSourceInfo, type SourceInfo } from './source-info.js';
import { toXmlChars } from './xml-chars.js';

/** One article in the shape every format builder writes (dates normalized, id unique). */
export interface PublishItem {
  article: Article;
  source: SourceInfo;
  /** Unique within this output: the guid, or (when guids repeat) the link, or the article id. */
  id: string;
  title: string;
  /** Original article URL; null when the item has none. */
  link: string | null;
  author: string | null;
  /** Item summary HTML (feed's description/summary). */
  summaryHtml: string | null;
  /** Body HTML (extracted, else the feed's own) followed by the visible attribution line. */
  contentHtml: string;
  /** Source's publication date, UTC ISO; null when the feed gave none. */
  publishedAt: string | null;
  /** modifiedAt ?? publishedAt ?? firstSeenAt (case 32): never null, never "now". */
  updatedAt: string;
  /** Article categories then keywords (languages in sorted order), duplicates removed. */
  categories: string[];
  enclosures: Enclosure[];
  imageUrl: string | null;
}

/** Fixed date used when a record carries no usable date at all (keeps output deterministic). */
export const EPOCH_ISO = '1970-01-01T00:00:00.000Z';

/**
 * Turns stored articles into publishable items, keeping the given order (newest first).
 * Identity: an article's guid is used unless another article of this output has the same guid
 * (case 19: some feeds repeat one guid for every item); then its URL, then its store id
 * (unique by construction). Ids are compared as published, i.e. filtered to XML 1.0 `Char`.
 * @param articles stored articles, newest first, already limited by the caller
 * @param sources attribution per source id; unknown ids fall back to {@link unknownSourceInfo}
 * @returns one item per article; never throws
 */
export function prepareItems(articles: readonly Article[], sources: ReadonlyMap<string, SourceInfo>): PublishItem[] {
  // Compared as published (filtered to XML `Char`): two guids differing only in a forbidden
  // character would otherwise come out equal, and one made only of such characters empty.
  const guidCount = new Map<string, number>();
  for (const a of articles) guidCount.set(toXmlChars(a.guid), (guidCount.get(toXmlChars(a.guid)) ?? 0) + 1);
  const used = new Set<string>();
  return articles.map((article) => {
    const source = sources.get(article.sourceId) ?? unknownSourceInfo(article.sourceId);
    const guid = toXmlChars(article.guid);
    const candidates = guidCount.get(guid) === 1 && guid !== '' ? [guid] : [];
    candidates.push(toXmlChars(article.url ?? ''), toXmlChars(article.id));
    const id = candidates.find((c) => c !== '' && !used.has(c)) ?? `${toXmlChars(article.id)}#${used.size}`;
    used.add(id);
    const publishedAt = isoOrNull(article.publishedAt);
    const link = article.url && article.url !== '' ? article.url : null;
    const body = article.contentHtml ?? article.feedContentHtml ?? article.summaryHtml ?? '';
    return {
      article,
      source,
      id,
      title: article.title,
      link,
      author: article.author,
      summaryHtml: article.summaryHtml,
      contentHtml: body + attributionHtml(source, link),
      publishedAt,
      updatedAt: isoOrNull(article.modifiedAt) ?? publishedAt ?? isoOrNull(article.firstSeenAt) ?? EPOCH_ISO,
      categories: itemCategories(article),
      enclosures: article.enclosures,
      imageUrl: article.imageUrl,
    };
  });
}

/**
 * The visible attribution line appended to every item's content (DESIGN.md, "Output of one
 * bilingual item"): `来源 / Source: <a href="original">Source name</a>`.
 * @param source the item's source
 * @param link original article URL; falls back to the site, then the feed URL, then plain text
 * @returns an HTML paragraph, markup-significant characters escaped
 */
export function attributionHtml(source: SourceInfo, link: string | null): string {
  const href = link ?? source.siteUrl ?? (source.feedUrl !== '' ? source.feedUrl : null);
  const name = escapeHtml(source.name);
  const target = href === null ? name : `<a href="${escapeHtml(href)}">${name}</a>`;
  return `<p class="duofeed-source">来源 / Source: ${target}</p>`;
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
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (value: string): void => {
    const v = value.trim();
    if (v === '' || seen.has(v.toLowerCase())) return;
    seen.add(v.toLowerCase());
    out.push(v);
  };
  article.categories.forEach(add);
  for (const lang of Object.keys(article.keywords).sort()) (article.keywords[lang] ?? []).forEach(add);
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
