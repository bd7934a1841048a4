/**
 * Canonical form of an item link, used as an identity key when guids cannot be trusted (case 19)
 * and to match the same article reached through differently tagged links.
 */

/** Query parameters that only track the click and never select content. */
const TRACKING_EXACT = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref_src',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
]);

/** True when a query parameter name (already percent-decoded) is a tracking parameter. */
export function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || TRACKING_EXACT.has(n);
}

/**
 * Canonicalizes an absolute URL (WHATWG URL): drops the fragment, removes tracking query
 * parameters (`utm_*`, `fbclid`, `gclid`, `mc_cid`, `mc_eid`, `ref_src`, …), lower-cases scheme
 * and host (and drops a default port, as the URL parser does), and keeps every other parameter
 * byte for byte and in order — servers may care about order and encoding.
 *
 * @param url absolute URL
 * @returns the canonical URL, or null when `url` is not a parseable absolute URL
 */
export function canonicalizeUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  u.hash = '';
  const search = u.search.startsWith('?') ? u.search.slice(1) : u.search;
  if (search !== '') {
    const kept = search.split('&').filter((pair) => {
      if (pair === '') return false;
      const rawName = pair.split('=', 1)[0] ?? '';
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Malformed percent-encoding: judge the raw name.
      }
      return !isTrackingParam(name);
    });
    u.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  }
  return u.href;
}

/**
 * Resolves a possibly relative reference against a base URL.
 * @param ref URL reference as found in the feed (whitespace around it is ignored)
 * @param base absolute base URL, or null
 * @returns the absolute URL (WHATWG serialization), or null when it cannot be made absolute
 */
export function resolveUrl(ref: string | null | undefined, base: string | null | undefined): string | null {
  if (ref === null || ref === undefined) return null;
  const r = ref.trim();
  if (r === '') return null;
  try {
    return base ? new URL(r, base).href : new URL(r).href;
  } catch {
    return null;
  }
}
