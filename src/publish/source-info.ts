import type { SourceConfig, SourceState } from '../types.js';

/** What the publisher needs to attribute an item to the feed it came from. */
export interface SourceInfo {
  id: string;
  /** Display name of the source (config `name`). */
  name: string;
  /** Feed URL in use (after permanent redirects), for RSS `<source url>` and Atom `<source>`. */
  feedUrl: string;
  /** Publisher's home page; null when neither the config nor the feed gives one. */
  siteUrl: string | null;
  /** Declared language, BCP 47; null when unknown. */
  language: string | null;
}

/**
 * Builds the attribution map from the configured sources and their stored states.
 * The stored state wins for `feedUrl` (it follows permanent redirects); the config wins for
 * `siteUrl`, falling back to the `<link>` the feed itself declared.
 * @param sources configured sources (disabled ones included: their old items are still published)
 * @param states stored source states (any order; unknown ids are ignored)
 * @returns map keyed by source id; never throws
 */
export function buildSourceInfos(sources: readonly SourceConfig[], states: readonly SourceState[] = []): Map<string, SourceInfo> {
  const stateById = new Map(states.map((s) => [s.sourceId, s] as const));
  const out = new Map<string, SourceInfo>();
  for (const source of sources) {
    const state = stateById.get(source.id);
    out.set(source.id, {
      id: source.id,
      name: source.name,
      feedUrl: state?.feedUrl || source.url,
      siteUrl: source.siteUrl ?? state?.siteUrl ?? null,
      language: source.language || null,
    });
  }
  // Sources removed from the config keep their stored items published (readers keep the last
  // good items); their attribution comes from what the store remembers of the feed.
  for (const state of states) {
    if (out.has(state.sourceId) || !state.feedUrl) continue;
    out.set(state.sourceId, {
      id: state.sourceId,
      name: state.feedTitle || state.sourceId,
      feedUrl: state.feedUrl,
      siteUrl: state.siteUrl,
      language: null,
    });
  }
  return out;
}

/**
 * Attribution for an article whose source is no longer configured: its items stay published
 * (readers keep the last good items), named by the source id. The feed URL is unknown, so
 * `feedUrl` is empty and format builders skip the machine-readable `<source>` element.
 * @param sourceId id stored on the article
 */
export function unknownSourceInfo(sourceId: string): SourceInfo {
  return { id: sourceId, name: sourceId, feedUrl: '', siteUrl: null, language: null };
}
