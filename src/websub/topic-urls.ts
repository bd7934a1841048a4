import { FEED_PATHS, selfUrl } from '../publish/feed-meta.js';

/** What decides the public URLs of the feeds (from `output` in feeds.config.json). */
export interface TopicSettings {
  /** `output.baseUrl`, no trailing slash, e.g. `https://news.example.com`. */
  baseUrl: string;
  /** `output.languages`: each gets a `?lang=` view of every feed. */
  languages: readonly string[];
}

/** Path prefix of a per-source feed (`/sources/{id}/feed.xml` …); ids are `[a-z0-9_-]`. */
export function sourcePathPrefix(sourceId: string): string {
  return `/sources/${encodeURIComponent(sourceId)}`;
}

/** The `?lang=` query of a language view, as in the topic and self URLs; `''` for the bilingual feed. */
function langQuery(lang: string | null): string {
  return lang === null ? '' : `?lang=${encodeURIComponent(lang)}`;
}

/**
 * Whether a served feed variant is one of the topics {@link changedTopicUrls} notifies, so that it
 * may advertise the hub (W3C WebSub §4): the merged feed or a per-source feed (`pathPrefix` `''`
 * or `/sources/{id}`), bilingual or one `?lang=` view, with no other parameter in its self query
 * (`source`, `keyword`, `q`, `limit`, `before` make a view no hub hears about).
 * @param view the variant's path prefix, normalized self query (`''` or `?…`) and language
 * @returns true when its self URL is a notified topic URL
 */
export function isTopicView(view: { pathPrefix: string; query: string; lang: string | null }): boolean {
  return view.query === langQuery(view.lang) && (view.pathPrefix === '' || /^\/sources\/[^/]+$/.test(view.pathPrefix));
}

/**
 * Topic URLs (WebSub §1 "topic": the feed's `rel=self` URL) of one feed published under
 * `pathPrefix`: RSS, Atom and JSON Feed, each plain and as every `?lang=` view, built with the
 * same {@link selfUrl} the feeds use for their self links so the two always match.
 * @param s base URL and output languages
 * @param pathPrefix `''` for the merged feed, {@link sourcePathPrefix} for a source's feed
 * @returns absolute URLs, e.g. `https://news.example.com/feed.xml?lang=zh`
 */
export function feedTopicUrls(s: TopicSettings, pathPrefix: string): string[] {
  const queries = [null, ...s.languages].map(langQuery);
  const formats = Object.keys(FEED_PATHS) as Array<keyof typeof FEED_PATHS>;
  return queries.flatMap((query) => formats.map((format) => selfUrl({ selfBaseUrl: s.baseUrl, pathPrefix, query }, format)));
}

/**
 * Every topic whose content changes when items of `sourceIds` change: the merged feeds and the
 * per-source feeds of those sources (each in three formats and every language view). Filtered
 * views (`?source=`, `?keyword=`, `?q=`, tag feeds, archive pages) are not topics we announce.
 * @param s base URL and output languages
 * @param sourceIds sources with added or changed items (duplicates are ignored)
 * @returns absolute URLs without duplicates; empty when `sourceIds` is empty
 */
export function changedTopicUrls(s: TopicSettings, sourceIds: Iterable<string>): string[] {
  const ids = [...new Set(sourceIds)].sort();
  if (ids.length === 0) return [];
  return [...feedTopicUrls(s, ''), ...ids.flatMap((id) => feedTopicUrls(s, sourcePathPrefix(id)))];
}
