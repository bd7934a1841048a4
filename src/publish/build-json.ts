import * as cheerio from 'cheerio';
import { Feed, type Item } from 'feed';
import { DuofeedError } from '../errors.js';
import { GENERATOR, selfUrl, type FeedMeta } from './feed-meta.js';
import type { PublishItem } from './item-content.js';
import { toXmlChars } from './xml-chars.js';

const VERSION = 'https://jsonfeed.org/version/1.1';

/**
 * Writes the merged feed as JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), built with the
 * `feed` package's `json1()`.
 *
 * Per item: `id` (unique), `url`, `title`, `content_html` (body + attribution line), `summary`
 * (plain text of the feed summary), `date_published` only when the source gave a date,
 * `date_modified` = modified ?? published ?? first seen (same rule as Atom `updated`), `authors`,
 * `tags`, `image`, `attachments`, `language` (of the title and first content version as
 * published: detected, else the source's declared language), and the extension object
 * `_duofeed: { source: { id, name, feedUrl, siteUrl }, extraction: { status, reason }, language,
 * keywords, versions, translation, originalId }`: `language` = the original's (detected, else
 * declared; null when unknown), `keywords` = `{ <lang>: [...] }` with every output language present (empty
 * arrays when none), `versions` = `{ <lang>: { title, content_html } }` for the original and each
 * accepted translation (bodies without headline or attribution; only the view's language in a
 * language view), `translation` = `{ provider, model, at, status: ok|flagged|none|pending,
 * missing }` (see translation-report.ts), `originalId` = the item's id where it is shown in its
 * original language (equal to `id` except where a language view shows a translation, whose `id`
 * is its own; see item-ids.ts), so clients can relate the versions. A language view also has the
 * top-level `language`.
 * Every string is filtered like the XML outputs (no lone surrogates, no control characters),
 * so the three formats carry the same text.
 *
 * Around feed 6.0.0, whose json1() writes JSON Feed version 1: its output is parsed back, the
 * version set to 1.1, the 1.0 `author` object turned into the 1.1 `authors` array, and what it
 * has no field for (`attachments`, item `language`, an empty title) added; keys are then written
 * in a fixed order.
 * @param items prepared items, in output order
 * @param meta feed title/description/base URL
 * @returns the JSON text (2-space indent, fixed key order), deterministic
 * @throws DuofeedError INTERNAL only if feed's output is not in the expected shape (a defect)
 */
export function buildJson(items: readonly PublishItem[], meta: FeedMeta): string {
  const feed = new Feed({
    title: toXmlChars(meta.title),
    description: toXmlChars(meta.description),
    link: `${meta.selfBaseUrl}/`,
    feedLinks: { json: selfUrl(meta, 'json') },
    generator: GENERATOR,
  });
  feed.addExtension({ name: '_duofeed', objects: { generator: GENERATOR, updated: meta.updated } });
  for (const item of items) feed.addItem(feedItem(item));

  const written = JSON.parse(feed.json1()) as Record<string, unknown>;
  const writtenItems = written.items;
  if (!Array.isArray(writtenItems) || writtenItems.length !== items.length) throw shapeError('items do not match');
  const out: Record<string, unknown> = {
    version: VERSION,
    title: written.title,
    home_page_url: written.home_page_url,
    feed_url: written.feed_url,
    // feed leaves an empty description out; 1.1 allows either, the previous output kept it.
    description: toXmlChars(meta.description),
  };
  // 1.1 top-level `language`: only a language view has one language.
  if (meta.lang) out.language = meta.lang;
  const next = (meta.links ?? []).find((l) => l.rel === 'next');
  if (next !== undefined) out.next_url = next.href;
  if (meta.hubs !== undefined && meta.hubs.length > 0) out.hubs = meta.hubs.map((url) => ({ type: 'WebSub', url }));
  out._duofeed = meta.links !== undefined && meta.links.length > 0 ? { ...(written._duofeed as object), links: meta.links.map((l) => ({ rel: l.rel, href: l.href })) } : written._duofeed;
  out.items = writtenItems.map((w: Record<string, unknown>, i) => jsonItem(w, items[i]!));
  return `${JSON.stringify(out, (_key, value: unknown) => (typeof value === 'string' ? toXmlChars(value) : value), 2)}\n`;
}

function feedItem(item: PublishItem): Item {
  const a = item.article;
  const out: Item = {
    title: toXmlChars(item.title),
    id: toXmlChars(item.id),
    link: item.link === null ? '' : toXmlChars(item.link),
    date: new Date(item.updatedAt),
    content: toXmlChars(item.contentHtml),
    category: item.categories.map((c) => ({ name: toXmlChars(c) })),
    extensions: [
      {
        name: '_duofeed',
        objects: {
          source: { id: item.source.id, name: item.source.name, feedUrl: item.source.feedUrl, siteUrl: item.source.siteUrl },
          extraction: { status: a.extractionStatus, reason: a.extractionReason },
          language: item.languages.original,
          keywords: item.languages.keywords,
          versions: item.languages.versions,
          translation: item.languages.translation,
          originalId: item.originalId,
        },
      },
    ],
  };
  if (item.publishedAt !== null) out.published = new Date(item.publishedAt);
  const summary = item.summaryHtml === null ? '' : plainText(item.summaryHtml);
  if (summary !== '') out.description = summary;
  if (item.imageUrl !== null) out.image = toXmlChars(item.imageUrl);
  if (item.author !== null && item.author !== '') out.author = [{ name: toXmlChars(item.author) }];
  return out;
}

// Rebuilt in a fixed key order from feed's item, converting 1.0 to 1.1 on the way.
function jsonItem(w: Record<string, unknown>, item: PublishItem): Record<string, unknown> {
  const out: Record<string, unknown> = { id: w.id };
  if (w.url !== undefined) out.url = w.url;
  // feed skips a falsy title; JSON Feed 1.1 allows "", and the item had one.
  out.title = w.title ?? '';
  out.content_html = w.content_html;
  if (w.summary !== undefined) out.summary = w.summary;
  if (w.image !== undefined) out.image = w.image;
  if (w.date_published !== undefined) out.date_published = w.date_published;
  out.date_modified = w.date_modified;
  // 1.1 §"authors": an array of author objects; 1.0's singular `author` is deprecated.
  if (w.author !== undefined) out.authors = [w.author];
  if (Array.isArray(w.tags) && w.tags.length > 0) out.tags = w.tags;
  if (item.language !== null) out.language = item.language;
  if (item.enclosures.length > 0) {
    out.attachments = item.enclosures.map((e) => {
      const att: Record<string, unknown> = { url: e.url, mime_type: e.type ?? 'application/octet-stream' };
      if (e.title !== null) att.title = e.title;
      if (e.length !== null) att.size_in_bytes = e.length;
      return att;
    });
  }
  out._duofeed = w._duofeed;
  return out;
}

// JSON Feed's `summary` is plain text; feeds hand us HTML. Filtered first so a forbidden
// character (e.g. U+000B, which JS counts as whitespace) is dropped rather than turned into a space.
function plainText(html: string): string {
  return cheerio.load(toXmlChars(html), null, false).text().replace(/[ \t\n\f\r]+/g, ' ').trim();
}

function shapeError(what: string): DuofeedError {
  return new DuofeedError('INTERNAL', `feed's JSON output has an unexpected shape: ${what}`, { stage: 'publish' });
}
