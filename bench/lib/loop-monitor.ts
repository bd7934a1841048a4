/**
 * Preloaded into the service child (`node --import <this file> dist/cli.js …`) to measure its
 * event-loop delay without touching src/: a perf_hooks histogram (10 ms resolution) written as
 * JSON to $DUOFEED_BENCH_LOOP_FILE every 250 ms; SIGUSR2 resets it (the bench sends it when the
 * readers start). Does nothing without the variable.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What the monitor writes (ms). */
export interface LoopSnapshot {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Samples in the histogram. */
  count: number;
  /** Date.now() of the snapshot. */
  at: number;
}

const file = process.env.DUOFEED_BENCH_LOOP_FILE;
if (file !== undefined && file !== '') {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
  const write = (): void => {
    const snap: LoopSnapshot = {
      p50: ms(h.percentile(50)),
      p90: ms(h.percentile(90)),
      p99: ms(h.percentile(99)),
      max: ms(h.max),
      mean: ms(h.mean),
      count: h.count,
      at: Date.now(),
    };
    try {
      writeFileSync(file, JSON.stringify(snap));
    } catch {
      // The bench may have removed its temp dir already.
    }
  };
  setInterval(write, 250).unref();
  process.on('SIGUSR2', () => {
    h.reset();
    write();
  });
}
