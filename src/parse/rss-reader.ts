import type { Element } from 'domhandler';
import { readMedia, toLength } from './media.js';
import { emptyRawItem, type RawFeed, type RawItem } from './raw-feed.js';
import { xmlString, xmlStrings, type RssParserFeed, type RssParserItem } from './rss-parser-fields.js';
import { collapseWhitespace, rssTitleToText } from './text.js';
import { NS, type XmlDoc } from './xml-dom.js';

/**
 * Reads RSS 0.9x/2.0 and RDF (RSS 0.90/1.0) items: core fields from rss-parser's output, and
 * from the cheerio DOM what rss-parser leaves out or maps by literal prefix — every enclosure
 * with its title (case 34), Media RSS by namespace URI (case 10), `rdf:about` (case 11),
 * `isPermaLink`, `dc:*`/`content:encoded` under any prefix, and xml:base.
 * @param doc parsed document (root `rss` or `rdf:RDF`)
 * @param parsed rss-parser's result for the same text
 * @param format `rss` or `rdf`
 * @param feedUrl absolute URL of the document
 * @returns the raw feed; items in document order
 */
export function readRss(doc: XmlDoc, parsed: RssParserFeed, format: 'rss' | 'rdf', feedUrl: string): RawFeed {
  const warnings: string[] = [];
  const root = doc.root;
  const channel = root ? doc.child(root, 'channel') : null;
  const itemParent = format === 'rdf' ? root : channel;
  const elements = itemParent ? doc.children(itemParent, 'item') : [];
  if (elements.length !== parsed.items.length) {
    warnings.push(`item count differs between parsers (${parsed.items.length} vs ${elements.length}); extras skipped`);
  }
  const aligned = elements.length === parsed.items.length;
  const items = parsed.items.map((p, i) => readItem(doc, p, aligned ? (elements[i] ?? null) : null, feedUrl));
  // rss-parser gives an object, not a string, for a title holding markup (`<title><p>…</p></title>`).
  const title = xmlString(parsed.title) ?? (channel ? doc.text(doc.child(channel, 'title')) : null);
  const description = xmlString(parsed.description);
  const link = xmlString(parsed.link) ?? (channel ? atomAlternate(doc, channel) : null);
  const language = xmlString(parsed.language) ?? (channel ? doc.trimmed(doc.nsChildren(channel, NS.dc, 'language')[0] ?? null) : null);
  return {
    format,
    title: title ? rssTitleToText(title) || null : null,
    siteUrl: link?.trim() || null,
    description: description ? rssTitleToText(description) || null : null,
    language: language?.trim() || null,
    base: channel ? doc.baseOf(channel, feedUrl) : root ? doc.baseOf(root, feedUrl) : null,
    items,
    warnings,
  };
}

function readItem(doc: XmlDoc, p: RssParserItem, el: Element | null, feedUrl: string): RawItem {
  const item = emptyRawItem();
  const title = xmlString(p.title) ?? (el ? doc.text(doc.child(el, 'title')) : null);
  item.title = title === null ? null : rssTitleToText(title) || null;
  item.link = xmlString(p.link)?.trim() || null;
  item.id = xmlString(p.guid)?.trim() || xmlString(p['rdf:about'])?.trim() || null;
  item.published = xmlString(p.pubDate) ?? xmlString(p.date);
  const creator = xmlString(p.creator) ?? xmlString(p.itunesAuthor);
  item.author = creator ? collapseWhitespace(creator) || null : null;
  item.summaryHtml = xmlString(p.content)?.trim() || null;
  item.contentHtml = xmlString(p.contentEncoded)?.trim() || null;
  item.categories = [...xmlStrings(p.categories), ...xmlStrings(p.dcSubject)];
  if (el) addExtras(doc, el, item, feedUrl);
  return item;
}

function addExtras(doc: XmlDoc, el: Element, item: RawItem, feedUrl: string): void {
  const guid = doc.child(el, 'guid');
  if (!item.id) {
    const about = [...doc.names(NS.rdf, 'about')].map((n) => el.attribs[n]).find((v) => v?.trim());
    item.id = doc.trimmed(guid) ?? about?.trim() ?? null;
  }
  if (!item.link) {
    item.link = doc.trimmed(doc.child(el, 'link'));
    // RSS 2.0: a guid is the item's permalink unless isPermaLink="false".
    if (!item.link && guid && guid.attribs.isPermaLink?.trim().toLowerCase() !== 'false') {
      const g = doc.trimmed(guid);
      if (g && /^https?:\/\//i.test(g)) item.link = g;
    }
  }
  // Media RSS titles the item when it has no title of its own (feedparser does the same).
  if (!item.title) {
    const mediaTitle = doc.trimmed(doc.nsChildren(el, NS.media, 'title')[0] ?? null);
    if (mediaTitle) item.title = rssTitleToText(mediaTitle) || null;
  }
  // Dublin Core (dc:date, dcterms:issued/created/modified) and Atom dates inside RSS items.
  const first = (ns: (typeof NS)[keyof typeof NS], ...names: string[]): string | null => {
    for (const name of names) {
      const v = doc.trimmed(doc.nsChildren(el, ns, name)[0] ?? null);
      if (v) return v;
    }
    return null;
  };
  item.published ??= first(NS.dc, 'date') ?? first(NS.dcterms, 'issued', 'created') ?? first(NS.atom, 'published');
  item.updated ??= first(NS.dcterms, 'modified') ?? first(NS.atom, 'updated');
  if (!item.author) {
    const creator =
      doc.trimmed(doc.nsChildren(el, NS.dc, 'creator')[0] ?? null) ??
      doc.trimmed(doc.nsChildren(el, NS.itunes, 'author')[0] ?? null);
    item.author = creator ? collapseWhitespace(creator) : null;
  }
  if (!item.contentHtml) item.contentHtml = doc.trimmed(doc.nsChildren(el, NS.content, 'encoded')[0] ?? null);
  if (item.categories.length === 0) {
    item.categories = [
      ...doc.children(el, 'category').map((c) => doc.text(c) ?? ''),
      ...doc.nsChildren(el, NS.dc, 'subject').map((c) => doc.text(c) ?? ''),
    ];
  }
  const enclosures = doc
    .children(el, 'enclosure')
    .filter((e) => e.attribs.url?.trim())
    .map((e) => ({
      url: (e.attribs.url ?? '').trim(),
      type: e.attribs.type?.trim() || null,
      length: toLength(e.attribs.length),
      title: e.attribs.title?.trim() || null,
    }));
  const media = readMedia(doc, el);
  item.enclosures = [...enclosures, ...media.enclosures];
  item.images = [media.image, media.thumbnail].filter((u): u is string => u !== null);
  item.thumbnail = media.thumbnail;
  item.base = doc.baseOf(el, feedUrl);
}

/** href of an `atom:link rel="alternate"` in an RSS channel that has no `<link>` of its own. */
function atomAlternate(doc: XmlDoc, channel: Element): string | null {
  const link = doc
    .nsChildren(channel, NS.atom, 'link')
    .find((l) => (l.attribs.rel?.trim().toLowerCase() ?? 'alternate') === 'alternate' && l.attribs.href?.trim());
  return link?.attribs.href?.trim() ?? null;
}
