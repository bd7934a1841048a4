import * as cheerio from 'cheerio';
import { FEED_PATHS, GENERATOR, type FeedMeta } from './feed-meta.js';
import type { PublishItem } from './item-content.js';
import { toXmlChars } from './xml-chars.js';

/**
 * Writes the merged feed as JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
 *
 * Per item: `id` (unique), `url`, `title`, `content_html` (body + attribution line), `summary`
 * (plain text of the feed summary), `date_published` only when the source gave a date,
 * `date_modified` = modified ?? published ?? first seen (same rule as Atom `updated`), `authors`,
 * `tags`, `image`, `attachments`, `language`, and the extension object
 * `_duofeed: { source: { id, name, feedUrl, siteUrl }, extraction: { status, reason } }`.
 * Every string is filtered like the XML outputs (no lone surrogates, no control characters),
 * so the three formats carry the same text.
 * @param items prepared items, in output order
 * @param meta feed title/description/base URL
 * @returns the JSON text (2-space indent, fixed key order), deterministic; never throws
 */
export function buildJson(items: readonly PublishItem[], meta: FeedMeta): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: `${meta.selfBaseUrl}/`,
    feed_url: `${meta.selfBaseUrl}${FEED_PATHS.json}`,
    description: meta.description,
    _duofeed: { generator: GENERATOR, updated: meta.updated },
    items: items.map(jsonItem),
  };
  return `${JSON.stringify(feed, (_key, value: unknown) => (typeof value === 'string' ? toXmlChars(value) : value), 2)}\n`;
}

function jsonItem(item: PublishItem): Record<string, unknown> {
  const a = item.article;
  const out: Record<string, unknown> = { id: item.id };
  if (item.link !== null) out.url = item.link;
  out.title = item.title;
  out.content_html = item.contentHtml;
  const summary = item.summaryHtml === null ? '' : plainText(item.summaryHtml);
  if (summary !== '') out.summary = summary;
  if (item.imageUrl !== null) out.image = item.imageUrl;
  if (item.publishedAt !== null) out.date_published = item.publishedAt;
  out.date_modified = item.updatedAt;
  if (item.author !== null && item.author !== '') out.authors = [{ name: item.author }];
  if (item.categories.length > 0) out.tags = item.categories;
  if (a.language !== null) out.language = a.language;
  if (item.enclosures.length > 0) {
    out.attachments = item.enclosures.map((e) => {
      const att: Record<string, unknown> = { url: e.url, mime_type: e.type ?? 'application/octet-stream' };
      if (e.title !== null) att.title = e.title;
      if (e.length !== null) att.size_in_bytes = e.length;
      return att;
    });
  }
  out._duofeed = {
    source: { id: item.source.id, name: item.source.name, feedUrl: item.source.feedUrl, siteUrl: item.source.siteUrl },
    extraction: { status: a.extractionStatus, reason: a.extractionReason },
  };
  return out;
}

// JSON Feed's `summary` is plain text; feeds hand us HTML. Filtered first so a forbidden
// character (e.g. U+000B, which JS counts as whitespace) is dropped rather than turned into a space.
function plainText(html: string): string {
  return cheerio.load(toXmlChars(html), null, false).text().replace(/[ \t\n\f\r]+/g, ' ').trim();
}
