import { createHash } from 'node:crypto';
import type { FeedItem, IdentityPolicy } from '../types.js';

/** A guid that several different items of one document carry. */
export interface SharedGuid {
  guid: string;
  /** Items carrying it. */
  count: number;
}

/**
 * Fallback identity of an item without guid and link: `sha256:` + 32 hex digits of
 * title + "\n" + published date (UTC ISO or empty).
 * @param title plain-text title
 * @param publishedAt UTC ISO date or null
 */
export function hashKey(title: string, publishedAt: string | null): string {
  const hex = createHash('sha256').update(`${title}\n${publishedAt ?? ''}`).digest('hex');
  return `sha256:${hex.slice(0, 32)}`;
}

/**
 * Guids shared by two or more items of one document that differ in link or title (case 19:
 * a feed whose every `<guid>` is the same). Exact repeats of one item are not counted.
 * @param items items of one document
 * @returns the shared guids with their counts, in order of first appearance
 */
export function findSharedGuids(items: readonly FeedItem[]): SharedGuid[] {
  const groups = new Map<string, FeedItem[]>();
  for (const item of items) {
    const list = groups.get(item.guid) ?? [];
    list.push(item);
    groups.set(item.guid, list);
  }
  const out: SharedGuid[] = [];
  for (const [guid, list] of groups) {
    if (list.length < 2) continue;
    const distinct = new Set(list.map((i) => `${i.canonicalUrl ?? i.url ?? ''}\u0000${i.title}`));
    if (distinct.size > 1) out.push({ guid, count: list.length });
  }
  return out;
}

/**
 * True when the document's guids cannot identify its items (see {@link findSharedGuids}); the
 * pipeline then stores `identityPolicy: 'link'` for the source, stickily.
 * @param items items of one document
 */
export function guidsAreUnreliable(items: readonly FeedItem[]): boolean {
  return findSharedGuids(items).length > 0;
}

/**
 * Re-keys items by a source's identity policy. `guid`: items unchanged. `link`: each guid becomes
 * the item's canonical link (else its link); an item without link, or whose link another item of
 * the document with a different title also uses, gets {@link hashKey} of title + date.
 * @param items normalized items of one document
 * @param policy the source's identity policy (SourceState.identityPolicy)
 * @returns new item objects (inputs are not mutated)
 */
export function applyIdentityPolicy(items: readonly FeedItem[], policy: IdentityPolicy): FeedItem[] {
  if (policy === 'guid') return items.map((i) => ({ ...i }));
  const titlesByLink = new Map<string, Set<string>>();
  for (const item of items) {
    const link = item.canonicalUrl ?? item.url;
    if (link === null) continue;
    const set = titlesByLink.get(link) ?? new Set<string>();
    set.add(item.title);
    titlesByLink.set(link, set);
  }
  return items.map((item) => {
    const link = item.canonicalUrl ?? item.url;
    const unique = link !== null && (titlesByLink.get(link)?.size ?? 0) === 1;
    return { ...item, guid: unique && link !== null ? link : hashKey(item.title, item.publishedAt) };
  });
}

/**
 * Drops later items whose guid repeats an earlier one (exact duplicates within a document would
 * otherwise be upserted twice in one poll).
 * @param items items of one document
 * @returns `{items, dropped}` — first occurrences in document order and how many were dropped
 */
export function dedupeByGuid(items: readonly FeedItem[]): { items: FeedItem[]; dropped: number } {
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const item of items) {
    if (seen.has(item.guid)) continue;
    seen.add(item.guid);
    out.push(item);
  }
  return { items: out, dropped: items.length - out.length };
}
