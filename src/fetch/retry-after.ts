/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, also the obsolete RFC 850 / asctime forms Date.parse reads).
 * @param value the header value, or null when absent
 * @param now the current time from the stage's Clock; null when no clock was given (then an
 *   HTTP-date cannot be turned into a delay and null is returned)
 * @returns the delay in milliseconds (never negative: a date in the past gives 0), or null when
 *   the header is absent or unreadable
 */
export function parseRetryAfter(value: string | null, now: Date | null): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : null;
  }
  // Only date-looking values: Date.parse would otherwise accept things like "1.5".
  if (!/[A-Za-z]{3}/.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at) || now === null) return null;
  return Math.max(0, at - now.getTime());
}
