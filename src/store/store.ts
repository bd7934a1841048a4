import type { Article, ArticleInput, IdentityPolicy, SourceState, UpsertCounts } from '../types.js';
import type { ArticleCursor } from './article-order.js';

export type { ArticleCursor } from './article-order.js';

/**
 * Query for published articles. Every given filter must hold (AND). The order is fixed: newest
 * first by sort key (publishedAt, else firstSeenAt, as `articleSortKey` in article-order.ts
 * writes it), ties by id ascending (binary), so pages cut with `before` never skip or repeat an
 * article, even among many with the same date.
 */
export interface ArticleQuery {
  /** At most this many (a whole number >= 0), in the order above. */
  limit: number;
  /** Only these sources (all when null or empty). */
  sourceIds?: string[] | null;
  /**
   * Only articles carrying every one of these keywords, in any language, compared after
   * `foldKeyword` (NFKC, lower case, white space collapsed). Null or empty: no keyword filter.
   */
  keywords?: string[] | null;
  /**
   * Full-text query over the original and translated titles and bodies: every white-space
   * separated word must occur (see search-text.ts; SQLite FTS5 in the SQLite store, a substring
   * match in the test memory store). A query without a letter or digit matches nothing.
   * Null or empty: no text filter.
   */
  text?: string | null;
  /**
   * Only articles that have a version in this language (a per-language view, `?lang=`): given as
   * a BCP 47 tag, compared by primary subtag (`zh-CN` asks for `zh`). An article has one when its
   * original's language — the detected one, else its source's declared language (from
   * `declaredLanguages`), else `und` — has that primary subtag, or when it carries an accepted
   * (`status: 'ok'`, not flagged) translation into it (store/article-languages.ts, the rule
   * publish/item-versions.ts `languageVersions` publishes by). Null or empty: no language filter.
   */
  language?: string | null;
  /**
   * Declared language (BCP 47) of each source by id, as configured (`sources[].language`): the
   * declaration lives in the config, not in the store, so a query with `language` passes it.
   * A source missing here, or with null, has none. Only read with `language`.
   */
  declaredLanguages?: Readonly<Record<string, string | null>> | null;
  /** Only articles after this position in the order (the next page). Null: from the newest. */
  before?: ArticleCursor | null;
}

/** Reference to an item already stored, used to skip re-extraction of known pages. */
export interface StoredRef {
  id: string;
  /**
   * Hash of the item's feed-level fields as last stored; equal to `feedItemHash(item)`
   * (store/content-hash.ts) when the feed did not change the item.
   */
  contentHash: string;
  extractionStatus: Article['extractionStatus'];
}

/**
 * The storage boundary. SQLite (store/sqlite) is the default engine; a PostgreSQL engine
 * implements the same interface, hence every method is async.
 *
 * Identity: an item is keyed by (sourceId, guid) under the `guid` policy, or by (sourceId,
 * canonical URL) under the `link` policy (see SourceState.identityPolicy). When the first key
 * finds nothing, the other key (canonical URL under `guid`, guid under `link`) matches a stored
 * row only when unambiguous: exactly one stored row carries it, no other item of the same poll
 * carries it, and that row's own first key is absent from the poll. Such a row is updated in
 * place (its guid or link changed), never duplicated; feeds whose items share a link or a guid
 * (case 19) are not collapsed.
 */
export interface Store {
  /**
   * Writes one source's poll in one transaction: the items (insert or update in place) and the
   * new source state. Rolls everything back on failure (throws DuofeedError STORE_FAILED).
   * @returns how many items were new, updated, unchanged
   */
  savePoll(sourceId: string, items: ArticleInput[], state: SourceState): Promise<UpsertCounts>;
  /** Saves only the source state (a failed or 304 poll). */
  saveSourceState(state: SourceState): Promise<void>;
  /** The stored state of a source, or null before its first poll. */
  getSourceState(sourceId: string): Promise<SourceState | null>;
  /** All stored source states. */
  listSourceStates(): Promise<SourceState[]>;
  /**
   * Finds a stored item of the source by guid or canonical URL, following `policy`.
   * @returns its reference, or null when the item is new
   */
  findItem(sourceId: string, policy: IdentityPolicy, guid: string, canonicalUrl: string | null): Promise<StoredRef | null>;
  /**
   * Articles for publishing, newest first, each with `guidOwner` set: whether it claimed its guid
   * before every other stored article carrying it is a fact of the store, so the published id
   * does not depend on which articles a page or filter happens to hold.
   */
  listArticles(query: ArticleQuery): Promise<Article[]>;
  /** Number of stored articles (of one source when given). */
  countArticles(sourceId?: string): Promise<number>;
  /** Closes the database; pending writes finish first. */
  close(): Promise<void>;
}
