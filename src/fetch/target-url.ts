import net from 'node:net';
import { DuofeedError } from '../errors.js';
import { privateRangeOf } from './address-guard.js';

/**
 * Parses a URL to fetch and insists on http(s). WHATWG URL parsing also normalizes IPv4
 * literals written in decimal, octal or hex (`http://2130706433/`, `http://0177.0.0.1/`,
 * `http://0x7f.1/` all become `127.0.0.1`), so the address guard always sees canonical text.
 * @param url the URL text (absolute)
 * @param requestedUrl the URL the caller asked for (error context; differs for redirect targets)
 * @returns the parsed URL
 * @throws DuofeedError FETCH_BAD_URL when unparsable, relative, or not http/https
 */
export function parseTargetUrl(url: string, requestedUrl: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new DuofeedError('FETCH_BAD_URL', `${url}: not an absolute URL`, { stage: 'fetch', url: requestedUrl, cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DuofeedError('FETCH_BAD_URL', `${url}: scheme ${parsed.protocol} is not http or https`, {
      stage: 'fetch',
      url: requestedUrl,
    });
  }
  return parsed;
}

/**
 * Refuses a URL whose host is a literal IP address in a non-public range. Node connects to
 * literal IPs without calling `lookup`, so the guarded lookup never sees them: this check runs
 * before every connection instead. Host names are left to the guarded lookup.
 * @param url parsed target (after WHATWG normalization)
 * @param requestedUrl the URL the caller asked for (error context)
 * @param allowPrivateNetworks `http.allowPrivateNetworks`; when true nothing is refused
 * @throws DuofeedError FETCH_PRIVATE_ADDRESS naming the URL and the address
 */
export function assertPublicLiteralHost(url: URL, requestedUrl: string, allowPrivateNetworks: boolean): void {
  if (allowPrivateNetworks) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) === 0) return;
  const range = privateRangeOf(host);
  if (range !== null) {
    throw new DuofeedError(
      'FETCH_PRIVATE_ADDRESS',
      `${url.href}: refused to connect to ${host} (${range} address; set http.allowPrivateNetworks to allow)`,
      { stage: 'fetch', url: requestedUrl, details: { address: host, range } },
    );
  }
}
