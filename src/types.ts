/**
 * Records passed between pipeline stages (see ../shared/DESIGN.md, "Records").
 *
 * Conventions: missing values are `null`, never `undefined`; dates are UTC ISO 8601 strings
 * (`2024-01-02T03:04:05.000Z`); sizes are bytes; durations are milliseconds; languages are
 * BCP 47 tags (`en`, `zh-CN`).
 */

/** The one source of "now" a stage may use; `main.ts` passes the real clock, tests a fixed one. */
export interface Clock {
  /** Current time. */
  now(): Date;
}

/** HTTP client settings (`http` in feeds.config.json). */
export interface HttpSettings {
  /** Total time for one request, headers and body included (ms). */
  timeoutMs: number;
  /** Cap on a feed document's decoded-from-wire body (bytes, after decompression). */
  maxFeedBytes: number;
  /** Cap on an article page's body (bytes, after decompression). */
  maxPageBytes: number;
  /** Redirects followed before giving up (RFC 9110 §15.4). */
  maxRedirects: number;
  /** User-Agent header sent with every request. */
  userAgent: string;
  /** When false, loopback/private/link-local/metadata addresses are refused. */
  allowPrivateNetworks: boolean;
  /** Sources polled at the same time. */
  maxConcurrentSources: number;
  /** Article pages fetched at the same time within one source. */
  maxConcurrentPages: number;
  /** Items taken from one feed document (newest first). */
  maxItemsPerFeed: number;
}

/** Per-source article extraction rules. */
export interface ExtractRules {
  /** CSS selector of the article body; tried before the generic scorer. */
  selector: string | null;
  /** CSS selectors removed from the page before extraction. */
  remove: string[];
  /** When false, article pages are not fetched and the feed's own content is kept. */
  fetchPages: boolean;
}

/** One configured source (an entry of `sources` in feeds.config.json), after defaults. */
export interface SourceConfig {
  id: string;
  /** Feed URL (RSS, Atom or JSON Feed). */
  url: string;
  name: string;
  /** Declared language, BCP 47. */
  language: string;
  /** Home page of the publisher; null falls back to the feed's own `<link>`. */
  siteUrl: string | null;
  enabled: boolean;
  extract: ExtractRules;
  /** Cron expression; null uses the global schedule. */
  schedule: string | null;
  /** IANA zone for dates that carry none; null means UTC (and the item is flagged). */
  timezone: string | null;
  /** Categories added to every item of this source. */
  categories: string[];
  /** Let this source's feed and pages be on loopback/private addresses (an intranet feed); loadConfig sets it, hand-built sources may omit it (false). */
  allowPrivateNetworks?: boolean;
}

/** `output` in feeds.config.json. */
export interface OutputConfig {
  title: string;
  description: string;
  /** Public base URL (for self links behind a reverse proxy); null derives it from the request. */
  baseUrl: string | null;
  /** Items in one merged feed. */
  maxItems: number;
  /** `Cache-Control: max-age` of feed responses (seconds). */
  cacheMaxAgeSeconds: number;
  /** Output languages, primary first (BCP 47 primary subtags, e.g. `["zh", "en"]`). */
  languages: string[];
  /** How two language versions share one item's content. */
  layout: 'stacked' | 'interleaved';
  /** Item title: the primary language only, or both (`中文 | English`). */
  titleMode: 'primary' | 'both';
  /** WebSub hub the feeds advertise (`rel=hub`) and notify after changes; null or absent: none. */
  websubHub?: string | null;
}

/** Keyword settings (`keywords` in feeds.config.json). */
export interface KeywordConfig {
  /** Fewest keywords per item and language. */
  min: number;
  /** Most keywords per item and language. */
  max: number;
}

/** Translation settings (`translation` in feeds.config.json); provider `none` = no translation. */
export interface TranslationConfig {
  provider: 'none' | 'openai' | 'deepl' | 'libretranslate';
  /** API base URL (OpenAI-compatible: up to `/v1`; DeepL: `https://api-free.deepl.com`; LibreTranslate: server root). */
  baseUrl: string | null;
  model: string | null;
  /** Name of the environment variable holding the API key (the key itself is never in the file). */
  apiKeyEnv: string | null;
  /** Per request (ms). */
  timeoutMs: number;
  maxRetries: number;
  requestsPerMinute: number;
  concurrency: number;
  /** Characters sent per UTC day before translation pauses until the next day. */
  maxCharactersPerDay: number;
  /** Fixed renderings: target language → (term → translation). */
  glossary: Record<string, Record<string, string>>;
  /** Terms carried verbatim. */
  doNotTranslate: string[];
}

/** The validated, frozen configuration. */
export interface AppConfig {
  /** Default cron schedule of every source. */
  schedule: string;
  /** Zone the cron schedules run in (IANA), null = UTC. */
  scheduleTimezone: string | null;
  http: HttpSettings;
  output: OutputConfig;
  keywords: KeywordConfig;
  translation: TranslationConfig;
  sources: SourceConfig[];
}

/** What the fetch stage is asked for. */
export interface FetchRequest {
  url: string;
  /** Selects the body cap (`maxFeedBytes` or `maxPageBytes`) and the Accept header. */
  kind: 'feed' | 'page';
  /** Conditional GET validators from the last successful fetch. */
  etag: string | null;
  lastModified: string | null;
}

/** What the fetch stage returns. A 304 has `notModified: true` and null `text`/`bytes`. */
export interface FetchResult {
  requestedUrl: string;
  /** URL of the final response after redirects. */
  url: string;
  status: number;
  notModified: boolean;
  /** Set when every redirect hop was permanent (301/308): the URL to store. */
  permanentRedirectTo: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Media type without parameters, lower case, e.g. `application/rss+xml`. */
  contentType: string | null;
  /** Raw (decompressed) body. */
  bytes: Buffer | null;
  /** Body decoded to text (see fetch/decode). */
  text: string | null;
  /** WHATWG encoding name actually used to decode, e.g. `gb18030`. */
  encoding: string | null;
  /** Time spent (ms). */
  elapsedMs: number;
}

/** An enclosure (RSS 2.0 `<enclosure>`, Atom `link rel=enclosure`, JSON Feed attachment, media:content). */
export interface Enclosure {
  url: string;
  type: string | null;
  /** Bytes, as declared by the feed. */
  length: number | null;
  title: string | null;
}

/** One item after parse + normalize: the one model all feed formats map to. */
export interface FeedItem {
  /** Identity within the source: the feed's guid/id, else the canonical link. */
  guid: string;
  /** Absolute item link. */
  url: string | null;
  /** Canonical form of `url` (tracking parameters removed, fragment dropped). */
  canonicalUrl: string | null;
  /** Plain text. */
  title: string;
  publishedAt: string | null;
  /** The item's own last-modified date from the feed (Atom `updated`, JSON `date_modified`). */
  modifiedAt: string | null;
  /** True when a date carried no zone and was read in the source's zone (or UTC). */
  dateHadNoZone: boolean;
  author: string | null;
  /** HTML with absolute URLs. */
  summaryHtml: string | null;
  /** HTML with absolute URLs. */
  contentHtml: string | null;
  categories: string[];
  enclosures: Enclosure[];
  /** Lead image (media:thumbnail, JSON Feed `image`, first enclosure image). */
  imageUrl: string | null;
  /** Media RSS `media:thumbnail` URL (absolute), when the feed gives one (case 10). Added by parse/. */
  thumbnailUrl?: string | null;
}

/** A parsed and normalized feed document. */
export interface ParsedFeed {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  title: string | null;
  /** The feed's own home page link. */
  siteUrl: string | null;
  description: string | null;
  language: string | null;
  items: FeedItem[];
  /** Non-fatal notes found while normalizing (e.g. duplicate guids), for logs. */
  warnings: string[];
}

/** Outcome of article extraction for one item. */
export interface Extraction {
  status: 'ok' | 'failed' | 'skipped';
  /** Which route produced `contentHtml`. */
  method: 'selector' | 'generic' | null;
  /** Sanitized article HTML with absolute URLs; null unless status is ok. */
  contentHtml: string | null;
  /** Plain text of contentHtml. */
  text: string | null;
  /** Error code (errors.ts) or short reason when status is not ok. */
  reason: string | null;
}

/** A translation of one item into one language (issue 3 fills these). */
export interface Translation {
  title: string;
  contentHtml: string | null;
  provider: string;
  model: string | null;
  at: string;
  status: 'ok' | 'flagged';
  missing: string[];
}

/** What the pipeline hands the store for one item. */
export interface ArticleInput {
  sourceId: string;
  item: FeedItem;
  /** null when the page was not fetched this time (item already known and unchanged). */
  extraction: Extraction | null;
  language: string | null;
  /** Keywords per language, e.g. `{ en: [...], zh: [...] }`. */
  keywords: Record<string, string[]>;
  translations: Record<string, Translation>;
}

/** A stored article, as read back for publishing. */
export interface Article {
  /** Stable id: hash of source id + identity key. */
  id: string;
  sourceId: string;
  guid: string;
  url: string | null;
  canonicalUrl: string | null;
  title: string;
  publishedAt: string | null;
  modifiedAt: string | null;
  dateHadNoZone: boolean;
  author: string | null;
  summaryHtml: string | null;
  /** The feed's own content (sanitized). */
  feedContentHtml: string | null;
  /** Extracted article body, when extraction succeeded. */
  contentHtml: string | null;
  text: string | null;
  categories: string[];
  enclosures: Enclosure[];
  imageUrl: string | null;
  extractionStatus: Extraction['status'] | 'pending';
  extractionMethod: Extraction['method'];
  extractionReason: string | null;
  language: string | null;
  keywords: Record<string, string[]>;
  translations: Record<string, Translation>;
  firstSeenAt: string;
  /**
   * Store id of the article that claimed this guid first: of all stored articles (any source)
   * whose guid is exactly this one, the first seen (earliest `firstSeenAt`, then smallest id).
   * Equals `id` when this article owns its guid. Filled by `Store.listArticles`; absent on
   * records that did not come from a store (the publisher then applies the same order to the
   * articles it is given). Decides the published id (publish/item-content.ts `prepareItems`).
   */
  guidOwner?: string;
  /** When the stored record last changed. */
  updatedAt: string;
}

/** Identity key policy of a source (case 19: a feed whose guids repeat is keyed by link, stickily). */
export type IdentityPolicy = 'guid' | 'link';

/** Per-source polling state, kept in the store. */
export interface SourceState {
  sourceId: string;
  /** Feed URL in use (updated after repeated permanent redirects). */
  feedUrl: string;
  etag: string | null;
  lastModified: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  nextPollAt: string | null;
  /** Consecutive failures. */
  errorCount: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  /** Set when the source is disabled (e.g. 410 Gone). */
  disabledReason: string | null;
  identityPolicy: IdentityPolicy;
  /** Permanent redirect target seen, and how many polls in a row it was seen. */
  redirectTo: string | null;
  redirectCount: number;
  /** Feed-level metadata from the last successful parse. */
  feedTitle: string | null;
  siteUrl: string | null;
  /** The source's `url` in the config when this state was written (null in states from before it was kept). */
  configUrl: string | null;
}

/** Counts of one source's poll. */
export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}
