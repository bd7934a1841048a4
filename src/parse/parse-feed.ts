import { DuofeedError } from '../errors.js';
import type { FeedItem, ParsedFeed } from '../types.js';
import { readAtom } from './atom-reader.js';
import { applyIdentityPolicy, dedupeByGuid, findSharedGuids } from './identity.js';
import { readJsonFeed } from './json-feed.js';
import { normalizeFeed } from './normalize.js';
import { prepareXml } from './prepare-xml.js';
import type { RawFeed } from './raw-feed.js';
import { createFeedParser, type RssParserFeed } from './rss-parser-fields.js';
import { readRss } from './rss-reader.js';
import { sniffFormat, xmlRootFormat } from './sniff-format.js';
import { XmlDoc } from './xml-dom.js';

/** Options of {@link parseFeed}. */
export interface ParseFeedOptions {
  /** Absolute URL of the document (final URL after redirects): base of relative URLs, named in errors. */
  feedUrl: string;
  /** IANA zone for dates without a zone (SourceConfig.timezone); null = UTC. */
  timezone: string | null;
  /** Items kept: the newest by date; undated items keep document order after dated ones. */
  maxItems: number;
  sourceId?: string;
}

/**
 * Parses and normalizes one feed document (RSS 0.90/0.91/0.92/1.0/2.0, Atom 0.3/1.0, JSON Feed
 * 1.0/1.1), sniffing the format from content. XML goes through `prepareXml` hygiene, then
 * rss-parser's `parseString` (never `parseURL`) plus a cheerio pass for what rss-parser misses;
 * JSON through our JSON Feed reader. A document whose guids are shared by different items
 * (case 19) is keyed by canonical link instead, with a warning `feed has N items sharing GUID …`
 * — the pipeline should make that sticky via `guidsAreUnreliable` / `applyIdentityPolicy`.
 *
 * @param text document text, already decoded by the fetch stage
 * @param opts feed URL, source time zone, item cap, source id for errors
 * @returns the parsed feed; `items` in document order, at most `maxItems`
 * @throws DuofeedError PARSE_EMPTY (blank document), PARSE_NOT_A_FEED (HTML, OPML, RSS-in-JSON,
 *   unknown root), PARSE_XML (not well-formed after repair; message gives line and column),
 *   PARSE_JSON (invalid JSON), PARSE_DTD_FORBIDDEN (dangerous DOCTYPE, see prepareXml)
 */
export async function parseFeed(text: string, opts: ParseFeedOptions): Promise<ParsedFeed> {
  const { feedUrl } = opts;
  const ctx = { stage: 'parse' as const, url: feedUrl, sourceId: opts.sourceId ?? null };
  try {
    const kind = sniffFormat(text);
    if (kind === 'empty') throw new DuofeedError('PARSE_EMPTY', `Feed ${feedUrl} is empty.`, ctx);
    if (kind === 'other') {
      throw new DuofeedError('PARSE_NOT_A_FEED', `Feed ${feedUrl} is neither XML nor JSON.`, ctx);
    }
    const raw = kind === 'json' ? readJsonFeed(text, feedUrl) : await readXmlFeed(text, feedUrl);
    const feed = normalizeFeed(raw, { feedUrl, timezone: opts.timezone });
    return finish(feed, opts);
  } catch (err) {
    if (err instanceof DuofeedError) {
      if (err.sourceId === null && opts.sourceId) {
        throw new DuofeedError(err.code, err.message, { ...ctx, cause: err.cause, details: err.details });
      }
      throw err;
    }
    throw new DuofeedError('INTERNAL', `Parsing feed ${feedUrl} failed unexpectedly: ${String(err)}.`, {
      ...ctx,
      cause: err,
    });
  }
}

async function readXmlFeed(text: string, feedUrl: string): Promise<RawFeed> {
  const prepared = prepareXml(text, feedUrl);
  const root = xmlRootFormat(prepared.xml);
  if (!root) {
    throw new DuofeedError('PARSE_NOT_A_FEED', `Feed ${feedUrl} is XML but its root is not rss, rdf:RDF or feed.`, {
      stage: 'parse',
      url: feedUrl,
    });
  }
  let parsed: RssParserFeed;
  try {
    parsed = (await createFeedParser().parseString(prepared.xml)) as unknown as RssParserFeed;
  } catch (err) {
    throw xmlError(err, feedUrl);
  }
  const doc = new XmlDoc(prepared.xml);
  let raw: RawFeed;
  if (root.format === 'atom') {
    raw = readAtom(doc, feedUrl);
    if (raw.items.length !== parsed.items.length) {
      raw.warnings.push(`entry count differs between parsers (${parsed.items.length} vs ${raw.items.length})`);
    }
  } else {
    raw = readRss(doc, parsed, root.format, feedUrl);
  }
  raw.warnings.unshift(...prepared.warnings);
  return raw;
}

function xmlError(err: unknown, feedUrl: string): DuofeedError {
  const message = err instanceof Error ? err.message : String(err);
  // rss-parser indexes `channel[0]` unguarded: a TypeError means well-formed XML without a channel.
  if (/not recognized/i.test(message) || err instanceof TypeError) {
    return new DuofeedError('PARSE_NOT_A_FEED', `Feed ${feedUrl} is not a recognizable RSS/RDF/Atom document.`, {
      stage: 'parse',
      url: feedUrl,
      cause: err,
    });
  }
  // sax reports 0-based lines and columns.
  const line = /Line:\s*(\d+)/.exec(message);
  const column = /Column:\s*(\d+)/.exec(message);
  const where = line && column ? ` at line ${Number(line[1]) + 1}, column ${Number(column[1]) + 1}` : '';
  const reason = message.split('\n')[0] ?? message;
  return new DuofeedError('PARSE_XML', `Feed ${feedUrl} is not well-formed XML${where}: ${reason}.`, {
    stage: 'parse',
    url: feedUrl,
    cause: err,
    details: line && column ? { line: Number(line[1]) + 1, column: Number(column[1]) + 1 } : {},
  });
}

function finish(feed: ParsedFeed, opts: ParseFeedOptions): ParsedFeed {
  const warnings = [...feed.warnings];
  let items = feed.items;
  const shared = findSharedGuids(items);
  if (shared.length > 0) {
    for (const s of shared) {
      warnings.push(`feed has ${s.count} items sharing GUID "${s.guid}" (${opts.feedUrl}); keyed by link instead`);
    }
    items = applyIdentityPolicy(items, 'link');
  }
  const deduped = dedupeByGuid(items);
  if (deduped.dropped > 0) warnings.push(`dropped ${deduped.dropped} repeated item(s) with the same identity`);
  return { ...feed, items: keepNewest(deduped.items, opts.maxItems), warnings };
}

/**
 * The newest `max` items by publishedAt (dated before undated, document order among equals),
 * returned in document order.
 * @param items items in document order
 * @param max cap (non-positive keeps none)
 */
export function keepNewest(items: FeedItem[], max: number): FeedItem[] {
  const cap = Math.max(0, Math.floor(max));
  if (items.length <= cap) return items;
  const ranked = items
    .map((item, index) => ({ item, index, t: item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN }))
    .sort((a, b) => {
      const ad = Number.isNaN(a.t);
      const bd = Number.isNaN(b.t);
      if (ad !== bd) return ad ? 1 : -1;
      if (!ad && a.t !== b.t) return b.t - a.t;
      return a.index - b.index;
    });
  const kept = new Set(ranked.slice(0, cap).map((r) => r.index));
  return items.filter((_, i) => kept.has(i));
}
