import type { Article, Enclosure, IdentityPolicy, Translation } from '../../types.js';
import { articleSortKey } from '../article-order.js';

/** One row of the `articles` table as better-sqlite3 returns it. */
export interface ArticleRow {
  id: string;
  source_id: string;
  keyed_by: IdentityPolicy;
  guid: string;
  url: string | null;
  canonical_url: string | null;
  title: string;
  published_at: string | null;
  modified_at: string | null;
  date_had_no_zone: number;
  author: string | null;
  summary_html: string | null;
  feed_content_html: string | null;
  content_html: string | null;
  text: string | null;
  categories: string;
  enclosures: string;
  image_url: string | null;
  extraction_status: Article['extractionStatus'];
  extraction_method: Article['extractionMethod'];
  extraction_reason: string | null;
  language: string | null;
  keywords: string;
  translations: string;
  feed_hash: string;
  content_hash: string;
  first_seen_at: string;
  updated_at: string;
  sort_at: string;
}

/** Named parameters of the insert/update statements (column name = parameter name). */
export type ArticleParams = ArticleRow;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A hand-edited or truncated value must not stop a whole feed from being published.
    return null;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * Fills every optional member of an enclosure with null (JSON drops undefined members, and
 * records promise null, never undefined).
 * @param e enclosure as given by the caller or parsed from JSON
 */
export function normalizeEnclosure(e: Partial<Enclosure> & { url: string }): Enclosure {
  return {
    url: e.url,
    type: strOrNull(e.type),
    length: typeof e.length === 'number' && Number.isFinite(e.length) ? e.length : null,
    title: strOrNull(e.title),
  };
}

/**
 * Fills every optional member of a translation with null / [] (see normalizeEnclosure).
 * @param t translation as given by the caller or parsed from JSON
 */
export function normalizeTranslation(t: Translation): Translation {
  return {
    title: typeof t.title === 'string' ? t.title : '',
    contentHtml: strOrNull(t.contentHtml),
    provider: typeof t.provider === 'string' ? t.provider : '',
    model: strOrNull(t.model),
    at: typeof t.at === 'string' ? t.at : '',
    status: t.status === 'flagged' ? 'flagged' : 'ok',
    missing: stringList(t.missing),
  };
}

function parseEnclosures(text: string): Enclosure[] {
  const v = parseJson(text);
  if (!Array.isArray(v)) return [];
  return v
    .filter((e): e is Enclosure => isRecord(e) && typeof e.url === 'string')
    .map((e) => normalizeEnclosure(e));
}

function parseKeywords(text: string): Record<string, string[]> {
  const v = parseJson(text);
  const out: Record<string, string[]> = {};
  if (!isRecord(v)) return out;
  for (const [lang, list] of Object.entries(v)) out[lang] = stringList(list);
  return out;
}

function parseTranslations(text: string): Record<string, Translation> {
  const v = parseJson(text);
  const out: Record<string, Translation> = {};
  if (!isRecord(v)) return out;
  for (const [lang, t] of Object.entries(v)) {
    if (isRecord(t)) out[lang] = normalizeTranslation(t as unknown as Translation);
  }
  return out;
}

/**
 * Maps a stored row back to the Article record: JSON columns parsed (an unreadable value becomes
 * an empty list/map), SQLite 0/1 to boolean, every missing value null.
 * @param row a row of `articles`
 */
export function rowToArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    sourceId: row.source_id,
    guid: row.guid,
    url: row.url,
    canonicalUrl: row.canonical_url,
    title: row.title,
    publishedAt: row.published_at,
    modifiedAt: row.modified_at,
    dateHadNoZone: row.date_had_no_zone === 1,
    author: row.author,
    summaryHtml: row.summary_html,
    feedContentHtml: row.feed_content_html,
    contentHtml: row.content_html,
    text: row.text,
    categories: stringList(parseJson(row.categories)),
    enclosures: parseEnclosures(row.enclosures),
    imageUrl: row.image_url,
    extractionStatus: row.extraction_status,
    extractionMethod: row.extraction_method ?? null,
    extractionReason: row.extraction_reason,
    language: row.language,
    keywords: parseKeywords(row.keywords),
    translations: parseTranslations(row.translations),
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Sort key of an article (`sort_at`): see {@link articleSortKey}; one function, so the pager's
 * cursors and the memory store agree with the column.
 * @param a the article
 */
export function sortKey(a: Article): string {
  return articleSortKey(a);
}

/**
 * Maps an Article to the named parameters of the insert/update statements.
 * @param a the article to store
 * @param extra columns that are not part of the Article record
 */
export function articleToParams(
  a: Article,
  extra: { keyedBy: IdentityPolicy; feedHash: string; contentHash: string },
): ArticleParams {
  return {
    id: a.id,
    source_id: a.sourceId,
    keyed_by: extra.keyedBy,
    guid: a.guid,
    url: a.url,
    canonical_url: a.canonicalUrl,
    title: a.title,
    published_at: a.publishedAt,
    modified_at: a.modifiedAt,
    date_had_no_zone: a.dateHadNoZone ? 1 : 0,
    author: a.author,
    summary_html: a.summaryHtml,
    feed_content_html: a.feedContentHtml,
    content_html: a.contentHtml,
    text: a.text,
    categories: JSON.stringify(a.categories),
    enclosures: JSON.stringify(a.enclosures),
    image_url: a.imageUrl,
    extraction_status: a.extractionStatus,
    extraction_method: a.extractionMethod,
    extraction_reason: a.extractionReason,
    language: a.language,
    keywords: JSON.stringify(a.keywords),
    translations: JSON.stringify(a.translations),
    feed_hash: extra.feedHash,
    content_hash: extra.contentHash,
    first_seen_at: a.firstSeenAt,
    updated_at: a.updatedAt,
    sort_at: sortKey(a),
  };
}

/** Column names of `articles`, in table order (builds the insert/update SQL). */
export const ARTICLE_COLUMNS: readonly (keyof ArticleRow)[] = [
  'id',
  'source_id',
  'keyed_by',
  'guid',
  'url',
  'canonical_url',
  'title',
  'published_at',
  'modified_at',
  'date_had_no_zone',
  'author',
  'summary_html',
  'feed_content_html',
  'content_html',
  'text',
  'categories',
  'enclosures',
  'image_url',
  'extraction_status',
  'extraction_method',
  'extraction_reason',
  'language',
  'keywords',
  'translations',
  'feed_hash',
  'content_hash',
  'first_seen_at',
  'updated_at',
  'sort_at',
];
