import type { Element } from 'domhandler';
import { absolutizeHtml } from './absolutize-html.js';
import { readMedia } from './media.js';
import { toLength } from './media.js';
import { emptyRawItem, type RawEnclosure, type RawFeed, type RawItem } from './raw-feed.js';
import { collapseWhitespace, htmlToText, textToHtml } from './text.js';
import { NS, elementChildren, type XmlDoc } from './xml-dom.js';

type TextKind = 'text' | 'html' | 'xhtml' | 'skip';

/**
 * Reads an Atom 1.0 (RFC 4287) or Atom 0.3 document from the cheerio DOM. rss-parser's own Atom
 * mapping returns `type="xhtml"` titles as objects, ignores `type`, keeps one link and throws on
 * bad dates (cases 08, 18), so every entry field is read here; rss-parser only vouches that the
 * XML is well-formed.
 * @param doc parsed document whose root is `feed`
 * @param feedUrl absolute URL of the document (base for xml:base)
 * @returns the raw feed; entries in document order
 */
export function readAtom(doc: XmlDoc, feedUrl: string): RawFeed {
  const root = doc.root;
  const feed: RawFeed = {
    format: 'atom',
    title: null,
    siteUrl: null,
    description: null,
    language: null,
    base: null,
    items: [],
    warnings: [],
  };
  if (!root) return feed;
  feed.title = textOf(doc, doc.child(root, 'title'));
  feed.description = textOf(doc, doc.child(root, 'subtitle') ?? doc.child(root, 'tagline'));
  feed.siteUrl = alternateLink(doc, root);
  feed.language = root.attribs['xml:lang']?.trim() || null;
  feed.base = doc.baseOf(root, feedUrl);
  const feedAuthor = authorName(doc, root);
  feed.items = doc.children(root, 'entry').map((entry) => readEntry(doc, entry, feedUrl, feedAuthor));
  return feed;
}

function readEntry(doc: XmlDoc, entry: Element, feedUrl: string, feedAuthor: string | null): RawItem {
  const item = emptyRawItem();
  item.id = doc.trimmed(doc.child(entry, 'id'));
  item.link = alternateLink(doc, entry);
  item.title = textOf(doc, doc.child(entry, 'title'));
  item.published =
    doc.trimmed(doc.child(entry, 'published')) ??
    doc.trimmed(doc.child(entry, 'issued')) ??
    doc.trimmed(doc.child(entry, 'created'));
  item.updated = doc.trimmed(doc.child(entry, 'updated')) ?? doc.trimmed(doc.child(entry, 'modified'));
  item.author =
    authorName(doc, entry) ??
    doc.trimmed(doc.nsChildren(entry, NS.dc, 'creator')[0] ?? null) ??
    feedAuthor;
  item.summaryHtml = htmlOf(doc, doc.child(entry, 'summary'), feedUrl);
  item.contentHtml = htmlOf(doc, doc.child(entry, 'content'), feedUrl);
  item.categories = [
    ...doc.children(entry, 'category').map((c) => (c.attribs.term ?? c.attribs.label ?? doc.text(c) ?? '').trim()),
    ...doc.nsChildren(entry, NS.dc, 'subject').map((c) => doc.text(c) ?? ''),
  ];
  const enclosures: RawEnclosure[] = doc
    .children(entry, 'link')
    .filter((l) => l.attribs.rel?.trim().toLowerCase() === 'enclosure' && l.attribs.href?.trim())
    .map((l) => ({
      url: (l.attribs.href ?? '').trim(),
      type: l.attribs.type?.trim() || null,
      length: toLength(l.attribs.length),
      title: l.attribs.title?.trim() || null,
    }));
  const media = readMedia(doc, entry);
  item.enclosures = [...enclosures, ...media.enclosures];
  item.images = [media.image, media.thumbnail].filter((u): u is string => u !== null);
  item.thumbnail = media.thumbnail;
  item.base = doc.baseOf(entry, feedUrl);
  return item;
}

/** The `rel="alternate"` (or rel-less) link, preferring an HTML type; else null. */
function alternateLink(doc: XmlDoc, el: Element): string | null {
  const links = doc
    .children(el, 'link')
    .filter((l) => ['', 'alternate'].includes(l.attribs.rel?.trim().toLowerCase() ?? '') && l.attribs.href?.trim());
  const html = links.find((l) => /html/i.test(l.attribs.type ?? 'text/html'));
  return (html ?? links[0])?.attribs.href?.trim() ?? null;
}

function authorName(doc: XmlDoc, el: Element): string | null {
  for (const author of doc.children(el, 'author')) {
    const name = doc.trimmed(doc.child(author, 'name')) ?? doc.trimmed(doc.child(author, 'email'));
    if (name) return collapseWhitespace(name);
  }
  return null;
}

/** Kind of an Atom text construct: 1.0 `type`, or 0.3 `type` (MIME) + `mode`. */
function kindOf(el: Element): TextKind {
  const type = el.attribs.type?.trim().toLowerCase() ?? '';
  const mode = el.attribs.mode?.trim().toLowerCase() ?? '';
  if (el.attribs.src !== undefined) return 'skip';
  if (isBase64(el)) return 'skip';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  if (type === 'html' || type === 'text/html') return mode === 'xml' ? 'xhtml' : 'html';
  if (mode === 'escaped' && type !== 'text' && type !== 'text/plain') return 'html';
  if (type === '' || type === 'text' || type === 'text/plain') return 'text';
  return type.startsWith('text/') ? 'text' : 'skip';
}

/**
 * Whether a construct's text is base64: Atom 0.3 `mode="base64"`, or (RFC 4287 §4.1.3.3) a MIME
 * `type` that is neither text/* nor XML.
 */
function isBase64(el: Element, inTitle = false): boolean {
  if (el.attribs.src !== undefined) return false;
  const type = el.attribs.type?.trim().toLowerCase() ?? '';
  if ((el.attribs.mode?.trim().toLowerCase() ?? '') === 'base64') return true;
  // A title cannot hold media; only an explicit octet-stream there is taken as encoded, any
  // other unknown type is left as text.
  if (inTitle) return type === 'application/octet-stream';
  return type.includes('/') && !type.startsWith('text/') && !/[+/]xml$/.test(type);
}

/**
 * Decoded text (UTF-8) of a base64 construct and whether it is HTML, or null when the MIME type is
 * not textual (an image or other binary has no text to show). Atom 0.3 base64 without a type is text.
 */
function base64Of(doc: XmlDoc, el: Element, inTitle: boolean): { text: string; html: boolean } | null {
  const type = el.attribs.type?.trim().toLowerCase() ?? '';
  // A title can only be text, so an untyped binary label there is still read as text.
  const textual = type === '' || type.startsWith('text/') || /^(?:text|html|xhtml)$/.test(type) || (inTitle && type === 'application/octet-stream');
  if (!textual) return null;
  const text = Buffer.from((doc.text(el) ?? '').replace(/\s+/g, ''), 'base64').toString('utf8');
  return { text, html: /html/.test(type) };
}

/** The markup of an xhtml construct: inside its wrapper `div` when there is one. */
function xhtmlOf(doc: XmlDoc, el: Element): string {
  const kids = elementChildren(el);
  const only = kids.length === 1 ? kids[0] : undefined;
  const wrapper = only && /(^|:)div$/.test(only.name) && doc.$(el).text().trim() === doc.$(only).text().trim() ? only : el;
  return doc.innerXml(wrapper).trim();
}

/**
 * Plain text of an Atom text construct by its type (case 08): `html` is parsed as HTML and its
 * text taken (so `&lt;selectedoption&gt;` shows as `<selectedoption>`), `text` is kept as is,
 * `xhtml` gives the text content of its div.
 */
function textOf(doc: XmlDoc, el: Element | null): string | null {
  if (!el) return null;
  const kind = kindOf(el);
  let text: string;
  const encoded = isBase64(el, true);
  const b64 = encoded ? base64Of(doc, el, true) : null;
  if (encoded) text = b64 === null ? '' : b64.html ? htmlToText(b64.text) : collapseWhitespace(b64.text);
  else if (kind === 'html') text = htmlToText(doc.text(el) ?? '');
  // Through htmlToText so script/style inside the xhtml div do not become title words.
  else if (kind === 'xhtml') text = htmlToText(xhtmlOf(doc, el));
  else text = collapseWhitespace(doc.text(el) ?? '');
  return text === '' ? null : text;
}

/** HTML of an Atom content/summary construct; its own xml:base, if any, is applied here. */
function htmlOf(doc: XmlDoc, el: Element | null, feedUrl: string): string | null {
  if (!el) return null;
  const kind = kindOf(el);
  let html: string;
  const b64 = isBase64(el) ? base64Of(doc, el, false) : null;
  if (b64 !== null) html = b64.html ? b64.text.trim() : textToHtml(b64.text);
  else if (kind === 'skip') return null;
  else if (kind === 'html') html = (doc.text(el) ?? '').trim();
  else if (kind === 'xhtml') html = xhtmlOf(doc, el);
  else html = textToHtml(doc.text(el) ?? '');
  if (html === '') return null;
  if (el.attribs['xml:base'] !== undefined) {
    const base = doc.baseOf(el, feedUrl);
    if (base) html = absolutizeHtml(html, base);
  }
  return html;
}
