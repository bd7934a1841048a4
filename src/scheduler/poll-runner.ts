import type { Logger } from '../logger.js';
import type { Clock, SourceConfig } from '../types.js';
import { pollSource, type PollDeps, type PollResult } from '../pipeline/poll-source.js';
import { Semaphore } from './semaphore.js';
import { OverlapGuard } from './overlap-guard.js';
import { isDue } from './is-due.js';

/** Longest one source's poll may hold its lock (ms) before the guard releases it. */
export const MAX_POLL_MS = 5 * 60_000;

/**
 * Runs polls: at most one poll per source at a time (OverlapGuard), at most
 * `http.maxConcurrentSources` sources at once, one failing source never stopping the others.
 * Pure of timers: the node-cron shell (cron-scheduler.ts) and `poll-once` call it.
 */
export class PollRunner {
  private readonly guard: OverlapGuard;
  private readonly slots: Semaphore;
  private inFlight = new Set<Promise<unknown>>();
  private onPolled: Array<(results: PollResult[]) => void> = [];

  constructor(
    private readonly deps: PollDeps,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly poll: (source: SourceConfig, deps: PollDeps) => Promise<PollResult> = pollSource,
  ) {
    this.slots = new Semaphore(deps.http.maxConcurrentSources);
    this.guard = new OverlapGuard(clock, MAX_POLL_MS, (key, err) => {
      logger.error({ sourceId: key, err, code: 'INTERNAL' }, `poll of ${key} failed unexpectedly`);
      deps.metrics?.errorRecorded('INTERNAL', 'scheduler');
    });
  }

  /** Registers a callback run after each batch of polls (e.g. to invalidate the feed cache). */
  afterPolls(fn: (results: PollResult[]) => void): void {
    this.onPolled.push(fn);
  }

  /**
   * Polls `sources` (all of them, or only the due ones when `onlyDue`), bounded in concurrency.
   * A source whose previous poll is still running is skipped with a log line.
   * @returns one result per source attempted or skipped, in input order
   */
  async run(sources: readonly SourceConfig[], onlyDue: boolean): Promise<PollResult[]> {
    const now = this.clock.now();
    const chosen: SourceConfig[] = [];
    for (const s of sources) {
      if (!s.enabled) continue;
      if (onlyDue && !isDue(await this.deps.store.getSourceState(s.id), now)) continue;
      chosen.push(s);
    }
    const skip = (source: SourceConfig, activeSinceMs: number): PollResult => {
      const since = Math.round((this.clock.now().getTime() - activeSinceMs) / 1000);
      this.logger.info({ sourceId: source.id }, `skipped: previous poll still active since ${since} s`);
      return skipped(source.id, 'previous poll still active');
    };
    // One semaphore across all batches: overlapping ticks never exceed maxConcurrentSources.
    const batch = Promise.all(
      chosen.map((source) =>
        this.slots.use(async (): Promise<PollResult> => {
          const outcome = this.guard.tryRun(source.id, () => this.poll(source, this.deps));
          if (!outcome.started) return skip(source, outcome.activeSinceMs);
          return (await outcome.result) ?? failed(source.id);
        }),
      ),
    );
    this.inFlight.add(batch);
    try {
      const results = await batch;
      // Observed here, once per result, so skips decided by the runner count too.
      for (const r of results) this.deps.metrics?.pollFinished(r.sourceId, r.status, r.counts);
      for (const fn of this.onPolled) fn(results);
      return results;
    } finally {
      this.inFlight.delete(batch);
    }
  }

  /** Resolves when every poll started so far has finished (graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}

function skipped(sourceId: string, message: string): PollResult {
  return { sourceId, status: 'skipped', counts: { new: 0, updated: 0, unchanged: 0 }, items: 0, extractionFailures: 0, errorCode: null, message, nextPollAt: null };
}

function failed(sourceId: string): PollResult {
  return { sourceId, status: 'failed', counts: { new: 0, updated: 0, unchanged: 0 }, items: 0, extractionFailures: 0, errorCode: 'INTERNAL', message: 'poll failed unexpectedly', nextPollAt: null };
}
