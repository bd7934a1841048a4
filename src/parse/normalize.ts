import type { Enclosure, FeedItem, ParsedFeed } from '../types.js';
import { absolutizeHtml } from './absolutize-html.js';
import { canonicalizeUrl, resolveUrl } from './canonical-url.js';
import { parseFeedDate } from './dates.js';
import { hashKey } from './identity.js';
import type { RawFeed, RawItem } from './raw-feed.js';
import { collapseWhitespace, htmlToText } from './text.js';

/** Options of {@link normalizeFeed}. */
export interface NormalizeOptions {
  /** Absolute URL the document was fetched from (final URL after redirects). */
  feedUrl: string;
  /** IANA zone for zone-less dates; null = UTC. */
  timezone: string | null;
}

/** Characters XML 1.0 forbids; scrubbed from every stored string (cases 06, 31). */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** Length of a title derived from the body when the item has none (characters). */
const DERIVED_TITLE_CHARS = 100;
/**
 * Longest title kept (characters). Real headlines are far shorter; a hostile megabyte-long title
 * would otherwise cost every later stage (language detection, keywords, output) time and space.
 */
export const MAX_TITLE_CHARS = 1000;

/**
 * Turns a raw document (any format) into the one item model: absolute http(s) links and their
 * canonical form, plain-text titles, UTC ISO dates (invalid dates → null, never an exception:
 * case 18), HTML with absolute URLs resolved against xml:base, else the item link, else the feed
 * URL (case 13), trimmed and de-duplicated categories, resolved enclosures and lead image.
 * Missing values are null, never undefined.
 *
 * @param raw the document as read by a format reader
 * @param opts feed URL and source time zone
 * @returns the parsed feed (items in document order, identity = guid/id, else canonical link,
 *   else hash of title + date) and warnings about unusable dates
 */
export function normalizeFeed(raw: RawFeed, opts: NormalizeOptions): ParsedFeed {
  const warnings = [...raw.warnings];
  const docBase = raw.base ?? opts.feedUrl;
  const items = raw.items.map((item, index) => normalizeItem(item, index, docBase, opts, warnings));
  return {
    format: raw.format,
    title: clean(raw.title),
    siteUrl: httpUrl(resolveUrl(raw.siteUrl, docBase)),
    description: clean(raw.description),
    language: clean(raw.language),
    items,
    warnings,
  };
}

function normalizeItem(
  raw: RawItem,
  index: number,
  docBase: string,
  opts: NormalizeOptions,
  warnings: string[],
): FeedItem {
  const itemBase = raw.base ?? docBase;
  const url = httpUrl(resolveUrl(raw.link, itemBase));
  const canonicalUrl = url ? canonicalizeUrl(url) : null;
  const htmlBase = raw.base ?? url ?? opts.feedUrl;
  const summaryHtml = html(raw.summaryHtml, htmlBase);
  const contentHtml = html(raw.contentHtml, htmlBase);
  const title = capTitle(clean(raw.title) ?? derivedTitle(contentHtml ?? summaryHtml));

  const label = raw.id ?? url ?? `#${index + 1}`;
  const published = parseFeedDate(raw.published, opts.timezone);
  const updated = parseFeedDate(raw.updated, opts.timezone);
  for (const [value, parsed] of [
    [raw.published, published],
    [raw.updated, updated],
  ] as const) {
    if (value && value.trim() !== '' && parsed.iso === null) {
      warnings.push(`item ${label} has an unusable date "${collapseWhitespace(value).slice(0, 80)}" (ignored)`);
    }
  }
  const publishedAt = published.iso ?? updated.iso;
  const dateHadNoZone = published.iso !== null ? published.hadNoZone : updated.hadNoZone;

  const id = clean(raw.id);
  const enclosures = enclosuresOf(raw, itemBase);
  const images = raw.images.map((u) => httpUrl(resolveUrl(u, itemBase))).filter((u): u is string => u !== null);
  const imageUrl = images[0] ?? enclosures.find(isImageEnclosure)?.url ?? null;
  return {
    guid: id ?? canonicalUrl ?? hashKey(title, publishedAt),
    url,
    canonicalUrl,
    title,
    publishedAt,
    modifiedAt: updated.iso,
    dateHadNoZone: publishedAt === null ? false : dateHadNoZone,
    author: clean(raw.author),
    summaryHtml,
    contentHtml,
    categories: categoriesOf(raw.categories),
    enclosures,
    imageUrl,
    thumbnailUrl: httpUrl(resolveUrl(raw.thumbnail, itemBase)),
  };
}

/** Whitespace-collapsed text without forbidden characters; null when empty. */
function clean(s: string | null): string | null {
  if (s === null) return null;
  const t = collapseWhitespace(s.replace(FORBIDDEN, ''));
  return t === '' ? null : t;
}

function html(s: string | null, base: string): string | null {
  if (s === null) return null;
  const t = s.replace(FORBIDDEN, '').trim();
  return t === '' ? null : absolutizeHtml(t, base);
}

/** Only http(s) links are followed, stored and republished. */
function httpUrl(u: string | null): string | null {
  return u !== null && /^https?:/i.test(u) ? u : null;
}

function capTitle(title: string): string {
  if (title.length <= MAX_TITLE_CHARS) return title;
  // Cut on a code point boundary, never inside a surrogate pair.
  return `${[...title.slice(0, MAX_TITLE_CHARS + 1)].slice(0, MAX_TITLE_CHARS - 1).join('')}…`;
}

function derivedTitle(bodyHtml: string | null): string {
  if (bodyHtml === null) return '';
  const text = htmlToText(bodyHtml);
  if (text.length <= DERIVED_TITLE_CHARS) return text;
  const cut = text.slice(0, DERIVED_TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > DERIVED_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Trimmed, whitespace-collapsed, de-duplicated case-insensitively (first spelling kept). */
function categoriesOf(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of list) {
    const t = clean(c);
    if (t === null) continue;
    const key = t.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** Enclosures with absolute URLs, one per URL (later duplicates fill missing fields). */
function enclosuresOf(raw: RawItem, base: string): Enclosure[] {
  const byUrl = new Map<string, Enclosure>();
  for (const e of raw.enclosures) {
    const url = httpUrl(resolveUrl(e.url, base));
    if (url === null) continue;
    const prev = byUrl.get(url);
    if (prev) {
      prev.type ??= e.type;
      prev.length ??= e.length;
      prev.title ??= clean(e.title);
      continue;
    }
    byUrl.set(url, { url, type: e.type?.toLowerCase() ?? null, length: e.length, title: clean(e.title) });
  }
  return [...byUrl.values()];
}

function isImageEnclosure(e: Enclosure): boolean {
  if (e.type !== null) return e.type.startsWith('image/');
  return /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i.test(e.url);
}
