import { createHash } from 'node:crypto';
import type { Article, FeedItem } from '../types.js';

/**
 * JSON with object keys sorted at every depth, so equal values always give equal text
 * (keyword and translation maps arrive in whatever order the enricher built them).
 * `undefined` members are dropped as JSON.stringify does.
 * @param value any JSON-compatible value
 * @returns canonical JSON text
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The FeedItem fields the store keeps, in a fixed order (the hash input). */
function feedFields(item: FeedItem): unknown[] {
  return [
    item.guid,
    item.url,
    item.canonicalUrl,
    item.title,
    item.publishedAt,
    item.modifiedAt,
    item.dateHadNoZone,
    item.author,
    item.summaryHtml,
    item.contentHtml,
    item.categories,
    item.enclosures.map((e) => [e.url, e.type, e.length, e.title]),
    item.imageUrl,
  ];
}

/**
 * Hash of one feed item's own fields (guid, links, title, dates, author, summary, feed content,
 * categories, enclosures, image): equal hash = the feed did not change the item, so the pipeline
 * may skip fetching its page again (compare with `StoredRef.contentHash` from `Store.findItem`).
 * @param item a normalized FeedItem (nulls, never undefined)
 * @returns 64 lowercase hex chars (SHA-256)
 */
export function feedItemHash(item: FeedItem): string {
  return sha256Hex(stableJson(['feed-v1', feedFields(item)]));
}

/**
 * The feed-level fields of a stored article, as the feed gave them (the record savePoll takes).
 * @param a a stored article
 */
export function articleToItem(a: Article): FeedItem {
  return {
    guid: a.guid,
    url: a.url,
    canonicalUrl: a.canonicalUrl,
    title: a.title,
    publishedAt: a.publishedAt,
    modifiedAt: a.modifiedAt,
    dateHadNoZone: a.dateHadNoZone,
    author: a.author,
    summaryHtml: a.summaryHtml,
    contentHtml: a.feedContentHtml,
    categories: a.categories,
    enclosures: a.enclosures,
    imageUrl: a.imageUrl,
  };
}

/**
 * Hash of everything a stored article holds except its id, source and timestamps: the feed
 * fields plus extraction and enrichment results. Equal hash = saving it again changes nothing,
 * so the row (and its `updatedAt`) is left alone.
 * @param a the article as it would be stored
 * @returns 64 lowercase hex chars (SHA-256)
 */
export function articleContentHash(a: Article): string {
  const item = articleToItem(a);
  return sha256Hex(
    stableJson([
      'article-v1',
      feedFields(item),
      [a.extractionStatus, a.extractionMethod, a.contentHtml, a.text, a.extractionReason],
      a.language,
      a.keywords,
      a.translations,
    ]),
  );
}
