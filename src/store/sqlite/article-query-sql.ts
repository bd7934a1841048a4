import { primarySubtag } from '../../enrich/language/language-tag.js';
import { DECLARED_LANGUAGE, declaredMatch } from '../article-languages.js';
import { foldKeyword } from '../article-order.js';
import { ftsMatchExpression } from '../search-text.js';
import type { ArticleQuery } from '../store.js';

/** Which filters a query uses: one prepared statement per shape (at most 48 shapes). */
export interface QueryShape {
  sources: boolean;
  keywords: boolean;
  text: boolean;
  language: boolean;
  before: 'none' | 'date' | 'date-and-id';
}

/** A query resolved for SQLite: its shape, named parameters, or `none` when it can match nothing. */
export type ResolvedQuery = { none: true } | { none: false; shape: QueryShape; key: string; params: Record<string, string | number> };

/**
 * Turns an ArticleQuery into a statement shape and its parameters. Keywords are folded and
 * deduplicated; a text query without a searchable word matches nothing.
 * @param query the query (limit already checked)
 */
export function resolveQuery(query: ArticleQuery): ResolvedQuery {
  const params: Record<string, string | number> = { limit: query.limit };
  const sources = query.sourceIds ?? [];
  if (sources.length > 0) params.sources = JSON.stringify(sources);
  const keywords = [...new Set((query.keywords ?? []).map(foldKeyword))];
  if (keywords.some((k) => k === '')) return { none: true };
  if (keywords.length > 0) {
    params.keywords = JSON.stringify(keywords);
    params.keywordCount = keywords.length;
  }
  const hasText = query.text != null && query.text !== '';
  if (hasText) {
    const match = ftsMatchExpression(query.text as string);
    if (match === null) return { none: true };
    params.match = match;
  }
  const language = query.language == null || query.language.trim() === '' ? null : primarySubtag(query.language);
  if (language !== null) {
    const declared = declaredMatch(query.declaredLanguages ?? {}, language);
    params.language = language;
    params.declaredIn = JSON.stringify(declared.in);
    params.undeclaredToo = declared.undeclaredToo ? 1 : 0;
    params.declared = JSON.stringify(declared.declared);
  }
  const before = query.before ?? null;
  if (before !== null) {
    params.beforeAt = before.sortAt;
    if (before.id !== null) params.beforeId = before.id;
  }
  const shape: QueryShape = {
    sources: sources.length > 0,
    keywords: keywords.length > 0,
    text: hasText,
    language: language !== null,
    before: before === null ? 'none' : before.id === null ? 'date' : 'date-and-id',
  };
  return { none: false, shape, key: `${+shape.sources}${+shape.keywords}${+shape.text}${+shape.language}${shape.before}`, params };
}

/**
 * Column expression `guid_owner` for a row aliased `a`: the id of the first-seen article (earliest
 * `first_seen_at`, then smallest id) among all whose guid equals `a.guid` (Article.guidOwner).
 * The `articles_guid_claim` index answers it with one seek per row.
 */
export const GUID_OWNER_SQL = '(SELECT o.id FROM articles o WHERE o.guid = a.guid ORDER BY o.first_seen_at, o.id LIMIT 1) AS guid_owner';

/**
 * The SELECT of one shape, newest first by `sort_at`, ties by id (the order the pager's cursor
 * relies on; the `articles_sort` index serves it).
 * @param shape which filters
 * @returns SQL with named parameters `@limit`, `@sources` (JSON array), `@keywords` (JSON array)
 *   and `@keywordCount`, `@match` (FTS5 expression), `@language` (primary subtag), `@declaredIn`
 *   and `@declared` (JSON arrays of source ids) and `@undeclaredToo` (0/1), `@beforeAt`, `@beforeId`
 */
export function articleQuerySql(shape: QueryShape): string {
  const where: string[] = [];
  if (shape.sources) where.push('a.source_id IN (SELECT value FROM json_each(@sources))');
  if (shape.keywords) {
    // Every keyword must be present: count the distinct matches per article.
    where.push(`a.id IN (SELECT article_id FROM article_keywords WHERE keyword IN (SELECT value FROM json_each(@keywords))
      GROUP BY article_id HAVING count(*) = @keywordCount)`);
  }
  if (shape.text) {
    where.push('a.id IN (SELECT s.article_id FROM article_search s WHERE s.search_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH @match))');
  }
  if (shape.language) {
    // Its own language or an accepted translation (indexed per article), or no detected language
    // and a source declared in it (the declarations come from the config with each query; for
    // `und`, sources without a declared language count too). See store/article-languages.ts.
    // Point look-ups per row (the primary key is (language, article_id)) keep SQLite walking
    // `articles_sort` newest first and stopping after `limit` rows: a view holds a large share of
    // all items, so fetching them all by id and sorting them (its plan for `a.id IN (…)`) reads
    // far more rows for one page.
    const has = (language: string): string => `EXISTS (SELECT 1 FROM article_languages l WHERE l.language = ${language} AND l.article_id = a.id)`;
    where.push(`(${has('@language')}
      OR (${has(`'${DECLARED_LANGUAGE}'`)}
        AND (a.source_id IN (SELECT value FROM json_each(@declaredIn))
          OR (@undeclaredToo = 1 AND a.source_id NOT IN (SELECT value FROM json_each(@declared))))))`);
  }
  if (shape.before === 'date') where.push('a.sort_at < @beforeAt');
  if (shape.before === 'date-and-id') where.push('(a.sort_at < @beforeAt OR (a.sort_at = @beforeAt AND a.id > @beforeId))');
  return `SELECT a.*, ${GUID_OWNER_SQL} FROM articles a${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY a.sort_at DESC, a.id LIMIT @limit`;
}
