/** A parsed `Content-Type` header (RFC 9110 §8.3). */
export interface ContentType {
  /** Media type without parameters, lower case (`application/rss+xml`); null when absent or unreadable. */
  mediaType: string | null;
  /** The raw `charset` parameter value (unquoted, as sent); null when absent. */
  charset: string | null;
}

/**
 * Parses a Content-Type header value leniently: tolerates spaces around `=`, single or double
 * quotes around the charset (both seen in the wild, see feedparser's `http_*_charset` cases),
 * and ignores malformed parameters such as `charset:iso-8859-1`.
 * @param header the header value, or null when the response had none
 * @returns media type (lower case, no parameters) and the charset label, each null when absent
 */
export function parseContentType(header: string | null): ContentType {
  if (header === null) return { mediaType: null, charset: null };
  const [typePart = '', ...params] = header.split(';');
  const mediaType = typePart.trim().toLowerCase();
  let charset: string | null = null;
  for (const param of params) {
    const m = /^\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/i.exec(param);
    if (m) {
      charset = (m[1] ?? m[2] ?? m[3] ?? '').trim() || null;
      break;
    }
  }
  return { mediaType: /^[\w.+-]+\/[\w.+-]+$/.test(mediaType) ? mediaType : null, charset };
}
