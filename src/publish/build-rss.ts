import type { Enclosure } from '../types.js';
import { FEED_PATHS, GENERATOR, type FeedMeta } from './feed-meta.js';
import type { PublishItem } from './item-content.js';
import { xmlAttrs, xmlElement } from './xml-element.js';

const NAMESPACES = {
  version: '2.0',
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

/**
 * Writes the merged feed as RSS 2.0 (https://www.rssboard.org/rss-specification).
 *
 * Per item: `<guid isPermaLink>` = the unique id; `<pubDate>` only when the source gave a date
 * (case 32: no invalid or invented pubDate); `<description>` = summary; `<content:encoded>` = body
 * with the attribution line; `<dc:creator>` (RSS `<author>` must be an e-mail address); the first
 * enclosure (RSS allows one); `<media:thumbnail>`; and `<source url="feed URL">name</source>`
 * (RSS 2.0 "source" sub-element). All text is entity-escaped and filtered to XML 1.0 `Char`.
 * @param items prepared items, in output order
 * @param meta feed title/description/base URL/updated
 * @returns the XML document (UTF-8 declared), deterministic for equal input; never throws
 */
export function buildRss(items: readonly PublishItem[], meta: FeedMeta): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', `<rss${xmlAttrs(NAMESPACES)}>`, '  <channel>'];
  const ch = (line: string): number => lines.push(`    ${line}`);
  ch(xmlElement('title', {}, meta.title));
  ch(xmlElement('link', {}, `${meta.selfBaseUrl}/`));
  ch(xmlElement('description', {}, meta.description));
  ch(xmlElement('atom:link', { href: `${meta.selfBaseUrl}${FEED_PATHS.rss}`, rel: 'self', type: 'application/rss+xml' }, null));
  ch(xmlElement('generator', {}, GENERATOR));
  ch(xmlElement('docs', {}, 'https://www.rssboard.org/rss-specification'));
  if (meta.updated !== null) ch(xmlElement('lastBuildDate', {}, httpDate(meta.updated)));
  for (const item of items) lines.push(...rssItem(item).map((l) => `    ${l}`));
  lines.push('  </channel>', '</rss>', '');
  return lines.join('\n');
}

function rssItem(item: PublishItem): string[] {
  const out = ['<item>'];
  const add = (line: string): number => out.push(`  ${line}`);
  add(xmlElement('title', {}, item.title));
  if (item.link !== null) add(xmlElement('link', {}, item.link));
  add(xmlElement('guid', { isPermaLink: item.id === item.link ? 'true' : 'false' }, item.id));
  if (item.publishedAt !== null) add(xmlElement('pubDate', {}, httpDate(item.publishedAt)));
  if (item.author !== null && item.author !== '') add(xmlElement('dc:creator', {}, item.author));
  if (item.summaryHtml !== null && item.summaryHtml !== '') add(xmlElement('description', {}, item.summaryHtml));
  add(xmlElement('content:encoded', {}, item.contentHtml));
  for (const c of item.categories) add(xmlElement('category', {}, c));
  const enclosure = item.enclosures[0];
  if (enclosure !== undefined) add(rssEnclosure(enclosure));
  if (item.imageUrl !== null) add(xmlElement('media:thumbnail', { url: item.imageUrl }, null));
  if (item.source.feedUrl !== '') add(xmlElement('source', { url: item.source.feedUrl }, item.source.name));
  out.push('</item>');
  return out;
}

// RSS 2.0 makes url, length and type required on <enclosure>; 0 is the customary "unknown" length.
function rssEnclosure(e: Enclosure): string {
  return xmlElement('enclosure', { url: e.url, length: e.length ?? 0, type: e.type ?? 'application/octet-stream' }, null);
}

/**
 * RFC 822 date as RSS 2.0 wants it (with a four-digit year): `Mon, 01 Jan 2024 00:00:00 GMT`.
 * @param iso UTC ISO date (already validated)
 */
export function httpDate(iso: string): string {
  return new Date(Date.parse(iso)).toUTCString();
}
