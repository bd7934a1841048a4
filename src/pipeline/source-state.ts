import type { SourceConfig, SourceState } from '../types.js';

/** Polls in a row that must see the same permanent redirect before the stored feed URL moves. */
export const REDIRECT_ADOPT_AFTER = 3;

/**
 * The state of a source before its first poll.
 * @param source configured source (only its id and url are read)
 */
export function initialState(source: Pick<SourceConfig, 'id' | 'url'>): SourceState {
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
    configUrl: source.url,
  };
}

/**
 * The state to poll with: the stored one, unless the operator changed the source's `url` in the
 * config since it was written — then the source starts afresh at the new URL (validators,
 * adopted redirects, backoff and a 410 disable belong to the old URL), keeping only its
 * identity policy and feed metadata.
 * @param stored stored state, or null before the first poll
 * @param source configured source
 */
export function stateForConfig(stored: SourceState | null, source: SourceConfig): SourceState {
  if (!stored) return initialState(source);
  if (stored.configUrl === source.url || (stored.configUrl === null && stored.feedUrl === source.url)) {
    return { ...stored, configUrl: source.url };
  }
  if (stored.configUrl === null && stored.redirectTo === null && stored.feedUrl !== source.url) {
    // A state from before configUrl was kept whose URL differs: it may be an adopted redirect
    // of the same config URL, which cannot be told apart; keep it rather than lose the move.
    return { ...stored, configUrl: source.url };
  }
  return { ...initialState(source), identityPolicy: stored.identityPolicy, feedTitle: stored.feedTitle, siteUrl: stored.siteUrl };
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
