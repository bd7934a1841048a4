import type Database from 'better-sqlite3';
import { DuofeedError } from '../../errors.js';
import { ARTICLE_INDEX_SQL, indexAllArticles } from './article-index.js';
import { ARTICLE_LANGUAGE_INDEX_SQL, indexAllArticleLanguages } from './article-language-index.js';

/**
 * Schema of the SQLite store as an ordered list of steps. Step N (1-based) brings a database from
 * `PRAGMA user_version = N-1` to `N`; a released step is never edited, a change is a new step.
 */

/** One schema step: the SQL it runs and a short note for logs. */
export interface Migration {
  /** What the step does, in a few words (logged when applied). */
  name: string;
  /** One or more SQL statements, run together inside one transaction. */
  sql: string;
  /**
   * Work SQL cannot do (e.g. filling a new index with text prepared in JavaScript), run after
   * `sql` inside the same transaction.
   */
  run?: (db: Database.Database) => void;
}

/**
 * Ordered schema steps; `MIGRATIONS.length` is the schema version this build writes.
 *
 * Identity notes (see sqlite-store.ts): `keyed_by` records whether the row was keyed by its guid
 * or by its link. Only guid-keyed rows must have unique guids within a source, so a feed whose
 * items all share one guid (case 19, stored under the 'link' policy) keeps every item.
 * `feed_hash` covers the feed-level fields only (what the pipeline compares before re-fetching a
 * page); `content_hash` covers the whole stored record (what decides "unchanged").
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'sources and articles',
    sql: `
CREATE TABLE sources (
  source_id          TEXT PRIMARY KEY NOT NULL,
  feed_url           TEXT NOT NULL,
  etag               TEXT,
  last_modified      TEXT,
  last_attempt_at    TEXT,
  last_success_at    TEXT,
  next_poll_at       TEXT,
  error_count        INTEGER NOT NULL DEFAULT 0,
  last_error_code    TEXT,
  last_error_message TEXT,
  disabled_reason    TEXT,
  identity_policy    TEXT NOT NULL DEFAULT 'guid' CHECK (identity_policy IN ('guid', 'link')),
  redirect_to        TEXT,
  redirect_count     INTEGER NOT NULL DEFAULT 0,
  feed_title         TEXT,
  site_url           TEXT
) STRICT;

CREATE TABLE articles (
  id                 TEXT PRIMARY KEY NOT NULL,
  source_id          TEXT NOT NULL REFERENCES sources(source_id) ON DELETE CASCADE,
  keyed_by           TEXT NOT NULL CHECK (keyed_by IN ('guid', 'link')),
  guid               TEXT NOT NULL,
  url                TEXT,
  canonical_url      TEXT,
  title              TEXT NOT NULL,
  published_at       TEXT,
  modified_at        TEXT,
  date_had_no_zone   INTEGER NOT NULL CHECK (date_had_no_zone IN (0, 1)),
  author             TEXT,
  summary_html       TEXT,
  feed_content_html  TEXT,
  content_html       TEXT,
  text               TEXT,
  categories         TEXT NOT NULL DEFAULT '[]',
  enclosures         TEXT NOT NULL DEFAULT '[]',
  image_url          TEXT,
  extraction_status  TEXT NOT NULL CHECK (extraction_status IN ('ok', 'failed', 'skipped', 'pending')),
  extraction_method  TEXT CHECK (extraction_method IN ('selector', 'generic')),
  extraction_reason  TEXT,
  language           TEXT,
  keywords           TEXT NOT NULL DEFAULT '{}',
  translations       TEXT NOT NULL DEFAULT '{}',
  feed_hash          TEXT NOT NULL,
  content_hash       TEXT NOT NULL,
  first_seen_at      TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  sort_at            TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX articles_source_guid_unique ON articles (source_id, guid) WHERE keyed_by = 'guid';
CREATE INDEX articles_source_guid ON articles (source_id, guid);
CREATE INDEX articles_source_canonical ON articles (source_id, canonical_url);
CREATE INDEX articles_sort ON articles (sort_at DESC, id);
CREATE INDEX articles_source_sort ON articles (source_id, sort_at DESC, id);
`,
  },
  {
    // Issue 3: translated segments keyed by sha256 of (text, from, to, provider, model, glossary
    // version), so re-polls and restarts never pay twice; and characters sent per UTC day per
    // provider, so the spend cap survives restarts.
    name: 'translation cache and daily spend',
    sql: `
CREATE TABLE translation_cache (
  key                TEXT PRIMARY KEY NOT NULL,
  translation        TEXT NOT NULL,
  provider           TEXT NOT NULL,
  model              TEXT,
  created_at         TEXT NOT NULL
) STRICT;

CREATE TABLE translation_spend (
  day                TEXT NOT NULL,
  provider           TEXT NOT NULL,
  characters         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, provider)
) STRICT;
`,
  },
  {
    // The feed URL the config named when the state was written: when the operator edits a
    // source's url, the stored (possibly redirected or disabled) state is started afresh.
    name: 'configured feed URL per source',
    sql: `ALTER TABLE sources ADD COLUMN config_url TEXT;`,
  },
  {
    // Issue 5: the feed filters `keyword` (and /tags/{keyword}) and `q` (FTS5 over both
    // languages); existing articles are indexed here, new writes by the store (article-index.ts).
    name: 'keyword and full-text indexes',
    sql: ARTICLE_INDEX_SQL,
    run: (db) => {
      indexAllArticles(db);
    },
  },
  {
    // Issue 5: language views (`?lang=`) read their pages from the store, so a page holds up to
    // `limit` items in that language; existing articles are indexed here, new writes and saved
    // translations by the store (article-language-index.ts).
    name: 'language index',
    sql: ARTICLE_LANGUAGE_INDEX_SQL,
    run: (db) => {
      indexAllArticleLanguages(db);
    },
  },
  {
    // Published ids: an article keeps its guid only when it claimed it before every other stored
    // article carrying it (Article.guidOwner), looked up per published row by guid.
    name: 'guid claim index',
    sql: 'CREATE INDEX articles_guid_claim ON articles (guid, first_seen_at, id);',
  },
];

/** Schema version this build writes (the number of steps). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What applyMigrations did. */
export interface MigrationResult {
  /** user_version found on open. */
  from: number;
  /** user_version after the last applied step. */
  to: number;
}

/**
 * Brings the database up to `steps.length`, one step per transaction (the step's SQL and its new
 * `user_version` commit together, so a failed step leaves the previous version intact).
 * @param db an open better-sqlite3 database
 * @param dbPath file path, for error messages
 * @param steps ordered schema steps (default MIGRATIONS)
 * @returns versions before and after
 * @throws DuofeedError STORE_SCHEMA_TOO_NEW when user_version is above `steps.length` (a newer
 *   build wrote the file); the SQLite error of a failing step as it is
 */
export function applyMigrations(
  db: Database.Database,
  dbPath: string,
  steps: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  const from = Number(db.pragma('user_version', { simple: true }));
  if (from > steps.length) {
    throw new DuofeedError(
      'STORE_SCHEMA_TOO_NEW',
      `database ${dbPath} has schema version ${from}, newer than version ${steps.length} this duofeed knows; ` +
        'run a newer duofeed or point it at another data directory',
      { stage: 'store', details: { path: dbPath, found: from, known: steps.length } },
    );
  }
  for (let v = from; v < steps.length; v++) {
    const step = steps[v] as Migration;
    db.transaction(() => {
      db.exec(step.sql);
      step.run?.(db);
      // PRAGMA takes no bound parameters; `v + 1` is an integer we computed.
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return { from, to: steps.length };
}
