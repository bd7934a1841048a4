import type { IncomingMessage, ServerResponse } from 'node:http';
import { DuofeedError, toDuofeedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { trimBase } from '../publish/feed-meta.js';
import type { SourceInfo } from '../publish/source-info.js';
import type { Store } from '../store/store.js';
import type { AppConfig, Clock } from '../types.js';
import { negotiateEncoding } from './compress.js';
import { etagForEncoding, isNotModified } from './conditional.js';
import { FeedCache, type FeedCacheOptions, type FeedCacheStats, type FeedFormat, type FeedView } from './feed-cache.js';
import { isJsonFeedPath, matchFeedRoute, parseFeedRequest, type FeedRoute } from './feed-query.js';
import { buildHealthReport, type HealthReport } from './health.js';
import { FEED_STYLESHEET_CONTENT_TYPE, FEED_STYLESHEET_ETAG, FEED_STYLESHEET_PATH, FEED_STYLESHEET_XSL, feedContentTypeFor, feedStylesheetHref } from './feed-stylesheet.js';
import { INDEX_PAGE_CSP, INDEX_PAGE_ITEMS, renderIndexPage } from './index-page.js';
import { renderOpml } from './opml.js';
import { sendBody, sendError, sendJson } from './respond.js';

/** What the request handler needs. */
export interface HandlerDeps {
  store: Store;
  config: AppConfig;
  /** Attribution per source id (see publish/source-info `buildSourceInfos`). */
  sources: ReadonlyMap<string, SourceInfo>;
  logger: Logger;
  clock: Clock;
  /** Health report source; default: {@link buildHealthReport} over the store and config sources. */
  health?: () => Promise<HealthReport> | HealthReport;
  /** Feed cache tuning (rebuild interval); default: {@link FeedCache} defaults. */
  feedCache?: FeedCacheOptions;
  /** Served at `GET /metrics` (Prometheus text format, see metrics/prometheus-metrics); absent: 404. */
  metrics?: { contentType: string; render(): Promise<string> };
}

/** What the handler did, for tests and benchmarks. */
export interface HandlerStats extends FeedCacheStats {
  /** Feed requests dropped without an answer because the client had gone away. */
  abandoned: number;
}

/** A Node request listener plus the cache hook the pipeline calls after a poll. */
export interface RequestHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Drops the cached feeds; the next feed request rebuilds them from the store. */
  invalidate(): void;
  /** Counters since the handler was made. */
  stats(): HandlerStats;
}

/** Paths answered besides the feeds (`/metrics` only when the handler has metrics). */
export const PAGE_PATHS: ReadonlySet<string> = new Set(['/', '/healthz', '/sources.opml', '/metrics', FEED_STYLESHEET_PATH]);

// JSON Feed is read by browser apps from other origins (the feeds are public): every answer on a
// JSON feed path carries these, errors and 304 included, or the app cannot read why it failed.
// ETag is not a CORS-safelisted response header, so it must be exposed for apps to revalidate.
const JSON_CORS: Record<string, string> = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'ETag, Last-Modified' };
// The preflight an app's `If-None-Match` / `If-Modified-Since` (not CORS-safelisted) triggers.
const JSON_PREFLIGHT: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
  'Access-Control-Max-Age': '86400',
};

/**
 * Builds the HTTP request handler (testable without listen: call it with any req/res pair).
 *
 * Request targets are origin-form (RFC 9112 §3.2.1), split by hand: `//host/feed.xml` is a
 * path that matches nothing (404), never another host or path.
 * Routes (GET and HEAD; other methods 405 with `Allow`): `/feed.xml` RSS 2.0, `/atom.xml` Atom 1.0,
 * `/feed.json` JSON Feed 1.1, `/healthz` JSON health report, `/` HTML index (latest items, source
 * health, subscribe links; CSP without scripts), `/feed.xsl` the XSLT stylesheet RSS and Atom
 * announce (href from {@link feedStylesheetHref}; `feedCache.stylesheet: null` turns it off), with
 * which a browser shows them as a page (browsers get them as `application/xml`, see
 * {@link feedContentTypeFor}; `Vary: Accept-Encoding, Accept`). `/metrics` Prometheus
 * text format (with `deps.metrics`). Unknown paths: 404
 * `{error:{code:"SERVER_NOT_FOUND"}}`. Feed responses carry a strong ETag (sha256 of the body,
 * suffixed per content coding), Last-Modified (when the document last changed, see
 * {@link FeedCache}; never after now), `Cache-Control: public,
 * max-age=<output.cacheMaxAgeSeconds>`, `Vary: Accept-Encoding`, answer conditional requests with
 * 304 (RFC 9110 §13) and are compressed with br/gzip by Accept-Encoding. Feeds are cached as
 * described in {@link FeedCache}. Self links use `output.baseUrl`, else `http://<Host>`.
 * Each feed path also serves per-language views, `?lang=<one of output.languages>` (one language
 * per item, see publish `prepareItems`), cached and validated (ETag, 304) per view; any other
 * `lang` value answers 400 `{error:{code:"SERVER_BAD_REQUEST"}}` naming the allowed values.
 * Feeds of one source (`/sources/{id}/feed.xml` …) and of one keyword (`/tags/{keyword}/…`), and
 * the filters `source`, `keyword`, `q`, `limit` and paging by `before` on every feed path, are
 * read by server/feed-query.ts: a bad value answers 400 SERVER_BAD_REQUEST, an unknown source id
 * 404 SERVER_NOT_FOUND (both naming the parameter or id); each variant is cached and validated.
 * Every answer on a JSON feed path (errors and 304 included) carries `Access-Control-Allow-Origin:
 * *` and exposes ETag and Last-Modified; `OPTIONS` there is a CORS preflight answered 204 (other
 * paths: 405). A control character in a parameter or path segment answers 400 (feed-query.ts).
 * `_duofeed.translation` reports against `config.translation.provider`.
 * A feed request whose client has gone away (closed or reset the connection) is dropped at the
 * next step without building or compressing anything for it.
 * A failure inside a request is logged under `err` (code INTERNAL unless a DuofeedError) and
 * answered 500 `{error:{code:"INTERNAL"}}`.
 * @param deps store, config, attribution, logger, clock, optional health source and feed-cache tuning
 * @returns the listener, with `invalidate()` and `stats()`
 */
export function createRequestHandler(deps: HandlerDeps): RequestHandler {
  const log = deps.logger.child({ stage: 'server' });
  const stylesheet = deps.feedCache?.stylesheet !== undefined ? deps.feedCache.stylesheet : feedStylesheetHref(deps.config.output.baseUrl);
  const cache = new FeedCache(deps.store, deps.config.output, deps.sources, deps.clock, deps.config.translation, { ...deps.feedCache, stylesheet });
  let abandoned = 0;
  const health = deps.health ?? (() => buildHealthReport(deps.store, deps.config.sources));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = requestTarget(req.url);
    const path = target?.pathname ?? null;
    const head = req.method === 'HEAD';
    const cors = path !== null && isJsonFeedPath(path) ? JSON_CORS : {};
    if (path !== null && isJsonFeedPath(path) && req.method === 'OPTIONS') {
      res.writeHead(204, { ...JSON_PREFLIGHT, Allow: 'GET, HEAD, OPTIONS' });
      res.end();
      return;
    }
    let feed: FeedRoute | null = null;
    try {
      feed = path === null ? null : matchFeedRoute(path);
    } catch (err) {
      if (!sendRequestError(res, err, head, cors)) throw err;
      return;
    }
    const metricsRoute = path === '/metrics' && deps.metrics !== undefined;
    if (path === null || (feed === null && (!PAGE_PATHS.has(path) || (path === '/metrics' && !metricsRoute)))) {
      sendError(res, 404, 'SERVER_NOT_FOUND', `No such path: ${req.url ?? ''}`, head, cors);
      return;
    }
    if (req.method !== 'GET' && !head) {
      sendError(res, 405, 'SERVER_METHOD_NOT_ALLOWED', `Method ${req.method ?? ''} is not allowed on ${path}; use GET or HEAD`, false, {
        ...cors,
        Allow: feed?.format === 'json' ? 'GET, HEAD, OPTIONS' : 'GET, HEAD',
      });
      return;
    }
    const base = selfBaseUrl(deps.config.output.baseUrl, req.headers.host);
    if (feed !== null) {
      let view: FeedView;
      try {
        view = parseFeedRequest(feed, target!, { output: deps.config.output, sources: deps.sources }, path);
      } catch (err) {
        if (!sendRequestError(res, err, head, cors)) throw err;
        return;
      }
      await serveFeed(req, res, base, view, feed.format, feed.contentType, head);
    } else if (metricsRoute) {
      const text = await deps.metrics!.render();
      sendBody(res, 200, { 'Content-Type': deps.metrics!.contentType, 'Cache-Control': 'no-store' }, Buffer.from(text, 'utf8'), head);
    } else if (path === '/healthz') {
      sendJson(res, 200, await health(), head);
    } else if (path === '/sources.opml') {
      const opml = renderOpml(deps.config.output.title, [...deps.sources.values()]);
      sendBody(res, 200, { 'Content-Type': 'text/x-opml; charset=utf-8', 'Cache-Control': 'no-cache' }, Buffer.from(opml, 'utf8'), head);
    } else if (path === FEED_STYLESHEET_PATH) {
      const headers = { ETag: FEED_STYLESHEET_ETAG, 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' };
      if (isNotModified({ ifNoneMatch: header(req, 'if-none-match'), ifModifiedSince: undefined }, FEED_STYLESHEET_ETAG, null)) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      sendBody(res, 200, { ...headers, 'Content-Type': FEED_STYLESHEET_CONTENT_TYPE }, Buffer.from(FEED_STYLESHEET_XSL, 'utf8'), head);
    } else {
      const [articles, report] = await Promise.all([deps.store.listArticles({ limit: INDEX_PAGE_ITEMS }), health()]);
      const html = renderIndexPage({ output: deps.config.output, selfBaseUrl: base, sources: deps.sources, articles, health: report.sources, generatedAt: deps.clock.now().toISOString() });
      const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Security-Policy': INDEX_PAGE_CSP, 'X-Content-Type-Options': 'nosniff' };
      sendBody(res, 200, headers, Buffer.from(html, 'utf8'), head);
    }
  }

  // A client that timed out or hung up must not cost a build or a compression: under load those
  // are exactly the requests that queued longest, and serving them only delays the live ones.
  function clientGone(req: IncomingMessage, res: ServerResponse): boolean {
    if (!req.socket.destroyed && !res.destroyed) return false;
    abandoned++;
    return true;
  }

  async function serveFeed(req: IncomingMessage, res: ServerResponse, base: string, view: FeedView, format: FeedFormat, contentType: string, head: boolean): Promise<void> {
    if (clientGone(req, res)) return;
    const doc = await cache.getView(base, view, format, () => !req.socket.destroyed && !res.destroyed);
    if (doc === null || clientGone(req, res)) {
      if (doc === null) abandoned++;
      return;
    }
    const encoding = negotiateEncoding(header(req, 'accept-encoding'));
    const headers: Record<string, string> = {
      ...(format === 'json' ? JSON_CORS : {}),
      ETag: etagForEncoding(doc.etag, encoding),
      'Cache-Control': `public, max-age=${deps.config.output.cacheMaxAgeSeconds}`,
      Vary: format === 'json' || stylesheet === null ? 'Accept-Encoding' : 'Accept-Encoding, Accept',
    };
    // When the document last changed (FeedCache); RFC 9110 §8.8.2.1: never later than the response's Date.
    const lastModified = doc.lastModified === null ? null : new Date(Math.min(Date.parse(doc.lastModified), deps.clock.now().getTime())).toISOString();
    if (lastModified !== null) headers['Last-Modified'] = new Date(Date.parse(lastModified)).toUTCString();
    const conditional = { ifNoneMatch: header(req, 'if-none-match'), ifModifiedSince: header(req, 'if-modified-since') };
    if (isNotModified(conditional, doc.etag, lastModified)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    // Browsers get the XML as application/xml so they apply the stylesheet (see feedContentTypeFor).
    headers['Content-Type'] = format === 'json' || stylesheet === null ? contentType : feedContentTypeFor(header(req, 'accept'), contentType);
    headers['X-Content-Type-Options'] = 'nosniff';
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    // HEAD sends no body: its Content-Length still needs the encoded size.
    const body = await doc.encoded(encoding);
    if (clientGone(req, res)) return;
    sendBody(res, 200, headers, body, head);
  }

  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((cause: unknown) => {
      const err = toDuofeedError(cause, { stage: 'server', url: req.url ?? null });
      log.error({ err, method: req.method, path: req.url }, `request ${req.method ?? ''} ${req.url ?? ''} failed: ${err.message}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const path = requestTarget(req.url)?.pathname;
      sendError(res, 500, 'INTERNAL', 'Internal error; the server log has the details', req.method === 'HEAD', path !== undefined && isJsonFeedPath(path) ? JSON_CORS : {});
    });
  }) as RequestHandler;
  handler.invalidate = () => cache.invalidate();
  handler.stats = () => ({ ...cache.stats(), abandoned });
  return handler;
}

/** A request target in origin-form: the path as sent (still percent-encoded) and its query. */
interface RequestTarget {
  pathname: string;
  /** `''` or `?…`, as sent. */
  search: string;
  searchParams: URLSearchParams;
}

// RFC 9112 §3.2.1: the target of a request to an origin server is origin-form, absolute-path
// ["?" query]. Split by hand: `new URL(target, base)` reads `//evil.example/feed.xml` as an
// authority and path `/feed.xml` (served that feed), `//feed.xml` as host "feed.xml" and path `/`
// (served the page). Here `//…` stays a path, which matches no route: 404. It also no longer
// resolves dot segments or backslashes, so a path is served only under its one spelling.
// null for a target that is not a path (`*`, or absolute-form to another host).
function requestTarget(target: string | undefined): RequestTarget | null {
  if (target === undefined || !target.startsWith('/')) return null;
  // A fragment is never part of a request target; drop one a careless client sent, as before.
  const hash = target.indexOf('#');
  const noFragment = hash === -1 ? target : target.slice(0, hash);
  const q = noFragment.indexOf('?');
  const pathname = q === -1 ? noFragment : noFragment.slice(0, q);
  const search = q === -1 || q === noFragment.length - 1 ? '' : noFragment.slice(q);
  return { pathname, search, searchParams: new URLSearchParams(search) };
}

// A feed request's own mistakes: 400 for a bad parameter, 404 for an unknown id. false = not one.
function sendRequestError(res: ServerResponse, err: unknown, head: boolean, extra: Record<string, string>): boolean {
  if (!(err instanceof DuofeedError)) return false;
  if (err.code === 'SERVER_BAD_REQUEST') sendError(res, 400, err.code, err.message, head, extra);
  else if (err.code === 'SERVER_NOT_FOUND') sendError(res, 404, err.code, err.message, head, extra);
  else return false;
  return true;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

// The Host header is client input: accept only a plain host[:port] so it cannot inject markup
// or paths into self links; anything else falls back to localhost.
function selfBaseUrl(configured: string | null, host: string | undefined): string {
  if (configured !== null && configured !== '') return trimBase(configured);
  const safe = host !== undefined && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : 'localhost';
  return `http://${safe}`;
}
