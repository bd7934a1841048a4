import { createHash } from 'node:crypto';
import type { Article, OutputConfig } from '../types.js';
import { buildAtom } from './build-atom.js';
import { buildJson } from './build-json.js';
import { buildRss } from './build-rss.js';
import { trimBase, type FeedLink, type FeedMeta } from './feed-meta.js';
import { DEFAULT_PUBLISH_OPTIONS, newestUpdate, prepareItems, type PublishItem, type PublishOptions } from './item-content.js';
import type { SourceInfo } from './source-info.js';
import type { TranslationSetting } from './translation-report.js';

/** What {@link buildFeeds} needs. */
export interface BuildFeedsInput {
  /** Newest first, already limited to `output.maxItems` by the caller. */
  articles: readonly Article[];
  /** Attribution per source id. */
  sources: ReadonlyMap<string, SourceInfo>;
  /**
   * Feed title and description; `languages` (primary first), `layout` and `titleMode` default to
   * `["zh", "en"]`, `stacked`, `primary` (the config defaults).
   */
  output: Pick<OutputConfig, 'title' | 'description'> & Partial<Pick<OutputConfig, 'languages' | 'layout' | 'titleMode' | 'websubHub'>>;
  /** Public base URL the self links point under (trailing slash optional). */
  selfBaseUrl: string;
  /**
   * The configured translation provider and model (`AppConfig.translation` fits as is); decides
   * `_duofeed.translation.status` `none` versus `pending`. Default: provider `none`.
   */
  translation?: TranslationSetting;
  /**
   * Per-language view: one of `output.languages` (the server checks that), e.g. `zh` for
   * `/feed.xml?lang=zh`; null or absent = the merged bilingual feed.
   */
  lang?: string | null;
  /** Sub-path the feed is published under (see FeedMeta `pathPrefix`), e.g. `/sources/decoder`; default `''`. */
  pathPrefix?: string;
  /** Feed-level links such as RFC 5005 `next` / `prev-archive` (see FeedMeta `links`). */
  links?: readonly FeedLink[];
  /** XSLT stylesheet URL for RSS and Atom (see FeedMeta `stylesheet`); default none. */
  stylesheet?: string | null;
  /** An RFC 5005 archive page (see FeedMeta `archive`); default false. */
  archive?: boolean;
  /**
   * Whether this feed advertises `output.websubHub` (RSS/Atom `rel=hub`, JSON `hubs`). W3C WebSub
   * §4: a publisher advertises a hub only for a topic whose updates it announces, so the server
   * passes false for views the hub is never notified about (filters, tags, pages). Default true.
   */
  advertiseHub?: boolean;
}

/** The merged feed in all three formats. */
export interface BuiltFeeds {
  rss: string;
  atom: string;
  json: string;
  /** Newest item date (UTC ISO; the `Last-Modified` source), null for an empty feed. */
  updated: string | null;
  /** Strong ETag (quoted) of each body's UTF-8 bytes, see {@link bodyEtag}. */
  etags: { rss: string; atom: string; json: string };
}

/**
 * Builds the one merged feed as RSS 2.0, Atom 1.0 and JSON Feed 1.1, with per-item attribution.
 * Pure: dates come from the records only, so equal input gives byte-identical output.
 * The documents are built with the `feed` package (6.0.0); its defects are compensated around it
 * (see feed-values.ts, xml-tree.ts and each builder): it splits only the first `]]>` in CDATA
 * (case 36), passes XML-forbidden characters through (case 31), throws on dateless Atom entries
 * (case 32) and on non-URL ids, normalizes URLs, writes JSON Feed version 1 and has no Atom entry
 * `<source>`.
 *
 * Languages: see prepareItems (item-content.ts) for the versions, layouts and titles; Atom marks
 * each entry with `xml:lang`, JSON Feed items carry `language` and `_duofeed` language, keywords,
 * versions and translation. A language view (`lang`) is a feed of its own: its title and
 * description say which language it holds, its self links carry `?lang=`, and it declares its
 * language (RSS `<language>`, Atom `xml:lang`, JSON Feed `language`).
 * @param input articles, attribution, output config, base URL, provider, view
 * @returns the three documents, the newest item date and their ETags
 * @throws DuofeedError INTERNAL only on a defect (feed's output not in the shape the builders
 *   expect); never because of the data
 */
export function buildFeeds(input: BuildFeedsInput): BuiltFeeds {
  const prepared = prepareFeed(input);
  const [rss, atom, json] = (['rss', 'atom', 'json'] as const).map((f) => buildFormat(prepared, f)) as [Built, Built, Built];
  return { rss: rss.text, atom: atom.text, json: json.text, updated: prepared.meta.updated, etags: { rss: rss.etag, atom: atom.etag, json: json.etag } };
}

type Built = { text: string; etag: string };

/** Format names as served. */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** Items and feed-level values of one variant, ready for any of the three format builders. */
export interface PreparedFeed {
  items: PublishItem[];
  meta: FeedMeta;
}

/**
 * The format-independent half of {@link buildFeeds}: lays the articles out once per variant
 * (merged, or one `?lang=` view), so the server can build only the format a reader asks for.
 * @param input as for `buildFeeds` (articles newest first, already limited to `output.maxItems`)
 * @returns prepared items and the feed meta (title, description, self base, newest date, view)
 */
export function prepareFeed(input: BuildFeedsInput): PreparedFeed {
  const options: PublishOptions = {
    languages: input.output.languages ?? DEFAULT_PUBLISH_OPTIONS.languages,
    layout: input.output.layout ?? DEFAULT_PUBLISH_OPTIONS.layout,
    titleMode: input.output.titleMode ?? DEFAULT_PUBLISH_OPTIONS.titleMode,
    translation: input.translation ?? DEFAULT_PUBLISH_OPTIONS.translation,
    lang: input.lang ?? null,
  };
  const items = prepareItems(input.articles, input.sources, options);
  return {
    items,
    meta: {
      ...viewTitles(input.output, options.lang),
      selfBaseUrl: trimBase(input.selfBaseUrl),
      updated: newestUpdate(items),
      lang: options.lang,
      query: options.lang === null ? '' : `?lang=${encodeURIComponent(options.lang)}`,
      pathPrefix: input.pathPrefix ?? '',
      hubs: input.output.websubHub && input.advertiseHub !== false ? [input.output.websubHub] : [],
      links: input.links ?? [],
      stylesheet: input.stylesheet ?? null,
      archive: input.archive ?? false,
    },
  };
}

/**
 * Builds one format of a prepared variant (RSS 2.0, Atom 1.0 or JSON Feed 1.1) with its strong
 * ETag ({@link bodyEtag}).
 * @param prepared from {@link prepareFeed}
 * @param format which document
 * @returns the document text and its quoted ETag
 * @throws DuofeedError INTERNAL only on a builder defect
 */
export function buildFormat(prepared: PreparedFeed, format: FeedFormat): Built {
  const text =
    format === 'rss' ? buildRss(prepared.items, prepared.meta) : format === 'atom' ? buildAtom(prepared.items, prepared.meta) : buildJson(prepared.items, prepared.meta);
  return { text, etag: bodyEtag(text) };
}

/**
 * Strong entity tag of a body (RFC 9110 §8.8.3): the first 32 hex digits of its SHA-256, quoted.
 * @param body text (hashed as UTF-8) or bytes
 * @returns e.g. `"3a7bd3e2360a3d29eea436fcfb7e44c7"`
 */
export function bodyEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}

// A view names its language in the title (two subscriptions must be told apart) and, since it
// leaves out items that lack that language, says so in the description.
function viewTitles(output: Pick<OutputConfig, 'title' | 'description'>, lang: string | null): Pick<FeedMeta, 'title' | 'description'> {
  if (lang === null) return { title: output.title, description: output.description };
  const note = `language view "${lang}": each item in ${lang} only; items not available in ${lang} are left out`;
  return { title: `${output.title} [${lang}]`, description: output.description === '' ? note : `${output.description} (${note})` };
}
