/** Feed-level values shared by the three format builders. */
export interface FeedMeta {
  title: string;
  description: string;
  /** Public base URL without trailing slash, e.g. `https://news.example.com`. */
  selfBaseUrl: string;
  /** Newest item `updatedAt` (UTC ISO), or null for an empty feed. */
  updated: string | null;
  /** Language of a per-language view (`zh`); null for the merged feed. Defaults to null. */
  lang?: string | null;
  /** Query of the self links (`?lang=zh`), `''` for the merged feed. Defaults to `''`. */
  query?: string;
}

/** Paths the server publishes the formats under (self links must match the routes). */
export const FEED_PATHS = { rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json' } as const;

/** Name written as `<generator>` (RSS, Atom) and in the JSON Feed extension. */
export const GENERATOR = 'duofeed';

/**
 * Drops trailing slashes so `${base}/feed.xml` never has `//`.
 * @param base absolute base URL
 */
export function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}
