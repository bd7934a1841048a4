/** What a document looks like from its first characters. */
export type DocumentKind = 'empty' | 'json' | 'xml' | 'other';

/** Feed dialect named by the XML root element. */
export type XmlFeedFormat = 'rss' | 'rdf' | 'atom';

/**
 * Sniffs a decoded document by content, never by URL or media type (servers mislabel feeds:
 * corpus `daringfireball-2016.atom-served-as-rss.xml`).
 * @param text decoded document
 * @returns `empty` (blank or BOM only), `json` (first non-space char `{` or `[`), `xml`
 *   (first non-space char `<`), else `other`
 */
export function sniffFormat(text: string): DocumentKind {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t === '') return 'empty';
  const c = t[0];
  if (c === '{' || c === '[') return 'json';
  if (c === '<') return 'xml';
  return 'other';
}

/**
 * Finds the root element of an XML document (skipping the declaration, PIs, comments and a
 * DOCTYPE) and maps it to a feed dialect by local name: `rss` → RSS 0.9x/2.0, `RDF` (any prefix)
 * → RSS 0.90/1.0, `feed` → Atom 0.3/1.0.
 * @param xml XML text
 * @returns the dialect and the root's qualified name, or null when the root is something else
 *   (HTML page, OPML, …) or no element is found
 */
export function xmlRootFormat(xml: string): { format: XmlFeedFormat; rootName: string } | null {
  const re = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>|<([A-Za-z_][\w.:-]*)/gi;
  for (const m of xml.matchAll(re)) {
    const name = m[1];
    if (name === undefined) continue;
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    if (local === 'rss') return { format: 'rss', rootName: name };
    if (local === 'RDF') return { format: 'rdf', rootName: name };
    if (local === 'feed') return { format: 'atom', rootName: name };
    return null;
  }
  return null;
}
