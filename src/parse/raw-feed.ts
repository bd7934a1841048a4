/**
 * Format-neutral records the readers (RSS/RDF/Atom through rss-parser + cheerio, JSON Feed)
 * produce and `normalize` turns into FeedItem. Values are as found in the document: URLs may be
 * relative, dates are unparsed strings; text fields are already plain text, HTML fields are HTML.
 */

/** An enclosure before URL resolution. */
export interface RawEnclosure {
  url: string;
  type: string | null;
  length: number | null;
  title: string | null;
}

/** One item as read from the document. */
export interface RawItem {
  /** guid / Atom id / rdf:about / JSON Feed id. */
  id: string | null;
  link: string | null;
  /** Plain text. */
  title: string | null;
  published: string | null;
  updated: string | null;
  author: string | null;
  summaryHtml: string | null;
  contentHtml: string | null;
  categories: string[];
  enclosures: RawEnclosure[];
  /** Candidate lead images in order of preference (media:thumbnail, media:content, JSON `image`). */
  images: string[];
  /** media:thumbnail URL, or null. */
  thumbnail: string | null;
  /** xml:base in scope for the item (possibly relative to the feed URL), or null. */
  base: string | null;
}

/** One document as read, before normalization. */
export interface RawFeed {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  title: string | null;
  siteUrl: string | null;
  description: string | null;
  language: string | null;
  /** xml:base of the root/channel, or null. */
  base: string | null;
  items: RawItem[];
  warnings: string[];
}

/** An empty RawItem, for readers to fill. */
export function emptyRawItem(): RawItem {
  return {
    id: null,
    link: null,
    title: null,
    published: null,
    updated: null,
    author: null,
    summaryHtml: null,
    contentHtml: null,
    categories: [],
    enclosures: [],
    images: [],
    thumbnail: null,
    base: null,
  };
}
