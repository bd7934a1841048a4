import type Database from 'better-sqlite3';
import type { Article } from '../../types.js';
import { articleKeywordSet } from '../article-order.js';
import { searchDocument } from '../search-text.js';
import { eachStoredArticle } from './each-stored-article.js';

/**
 * The two look-up indexes of the published feed's filters, kept beside `articles` in the same
 * transaction as every article write (they need JavaScript — NFKC, HTML to text, CJK splitting —
 * so they are written by the store, not by SQL triggers):
 * - `article_keywords`: each article's keywords in every language, folded (`foldKeyword`);
 * - `articles_fts`: an FTS5 table over the title and body in every language (search-text.ts),
 *   reached through `article_search`, whose INTEGER PRIMARY KEY is the FTS rowid (the implicit
 *   rowid of `articles` may change on VACUUM, so it cannot be used).
 * Deleting an article (ON DELETE CASCADE from its source) cascades to `article_keywords` and
 * `article_search`, and a trigger removes the FTS row.
 */
export const ARTICLE_INDEX_SQL = `
CREATE TABLE article_keywords (
  keyword            TEXT NOT NULL,
  article_id         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (keyword, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_keywords_article ON article_keywords (article_id);

CREATE TABLE article_search (
  search_id          INTEGER PRIMARY KEY,
  article_id         TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE
) STRICT;

CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER article_search_delete AFTER DELETE ON article_search BEGIN
  DELETE FROM articles_fts WHERE rowid = old.search_id;
END;
`;

/** Prepared statements of {@link ArticleIndexer}. */
function prepareIndex(db: Database.Database) {
  return {
    dropKeywords: db.prepare('DELETE FROM article_keywords WHERE article_id = ?'),
    addKeyword: db.prepare('INSERT OR IGNORE INTO article_keywords (keyword, article_id) VALUES (?, ?)'),
    searchId: db.prepare('SELECT search_id FROM article_search WHERE article_id = ?').pluck(),
    addSearch: db.prepare('INSERT INTO article_search (article_id) VALUES (?)'),
    dropFts: db.prepare('DELETE FROM articles_fts WHERE rowid = ?'),
    addFts: db.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)'),
  };
}

/**
 * Writes the keyword and full-text index entries of articles. Call inside the transaction that
 * writes the article itself, after the article row exists (foreign keys).
 */
export class ArticleIndexer {
  private readonly stmt: ReturnType<typeof prepareIndex>;

  /** @param db an open database whose schema includes {@link ARTICLE_INDEX_SQL} */
  constructor(db: Database.Database) {
    this.stmt = prepareIndex(db);
  }

  /**
   * Replaces the index entries of one article with those of its current content.
   * @param a the article as just stored
   * @throws the SQLite error as it is (the caller's transaction rolls back)
   */
  index(a: Article): void {
    this.stmt.dropKeywords.run(a.id);
    for (const k of articleKeywordSet(a)) this.stmt.addKeyword.run(k, a.id);
    const doc = searchDocument(a);
    const existing = this.stmt.searchId.get(a.id) as number | bigint | undefined;
    let searchId: number | bigint;
    if (existing === undefined) {
      searchId = this.stmt.addSearch.run(a.id).lastInsertRowid;
    } else {
      searchId = existing;
      this.stmt.dropFts.run(searchId);
    }
    this.stmt.addFts.run(searchId, doc.title, doc.body);
  }
}

/**
 * Builds the index entries of every stored article (the migration step that adds the indexes
 * runs it for databases written before them).
 * @param db an open database, inside the migration's transaction
 * @returns how many articles were indexed
 */
export function indexAllArticles(db: Database.Database): number {
  const indexer = new ArticleIndexer(db);
  return eachStoredArticle(db, (a) => indexer.index(a));
}
