import type { SourceInfo } from '../publish/source-info.js';
import { cursorAfter, type ArticleCursor } from '../store/article-order.js';
import type { Store } from '../store/store.js';
import type { Article, Clock, OutputConfig, TranslationConfig } from '../types.js';
import { buildFormat, prepareFeed, type FeedFormat, type PreparedFeed } from '../publish/build-feeds.js';
import { isTopicView } from '../websub/topic-urls.js';
import { FEED_PATHS, type FeedLink } from '../publish/feed-meta.js';
import { compressBody, type Encoding } from './compress.js';

export type { FeedFormat } from '../publish/build-feeds.js';

/** One built feed document, with its compressed forms made on first demand. */
export interface CachedDocument {
  body: Buffer;
  /** Strong tag of the identity body, quoted. */
  etag: string;
  /** Newest item date (UTC ISO), null for an empty feed. */
  updated: string | null;
  /**
   * When this representation last changed (UTC ISO; the `Last-Modified` of RFC 9110 §8.8.2),
   * null when unknown (an empty feed on its first build). See {@link FeedCache} for the rule.
   */
  lastModified: string | null;
  /** Body in a content coding; made once per distinct body and reused by later builds. */
  encoded(encoding: Encoding): Promise<Buffer>;
}

/**
 * A store that can tell cheaply whether its articles may have changed (SqliteStore does:
 * a local write counter plus `PRAGMA data_version`). Stores without it are asked for their
 * article count instead.
 */
export interface ChangeMarked {
  /** Equal values mean the articles did not change in between. */
  changeMarker(): string | number | Promise<string | number>;
}

/** Tuning of {@link FeedCache}. */
export interface FeedCacheOptions {
  /**
   * Shortest time between two rebuilds of one variant caused by store writes (ms); writes in
   * between are published by the next rebuild, readers get the previous build meanwhile.
   * Default {@link DEFAULT_MIN_REBUILD_INTERVAL_MS}.
   */
  minRebuildIntervalMs?: number;
  /** XSLT stylesheet URL announced in RSS and Atom documents (FeedMeta `stylesheet`); default none. */
  stylesheet?: string | null;
  /**
   * Most variants kept (least recently used dropped first): filters and paging make the set of
   * variants open-ended, so memory is bounded by this count. Default {@link DEFAULT_MAX_VARIANTS}.
   */
  maxVariants?: number;
}

/** Default of FeedCacheOptions `maxVariants`: each holds one page of items and up to 9 bodies. */
export const DEFAULT_MAX_VARIANTS = 64;

/**
 * One feed variant: which articles (filters, page) under which path and query, and how it names
 * itself. Made by server/feed-query.ts `parseFeedRequest` from a request; {@link plainView} is
 * the unfiltered feed.
 */
export interface FeedView {
  /** Cache identity: equal keys are the same document (path prefix and normalized query). */
  key: string;
  /** Per-language view (one of `output.languages`), null = bilingual. */
  lang: string | null;
  /** Sub-path of the feed (`''`, `/sources/{id}`, `/tags/{keyword}`), see FeedMeta `pathPrefix`. */
  pathPrefix: string;
  /** Feed title and description (a language view adds its note, see publish `prepareFeed`). */
  title: string;
  description: string;
  /** Only these sources; null = all; empty = none (no store read, an empty feed). */
  sourceIds: string[] | null;
  /** Keywords every item must carry (ArticleQuery `keywords`). */
  keywords: string[];
  /** Full-text query (ArticleQuery `text`), null = none. */
  text: string | null;
  /** Items per page (1..output.maxItems). */
  limit: number;
  /** Start after this position (a page of an archive), null = the newest items. */
  before: ArticleCursor | null;
  /** Query of the self links (`''` or `?…`), `before` included. */
  query: string;
  /** Query of the page that starts after `cursor` (same filters). */
  pageQuery(cursor: ArticleCursor): string;
  /** Query of the unpaged feed with the same filters (the RFC 5005 `current` document). */
  currentQuery: string;
}

/**
 * The unfiltered feed (or one language view of it) at the root path.
 * @param output title, description and `maxItems` (the page size)
 * @param lang per-language view or null
 */
export function plainView(output: Pick<OutputConfig, 'title' | 'description' | 'maxItems'>, lang: string | null): FeedView {
  const query = lang === null ? '' : `?lang=${encodeURIComponent(lang)}`;
  return {
    key: query,
    lang,
    pathPrefix: '',
    title: output.title,
    description: output.description,
    sourceIds: null,
    keywords: [],
    text: null,
    limit: output.maxItems,
    before: null,
    query,
    pageQuery: (cursor) => `${query === '' ? '?' : `${query}&`}before=${formatCursorParam(cursor)}`,
    currentQuery: query,
  };
}

/**
 * The `before` value the server writes into `next` / `prev-archive` links: the sort key and,
 * after `~`, the id of the last item of the page (the tie-breaker among equal dates), URL-encoded
 * with `:` kept readable.
 * @param cursor position after the last item of a page
 * @returns e.g. `2026-08-23T10:00:00.000Z~3fa2c…`
 */
export function formatCursorParam(cursor: ArticleCursor): string {
  const text = cursor.id === null ? cursor.sortAt : `${cursor.sortAt}~${cursor.id}`;
  return encodeURIComponent(text).replace(/%3A/gi, ':');
}

/** Counters for tests and benchmarks. */
export interface FeedCacheStats {
  /** Variants read from the store (one `listArticles` each). */
  loads: number;
  /** Format documents built (RSS, Atom or JSON text rendered). */
  documents: number;
  /** Rebuilt documents whose bytes equalled the previous build's, so its compressed forms were kept. */
  reused: number;
  /** Bodies compressed (gzip or br). */
  compressions: number;
}

/**
 * While a poll batch saves source after source, each save changes the store; rebuilding on every
 * one gave readers a new ETag (so no 304s) and the event loop a full build many times a second.
 * Two seconds keeps new items visible almost at once.
 */
export const DEFAULT_MIN_REBUILD_INTERVAL_MS = 2_000;

interface Build {
  marker: string | number;
  generation: number;
  builtAtMs: number;
  /** Latest `updatedAt` among the page's items, capped at `builtAtMs`; null for none (ms). */
  newestWriteMs: number | null;
  prepared: PreparedFeed;
  /** RFC 5005 links of each format (they point at the same format's path). */
  links: (format: FeedFormat) => FeedLink[];
  docs: Map<FeedFormat, CachedDocument>;
  /** Documents of the build this one replaced, reused when a format's bytes did not change. */
  inherited: Map<FeedFormat, CachedDocument>;
}

interface Variant {
  current: Build | null;
  pending: Promise<Build> | null;
  /** When the last rebuild caused by a changed store marker began (ms since epoch). */
  markerRebuildAtMs: number;
}

/**
 * Memoized merged feeds, so many readers do not rebuild the feed on every request.
 *
 * Each variant (a {@link FeedView} — path, filters, page, language — per self base URL; at most
 * `maxVariants`, least recently used dropped) keeps its current build: the articles read once
 * (one more than the page size, to know whether an older page exists; a language view reads only
 * items having a version in its language, ArticleQuery `language`, so its pages are full and
 * page through every such item once) and laid out once; each format (RSS, Atom, JSON) is
 * rendered only when first asked for, and each coding (gzip, br) of it compressed once. A rebuild whose bytes equal the
 * previous build's keeps the previous document, ETag and compressed bodies.
 *
 * Last-Modified of a document ({@link CachedDocument.lastModified}) is when its bytes last
 * changed, not the newest item's date (an item with an older date added later, or an edited
 * title, changes the bytes but not that date, and `If-Modified-Since` readers would miss it;
 * a future-dated item would make it "now" on every request). It is:
 * - the same bytes as the previous build of the variant and format (same ETag): its Last-Modified;
 * - the first build of the variant (since start or since it was evicted): the newest store write
 *   (`updatedAt`) among the items on the page, capped at the build time;
 * - changed bytes: that newest write when it is later (in whole seconds, as HTTP-dates are) than
 *   the previous Last-Modified, else the build time (the bytes changed without a newer item
 *   write, e.g. an item left the page or a `next` link appeared).
 * So it never goes backwards for changed bytes and is never after the build (the caller also
 * caps it at the response time). Bytes that change twice within one second of the previous
 * Last-Modified keep that second: the ETag still tells them apart.
 *
 * A build is replaced when:
 * - `invalidate()` was called (the pipeline does after a poll batch that saved items, and after a
 *   translation backfill): the next request rebuilds;
 * - it is older than `output.cacheMaxAgeSeconds`: the next request rebuilds;
 * - the store's change marker moved ({@link ChangeMarked}; else the article count): rebuilt at
 *   once if the variant was not rebuilt for this reason within `minRebuildIntervalMs`, otherwise
 *   the previous build is served until that interval has passed (writes during a poll batch are
 *   published at most once per interval, so readers' ETags hold and 304s keep working).
 * The request that starts a rebuild waits for it; requests arriving meanwhile are served the
 * previous build (stale-while-revalidate), or share the rebuild when there is none. A failed
 * build is forgotten so the next request retries. Time comes from the injected clock.
 */
export class FeedCache {
  private readonly variants = new Map<string, Variant>();
  private generation = 0;
  private readonly minRebuildIntervalMs: number;
  private readonly stylesheet: string | null;
  private readonly maxVariants: number;
  private readonly counters: FeedCacheStats = { loads: 0, documents: 0, reused: 0, compressions: 0 };

  constructor(
    private readonly store: Store,
    private readonly output: OutputConfig,
    private readonly sources: ReadonlyMap<string, SourceInfo>,
    private readonly clock: Clock,
    /** Configured provider and model (for `_duofeed.translation`); default: none. */
    private readonly translation: Pick<TranslationConfig, 'provider' | 'model'> = { provider: 'none', model: null },
    options: FeedCacheOptions = {},
  ) {
    this.minRebuildIntervalMs = options.minRebuildIntervalMs ?? DEFAULT_MIN_REBUILD_INTERVAL_MS;
    this.stylesheet = options.stylesheet ?? null;
    this.maxVariants = Math.max(1, options.maxVariants ?? DEFAULT_MAX_VARIANTS);
  }

  /** Marks every cached build stale; the next request of each variant rebuilds it. */
  invalidate(): void {
    this.generation++;
  }

  /** Counters since construction (a copy). */
  stats(): FeedCacheStats {
    return { ...this.counters };
  }

  /**
   * The document of one format and variant, built when missing or stale (rules in the class doc).
   * @param selfBaseUrl base of the self links (no trailing slash)
   * @param lang per-language view (one of `output.languages`, checked by the caller); null = merged
   * @param format which document
   * @param wanted asked after waiting for the store: false = the reader has gone, so the format
   *   is not rendered for it (a load another reader started still completes)
   * @returns the document, or null when `wanted()` said no; rejects when the store fails
   */
  async get(selfBaseUrl: string, lang: string | null, format: FeedFormat, wanted: () => boolean = () => true): Promise<CachedDocument | null> {
    return this.getView(selfBaseUrl, plainView(this.output, lang), format, wanted);
  }

  /**
   * The document of one format of any feed variant (filters, sub-path, page), with the same
   * caching as {@link get}. A page followed by older items carries RFC 5005 `next` and
   * `prev-archive` links to the next page; a page asked for with `before` carries `current`
   * (the unpaged feed with the same filters). Links point at the same format's path.
   * @param selfBaseUrl base of the self links (no trailing slash)
   * @param view the variant (server/feed-query.ts `parseFeedRequest`)
   * @param format which document
   * @param wanted as for {@link get}
   * @returns the document, or null when `wanted()` said no; rejects when the store fails
   */
  async getView(selfBaseUrl: string, view: FeedView, format: FeedFormat, wanted: () => boolean = () => true): Promise<CachedDocument | null> {
    const nowMs = this.clock.now().getTime();
    const key = `${view.key} ${selfBaseUrl}`;
    const variant = this.variant(key);
    // Inside the rebuild interval a moved marker would not be acted on, so it is not even read
    // (reading it is cheap, but not free at thousands of requests a second).
    const markerMatters = variant.current === null || this.hardStale(variant.current, nowMs) || nowMs - variant.markerRebuildAtMs >= this.minRebuildIntervalMs;
    const marker = markerMatters ? await this.marker() : null;
    if (!wanted()) return null;
    const cur = variant.current;
    const hard = cur === null || this.hardStale(cur, nowMs);
    const byMarker = !hard && marker !== null && cur.marker !== marker;
    if (!hard && !byMarker) return this.document(cur, format);
    if (variant.pending !== null) {
      // Someone already started the rebuild: serve what we have meanwhile.
      if (cur !== null) return this.document(cur, format);
      const shared = await variant.pending;
      return wanted() ? this.document(shared, format) : null;
    }
    if (byMarker) variant.markerRebuildAtMs = nowMs;
    // (marker is always read on this path; NaN, equal to nothing, would only cost one more rebuild)
    const pending = this.load(selfBaseUrl, view, marker ?? Number.NaN, nowMs, cur);
    variant.pending = pending;
    try {
      const build = await pending;
      if (variant.pending === pending) variant.current = build;
      return wanted() ? this.document(build, format) : null;
    } finally {
      if (variant.pending === pending) variant.pending = null;
    }
  }

  private hardStale(build: Build, nowMs: number): boolean {
    return build.generation !== this.generation || nowMs - build.builtAtMs >= this.output.cacheMaxAgeSeconds * 1000;
  }

  private variant(key: string): Variant {
    let v = this.variants.get(key);
    if (v !== undefined) {
      // Most recently used last, so the eviction below drops the least recently used base.
      this.variants.delete(key);
      this.variants.set(key, v);
      return v;
    }
    v = { current: null, pending: null, markerRebuildAtMs: Number.NEGATIVE_INFINITY };
    this.variants.set(key, v);
    if (this.variants.size > this.maxVariants) {
      const oldest = this.variants.keys().next().value;
      if (oldest !== undefined) this.variants.delete(oldest);
    }
    return v;
  }

  private async marker(): Promise<string | number> {
    const marked = this.store as Partial<ChangeMarked>;
    if (typeof marked.changeMarker === 'function') return marked.changeMarker();
    return this.store.countArticles();
  }

  private async load(selfBaseUrl: string, view: FeedView, marker: string | number, nowMs: number, previous: Build | null): Promise<Build> {
    const generation = this.generation;
    const none = view.sourceIds !== null && view.sourceIds.length === 0;
    const found = none
      ? []
      : await this.store.listArticles({
          limit: view.limit + 1,
          sourceIds: view.sourceIds,
          keywords: view.keywords,
          text: view.text,
          // A language view asks the store for items in that language, so a page holds up to
          // `limit` of them and `next` appears only when an older one exists.
          language: view.lang,
          // Read from the same map the publisher lays the items out with, at the same moment.
          declaredLanguages: view.lang === null ? null : Object.fromEntries([...this.sources.values()].map((s) => [s.id, s.language])),
          before: view.before,
        });
    this.counters.loads++;
    const articles = found.slice(0, view.limit);
    const newestWriteMs = newestWrite(articles, nowMs);
    const last = articles[articles.length - 1];
    const nextQuery = found.length > view.limit && last !== undefined ? view.pageQuery(cursorAfter(last)) : null;
    const prepared = prepareFeed({
      articles,
      sources: this.sources,
      output: { ...this.output, title: view.title, description: view.description },
      selfBaseUrl,
      translation: this.translation,
      lang: view.lang,
      pathPrefix: view.pathPrefix,
      stylesheet: this.stylesheet,
      advertiseHub: isTopicView(view),
      // A page reached by `before` is what the `prev-archive` links point at (RFC 5005 §4).
      archive: view.before !== null,
    });
    prepared.meta.query = view.query;
    const base = prepared.meta.selfBaseUrl + view.pathPrefix;
    const links = (format: FeedFormat): FeedLink[] => {
      const out: FeedLink[] = [];
      // RFC 5005 §3 (paged) names the older page `next`, §4 (archived) `prev-archive`; readers know one or the other.
      if (nextQuery !== null) out.push({ rel: 'next', href: `${base}${FEED_PATHS[format]}${nextQuery}` }, { rel: 'prev-archive', href: `${base}${FEED_PATHS[format]}${nextQuery}` });
      if (view.before !== null) out.push({ rel: 'current', href: `${base}${FEED_PATHS[format]}${view.currentQuery}` });
      return out;
    };
    const inherited = new Map<FeedFormat, CachedDocument>(previous === null ? [] : [...previous.inherited, ...previous.docs]);
    return { marker, generation, builtAtMs: nowMs, newestWriteMs, prepared, links, docs: new Map(), inherited };
  }

  private document(build: Build, format: FeedFormat): CachedDocument {
    const have = build.docs.get(format);
    if (have !== undefined) return have;
    const links = build.links(format);
    const prepared = links.length === 0 ? build.prepared : { ...build.prepared, meta: { ...build.prepared.meta, links } };
    const { text, etag } = buildFormat(prepared, format);
    this.counters.documents++;
    const before = build.inherited.get(format);
    let doc: CachedDocument;
    if (before !== undefined && before.etag === etag && before.updated === build.prepared.meta.updated) {
      doc = before;
      this.counters.reused++;
    } else {
      doc = cachedDocument(text, etag, build.prepared.meta.updated, lastModifiedOf(build, before, etag), () => this.counters.compressions++);
    }
    build.inherited.delete(format);
    build.docs.set(format, doc);
    return doc;
  }
}

// The rule is in the FeedCache class comment.
function lastModifiedOf(build: Build, before: CachedDocument | undefined, etag: string): string | null {
  if (before !== undefined && before.etag === etag) return before.lastModified;
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  if (before === undefined) return iso(build.newestWriteMs);
  const seconds = (ms: number): number => Math.floor(ms / 1000);
  const previous = before.lastModified === null ? null : Date.parse(before.lastModified);
  if (build.newestWriteMs !== null && (previous === null || seconds(build.newestWriteMs) > seconds(previous))) return iso(build.newestWriteMs);
  return iso(Math.max(build.builtAtMs, previous ?? build.builtAtMs));
}

// Store write times, not item dates: a write is when the document's content last changed.
function newestWrite(articles: readonly Article[], nowMs: number): number | null {
  let newest: number | null = null;
  for (const a of articles) {
    const ms = Date.parse(a.updatedAt ?? a.firstSeenAt);
    if (!Number.isNaN(ms) && (newest === null || ms > newest)) newest = ms;
  }
  return newest === null ? null : Math.min(newest, nowMs);
}

function cachedDocument(text: string, etag: string, updated: string | null, lastModified: string | null, onCompress: () => void): CachedDocument {
  const body = Buffer.from(text, 'utf8');
  const memo = new Map<Encoding, Promise<Buffer>>();
  return {
    body,
    etag,
    updated,
    lastModified,
    encoded(encoding) {
      if (encoding === 'identity') return Promise.resolve(body);
      let p = memo.get(encoding);
      if (p === undefined) {
        onCompress();
        p = compressBody(body, encoding);
        // A zlib failure is not kept: the next reader tries again.
        p.catch(() => memo.delete(encoding));
        memo.set(encoding, p);
      }
      return p;
    },
  };
}
