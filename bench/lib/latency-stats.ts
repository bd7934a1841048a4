/** Latency summary in ms (nearest-rank percentiles). */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Summarizes latencies with nearest-rank percentiles (the p-th percentile is the smallest value
 * with at least p % of the values at or below it), rounded to 0.1 ms.
 * @param values latencies in ms (any order; not modified)
 * @returns the summary; all zero for no values
 */
export function summarizeLatency(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => round1(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    max: round1(sorted[sorted.length - 1] as number),
    mean: round1(sum / sorted.length),
  };
}

/** Rounds to one decimal. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
