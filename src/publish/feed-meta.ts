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
  /**
   * Path before the format's file name for a feed published under a sub-path, e.g.
   * `/sources/decoder` makes the RSS self link `<base>/sources/decoder/feed.xml`. Defaults to `''`.
   */
  pathPrefix?: string;
  /**
   * WebSub hub URLs (W3C WebSub §4): Atom `<link rel="hub">`, RSS `<atom:link rel="hub">`,
   * JSON Feed `hubs: [{type: "WebSub", url}]`. Defaults to none.
   */
  hubs?: readonly string[];
  /**
   * Further feed-level links, e.g. RFC 5005 `next` / `prev-archive` / `current`: Atom `<link>`,
   * RSS `<atom:link>`; JSON Feed writes `next` as `next_url` (JSON Feed 1.1) and keeps all of
   * them in `_duofeed.links`. Hrefs are absolute. Defaults to none.
   */
  links?: readonly FeedLink[];
  /**
   * URL (absolute or root-relative) of an XSLT stylesheet announced to browsers by an
   * `<?xml-stylesheet type="text/xsl" href="…"?>` processing instruction in RSS and Atom.
   * Defaults to none.
   */
  stylesheet?: string | null;
  /**
   * An archive document of RFC 5005 §4 (a page reached through `prev-archive`): Atom and RSS carry
   * `<fh:archive/>` (namespace {@link FEED_HISTORY_NS}; RSS per the RFC's Appendix B). Default false.
   */
  archive?: boolean;
}

/** RFC 5005 feed-history namespace (`fh:archive`). */
export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/** One feed-level link (RFC 4287 §4.2.7 `atom:link`). */
export interface FeedLink {
  /** Link relation, e.g. `next`, `prev-archive` (RFC 5005), `current`. */
  rel: string;
  /** Absolute URL. */
  href: string;
  /** Media type of the target; default: the feed's own. */
  type?: string;
}

/**
 * The self URL of one format of a feed.
 * @param meta base URL, optional path prefix and query
 * @param format which document
 * @returns e.g. `https://news.example.com/sources/decoder/atom.xml?lang=en`
 */
export function selfUrl(meta: Pick<FeedMeta, 'selfBaseUrl' | 'pathPrefix' | 'query'>, format: keyof typeof FEED_PATHS): string {
  return `${meta.selfBaseUrl}${meta.pathPrefix ?? ''}${FEED_PATHS[format]}${meta.query ?? ''}`;
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
