import { FEED_PATHS, GENERATOR, type FeedMeta } from './feed-meta.js';
import { EPOCH_ISO, type PublishItem } from './item-content.js';
import { xmlAttrs, xmlElement } from './xml-element.js';

/**
 * Writes the merged feed as Atom 1.0 (RFC 4287).
 *
 * Every entry has exactly one `<id>` (an IRI: the unique id when it is one, else
 * `urn:duofeed:article:<store id>`) and one `<updated>` (modified ?? published ?? first seen, case
 * 32); `<published>` only when the source gave a date. The feed `<updated>` is the newest entry's
 * (1970-01-01T00:00:00.000Z for an empty feed, keeping the element required by §4.1.1 and the
 * output deterministic). Attribution: `<source>` with the source feed's id, title, self and
 * alternate links (§4.2.11). Summary and content are `type="html"`, entity-escaped.
 * @param items prepared items, in output order
 * @param meta feed title/description/base URL/updated
 * @returns the XML document, deterministic for equal input; never throws
 */
export function buildAtom(items: readonly PublishItem[], meta: FeedMeta): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  lines.push(`<feed${xmlAttrs({ xmlns: 'http://www.w3.org/2005/Atom', 'xmlns:media': 'http://search.yahoo.com/mrss/' })}>`);
  const f = (line: string): number => lines.push(`  ${line}`);
  f(xmlElement('id', {}, `${meta.selfBaseUrl}/`));
  f(xmlElement('title', { type: 'text' }, meta.title));
  if (meta.description !== '') f(xmlElement('subtitle', { type: 'text' }, meta.description));
  f(xmlElement('updated', {}, meta.updated ?? EPOCH_ISO));
  f(xmlElement('link', { rel: 'self', type: 'application/atom+xml', href: `${meta.selfBaseUrl}${FEED_PATHS.atom}` }, null));
  f(xmlElement('link', { rel: 'alternate', type: 'text/html', href: `${meta.selfBaseUrl}/` }, null));
  f(xmlElement('generator', {}, GENERATOR));
  // §4.1.1: a feed-level author lets entries without one stay valid.
  f('<author>');
  f(`  ${xmlElement('name', {}, meta.title)}`);
  f('</author>');
  for (const item of items) lines.push(...atomEntry(item).map((l) => `  ${l}`));
  lines.push('</feed>', '');
  return lines.join('\n');
}

function atomEntry(item: PublishItem): string[] {
  const out = ['<entry>'];
  const add = (line: string): number => out.push(`  ${line}`);
  add(xmlElement('id', {}, atomId(item)));
  add(xmlElement('title', { type: 'text' }, item.title));
  if (item.link !== null) add(xmlElement('link', { rel: 'alternate', type: 'text/html', href: item.link }, null));
  add(xmlElement('updated', {}, item.updatedAt));
  if (item.publishedAt !== null) add(xmlElement('published', {}, item.publishedAt));
  if (item.author !== null && item.author !== '') {
    add('<author>');
    add(`  ${xmlElement('name', {}, item.author)}`);
    add('</author>');
  }
  if (item.summaryHtml !== null && item.summaryHtml !== '') add(xmlElement('summary', { type: 'html' }, item.summaryHtml));
  add(xmlElement('content', { type: 'html' }, item.contentHtml));
  for (const c of item.categories) add(xmlElement('category', { term: c }, null));
  for (const e of item.enclosures) {
    add(xmlElement('link', { rel: 'enclosure', href: e.url, type: e.type, length: e.length, title: e.title }, null));
  }
  if (item.imageUrl !== null) add(xmlElement('media:thumbnail', { url: item.imageUrl }, null));
  if (item.source.feedUrl !== '') {
    add('<source>');
    add(`  ${xmlElement('id', {}, item.source.feedUrl)}`);
    add(`  ${xmlElement('title', { type: 'text' }, item.source.name)}`);
    add(`  ${xmlElement('link', { rel: 'self', href: item.source.feedUrl }, null)}`);
    if (item.source.siteUrl !== null) add(`  ${xmlElement('link', { rel: 'alternate', type: 'text/html', href: item.source.siteUrl }, null)}`);
    add('</source>');
  }
  out.push('</entry>');
  return out;
}

// atom:id must be an IRI (§4.2.6); feeds' guids are often plain numbers or slugs.
function atomId(item: PublishItem): string {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(item.id) ? item.id : `urn:duofeed:article:${item.article.id}`;
}
