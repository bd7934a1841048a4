import { performance } from 'node:perf_hooks';
import { Agent, request, type Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import type { Clock, FetchRequest, FetchResult, HttpSettings } from '../types.js';
import { parseContentType } from './content-type.js';
import { decodeBody } from './decode.js';
import { createGuardedLookup, type Resolver } from './guarded-lookup.js';
import { readBody } from './read-body.js';
import { RedirectChain, isRedirectStatus } from './redirects.js';
import { statusError } from './status-error.js';
import { assertPublicLiteralHost, parseTargetUrl } from './target-url.js';
import { transportError } from './transport-error.js';

/** What fetchUrl needs from the outside. */
export interface FetchDeps {
  http: HttpSettings;
  /** Used to turn an HTTP-date Retry-After into a delay. */
  clock?: Clock;
  logger?: Logger;
  /** Aborts the request (e.g. on shutdown); reported as FETCH_NETWORK. */
  signal?: AbortSignal;
  /** DNS resolver for the guarded lookup (tests); default node:dns lookup. */
  resolve?: Resolver;
}

const ACCEPT: Record<FetchRequest['kind'], string> = {
  feed:
    'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
    'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5',
  page: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5',
};

/**
 * Fetches one feed or article page: a polite conditional GET (RFC 9110 §13) with a total time
 * budget, a byte cap, decompression, manual redirects and the private-address guard, then
 * decodes the body to text (see decode.ts).
 *
 * - Sends User-Agent (`http.userAgent`), Accept per `req.kind`, `Accept-Encoding: gzip, deflate, br`,
 *   and If-None-Match / If-Modified-Since from `req.etag` / `req.lastModified`; 304 → `notModified`.
 * - `http.timeoutMs` (ms) bounds the whole exchange, headers AND body, over all redirect hops:
 *   a server that drips bytes still ends in FETCH_TIMEOUT.
 * - The decompressed body is capped at `http.maxFeedBytes` (kind 'feed') or `http.maxPageBytes`
 *   (kind 'page'), counted while streaming; a Content-Length over the cap is refused up front.
 * - Redirects (301/302/303/307/308) are followed by hand, at most `http.maxRedirects`, each hop
 *   re-checked by the address guard; `permanentRedirectTo` is set only when every hop was 301/308.
 * - Unless `http.allowPrivateNetworks`, every address a host resolves to (and every literal IP
 *   host) must be public; the socket connects to the checked address (no DNS rebinding).
 *
 * @param req URL, kind, validators from the last success
 * @param deps settings, clock, logger, abort signal
 * @returns the FetchResult; `text`/`bytes` are null for a 304; `elapsedMs` in ms
 * @throws DuofeedError FETCH_BAD_URL, FETCH_PRIVATE_ADDRESS, FETCH_DNS, FETCH_NETWORK,
 *   FETCH_TIMEOUT, FETCH_TOO_LARGE, FETCH_DECOMPRESS, FETCH_TOO_MANY_REDIRECTS,
 *   FETCH_REDIRECT_LOOP, FETCH_REDIRECT_NO_LOCATION, FETCH_GONE (410), FETCH_RATE_LIMITED
 *   (429/503, `details.retryAfterMs`), FETCH_HTTP_STATUS (other ≥ 400, `details.status`);
 *   each names the URL and carries the subscribed URL as `url`
 */
export async function fetchUrl(req: FetchRequest, deps: FetchDeps): Promise<FetchResult> {
  const { http } = deps;
  const started = performance.now();
  let current = parseTargetUrl(req.url, req.url);

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, http.timeoutMs);
  const onAbort = (): void => controller.abort(deps.signal?.reason);
  if (deps.signal?.aborted) onAbort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });

  const agent = new Agent({
    connect: {
      lookup: createGuardedLookup(
        deps.resolve
          ? { allowPrivateNetworks: http.allowPrivateNetworks, resolve: deps.resolve }
          : { allowPrivateNetworks: http.allowPrivateNetworks },
      ),
      timeout: http.timeoutMs,
    },
    headersTimeout: http.timeoutMs,
    bodyTimeout: http.timeoutMs,
  });

  const headers: Record<string, string> = {
    'user-agent': http.userAgent,
    accept: ACCEPT[req.kind],
    'accept-encoding': 'gzip, deflate, br',
  };
  if (req.etag !== null) headers['if-none-match'] = req.etag;
  if (req.lastModified !== null) headers['if-modified-since'] = req.lastModified;

  const chain = new RedirectChain(req.url, http.maxRedirects);
  const log = deps.logger?.child({ stage: 'fetch', url: req.url });
  try {
    for (;;) {
      assertPublicLiteralHost(current, req.url, http.allowPrivateNetworks);
      const res = await request(current, {
        dispatcher: agent,
        method: 'GET',
        headers,
        signal: controller.signal,
      });
      const status = res.statusCode;

      if (isRedirectStatus(status)) {
        await discard(res);
        current = new URL(chain.follow(status, header(res, 'location')));
        continue;
      }
      const base = {
        requestedUrl: req.url,
        url: current.href,
        status,
        permanentRedirectTo: chain.permanentTarget,
        etag: header(res, 'etag') ?? null,
        lastModified: header(res, 'last-modified') ?? null,
      };
      if (status === 304) {
        await discard(res);
        return {
          ...base,
          notModified: true,
          etag: base.etag ?? req.etag,
          lastModified: base.lastModified ?? req.lastModified,
          contentType: null,
          bytes: null,
          text: null,
          encoding: null,
          elapsedMs: Math.round(performance.now() - started),
        };
      }
      if (status < 200 || status >= 300) {
        await discard(res);
        throw statusError(status, header(res, 'retry-after'), current.href, req.url, deps.clock?.now() ?? null);
      }

      const lengthHeader = header(res, 'content-length');
      const announced = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
      const maxBytes = req.kind === 'feed' ? http.maxFeedBytes : http.maxPageBytes;
      const body = await readBody(res.body, header(res, 'content-encoding'), announced, {
        maxBytes,
        kind: req.kind,
        url: current.href,
        requestedUrl: req.url,
      });
      const contentTypeHeader = header(res, 'content-type');
      const decoded = decodeBody(body.bytes, contentTypeHeader, req.kind);
      for (const w of [...body.warnings, ...decoded.warnings]) log?.warn({ url: current.href }, `${current.href}: ${w}`);
      return {
        ...base,
        notModified: false,
        contentType: parseContentType(contentTypeHeader).mediaType,
        bytes: body.bytes,
        text: decoded.text,
        encoding: decoded.encoding,
        elapsedMs: Math.round(performance.now() - started),
      };
    }
  } catch (err) {
    throw transportError(err, { url: current.href, requestedUrl: req.url, timedOut, timeoutMs: http.timeoutMs });
  } finally {
    clearTimeout(timer);
    deps.signal?.removeEventListener('abort', onAbort);
    await agent.destroy().catch(() => undefined);
  }
}

/** One header value; repeated headers are joined as RFC 9110 §5.3 allows. */
function header(res: Dispatcher.ResponseData, name: string): string | null {
  const v = res.headers[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Drops a body we do not read, so the connection is freed; failures here do not matter. */
async function discard(res: Dispatcher.ResponseData): Promise<void> {
  await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}
