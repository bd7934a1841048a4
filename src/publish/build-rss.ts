import { Feed, type Extension, type Item } from 'feed';
import { DuofeedError } from '../errors.js';
import type { Enclosure } from '../types.js';
import { FEED_HISTORY_NS, GENERATOR, selfUrl, type FeedMeta } from './feed-meta.js';
import { forCdata, forRawAttr, forText, forUrl } from './feed-values.js';
import { EPOCH_ISO, type PublishItem } from './item-content.js';
import { xmlElement } from './xml-element.js';
import { addStylesheetPi, childElements, insertAfter, markupNode, onlyChild, parseXmlTree, removeChild, rootElement, serializeXmlTree, setAttr, setText, type XmlElement } from './xml-tree.js';

const MEDIA_NS = 'http://search.yahoo.com/mrss/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';

/**
 * Writes the merged feed as RSS 2.0 (https://www.rssboard.org/rss-specification), built with the
 * `feed` package's `rss2()`.
 *
 * Per item: `<guid isPermaLink>` = the item's id (item-ids.ts `originalItemId`: the same in every
 * output, never depending on the other items; `true` only when it is the link: never for an
 * item a language view shows in a translation, whose id is its own); `<pubDate>` only when the source gave a date
 * (case 32: no invalid or invented pubDate); `<description>` = summary; `<content:encoded>` = body
 * with the attribution line; `<dc:creator>` (RSS `<author>` must be an e-mail address); the first
 * enclosure (RSS allows one); `<media:thumbnail>`; and `<source url="feed URL">name</source>`
 * (RSS 2.0 "source" sub-element). Text is filtered to XML 1.0 `Char`; every `]]>` in CDATA is
 * split (case 36).
 *
 * What feed 6.0.0 does not do is done around it: strings are prepared by feed-values.ts;
 * dc:creator, media:thumbnail and source go in as item extensions; afterwards the document is
 * re-read (xml-tree.ts) to restore exact URLs (feed normalizes them with `new URL`), set
 * `isPermaLink="true"` when the guid is the link (feed always writes false), declare the media
 * namespace, write item titles as escaped text rather than CDATA (case 05), and drop
 * `<lastBuildDate>` of an empty feed (feed would write "now"). RSS has no per-item language; the
 * content's language sections are marked in its HTML (`<div lang>`), and a language view
 * declares its one language in the channel's `<language>`.
 * @param items prepared items, in output order
 * @param meta feed title/description/base URL/updated
 * @returns the XML document (UTF-8 declared), deterministic for equal input
 * @throws DuofeedError INTERNAL only if feed's output is not in the expected shape (a defect)
 */
export function buildRss(items: readonly PublishItem[], meta: FeedMeta): string {
  const home = `${meta.selfBaseUrl}/`;
  const self = selfUrl(meta, 'rss');
  const feed = new Feed({
    // A language view declares its language; the merged feed mixes two and declares none.
    ...(meta.lang ? { language: forText(meta.lang) } : {}),
    title: forText(meta.title),
    description: forText(meta.description),
    link: forUrl(home),
    feedLinks: { rss: forUrl(self) },
    // Passed even for an empty feed (its lastBuildDate is removed below): feed's default is "now".
    updated: new Date(meta.updated ?? EPOCH_ISO),
    generator: GENERATOR,
    docs: 'https://www.rssboard.org/rss-specification',
  });
  for (const item of items) feed.addItem(rssItem(item));

  const doc = parseXmlTree(feed.rss2());
  const rss = rootElement(doc);
  const channel = onlyChild(rss, 'channel');
  setText(onlyChild(channel, 'link'), home);
  const selfLink = onlyChild(channel, 'atom:link');
  setAttr(selfLink, 'href', self);
  const extra = [
    ...(meta.hubs ?? []).map((href) => xmlElement('atom:link', { href, rel: 'hub' }, null)),
    ...(meta.links ?? []).map((l) => xmlElement('atom:link', { href: l.href, rel: l.rel, type: l.type ?? 'application/rss+xml' }, null)),
  ];
  if (meta.archive) {
    setAttr(rss, 'xmlns:fh', FEED_HISTORY_NS);
    extra.push(xmlElement('fh:archive', {}, null));
  }
  insertAfter(channel, selfLink, extra.map(markupNode));
  if (meta.stylesheet) addStylesheetPi(doc, meta.stylesheet);
  if (meta.updated === null) removeChild(channel, onlyChild(channel, 'lastBuildDate'));
  if (items.some((i) => i.author !== null && i.author !== '')) setAttr(rss, 'xmlns:dc', DC_NS);
  if (items.some((i) => i.imageUrl !== null)) setAttr(rss, 'xmlns:media', MEDIA_NS);
  const written = childElements(channel, 'item');
  if (written.length !== items.length) throw shapeError(`${written.length} <item> for ${items.length} items`);
  written.forEach((el, i) => fixItem(el, items[i]!));
  return `${serializeXmlTree(doc)}\n`;
}

// feed reads link and date conditionally in rss2() (`if (entry.link)`, `if (entry.date)`); its
// type makes them required because atom1() needs them. RSS needs both to be absent sometimes.
type RssItem = Omit<Item, 'link' | 'date'> & { link?: string; date?: Date };

function rssItem(item: PublishItem): Item {
  const extensions: Extension[] = [];
  if (item.author !== null && item.author !== '') extensions.push({ name: 'dc:creator', objects: { _text: forText(item.author) } });
  if (item.imageUrl !== null) extensions.push({ name: 'media:thumbnail', objects: { _attributes: { url: forRawAttr(item.imageUrl) } } });
  if (item.source.feedUrl !== '') {
    extensions.push({ name: 'source', objects: { _attributes: { url: forRawAttr(item.source.feedUrl) }, _text: forText(item.source.name) } });
  }
  const out: RssItem = {
    title: forCdata(item.title),
    guid: forText(item.id),
    content: forCdata(item.contentHtml),
    category: item.categories.map((c) => ({ name: forText(c) })),
    extensions,
  };
  if (item.link !== null) out.link = forUrl(item.link);
  if (item.publishedAt !== null) out.date = new Date(item.publishedAt);
  if (item.summaryHtml !== null && item.summaryHtml !== '') out.description = forCdata(item.summaryHtml);
  const enclosure = item.enclosures[0];
  if (enclosure !== undefined) out.enclosure = rssEnclosure(enclosure);
  return out as Item;
}

// RSS 2.0 makes url, length and type required on <enclosure>; 0 is the customary "unknown" length.
// feed derives a type from the URL's extension unless one is given; it always is here.
function rssEnclosure(e: Enclosure): NonNullable<Item['enclosure']> {
  return { url: forUrl(e.url), length: e.length ?? 0, type: forRawAttr(e.type ?? 'application/octet-stream') };
}

function fixItem(el: XmlElement, item: PublishItem): void {
  // Case 05: the republished title re-escapes `&` as plain text; feed wraps it in CDATA.
  for (const title of childElements(el, 'title')) setText(title, item.title);
  if (item.link !== null) setText(onlyChild(el, 'link'), item.link);
  setAttr(onlyChild(el, 'guid'), 'isPermaLink', item.id === item.link ? 'true' : 'false');
  const enclosure = item.enclosures[0];
  if (enclosure !== undefined) setAttr(onlyChild(el, 'enclosure'), 'url', enclosure.url);
}

function shapeError(what: string): DuofeedError {
  return new DuofeedError('INTERNAL', `feed's RSS output has an unexpected shape: ${what}`, { stage: 'publish' });
}

/**
 * RFC 822 date as RSS 2.0 wants it (with a four-digit year): `Mon, 01 Jan 2024 00:00:00 GMT`.
 * @param iso UTC ISO date (already validated)
 */
export function httpDate(iso: string): string {
  return new Date(Date.parse(iso)).toUTCString();
}
