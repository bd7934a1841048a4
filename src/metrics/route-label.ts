import { feedRouteTemplate } from '../server/feed-query.js';
import { PAGE_PATHS } from '../server/handler.js';

/** Route label of requests that match no route, and of every 404. */
export const OTHER_ROUTE = 'other';

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
  if (PAGE_PATHS.has(path)) return path;
  return feedRouteTemplate(path) ?? OTHER_ROUTE;
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
