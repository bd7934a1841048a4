import type { SourceState } from '../../types.js';

/** One row of the `sources` table as better-sqlite3 returns it. */
export interface SourceRow {
  source_id: string;
  feed_url: string;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  next_poll_at: string | null;
  error_count: number;
  last_error_code: string | null;
  last_error_message: string | null;
  disabled_reason: string | null;
  identity_policy: string;
  redirect_to: string | null;
  redirect_count: number;
  feed_title: string | null;
  site_url: string | null;
  config_url: string | null;
}

/**
 * Maps a `sources` row to SourceState. An unknown identity policy reads as 'guid' (the default
 * before any duplicate guid was seen).
 * @param row a row of `sources`
 */
export function rowToState(row: SourceRow): SourceState {
  return {
    sourceId: row.source_id,
    feedUrl: row.feed_url,
    etag: row.etag,
    lastModified: row.last_modified,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    nextPollAt: row.next_poll_at,
    errorCount: row.error_count,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    disabledReason: row.disabled_reason,
    identityPolicy: row.identity_policy === 'link' ? 'link' : 'guid',
    redirectTo: row.redirect_to,
    redirectCount: row.redirect_count,
    feedTitle: row.feed_title,
    siteUrl: row.site_url,
    configUrl: row.config_url,
  };
}

/**
 * Maps SourceState to the named parameters of the upsert statement (undefined read as null,
 * so a caller's missing member never reaches SQLite as an unbound parameter).
 * @param s the state to store
 */
export function stateToParams(s: SourceState): SourceRow {
  return {
    source_id: s.sourceId,
    feed_url: s.feedUrl,
    etag: s.etag ?? null,
    last_modified: s.lastModified ?? null,
    last_attempt_at: s.lastAttemptAt ?? null,
    last_success_at: s.lastSuccessAt ?? null,
    next_poll_at: s.nextPollAt ?? null,
    error_count: s.errorCount,
    last_error_code: s.lastErrorCode ?? null,
    last_error_message: s.lastErrorMessage ?? null,
    disabled_reason: s.disabledReason ?? null,
    identity_policy: s.identityPolicy,
    redirect_to: s.redirectTo ?? null,
    redirect_count: s.redirectCount,
    feed_title: s.feedTitle ?? null,
    site_url: s.siteUrl ?? null,
    config_url: s.configUrl ?? null,
  };
}

/** Column names of `sources`, in table order (builds the upsert SQL). */
export const SOURCE_COLUMNS: readonly (keyof SourceRow)[] = [
  'source_id',
  'feed_url',
  'etag',
  'last_modified',
  'last_attempt_at',
  'last_success_at',
  'next_poll_at',
  'error_count',
  'last_error_code',
  'last_error_message',
  'disabled_reason',
  'identity_policy',
  'redirect_to',
  'redirect_count',
  'feed_title',
  'site_url',
  'config_url',
];
