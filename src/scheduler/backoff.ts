/** Longest wait after failures (ms): 24 h. */
export const MAX_BACKOFF_MS = 24 * 3600_000;
/** First retry delay after one failure (ms). */
export const BASE_BACKOFF_MS = 60_000;

/**
 * When to poll a source again after `errorCount` consecutive failures: exponential backoff
 * (1 min × 2^(n-1)) with "full jitter" over the upper half, capped at 24 h; a server's
 * Retry-After wins when it asks for longer.
 * @param errorCount consecutive failures, ≥ 1
 * @param now current time
 * @param retryAfterMs delay the server asked for (ms), or null
 * @param random source of [0,1) numbers (Math.random in production, fixed in tests)
 * @returns the instant of the next attempt
 */
export function backoffUntil(errorCount: number, now: Date, retryAfterMs: number | null, random: () => number): Date {
  const exp = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, Math.min(errorCount - 1, 30)));
  const jittered = exp / 2 + random() * (exp / 2);
  const wait = Math.min(MAX_BACKOFF_MS, Math.max(jittered, retryAfterMs ?? 0));
  return new Date(now.getTime() + Math.round(wait));
}
