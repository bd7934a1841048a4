import type { SourceConfig, SourceState } from '../types.js';

/** Polls in a row that must see the same permanent redirect before the stored feed URL moves. */
export const REDIRECT_ADOPT_AFTER = 3;

/**
 * The state of a source before its first poll.
 * @param source configured source
 */
export function initialState(source: SourceConfig): SourceState {
  return {
    sourceId: source.id,
    feedUrl: source.url,
    etag: null,
    lastModified: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    nextPollAt: null,
    errorCount: 0,
    lastErrorCode: null,
    lastErrorMessage: null,
    disabledReason: null,
    identityPolicy: 'guid',
    redirectTo: null,
    redirectCount: 0,
    feedTitle: null,
    siteUrl: null,
  };
}

/**
 * Applies a fetch's permanent-redirect observation to the state: the feed URL changes only after
 * the same permanent redirect was seen REDIRECT_ADOPT_AFTER polls in a row, so one misconfigured
 * response cannot move a subscription.
 * @param state current state (not mutated)
 * @param permanentRedirectTo target of an all-permanent redirect chain, or null
 * @returns the new state
 */
export function observeRedirect(state: SourceState, permanentRedirectTo: string | null): SourceState {
  if (!permanentRedirectTo || permanentRedirectTo === state.feedUrl) {
    return { ...state, redirectTo: null, redirectCount: 0 };
  }
  const count = state.redirectTo === permanentRedirectTo ? state.redirectCount + 1 : 1;
  if (count >= REDIRECT_ADOPT_AFTER) {
    return { ...state, feedUrl: permanentRedirectTo, redirectTo: null, redirectCount: 0, etag: null, lastModified: null };
  }
  return { ...state, redirectTo: permanentRedirectTo, redirectCount: count };
}
