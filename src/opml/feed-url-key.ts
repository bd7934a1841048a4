import { canonicalizeUrl } from '../parse/canonical-url.js';

/**
 * The key under which two feed URLs count as the same subscription: the canonical URL
 * (src/parse/canonical-url.ts: WHATWG parsing lower-cases scheme and host and drops a default
 * port; the fragment and tracking parameters go) without trailing slashes on the path, because
 * readers export `https://a.example/feed` and `https://a.example/feed/` for the same feed.
 * The scheme still counts: `http:` and `https:` may be different servers.
 * @param url a feed URL as written in the config or the OPML file
 * @returns the comparison key; a value that is not an absolute URL is compared as trimmed text
 */
export function feedUrlKey(url: string): string {
  const canonical = canonicalizeUrl(url);
  if (canonical === null) return url.trim();
  const u = new URL(canonical);
  const auth = u.username || u.password ? `${u.username}:${u.password}@` : '';
  return `${u.protocol}//${auth}${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`;
}
