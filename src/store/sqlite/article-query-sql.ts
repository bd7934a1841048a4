import { foldKeyword } from '../article-order.js';
import { ftsMatchExpression } from '../search-text.js';
import type { ArticleQuery } from '../store.js';

/** Which filters a query uses: one prepared statement per shape (at most 24 shapes). */
export interface QueryShape {
  sources: boolean;
  keywords: boolean;
  text: boolean;
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
  const before = query.before ?? null;
  if (before !== null) {
    params.beforeAt = before.sortAt;
    if (before.id !== null) params.beforeId = before.id;
  }
  const shape: QueryShape = {
    sources: sources.length > 0,
    keywords: keywords.length > 0,
    text: hasText,
    before: before === null ? 'none' : before.id === null ? 'date' : 'date-and-id',
  };
  return { none: false, shape, key: `${+shape.sources}${+shape.keywords}${+shape.text}${shape.before}`, params };
}

/**
 * The SELECT of one shape, newest first by `sort_at`, ties by id (the order the pager's cursor
 * relies on; the `articles_sort` index serves it).
 * @param shape which filters
 * @returns SQL with named parameters `@limit`, `@sources` (JSON array), `@keywords` (JSON array)
 *   and `@keywordCount`, `@match` (FTS5 expression), `@beforeAt`, `@beforeId`
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
  if (shape.before === 'date') where.push('a.sort_at < @beforeAt');
  if (shape.before === 'date-and-id') where.push('(a.sort_at < @beforeAt OR (a.sort_at = @beforeAt AND a.id > @beforeId))');
  return `SELECT a.* FROM articles a${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY a.sort_at DESC, a.id LIMIT @limit`;
}
