import type Database from 'better-sqlite3';
import type { Article } from '../../types.js';
import { rowToArticle, type ArticleRow } from './article-rows.js';

/**
 * Calls `visit` for every stored article, in id order, reading 256 rows at a time: better-sqlite3
 * allows no write while a statement iterates, and all rows at once could be hundreds of megabytes.
 * Used by migration steps that build an index over existing rows (`visit` may write).
 * @param db an open database (inside the migration's transaction)
 * @param visit called once per article
 * @returns how many articles were visited
 */
export function eachStoredArticle(db: Database.Database, visit: (article: Article) => void): number {
  const chunk = db.prepare('SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT 256');
  let n = 0;
  let after = '';
  for (;;) {
    const rows = chunk.all(after) as ArticleRow[];
    if (rows.length === 0) return n;
    for (const row of rows) visit(rowToArticle(row));
    n += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}
