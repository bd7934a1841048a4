/**
 * Conditional GET evaluation for feed responses (RFC 9110 §13.1.2, §13.1.3, §13.2.2).
 *
 * The entity tags the server sends are `"<hash>"` for the identity body and `"<hash>-gzip"` /
 * `"<hash>-br"` for compressed bodies (a strong tag must differ per content coding); a client that
 * cached any coding of the same content gets a 304.
 */

/** Request validators, as the raw header values (undefined when absent). */
export interface ConditionalHeaders {
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
}

/**
 * Decides whether a GET/HEAD can be answered 304 Not Modified.
 * If-None-Match is evaluated first and, when present, If-Modified-Since is ignored (§13.2.2).
 * If-None-Match: `*` matches; otherwise any listed tag matching by weak comparison (§8.8.3.2:
 * `W/` ignored on both sides) matches. If-Modified-Since: not modified when the Last-Modified
 * time, truncated to whole seconds like the header, is not after the given HTTP-date;
 * an unparseable date is ignored.
 * @param headers request validators
 * @param etag the identity body's strong tag, quoted (`"abc…"`)
 * @param lastModified when the representation last changed (UTC ISO, see server/feed-cache.ts
 *   `CachedDocument.lastModified`), or null when unknown
 * @returns true for 304
 */
export function isNotModified(headers: ConditionalHeaders, etag: string, lastModified: string | null): boolean {
  if (headers.ifNoneMatch !== undefined) return etagListMatches(headers.ifNoneMatch, etag);
  if (headers.ifModifiedSince === undefined || lastModified === null) return false;
  const since = Date.parse(headers.ifModifiedSince);
  if (Number.isNaN(since)) return false;
  const modifiedSeconds = Math.floor(Date.parse(lastModified) / 1000) * 1000;
  return modifiedSeconds <= since;
}

/**
 * Weak comparison of an If-None-Match field value against our tag (any content coding of it).
 * @param field header value: `*` or a comma-separated list of entity tags
 * @param etag our strong tag, quoted
 */
export function etagListMatches(field: string, etag: string): boolean {
  if (field.trim() === '*') return true;
  const ours = opaque(etag);
  for (const match of field.matchAll(/(?:W\/)?"([^"]*)"/g)) {
    const theirs = (match[1] ?? '').replace(/-(gzip|br)$/, '');
    if (theirs === ours) return true;
  }
  return false;
}

/**
 * The tag of a compressed representation: `"<hash>-gzip"`, `"<hash>-br"`.
 * @param etag identity tag, quoted
 * @param encoding content coding; `identity` returns the tag unchanged
 */
export function etagForEncoding(etag: string, encoding: 'identity' | 'gzip' | 'br'): string {
  return encoding === 'identity' ? etag : `"${opaque(etag)}-${encoding}"`;
}

function opaque(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}
