import { DuofeedError } from '../errors.js';
import { FEED_PATHS } from '../publish/feed-meta.js';
import type { FeedFormat } from '../publish/build-feeds.js';
import type { SourceInfo } from '../publish/source-info.js';
import { foldKeyword, type ArticleCursor } from '../store/article-order.js';
import { searchTerms } from '../store/search-text.js';
import type { OutputConfig } from '../types.js';
import { formatCursorParam, type FeedView } from './feed-cache.js';
import { parseLangParam } from './lang-param.js';

/** Longest `q`, in characters (code points) after NFKC. */
export const MAX_QUERY_CHARS = 200;
/** Longest keyword (`keyword=` or `/tags/{keyword}`), in characters after folding. */
export const MAX_KEYWORD_CHARS = 100;
/** Most `keyword` parameters in one request. */
export const MAX_KEYWORDS = 10;

/** What a feed path names: the format and which feed (all items, one source, one tag). */
export interface FeedRoute {
  format: FeedFormat;
  /** Response media type with charset. */
  contentType: string;
  /** Which feed; `id` / `keyword` are percent-decoded (the keyword also folded). */
  scope: { kind: 'all' } | { kind: 'source'; id: string } | { kind: 'tag'; keyword: string };
}

const FORMATS: Record<string, { format: FeedFormat; contentType: string }> = {
  [FEED_PATHS.rss]: { format: 'rss', contentType: 'application/rss+xml; charset=utf-8' },
  [FEED_PATHS.atom]: { format: 'atom', contentType: 'application/atom+xml; charset=utf-8' },
  [FEED_PATHS.json]: { format: 'json', contentType: 'application/feed+json; charset=utf-8' },
};

const ROUTE = /^(?:\/(sources|tags)\/([^/]+))?(\/feed\.xml|\/atom\.xml|\/feed\.json)$/;

/**
 * Recognizes a feed path: `/feed.xml`, `/atom.xml`, `/feed.json`, and the same three under
 * `/sources/{id}/` and `/tags/{keyword}/` (one percent-encoded path segment, e.g.
 * `/tags/%E5%A4%A7%E6%A8%A1%E5%9E%8B/feed.xml` for 大模型).
 * @param pathname the request path as sent (still percent-encoded)
 * @returns the route, or null when the path is not a feed path
 * @throws DuofeedError SERVER_BAD_REQUEST when the id or keyword segment is not valid
 *   percent-encoded UTF-8, decodes to a control character (C0, DEL, C1) or a lone surrogate, or
 *   the keyword is empty or longer than {@link MAX_KEYWORD_CHARS}
 */
export function matchFeedRoute(pathname: string): FeedRoute | null {
  const m = ROUTE.exec(pathname);
  if (m === null) return null;
  const { format, contentType } = FORMATS[m[3]!]!;
  if (m[1] === undefined) return { format, contentType, scope: { kind: 'all' } };
  const segment = decodeSegment(m[2]!, pathname);
  if (m[1] === 'sources') return { format, contentType, scope: { kind: 'source', id: segment } };
  return { format, contentType, scope: { kind: 'tag', keyword: checkKeyword(segment, 'The tag (the path segment after /tags/)', pathname) } };
}

/**
 * Whether a path is one of the JSON Feed paths (`/feed.json`, `/sources/{id}/feed.json`,
 * `/tags/{keyword}/feed.json`) by its shape alone, without decoding or checking the segment, so
 * that CORS headers go on every answer for it, errors included, and preflights are answered.
 * @param pathname the request path as sent
 */
export function isJsonFeedPath(pathname: string): boolean {
  const m = ROUTE.exec(pathname);
  return m !== null && m[3] === FEED_PATHS.json;
}

/**
 * The route template of a feed path by its shape alone (no decoding), for labels that must come
 * from a closed set: `/feed.xml`, `/sources/:id/atom.xml`, `/tags/:keyword/feed.json`, …
 * @param pathname the request path as sent
 * @returns the template, or null when the path is not a feed path
 */
export function feedRouteTemplate(pathname: string): string | null {
  const m = ROUTE.exec(pathname);
  if (m === null) return null;
  return m[1] === undefined ? m[3]! : `/${m[1]}/${m[1] === 'sources' ? ':id' : ':keyword'}${m[3]!}`;
}

/** What {@link parseFeedRequest} checks against. */
export interface FeedRequestContext {
  output: Pick<OutputConfig, 'title' | 'description' | 'maxItems' | 'languages'>;
  /** Known sources by id (the configured ones). */
  sources: ReadonlyMap<string, SourceInfo>;
}

/**
 * Reads the filters and page of a feed request into a {@link FeedView} (its cache key and self
 * query are normalized: sorted sources, folded sorted keywords, NFKC query, clamped limit).
 *
 * Parameters (any other is ignored: readers add tracking and cache-busting parameters):
 * - `source`: one or more source ids, repeated (`source=a&source=b`) and/or comma-separated
 *   (`source=a,b`); items of any of them. On `/sources/{id}/…` it narrows further (intersection).
 * - `keyword`: items carrying this keyword in any language, compared after NFKC and lower-casing;
 *   repeated = every one must be carried (AND). Not split on commas (keywords may hold them).
 * - `lang`: per-language view (lang-param.ts).
 * - `q`: full-text search over the original and translated title and text; every word must occur.
 * - `limit`: items per page, a whole number >= 1; above `output.maxItems` it is clamped to it.
 * - `before`: only items older than this position: an RFC 3339 date-time (items strictly older
 *   than that instant), or the `<date>~<id>` value the server writes into `next` links (the id
 *   breaks ties between items of the same date, so pages never skip or repeat one).
 * @param route the matched path
 * @param target the request's query: raw (`search`, `''` or `?…`) and parsed; the raw query is
 *   checked for malformed percent-encoding of the parameters above, which URLSearchParams would
 *   silently keep or replace with U+FFFD, and for control characters once decoded
 * @param ctx output config and known sources
 * @param path request path, for messages
 * @returns the view
 * @throws DuofeedError SERVER_BAD_REQUEST for a malformed, empty, repeated (`q`, `limit`,
 *   `before`, `lang`) or over-long value, or one holding a control character (C0, DEL, C1) or a
 *   lone surrogate after decoding, naming the parameter and the reason;
 *   SERVER_NOT_FOUND for a source id (path or `source=`) that is not configured, naming it
 */
export function parseFeedRequest(route: FeedRoute, target: Pick<URL, 'search' | 'searchParams'>, ctx: FeedRequestContext, path: string): FeedView {
  const { output, sources } = ctx;
  checkRawParams(target.search, path);
  const search = target.searchParams;
  const lang = parseLangParam(search, output.languages, path);
  const labels: string[] = [];
  let pathPrefix = '';
  let sourceIds: string[] | null = null;
  const keywords = new Set<string>();
  if (route.scope.kind === 'source') {
    const info = sources.get(route.scope.id);
    if (info === undefined) throw notFound(`No source with id ${JSON.stringify(route.scope.id)} (in ${path}); /sources.opml lists the sources`, path);
    pathPrefix = `/sources/${encodeURIComponent(info.id)}`;
    sourceIds = [info.id];
    labels.push(info.name);
  } else if (route.scope.kind === 'tag') {
    pathPrefix = `/tags/${encodeURIComponent(route.scope.keyword)}`;
    keywords.add(route.scope.keyword);
    labels.push(`#${route.scope.keyword}`);
  }

  const given = sourceParam(search, sources, path);
  if (given !== null) {
    sourceIds = sourceIds === null ? given : sourceIds.filter((id) => given.includes(id));
    if (route.scope.kind !== 'source') labels.push(given.map((id) => sources.get(id)!.name).join(', '));
  }
  const keywordParams: string[] = [];
  for (const raw of search.getAll('keyword')) {
    const k = checkKeyword(raw, 'Query parameter keyword', path);
    if (!keywordParams.includes(k)) keywordParams.push(k);
  }
  if (keywordParams.length > MAX_KEYWORDS) throw badRequest(`Query parameter keyword is given ${keywordParams.length} times in ${path}; at most ${MAX_KEYWORDS}`, path);
  keywordParams.sort();
  for (const k of keywordParams) {
    if (!keywords.has(k)) labels.push(`#${k}`);
    keywords.add(k);
  }
  const text = queryParam(search, path);
  if (text !== null) labels.push(`“${text}”`);
  const limitGiven = limitParam(search, output.maxItems, path);
  const before = beforeParam(search, path);

  // The normalized query, in a fixed order, is the self link and the cache identity.
  const parts: string[] = [];
  if (given !== null) parts.push(`source=${given.map(encodeURIComponent).join(',')}`);
  for (const k of keywordParams) parts.push(`keyword=${encodeURIComponent(k)}`);
  if (text !== null) parts.push(`q=${encodeURIComponent(text)}`);
  if (lang !== null) parts.push(`lang=${encodeURIComponent(lang)}`);
  if (limitGiven !== null) parts.push(`limit=${limitGiven}`);
  const queryOf = (cursor: ArticleCursor | null): string => {
    const all = cursor === null ? parts : [...parts, `before=${formatCursorParam(cursor)}`];
    return all.length === 0 ? '' : `?${all.join('&')}`;
  };
  const query = queryOf(before);
  const title = labels.length === 0 ? output.title : `${output.title} · ${labels.join(' · ')}`;
  const description = labels.length === 0 ? output.description : `${output.description === '' ? '' : `${output.description} — `}only items matching: ${labels.join(', ')}`;
  return {
    key: `${pathPrefix}${query}`,
    lang,
    pathPrefix,
    title,
    description,
    sourceIds,
    keywords: [...keywords].sort(),
    text,
    limit: limitGiven ?? output.maxItems,
    before,
    query,
    pageQuery: (cursor) => queryOf(cursor),
    currentQuery: queryOf(null),
  };
}

const KNOWN = new Set(['source', 'keyword', 'lang', 'q', 'limit', 'before']);

function checkRawParams(rawSearch: string, path: string): void {
  for (const pair of rawSearch.replace(/^\?/, '').split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (!KNOWN.has(name)) continue;
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw badRequest(`Query parameter ${name} in ${path} has malformed percent-encoding (not %XX bytes of UTF-8): ${JSON.stringify(pair.slice(0, 80))}`, path);
    }
    const bad = controlCharacter(value);
    if (bad !== null) throw badRequest(`Query parameter ${name} in ${path} contains the control character ${bad}; remove it`, path);
  }
}

// No parameter or path segment is meant to hold one: a NUL cut FTS5 query strings short (500),
// and ids, keywords and dates never contain them. C1 and lone surrogates count too (U+FFFD-free
// decoding cannot make a surrogate, but a check that does not depend on that is cheaper to trust).
const CONTROL = /[\p{Cc}\p{Cs}]/u;

/** The first control character or lone surrogate of `text` as `U+XXXX`, or null. */
function controlCharacter(text: string): string | null {
  const m = CONTROL.exec(text);
  return m === null ? null : `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function sourceParam(search: URLSearchParams, sources: ReadonlyMap<string, SourceInfo>, path: string): string[] | null {
  const values = search.getAll('source');
  if (values.length === 0) return null;
  const ids = new Set<string>();
  for (const v of values) {
    for (const part of v.split(',')) {
      const id = part.trim();
      if (id !== '') ids.add(id);
    }
  }
  if (ids.size === 0) throw badRequest(`Query parameter source is empty in ${path}; give one or more source ids (source=a,b or source=a&source=b)`, path);
  const unknown = [...ids].filter((id) => !sources.has(id));
  if (unknown.length > 0) {
    const named = unknown.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 64))).join(', ');
    throw notFound(`No source with id ${named} (query parameter source in ${path}); /sources.opml lists the sources`, path);
  }
  return [...ids].sort();
}

function queryParam(search: URLSearchParams, path: string): string | null {
  const value = single(search, 'q', path);
  if (value === null) return null;
  const q = value.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  if (q === '') throw badRequest(`Query parameter q is empty in ${path}; give words to search for, or leave q out`, path);
  const length = [...q].length;
  if (length > MAX_QUERY_CHARS) throw badRequest(`Query parameter q is ${length} characters long in ${path}; at most ${MAX_QUERY_CHARS}`, path);
  if (searchTerms(q).length === 0) throw badRequest(`Query parameter q ${JSON.stringify(q.slice(0, 40))} in ${path} has no letter or digit to search for`, path);
  return q;
}

function limitParam(search: URLSearchParams, max: number, path: string): number | null {
  const value = single(search, 'limit', path);
  if (value === null) return null;
  const v = value.trim();
  const allowed = `give a whole number from 1; values above ${max} are lowered to ${max}`;
  if (!/^\d+$/.test(v)) throw badRequest(`Query parameter limit ${JSON.stringify(v.slice(0, 40))} in ${path} is not a whole number; ${allowed}`, path);
  const n = Number(v);
  if (n < 1) throw badRequest(`Query parameter limit is ${v} in ${path}; ${allowed}`, path);
  // Above the cap is not an error: a reader asking for "all" gets the most the server gives.
  return Math.min(n, max);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function beforeParam(search: URLSearchParams, path: string): ArticleCursor | null {
  const value = single(search, 'before', path);
  if (value === null) return null;
  const v = value.trim();
  const tilde = v.indexOf('~');
  // An unencoded `+` of a zone offset arrives as a space (form encoding); put it back.
  const date = (tilde === -1 ? v : v.slice(0, tilde)).replace(/ (\d{2}:\d{2})$/, '+$1');
  const id = tilde === -1 ? null : v.slice(tilde + 1);
  const reason = `give an RFC 3339 date-time such as 2026-08-23T10:00:00Z, or the value of a next link`;
  const m = RFC3339.exec(date);
  const ms = m === null ? Number.NaN : Date.parse(date.toUpperCase().replace(' ', 'T'));
  if (m === null || Number.isNaN(ms) || !validFields(m)) throw badRequest(`Query parameter before ${JSON.stringify(v.slice(0, 60))} in ${path} is not a date-time; ${reason}`, path);
  if (id !== null && !/^[A-Za-z0-9._-]{1,128}$/.test(id)) throw badRequest(`Query parameter before ${JSON.stringify(v.slice(0, 60))} in ${path} has a malformed item id after "~"; ${reason}`, path);
  return { sortAt: new Date(ms).toISOString(), id };
}

// Date.parse rolls impossible fields over (Feb 30 → Mar 2) in some engines; refuse them instead.
function validFields(m: RegExpExecArray): boolean {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  return mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= daysInMonth && h! <= 23 && mi! <= 59 && s! <= 60;
}

function single(search: URLSearchParams, name: string, path: string): string | null {
  const values = search.getAll(name);
  if (values.length === 0) return null;
  if (values.length > 1) throw badRequest(`Query parameter ${name} is given ${values.length} times in ${path}; give it once`, path);
  return values[0]!;
}

function checkKeyword(raw: string, what: string, path: string): string {
  const k = foldKeyword(raw);
  if (k === '') throw badRequest(`${what} is empty in ${path}; give a keyword`, path);
  const length = [...k].length;
  if (length > MAX_KEYWORD_CHARS) throw badRequest(`${what} is ${length} characters long in ${path}; at most ${MAX_KEYWORD_CHARS}`, path);
  return k;
}

function decodeSegment(segment: string, path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw badRequest(`Malformed percent-encoding in the path ${path.slice(0, 200)}: ${JSON.stringify(segment.slice(0, 60))} is not percent-encoded UTF-8`, path);
  }
  const bad = controlCharacter(decoded);
  if (bad !== null) throw badRequest(`The path ${path.slice(0, 200)} contains the control character ${bad} in ${JSON.stringify(segment.slice(0, 60))}; remove it`, path);
  return decoded;
}

function badRequest(message: string, path: string): DuofeedError {
  return new DuofeedError('SERVER_BAD_REQUEST', message, { stage: 'server', url: path });
}

function notFound(message: string, path: string): DuofeedError {
  return new DuofeedError('SERVER_NOT_FOUND', message, { stage: 'server', url: path });
}
