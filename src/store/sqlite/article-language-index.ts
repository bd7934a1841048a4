import type Database from 'better-sqlite3';
import type { Article } from '../../types.js';
import { articleLanguageKeys } from '../article-languages.js';
import { eachStoredArticle } from './each-stored-article.js';

/**
 * The look-up index of the `language` filter (the per-language views `?lang=`):
 * `article_languages` holds, per article, the keys of store/article-languages.ts
 * `articleLanguageKeys` — the detected original language's primary subtag (or `-declared` when
 * none was detected, resolved against the config's declared languages at query time) and each
 * accepted translation's. Written by the store in the transaction of every article write (a poll,
 * and a translation backfill, which saves through the same path), so a translation saved later
 * puts the item into that language's view at once. Deleting an article cascades to its rows.
 */
export const ARTICLE_LANGUAGE_INDEX_SQL = `
CREATE TABLE article_languages (
  language           TEXT NOT NULL,
  article_id         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (language, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_languages_article ON article_languages (article_id);
`;

/**
 * Writes the `article_languages` rows of articles. Call inside the transaction that writes the
 * article itself, after the article row exists (foreign key).
 */
export class ArticleLanguageIndexer {
  private readonly drop: Database.Statement;
  private readonly add: Database.Statement;

  /** @param db an open database whose schema includes {@link ARTICLE_LANGUAGE_INDEX_SQL} */
  constructor(db: Database.Database) {
    this.drop = db.prepare('DELETE FROM article_languages WHERE article_id = ?');
    this.add = db.prepare('INSERT OR IGNORE INTO article_languages (language, article_id) VALUES (?, ?)');
  }

  /**
   * Replaces the language rows of one article with those of its current record.
   * @param a the article as just stored
   * @throws the SQLite error as it is (the caller's transaction rolls back)
   */
  index(a: Pick<Article, 'id' | 'language' | 'translations'>): void {
    this.drop.run(a.id);
    for (const key of articleLanguageKeys(a)) this.add.run(key, a.id);
  }
}

/**
 * Builds the language rows of every stored article (the migration step that adds the table runs
 * it for databases written before it).
 * @param db an open database, inside the migration's transaction
 * @returns how many articles were indexed
 */
export function indexAllArticleLanguages(db: Database.Database): number {
  const indexer = new ArticleLanguageIndexer(db);
  return eachStoredArticle(db, (a) => indexer.index(a));
}
