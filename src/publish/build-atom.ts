import { Feed, type Item } from 'feed';
import { DuofeedError } from '../errors.js';
import { FEED_HISTORY_NS, GENERATOR, selfUrl, type FeedMeta } from './feed-meta.js';
import { forCdata, forFeedAttr, forRawAttr, forText, forUrl } from './feed-values.js';
import { EPOCH_ISO, type PublishItem } from './item-content.js';
import { iriId } from './item-ids.js';
import { xmlElement } from './xml-element.js';
import {
  addStylesheetPi,
  appendChild,
  insertAfter,
  childElements,
  elementNode,
  markupNode,
  onlyChild,
  parseXmlTree,
  rawAttr,
  removeChild,
  rootElement,
  serializeXmlTree,
  setAttr,
  setText,
  type XmlElement,
} from './xml-tree.js';

const MEDIA_NS = 'http://search.yahoo.com/mrss/';

/**
 * Writes the merged feed as Atom 1.0 (RFC 4287), built with the `feed` package's `atom1()`.
 *
 * Every entry has exactly one `<id>` (an IRI: the unique id when it is one, else
 * `urn:duofeed:article:<store id>`) and one `<updated>` (modified ?? published ?? first seen, case
 * 32); `<published>` only when the source gave a date. The feed `<updated>` is the newest entry's
 * (1970-01-01T00:00:00.000Z for an empty feed, keeping the element required by §4.1.1 and the
 * output deterministic). Attribution: `<source>` with the source feed's id, title, self and
 * alternate links (§4.2.11). Titles are `type="text"`, summary and content `type="html"` in CDATA
 * (every `]]>` split, case 36); text is filtered to XML 1.0 `Char` (case 31).
 *
 * Around feed 6.0.0: values are prepared by feed-values.ts (feed would throw on non-URL ids and a
 * missing date, case 32, so both are always given); afterwards the document is re-read
 * (xml-tree.ts) to restore exact ids and URLs (feed normalizes them with `new URL`), mark entry
 * titles as text (feed says html), drop the href-less link of an entry without a link, give
 * enclosures their real media type (feed writes `image/<extension>`), add the enclosures after the
 * first, `<media:thumbnail>` and `<source>` (feed has no per-entry extensions), and `xml:lang` on
 * entries, summaries in another language, and the root of a language view.
 * @param items prepared items, in output order
 * @param meta feed title/description/base URL/updated
 * @returns the XML document, deterministic for equal input
 * @throws DuofeedError INTERNAL only if feed's output is not in the expected shape (a defect)
 */
export function buildAtom(items: readonly PublishItem[], meta: FeedMeta): string {
  const home = `${meta.selfBaseUrl}/`;
  const self = selfUrl(meta, 'atom');
  const feed = new Feed({
    // A language view or a sub-feed is a feed of its own (§4.2.6: a distinct id).
    id: forText(`${home}${(meta.pathPrefix ?? '').replace(/^\//, '')}${meta.query ?? ''}`),
    title: forText(meta.title),
    description: forText(meta.description),
    link: forUrl(home),
    feedLinks: { atom: forUrl(self) },
    updated: new Date(meta.updated ?? EPOCH_ISO),
    generator: GENERATOR,
    // §4.1.1: a feed-level author lets entries without one stay valid.
    author: { name: forText(meta.title) },
  });
  for (const item of items) feed.addItem(atomItem(item));

  const doc = parseXmlTree(feed.atom1());
  const root = rootElement(doc);
  if (items.some((i) => i.imageUrl !== null)) setAttr(root, 'xmlns:media', MEDIA_NS);
  if (meta.lang) setAttr(root, 'xml:lang', meta.lang);
  let selfLink: XmlElement | null = null;
  for (const link of childElements(root, 'link')) {
    const rel = rawAttr(link, 'rel');
    if (rel === 'self') {
      setLink(link, self, 'application/atom+xml');
      selfLink = link;
    } else if (rel === 'alternate') setLink(link, home, 'text/html');
  }
  if (selfLink === null) throw shapeError('no self <link>');
  const extra = [
    ...(meta.hubs ?? []).map((href) => xmlElement('link', { rel: 'hub', href }, null)),
    ...(meta.links ?? []).map((l) => xmlElement('link', { rel: l.rel, href: l.href, type: l.type ?? 'application/atom+xml' }, null)),
  ];
  if (meta.archive) {
    setAttr(root, 'xmlns:fh', FEED_HISTORY_NS);
    extra.push(xmlElement('fh:archive', {}, null));
  }
  insertAfter(root, selfLink, extra.map(markupNode));
  if (meta.stylesheet) addStylesheetPi(doc, meta.stylesheet);
  const entries = childElements(root, 'entry');
  if (entries.length !== items.length) throw shapeError(`${entries.length} <entry> for ${items.length} items`);
  entries.forEach((el, i) => fixEntry(el, items[i]!));
  return `${serializeXmlTree(doc)}\n`;
}

/**
 * The entry id: the unique id when it is an IRI (§4.2.6), else a urn from the store id, since
 * feeds' guids are often plain numbers or slugs (item-ids.ts `iriId`). An item a language view
 * shows in a translation already has an IRI of its own (`…#duofeed-lang=zh`).
 * @param item prepared item
 */
export function atomId(item: PublishItem): string {
  return iriId(item.id, item.article.id);
}

// feed's atom1() writes `sanitizeUrl(item.link)`, which is undefined (no href) for a missing link.
type AtomItem = Omit<Item, 'link'> & { link?: string };

function atomItem(item: PublishItem): Item {
  const out: AtomItem = {
    title: forCdata(item.title),
    id: forUrl(atomId(item)),
    date: new Date(item.updatedAt),
    content: forCdata(item.contentHtml),
    category: item.categories.map((c) => ({ term: forFeedAttr(c) })),
  };
  if (item.link !== null) out.link = forUrl(item.link);
  if (item.publishedAt !== null) out.published = new Date(item.publishedAt);
  if (item.summaryHtml !== null && item.summaryHtml !== '') out.description = forCdata(item.summaryHtml);
  if (item.author !== null && item.author !== '') out.author = [{ name: forText(item.author) }];
  const first = item.enclosures[0];
  if (first !== undefined) {
    out.enclosure = { url: forUrl(first.url) };
    if (first.length !== null) out.enclosure.length = first.length;
    if (first.title !== null) out.enclosure.title = forRawAttr(first.title);
  }
  return out as Item;
}

function fixEntry(el: XmlElement, item: PublishItem): void {
  // §2 xml:lang: the entry's text is in the published title's language; the summary (always the
  // original's) says so when that differs. Content sections carry `lang` in their HTML.
  if (item.language !== null) setAttr(el, 'xml:lang', item.language);
  setAttr(onlyChild(el, 'title'), 'type', 'text');
  const summary = childElements(el, 'summary')[0];
  if (summary !== undefined && item.summaryLanguage !== null && item.summaryLanguage !== item.language) setAttr(summary, 'xml:lang', item.summaryLanguage);
  setText(onlyChild(el, 'id'), atomId(item));
  const links = childElements(el, 'link');
  const alternate = links.find((l) => rawAttr(l, 'rel') === null);
  if (alternate === undefined) throw shapeError('an entry without its alternate <link>');
  if (item.link === null) removeChild(el, alternate);
  else setLink(alternate, item.link, 'text/html', 'alternate');
  const enclosures = links.filter((l) => rawAttr(l, 'rel') === 'enclosure');
  if (enclosures.length !== Math.min(item.enclosures.length, 1)) throw shapeError(`${enclosures.length} enclosure links for ${item.enclosures.length} enclosures`);
  const first = item.enclosures[0];
  if (first !== undefined) {
    setAttr(enclosures[0]!, 'href', first.url);
    setAttr(enclosures[0]!, 'type', first.type);
  }
  for (const e of item.enclosures.slice(1)) {
    appendChild(el, markupNode(xmlElement('link', { rel: 'enclosure', href: e.url, type: e.type, length: e.length, title: e.title }, null)));
  }
  if (item.imageUrl !== null) appendChild(el, markupNode(xmlElement('media:thumbnail', { url: item.imageUrl }, null)));
  if (item.source.feedUrl !== '') appendChild(el, sourceElement(item));
}

// RFC 4287 §4.2.11: the source feed's metadata, so the entry stays attributed when copied.
function sourceElement(item: PublishItem): XmlElement {
  const { feedUrl, name, siteUrl } = item.source;
  const children = [
    markupNode(xmlElement('id', {}, feedUrl)),
    markupNode(xmlElement('title', { type: 'text' }, name)),
    markupNode(xmlElement('link', { rel: 'self', href: feedUrl }, null)),
  ];
  if (siteUrl !== null) children.push(markupNode(xmlElement('link', { rel: 'alternate', type: 'text/html', href: siteUrl }, null)));
  return elementNode('source', children);
}

function setLink(link: XmlElement, href: string, type: string, rel?: string): void {
  if (rel !== undefined) setAttr(link, 'rel', rel);
  setAttr(link, 'href', href);
  setAttr(link, 'type', type);
}

function shapeError(what: string): DuofeedError {
  return new DuofeedError('INTERNAL', `feed's Atom output has an unexpected shape: ${what}`, { stage: 'publish' });
}
