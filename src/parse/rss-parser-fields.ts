import Parser from 'rss-parser';

/** An item as rss-parser returns it with our customFields (values are xml2js shapes). */
export interface RssParserItem {
  title?: unknown;
  link?: unknown;
  guid?: unknown;
  pubDate?: unknown;
  /** dc:date (rss-parser maps it to `date`). */
  date?: unknown;
  /** author or dc:creator. */
  creator?: unknown;
  /** description. */
  content?: unknown;
  contentEncoded?: unknown;
  categories?: unknown;
  dcSubject?: unknown;
  itunesAuthor?: unknown;
  'rdf:about'?: unknown;
  [key: string]: unknown;
}

/** The feed object rss-parser returns. */
export interface RssParserFeed {
  title?: unknown;
  link?: unknown;
  description?: unknown;
  language?: unknown;
  items: RssParserItem[];
  [key: string]: unknown;
}

/**
 * Atom date element names xml2js would hand to rss-parser. rss-parser converts Atom
 * `published`/`updated` with `new Date(x).toISOString()` outside any try, so one bad date
 * rejects the whole document (case 18); renaming them at the xml2js level keeps rss-parser away
 * from them. Atom dates are read by the cheerio pass instead.
 */
const GUARDED_TAGS: Record<string, string> = { published: 'duofeed-published', updated: 'duofeed-updated' };

/**
 * Builds the one rss-parser configuration duofeed uses: `parseString` only (never `parseURL`:
 * fetching is the fetch stage's job), RSS without a version read as RSS 2.0, and customFields
 * for `content:encoded`, `dc:subject`, `itunes:author` (literal prefixes; the cheerio pass
 * covers other prefixes by namespace URI).
 * @returns a Parser whose `parseString(xml)` resolves to {@link RssParserFeed}
 */
export function createFeedParser(): Parser<Record<string, unknown>, RssParserItem> {
  return new Parser<Record<string, unknown>, RssParserItem>({
    defaultRSS: 2,
    xml2js: { tagNameProcessors: [(name: string) => GUARDED_TAGS[name] ?? name] },
    customFields: {
      item: [
        ['content:encoded', 'contentEncoded'],
        ['dc:subject', 'dcSubject', { keepArray: true }],
        ['itunes:author', 'itunesAuthor'],
      ] as unknown as (keyof RssParserItem)[],
    },
  });
}

/**
 * The string inside an xml2js value: a string as is, `{_: text}` → text, arrays → first element.
 * @param v xml2js value
 * @returns the string, or null for absent values and elements with only attributes/children
 */
export function xmlString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length > 0 ? xmlString(v[0]) : null;
  if (v && typeof v === 'object' && typeof (v as { _?: unknown })._ === 'string') return (v as { _: string })._;
  return null;
}

/**
 * Every string of an xml2js value that may repeat (`category`, `dc:subject`).
 * @param v xml2js value or array of values
 * @returns the strings found, untrimmed
 */
export function xmlStrings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map(xmlString).filter((s): s is string => s !== null);
}
