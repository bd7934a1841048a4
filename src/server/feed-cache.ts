import { buildFeeds } from '../publish/build-feeds.js';
import type { SourceInfo } from '../publish/source-info.js';
import type { Store } from '../store/store.js';
import type { Clock, OutputConfig, TranslationConfig } from '../types.js';
import { compressBody, type Encoding } from './compress.js';

/** Format names as served. */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** One built feed document, with its compressed forms made on first demand. */
export interface CachedDocument {
  body: Buffer;
  /** Strong tag of the identity body, quoted. */
  etag: string;
  /** Newest item date (UTC ISO), null for an empty feed. */
  updated: string | null;
  /** Body in a content coding; memoized per build. */
  encoded(encoding: Encoding): Promise<Buffer>;
}

interface Entry {
  generation: number;
  count: number;
  builtAtMs: number;
  docs: Promise<Record<FeedFormat, CachedDocument>>;
}

// Base URLs come from the Host header when output.baseUrl is null; cap how many we keep (each
// base has one entry per variant: the merged feed and each language view).
const MAX_BASES = 8;

/**
 * Memoized merged feeds, so many readers do not rebuild the feed on every request.
 *
 * A build is reused until one of: `invalidate()` is called (the pipeline calls it after a poll
 * that saved items), the store's article count changes (a write by another process, e.g.
 * `poll-once`), or it is older than `output.cacheMaxAgeSeconds` (catches in-place updates by
 * another process; readers would not re-ask sooner anyway). Concurrent requests during a build
 * share it; a failed build is forgotten so the next request retries. Each variant (the merged
 * feed, and each per-language view `?lang=`) is a separate entry with its own documents, ETags
 * and Last-Modified, so conditional GET works per variant.
 */
export class FeedCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly output: OutputConfig,
    private readonly sources: ReadonlyMap<string, SourceInfo>,
    private readonly clock: Clock,
    /** Configured provider and model (for `_duofeed.translation`); default: none. */
    private readonly translation: Pick<TranslationConfig, 'provider' | 'model'> = { provider: 'none', model: null },
  ) {}

  /** Marks every cached build stale; the next request rebuilds. */
  invalidate(): void {
    this.generation++;
  }

  /**
   * The three documents for a base URL and variant, built when missing or stale.
   * @param selfBaseUrl base of the self links (no trailing slash)
   * @param lang per-language view (one of `output.languages`, checked by the caller); null = merged
   * @returns documents; rejects when the store fails
   */
  async get(selfBaseUrl: string, lang: string | null = null): Promise<Record<FeedFormat, CachedDocument>> {
    const count = await this.store.countArticles();
    const nowMs = this.clock.now().getTime();
    const key = `${lang ?? '*'} ${selfBaseUrl}`;
    const entry = this.entries.get(key);
    if (
      entry !== undefined &&
      entry.generation === this.generation &&
      entry.count === count &&
      nowMs - entry.builtAtMs < this.output.cacheMaxAgeSeconds * 1000
    ) {
      return entry.docs;
    }
    const fresh: Entry = { generation: this.generation, count, builtAtMs: nowMs, docs: this.build(selfBaseUrl, lang) };
    this.entries.delete(key);
    this.entries.set(key, fresh);
    if (this.entries.size > MAX_BASES * (this.output.languages.length + 1)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    fresh.docs.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return fresh.docs;
  }

  private async build(selfBaseUrl: string, lang: string | null): Promise<Record<FeedFormat, CachedDocument>> {
    const articles = await this.store.listArticles({ limit: this.output.maxItems });
    const built = buildFeeds({ articles, sources: this.sources, output: this.output, selfBaseUrl, translation: this.translation, lang });
    return {
      rss: cachedDocument(built.rss, built.etags.rss, built.updated),
      atom: cachedDocument(built.atom, built.etags.atom, built.updated),
      json: cachedDocument(built.json, built.etags.json, built.updated),
    };
  }
}

function cachedDocument(text: string, etag: string, updated: string | null): CachedDocument {
  const body = Buffer.from(text, 'utf8');
  const memo = new Map<Encoding, Promise<Buffer>>();
  return {
    body,
    etag,
    updated,
    encoded(encoding) {
      let p = memo.get(encoding);
      if (p === undefined) {
        p = compressBody(body, encoding);
        memo.set(encoding, p);
      }
      return p;
    },
  };
}
