import { DuofeedError } from '../errors.js';
import { toLength } from './media.js';
import { emptyRawItem, type RawEnclosure, type RawFeed, type RawItem } from './raw-feed.js';
import { collapseWhitespace, textToHtml } from './text.js';

type Json = Record<string, unknown>;

/**
 * `version` values of JSON Feed 1.0 and 1.1: the spec's URL (also its `http://` form), or the bare
 * number some generators write (`"1.0"`, `"1.1"`); with an `items` array that is still a JSON Feed.
 */
const VERSION = /^(?:https?:\/\/jsonfeed\.org\/version\/)?1(?:\.\d+)?\/?$/i;

/**
 * Reads a JSON Feed 1.0/1.1 document (https://jsonfeed.org/version/1.1). rss-parser does not
 * read JSON Feed, so this is our own reader. Lenient where real feeds are sloppy (numeric ids,
 * 1.0 `author` vs 1.1 `authors`), strict on what makes a document a JSON Feed at all.
 *
 * @param text decoded document whose first non-space character is `{` or `[`
 * @param feedUrl URL of the document, for messages
 * @returns the raw feed; items in document order; dates unparsed
 * @throws DuofeedError PARSE_JSON when the text is not valid JSON; PARSE_NOT_A_FEED when it is
 *   JSON but not a JSON Feed (no jsonfeed.org `version`, or `items` not an array — e.g.
 *   RSS-in-JSON)
 */
export function readJsonFeed(text: string, feedUrl: string): RawFeed {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new DuofeedError('PARSE_JSON', `Feed ${feedUrl} is not valid JSON: ${(err as Error).message}.`, {
      stage: 'parse',
      url: feedUrl,
      cause: err,
    });
  }
  const doc = isObject(data) ? data : null;
  const version = doc ? str(doc.version) : null;
  if (!doc || !version || !VERSION.test(version.trim()) || !Array.isArray(doc.items)) {
    throw new DuofeedError(
      'PARSE_NOT_A_FEED',
      `Feed ${feedUrl} is JSON but not a JSON Feed (no jsonfeed.org version or no items array).`,
      { stage: 'parse', url: feedUrl, details: { version } },
    );
  }
  const feedAuthor = authorOf(doc);
  const warnings: string[] = [];
  const items: RawItem[] = [];
  doc.items.forEach((entry, i) => {
    if (!isObject(entry)) {
      warnings.push(`items[${i}] is not an object; skipped`);
      return;
    }
    items.push(readItem(entry, feedAuthor));
  });
  return {
    format: 'json',
    title: text1(doc.title),
    siteUrl: text1(doc.home_page_url),
    description: text1(doc.description),
    language: text1(doc.language),
    base: null,
    items,
    warnings,
  };
}

function readItem(entry: Json, feedAuthor: string | null): RawItem {
  const item = emptyRawItem();
  const id = entry.id;
  item.id = typeof id === 'number' && Number.isFinite(id) ? String(id) : text1(id);
  item.link = text1(entry.url) ?? text1(entry.external_url);
  item.title = text1(entry.title);
  item.published = str(entry.date_published);
  item.updated = str(entry.date_modified);
  item.author = authorOf(entry) ?? feedAuthor;
  item.summaryHtml = text1(entry.summary) ? textToHtml(text1(entry.summary) ?? '') : null;
  const html = str(entry.content_html)?.trim();
  const plain = str(entry.content_text);
  item.contentHtml = html ? html : plain?.trim() ? textToHtml(plain) : null;
  item.categories = Array.isArray(entry.tags) ? entry.tags.map((t) => str(t) ?? '') : [];
  item.enclosures = Array.isArray(entry.attachments)
    ? entry.attachments.filter(isObject).flatMap((a): RawEnclosure[] => {
        const url = text1(a.url);
        if (!url) return [];
        return [{ url, type: text1(a.mime_type), length: toLength(a.size_in_bytes), title: text1(a.title) }];
      })
    : [];
  item.images = [text1(entry.image), text1(entry.banner_image)].filter((u): u is string => u !== null);
  return item;
}

/** JSON Feed 1.1 `authors[]` (first with a name) or 1.0 `author`. */
function authorOf(obj: Json): string | null {
  const list = Array.isArray(obj.authors) ? obj.authors : [obj.author];
  for (const a of list) {
    if (isObject(a)) {
      const name = text1(a.name);
      if (name) return name;
    }
  }
  return null;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** A string value, whitespace collapsed; null when absent or blank. */
function text1(v: unknown): string | null {
  const s = str(v);
  if (s === null) return null;
  const t = collapseWhitespace(s);
  return t === '' ? null : t;
}
