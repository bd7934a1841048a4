import { createHash } from 'node:crypto';
import { sanitizeHtml } from '../extract/sanitize.js';
import { stableJson } from '../store/content-hash.js';
import type { FeedItem, SourceConfig } from '../types.js';

/**
 * The item as stored: feed HTML sanitized (extract/sanitize allowlist), the source's own
 * categories added. Pure: equal input gives an equal item, which is what lets
 * {@link SanitizedItems} reuse results.
 * @param item normalized feed item as parsed (untrusted HTML)
 * @param source its source (for `categories`)
 */
export function sanitizeItem(item: FeedItem, source: Pick<SourceConfig, 'categories'>): FeedItem {
  return {
    ...item,
    categories: [...new Set([...item.categories, ...source.categories])],
    summaryHtml: item.summaryHtml === null ? null : sanitizeHtml(item.summaryHtml),
    contentHtml: item.contentHtml === null ? null : sanitizeHtml(item.contentHtml),
  };
}

/** Default budget of {@link SanitizedItems} (bytes, counted as UTF-16 string length × 2). */
export const DEFAULT_SANITIZED_ITEMS_BYTES = 32 * 1024 * 1024;

/**
 * Sanitized items remembered by the hash of their raw (parsed, unsanitized) entry and the
 * source's categories, so a feed re-fetched with mostly unchanged entries costs a hash per entry
 * instead of a sanitizer pass over its HTML. The result is exactly what {@link sanitizeItem}
 * returns, so the store's unchanged-item check (`feedItemHash` of the sanitized item against
 * `StoredRef.contentHash`) works as before. Least recently used entries are dropped beyond the
 * byte budget. In memory only: after a restart the first poll sanitizes again.
 */
export class SanitizedItems {
  private readonly entries = new Map<string, { item: FeedItem; bytes: number }>();
  private bytes = 0;
  /** Lookups answered from memory / by sanitizing (for tests and benchmarks). */
  hits = 0;
  misses = 0;

  /** @param maxBytes memory budget (bytes); 0 disables remembering */
  constructor(private readonly maxBytes = DEFAULT_SANITIZED_ITEMS_BYTES) {}

  /**
   * The sanitized form of `raw` for `source`, from memory when the same raw entry was seen.
   * @param raw parsed feed item (untrusted HTML)
   * @param source its source (categories)
   * @returns the item as {@link sanitizeItem} gives it (treat as read-only: it may be shared)
   */
  get(raw: FeedItem, source: Pick<SourceConfig, 'categories'>): FeedItem {
    const key = createHash('sha256').update(stableJson(['raw-item-v1', raw, source.categories]), 'utf8').digest('base64');
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.item;
    }
    this.misses++;
    const item = sanitizeItem(raw, source);
    // Strings dominate; the fixed part stands for the object and its short fields.
    const bytes = 2 * (key.length + item.title.length + (item.summaryHtml?.length ?? 0) + (item.contentHtml?.length ?? 0)) + 1024;
    if (bytes > this.maxBytes) return item;
    this.entries.set(key, { item, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
    return item;
  }
}
