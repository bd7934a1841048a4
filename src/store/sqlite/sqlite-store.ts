import Database from 'better-sqlite3';
import { DuofeedError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Article, ArticleInput, Clock, IdentityPolicy, SourceState, UpsertCounts } from '../../types.js';
import type { ArticleQuery, Store, StoredRef } from '../store.js';
import { articleId } from './article-id.js';
import { ArticleIndexer } from './article-index.js';
import { ArticleLanguageIndexer } from './article-language-index.js';
import { articleQuerySql, GUID_OWNER_SQL, resolveQuery } from './article-query-sql.js';
import { ARTICLE_COLUMNS, articleToParams, rowToArticle, type ArticleRow } from './article-rows.js';
import { newArticle, mergeArticle } from './build-article.js';
import { articleContentHash, feedItemHash } from '../content-hash.js';
import { SOURCE_COLUMNS, rowToState, stateToParams, type SourceRow } from './state-rows.js';

/** Keys seen in one poll: how many items carry each guid / canonical URL. */
interface PollKeys {
  guids: Map<string, number>;
  canonicals: Map<string, number>;
}

// A row read with GUID_OWNER_SQL as the Article it is, guidOwner included.
function withGuidOwner(row: ArticleRow & { guid_owner?: string | null }): Article {
  const article = rowToArticle(row);
  return row.guid_owner == null ? article : { ...article, guidOwner: row.guid_owner };
}

function countKeys(items: ArticleInput[]): PollKeys {
  const guids = new Map<string, number>();
  const canonicals = new Map<string, number>();
  for (const { item } of items) {
    guids.set(item.guid, (guids.get(item.guid) ?? 0) + 1);
    if (item.canonicalUrl != null) canonicals.set(item.canonicalUrl, (canonicals.get(item.canonicalUrl) ?? 0) + 1);
  }
  return { guids, canonicals };
}

const UPDATABLE = ARTICLE_COLUMNS.filter((c) => c !== 'id' && c !== 'source_id' && c !== 'first_seen_at');

function prepareAll(db: Database.Database) {
  return {
    upsertState: db.prepare(
      `INSERT INTO sources (${SOURCE_COLUMNS.join(', ')}) VALUES (${SOURCE_COLUMNS.map((c) => '@' + c).join(', ')})
       ON CONFLICT (source_id) DO UPDATE SET ${SOURCE_COLUMNS.filter((c) => c !== 'source_id')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
    ),
    getState: db.prepare('SELECT * FROM sources WHERE source_id = ?'),
    listStates: db.prepare('SELECT * FROM sources ORDER BY source_id'),
    byGuid: db.prepare(
      `SELECT * FROM articles WHERE source_id = ? AND guid = ? ORDER BY (keyed_by = 'guid') DESC, first_seen_at, id`,
    ),
    byCanonical: db.prepare('SELECT * FROM articles WHERE source_id = ? AND canonical_url = ? ORDER BY first_seen_at, id'),
    byId: db.prepare(`SELECT a.*, ${GUID_OWNER_SQL} FROM articles a WHERE a.id = ?`),
    idTaken: db.prepare('SELECT 1 FROM articles WHERE id = ?').pluck(),
    insertArticle: db.prepare(
      `INSERT INTO articles (${ARTICLE_COLUMNS.join(', ')}) VALUES (${ARTICLE_COLUMNS.map((c) => '@' + c).join(', ')})`,
    ),
    updateArticle: db.prepare(`UPDATE articles SET ${UPDATABLE.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`),
    countAll: db.prepare('SELECT count(*) FROM articles').pluck(),
    countOne: db.prepare('SELECT count(*) FROM articles WHERE source_id = ?').pluck(),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
  };
}

/**
 * The SQLite Store (better-sqlite3, synchronous underneath; async to match the Store interface
 * that a PostgreSQL engine also implements). Build it with `openSqliteStore`.
 *
 * Identity of an item within its source (see `findRow`): under policy 'guid' it is matched by
 * guid, then by canonical URL; under 'link' by canonical URL, then by guid. The second key only
 * matches when it is unambiguous: exactly one stored row carries it, no other item of the same
 * poll carries it, and the row's own first key is not present in the poll (that row is still in
 * the feed, so it is a different item). This lets a changed guid (or link) update its row in
 * place without collapsing feeds whose items share a link (or a guid, case 19).
 */
export class SqliteStore implements Store {
  private readonly stmt: ReturnType<typeof prepareAll>;
  private readonly indexer: ArticleIndexer;
  private readonly languages: ArticleLanguageIndexer;
  // One prepared SELECT per filter shape (resolveQuery: at most 48), made on first use.
  private readonly queries = new Map<string, Database.Statement>();
  private readonly writePoll: (sourceId: string, items: ArticleInput[], state: SourceState, now: string) => UpsertCounts;
  private closed = false;
  // Polls committed through this handle that inserted or changed an article (see changeMarker).
  private articleWrites = 0;

  /**
   * @param db an open, migrated database (openSqliteStore does both)
   * @param clock source of firstSeenAt/updatedAt
   * @param log logger with `stage: 'store'` bound
   * @param path database file path (messages and logs)
   */
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly path: string,
  ) {
    this.stmt = prepareAll(db);
    this.indexer = new ArticleIndexer(db);
    this.languages = new ArticleLanguageIndexer(db);
    this.writePoll = db.transaction((sourceId: string, items: ArticleInput[], state: SourceState, now: string) => {
      // The state row goes first: articles reference it (foreign key), and it rolls back with them.
      this.stmt.upsertState.run(stateToParams(state));
      const keys = countKeys(items);
      const counts: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };
      for (const input of items) counts[this.writeItem(sourceId, state.identityPolicy, input, keys, now)]++;
      return counts;
    });
  }

  /**
   * The open better-sqlite3 handle, for companions that keep their own tables in the same file
   * (the translation cache, store/sqlite/translation-cache.ts). Closed by `close()`.
   */
  get database(): Database.Database {
    return this.db;
  }

  /** See Store.savePoll. Throws STORE_FAILED (rolled back) or INTERNAL (mismatched source ids). */
  async savePoll(sourceId: string, items: ArticleInput[], state: SourceState): Promise<UpsertCounts> {
    this.assertOpen(sourceId);
    const stray = items.find((i) => i.sourceId !== sourceId);
    if (state.sourceId !== sourceId || stray !== undefined) {
      throw new DuofeedError(
        'INTERNAL',
        `savePoll for source "${sourceId}" was given a state or item of source "${stray?.sourceId ?? state.sourceId}"`,
        { stage: 'store', sourceId, url: state.feedUrl },
      );
    }
    const now = this.clock.now().toISOString();
    let counts: UpsertCounts;
    try {
      counts = this.writePoll(sourceId, items, state, now);
    } catch (err) {
      throw this.wrap(err, `could not save the poll of source "${sourceId}" (${state.feedUrl}); nothing of it was written`, sourceId, state.feedUrl);
    }
    if (counts.new + counts.updated > 0) this.articleWrites++;
    this.log.debug({ sourceId, url: state.feedUrl, ...counts }, 'poll saved');
    return counts;
  }

  /** See Store.saveSourceState. Throws STORE_FAILED. */
  async saveSourceState(state: SourceState): Promise<void> {
    this.assertOpen(state.sourceId);
    try {
      this.stmt.upsertState.run(stateToParams(state));
    } catch (err) {
      throw this.wrap(err, `could not save the state of source "${state.sourceId}" (${state.feedUrl})`, state.sourceId, state.feedUrl);
    }
  }

  /** See Store.getSourceState. Throws STORE_FAILED. */
  async getSourceState(sourceId: string): Promise<SourceState | null> {
    const row = this.read(sourceId, () => this.stmt.getState.get(sourceId) as SourceRow | undefined);
    return row === undefined ? null : rowToState(row);
  }

  /** See Store.listSourceStates; ordered by source id. Throws STORE_FAILED. */
  async listSourceStates(): Promise<SourceState[]> {
    return this.read(null, () => this.stmt.listStates.all() as SourceRow[]).map(rowToState);
  }

  /**
   * See Store.findItem. `StoredRef.contentHash` is the feed-level hash: compare it with
   * `feedItemHash(item)` (content-hash.ts). Throws STORE_FAILED.
   */
  async findItem(sourceId: string, policy: IdentityPolicy, guid: string, canonicalUrl: string | null): Promise<StoredRef | null> {
    const row = this.read(sourceId, () => this.findRow(sourceId, policy, guid, canonicalUrl ?? null, null));
    return row === null ? null : { id: row.id, contentHash: row.feed_hash, extractionStatus: row.extraction_status };
  }

  /**
   * See Store.listArticles: newest first by publishedAt (else firstSeenAt), ties by id, so the
   * order is the same on every call. Keywords are matched through `article_keywords`, text
   * through the FTS5 table `articles_fts` (article-index.ts, search-text.ts). Throws INTERNAL for
   * a limit that is not a whole number >= 0, STORE_FAILED when the read fails.
   */
  async listArticles(query: ArticleQuery): Promise<Article[]> {
    const { limit } = query;
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new DuofeedError('INTERNAL', `listArticles limit must be a whole number >= 0, got ${String(limit)}`, { stage: 'store' });
    }
    const resolved = resolveQuery(query);
    if (resolved.none) return [];
    const rows = this.read(null, () => {
      let stmt = this.queries.get(resolved.key);
      if (stmt === undefined) {
        stmt = this.db.prepare(articleQuerySql(resolved.shape));
        this.queries.set(resolved.key, stmt);
      }
      return stmt.all(resolved.params) as ArticleRow[];
    });
    return rows.map(withGuidOwner);
  }

  /** One stored article by id, or null. Throws STORE_FAILED. */
  async getArticle(id: string): Promise<Article | null> {
    const row = this.read(null, () => this.stmt.byId.get(id) as ArticleRow | undefined);
    return row === undefined ? null : withGuidOwner(row);
  }

  /**
   * A cheap token that changes whenever the stored articles may have changed, so readers of the
   * published feed (server/feed-cache.ts) need not count rows on every request. It combines the
   * number of polls committed through this handle that inserted or changed an article with
   * SQLite's `PRAGMA data_version`, which moves when another connection (e.g. a `poll-once`
   * process on the same file) commits (https://sqlite.org/pragma.html#pragma_data_version).
   * Equal tokens mean nothing changed; a different token may also follow a write that touched
   * only source state in another process (a harmless extra rebuild).
   * @returns `"<local writes>:<data_version>"`
   * @throws DuofeedError STORE_FAILED when the database cannot be read; INTERNAL after close()
   */
  changeMarker(): string {
    return this.read(null, () => `${this.articleWrites}:${String(this.stmt.dataVersion.get())}`);
  }

  /** See Store.countArticles. Throws STORE_FAILED. */
  async countArticles(sourceId?: string): Promise<number> {
    return this.read(sourceId ?? null, () =>
      Number(sourceId === undefined ? this.stmt.countAll.get() : this.stmt.countOne.get(sourceId)),
    );
  }

  /**
   * See Store.close: folds the WAL back into the main file (so the data dir holds one file at
   * rest) and closes. Writes are synchronous, so none is pending. Calling it twice is harmless.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
    this.log.debug({ path: this.path }, 'store closed');
  }

  /** Inserts or updates one item inside the poll's transaction. */
  private writeItem(
    sourceId: string,
    policy: IdentityPolicy,
    input: ArticleInput,
    keys: PollKeys,
    now: string,
  ): keyof UpsertCounts {
    const item = input.item;
    const feedHash = feedItemHash(item);
    const row = this.findRow(sourceId, policy, item.guid, item.canonicalUrl ?? null, keys);
    if (row === null) {
      const key = policy === 'link' ? (item.canonicalUrl ?? item.guid) : item.guid;
      const article = newArticle(this.freeId(sourceId, key), sourceId, input, now);
      const contentHash = articleContentHash(article);
      this.stmt.insertArticle.run(articleToParams(article, { keyedBy: policy, feedHash, contentHash }));
      this.indexer.index(article);
      this.languages.index(article);
      return 'new';
    }
    const merged = mergeArticle(rowToArticle(row), input, now);
    const contentHash = articleContentHash(merged);
    if (contentHash === row.content_hash) return 'unchanged';
    // Under 'link' the guid is no longer trusted, so the row leaves the unique-guid index.
    const keyedBy: IdentityPolicy = policy === 'link' ? 'link' : row.keyed_by;
    this.stmt.updateArticle.run(articleToParams(merged, { keyedBy, feedHash, contentHash }));
    // A translation saved later (the backfill saves through here) changes the content hash, so
    // it always arrives on this path and moves the item into that language's view.
    this.indexer.index(merged);
    this.languages.index(merged);
    return 'updated';
  }

  /**
   * The stored row an item is, or null when it is new (rules in the class comment).
   * @param keys the whole poll's keys when called from savePoll; null for a lone lookup
   */
  private findRow(
    sourceId: string,
    policy: IdentityPolicy,
    guid: string,
    canonicalUrl: string | null,
    keys: PollKeys | null,
  ): ArticleRow | null {
    const byGuid = (): ArticleRow[] => this.stmt.byGuid.all(sourceId, guid) as ArticleRow[];
    const byCanonical = (): ArticleRow[] =>
      canonicalUrl === null ? [] : (this.stmt.byCanonical.all(sourceId, canonicalUrl) as ArticleRow[]);
    if (policy === 'guid') {
      const primary = byGuid();
      if (primary.length > 0) return primary.find((r) => r.canonical_url === canonicalUrl) ?? (primary[0] as ArticleRow);
      const second = byCanonical();
      const only = second.length === 1 ? (second[0] as ArticleRow) : null;
      if (only === null || canonicalUrl === null) return null;
      if ((keys?.canonicals.get(canonicalUrl) ?? 1) > 1 || keys?.guids.has(only.guid)) return null;
      return only;
    }
    const primary = byCanonical();
    if (primary.length > 0) return primary.find((r) => r.guid === guid) ?? (primary[0] as ArticleRow);
    const second = byGuid();
    const only = second.length === 1 ? (second[0] as ArticleRow) : null;
    if (only === null) return null;
    if ((keys?.guids.get(guid) ?? 1) > 1) return null;
    if (only.canonical_url !== null && keys?.canonicals.has(only.canonical_url)) return null;
    return only;
  }

  /**
   * `articleId(sourceId, key)`, or a numbered variant when a row already holds that id (its
   * guid or link changed since it was keyed, and another item now has the old key).
   */
  private freeId(sourceId: string, key: string): string {
    let id = articleId(sourceId, key);
    for (let n = 2; this.stmt.idTaken.get(id) !== undefined; n++) id = articleId(sourceId, `${key}\n${n}`);
    return id;
  }

  private read<T>(sourceId: string | null, fn: () => T): T {
    this.assertOpen(sourceId);
    try {
      return fn();
    } catch (err) {
      throw this.wrap(err, `could not read from database ${this.path}`, sourceId, null);
    }
  }

  private assertOpen(sourceId: string | null): void {
    if (this.closed) {
      throw new DuofeedError('INTERNAL', `the store ${this.path} is already closed`, { stage: 'store', sourceId });
    }
  }

  /** SQLite failures become STORE_FAILED; anything else (a bug) keeps its code or becomes INTERNAL. */
  private wrap(err: unknown, message: string, sourceId: string | null, url: string | null): DuofeedError {
    if (err instanceof Database.SqliteError) {
      return new DuofeedError('STORE_FAILED', `${message}: ${err.message}`, {
        stage: 'store',
        sourceId,
        url,
        cause: err,
        details: { sqliteCode: err.code, path: this.path },
      });
    }
    if (err instanceof DuofeedError) return err;
    const reason = err instanceof Error ? err.message : String(err);
    return new DuofeedError('INTERNAL', `${message}: ${reason}`, { stage: 'store', sourceId, url, cause: err });
  }
}
