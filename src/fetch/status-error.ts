import { STATUS_CODES } from 'node:http';
import { DuofeedError } from '../errors.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * Turns a final response status that is not success, not 304 and not a followed redirect
 * into the error the pipeline acts on (RFC 9110 §15; RFC 6585 §4 for 429).
 * @param status HTTP status
 * @param retryAfter the Retry-After header value, or null
 * @param finalUrl URL that answered (named in the message)
 * @param requestedUrl the subscribed URL (error context; named too when it differs)
 * @param now current time from the Clock, or null (then an HTTP-date Retry-After gives null)
 * @returns FETCH_GONE for 410; FETCH_RATE_LIMITED for 429 and 503 with
 *   `details.retryAfterMs` (ms or null); FETCH_HTTP_STATUS otherwise; all with `details.status`
 */
export function statusError(
  status: number,
  retryAfter: string | null,
  finalUrl: string,
  requestedUrl: string,
  now: Date | null,
): DuofeedError {
  const where = finalUrl === requestedUrl ? finalUrl : `${finalUrl} (redirected from ${requestedUrl})`;
  const ctx = { stage: 'fetch' as const, url: requestedUrl };
  const reason = STATUS_CODES[status] ?? 'Unknown';
  if (status === 410) {
    return new DuofeedError('FETCH_GONE', `${where}: HTTP 410 Gone, the resource was removed for good`, {
      ...ctx,
      details: { status, finalUrl },
    });
  }
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    const wait = retryAfterMs === null ? 'no usable Retry-After' : `retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    return new DuofeedError('FETCH_RATE_LIMITED', `${where}: HTTP ${status} ${reason}, ${wait}`, {
      ...ctx,
      details: { status, retryAfterMs, retryAfter, finalUrl },
    });
  }
  return new DuofeedError('FETCH_HTTP_STATUS', `${where}: HTTP ${status} ${reason}`, {
    ...ctx,
    details: { status, finalUrl },
  });
}
