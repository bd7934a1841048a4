import type { Article } from '../types.js';

/**
 * A position in the published order (newest first by sort key, ties by id ascending), used to
 * page: a query with `before` returns only the articles that come after it in that order.
 */
export interface ArticleCursor {
  /** Sort key (`YYYY-MM-DDTHH:mm:ss.sssZ`, see {@link articleSortKey}). */
  sortAt: string;
  /**
   * Id of the last article already seen at `sortAt`: articles with the same sort key and a
   * greater id still follow. null = every article at `sortAt` is excluded too (a plain date
   * given by a reader means "strictly older than this instant").
   */
  id: string | null;
}

/**
 * Sort key of an article: its publication date, else when it was first seen, written as
 * `YYYY-MM-DDTHH:mm:ss.sssZ` so that text order is time order (the SQLite store keeps it in the
 * `sort_at` column; the memory store and the pager compute it with this same function).
 * @param a the article
 * @returns the key; an unparseable date is kept as given rather than inventing one
 */
export function articleSortKey(a: Pick<Article, 'publishedAt' | 'firstSeenAt'>): string {
  const raw = a.publishedAt ?? a.firstSeenAt;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? raw : new Date(ms).toISOString();
}

/**
 * Compares two articles in published order (newest first, ties by id in binary order, as SQLite
 * compares TEXT), for `Array.prototype.sort`.
 * @returns negative when `a` comes first
 */
export function comparePublished(a: Pick<Article, 'publishedAt' | 'firstSeenAt' | 'id'>, b: Pick<Article, 'publishedAt' | 'firstSeenAt' | 'id'>): number {
  const ka = articleSortKey(a);
  const kb = articleSortKey(b);
  if (ka !== kb) return ka > kb ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

/**
 * Whether an article comes after the cursor in published order (so belongs on the next page).
 * @param sortAt the article's sort key
 * @param id the article's id
 * @param cursor the position of the last article already seen
 */
export function isAfterCursor(sortAt: string, id: string, cursor: ArticleCursor): boolean {
  if (sortAt < cursor.sortAt) return true;
  return sortAt === cursor.sortAt && cursor.id !== null && id > cursor.id;
}

/**
 * The cursor just after an article: the next page starts with the article that follows it.
 * @param a the last article of a page
 */
export function cursorAfter(a: Pick<Article, 'publishedAt' | 'firstSeenAt' | 'id'>): ArticleCursor {
  return { sortAt: articleSortKey(a), id: a.id };
}

/**
 * Normal form of a keyword for matching (`keyword=` filters and `/tags/{keyword}` feeds):
 * Unicode NFKC (full-width letters and digits become ASCII, compatibility ideographs their
 * unified form), lower case (full Unicode case mapping), surrounding white space dropped and
 * inner runs of white space made one space.
 * @param keyword as stored or as a reader typed it
 * @returns e.g. `ＧＰＴ-4  Turbo` → `gpt-4 turbo`
 */
export function foldKeyword(keyword: string): string {
  return keyword.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * The distinct folded keywords of an article, over all its languages.
 * @param a the article
 */
export function articleKeywordSet(a: Pick<Article, 'keywords'>): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(a.keywords)) {
    for (const k of list) {
      const f = foldKeyword(k);
      if (f !== '') out.add(f);
    }
  }
  return out;
}

/**
 * Compares two articles in the order they claimed their guid (Article.guidOwner): first seen
 * first (`firstSeenAt`, ISO UTC), ties by id in binary order — the SQLite store's
 * `ORDER BY first_seen_at, id`. Only an article's own stored facts decide it, and `firstSeenAt`
 * never changes, so an article stored later never takes a guid from one stored earlier.
 * @returns negative when `a` claimed first
 */
export function compareClaim(a: Pick<Article, 'firstSeenAt' | 'id'>, b: Pick<Article, 'firstSeenAt' | 'id'>): number {
  if (a.firstSeenAt !== b.firstSeenAt) return a.firstSeenAt < b.firstSeenAt ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}
