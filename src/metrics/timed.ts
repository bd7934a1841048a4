import { performance } from 'node:perf_hooks';

// Elapsed time for latency histograms is measured on the monotonic clock, never the injected
// wall Clock: a FixedClock in tests (or an NTP step in production) must not bend durations.

/**
 * Runs `fn` and reports how long it took, also when it throws or rejects.
 * @param fn the work
 * @param observe receives the elapsed time (seconds)
 * @returns what `fn` resolves to; rethrows what it throws
 */
export async function timed<T>(fn: () => Promise<T>, observe: (seconds: number) => void): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    observe((performance.now() - start) / 1000);
  }
}

/**
 * Synchronous form of {@link timed}.
 * @param fn the work
 * @param observe receives the elapsed time (seconds)
 */
export function timedSync<T>(fn: () => T, observe: (seconds: number) => void): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    observe((performance.now() - start) / 1000);
  }
}

/** Monotonic milliseconds, for callers that start and stop a measurement in different places. */
export function monotonicMs(): number {
  return performance.now();
}
