import { FEED_PATHS } from '../publish/feed-meta.js';
import { FEED_STYLESHEET_PATH } from '../server/feed-stylesheet.js';

/** Route label of requests that match no route, and of every 404. */
export const OTHER_ROUTE = 'other';

const FEED_FILES: readonly string[] = Object.values(FEED_PATHS);

/** Fixed paths the server answers, besides the feed files. */
const FIXED_ROUTES: ReadonlySet<string> = new Set(['/', '/healthz', '/sources.opml', '/metrics', FEED_STYLESHEET_PATH, ...FEED_FILES]);

/** Per-source and per-keyword feeds: one path segment, then a feed file. */
const TEMPLATES: ReadonlyArray<{ prefix: string; template: string }> = [
  { prefix: '/sources/', template: '/sources/:id' },
  { prefix: '/tags/', template: '/tags/:keyword' },
];

/**
 * The `route` label of a request: its route template, from a closed set, so that neither a
 * crawler's random paths nor ids, keywords or query strings can grow the number of series.
 * @param target the request target as received (`req.url`, path and query)
 * @param status the status answered; every 404 is `other` (an unknown id under a template too)
 * @returns `/feed.xml`, `/atom.xml`, `/feed.json`, `/`, `/healthz`, `/sources.opml`, `/metrics`, `/feed.xsl`,
 *   `/sources/:id/feed.xml` (and the other feed files), `/tags/:keyword/feed.xml` (…), or `other`
 */
export function routeLabel(target: string | undefined, status: number): string {
  if (status === 404 || target === undefined || !target.startsWith('/')) return OTHER_ROUTE;
  const end = target.search(/[?#]/);
  const path = end === -1 ? target : target.slice(0, end);
  if (FIXED_ROUTES.has(path)) return path;
  for (const { prefix, template } of TEMPLATES) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const file = rest.slice(slash);
    if (FEED_FILES.includes(file)) return `${template}${file}`;
  }
  return OTHER_ROUTE;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The `method` label: the method when it is a common one, else `other` (the method token is
 * client input; RFC 9110 §9.1 lets it be any token).
 * @param method `req.method`
 */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && METHODS.has(method) ? method : 'other';
}
