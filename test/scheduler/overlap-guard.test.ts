import assert from 'node:assert/strict';
import { FixedClock } from '../helpers/clock.js';
import { OverlapGuard } from '../../src/scheduler/overlap-guard.js';

/** A virtual timeline: jobs end when the fake clock passes their end time. */
class Timeline {
  readonly clock = new FixedClock('2026-01-01T00:00:00.000Z');
  private readonly t0 = this.clock.now().getTime();
  private pending: Array<{ endAt: number; fail: boolean; settle: (fail: boolean) => void }> = [];
  running = 0;
  maxRunning = 0;

  /** Seconds since the start. */
  get seconds(): number {
    return (this.clock.now().getTime() - this.t0) / 1000;
  }

  job(durationS: number, fail: boolean): () => Promise<void> {
    return () =>
      new Promise<void>((resolve, reject) => {
        this.running++;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        this.pending.push({
          endAt: this.clock.now().getTime() + durationS * 1000,
          fail,
          settle: (f) => {
            this.running--;
            if (f) reject(new Error('refresh failed'));
            else resolve();
          },
        });
      });
  }

  async advanceTo(seconds: number): Promise<void> {
    const target = this.t0 + seconds * 1000;
    const due = this.pending.filter((p) => p.endAt <= target).sort((a, b) => a.endAt - b.endAt);
    this.pending = this.pending.filter((p) => p.endAt > target);
    for (const p of due) p.settle(p.fail);
    this.clock.advance(target - this.clock.now().getTime());
    // let the guard's finally blocks run
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}

const noTimer = (): { cancel(): void } => ({ cancel: () => undefined });

describe('scheduler: overlap guard (case 40)', () => {
  it('scenario A: job-level guard skips ticks at 20 s and 30 s, survives a rejecting run, 10 runs in 120 s', async () => {
    const tl = new Timeline();
    const errors: string[] = [];
    const guard = new OverlapGuard(tl.clock, 5 * 60_000, (key, err) => errors.push(`${key}: ${(err as Error).message}`));
    const durations = [3, 25, 3, 3, 3];
    const started: number[] = [];
    const skipped: Array<{ at: number; since: number }> = [];
    for (let tick = 0; tick < 120; tick += 10) {
      await tl.advanceTo(tick);
      const run = started.length + 1;
      const out = guard.tryRun('refresh-all', tl.job(durations[run - 1] ?? 3, run === 4), noTimer);
      if (out.started) started.push(tick);
      else skipped.push({ at: tick, since: (out.activeSinceMs - Date.parse('2026-01-01T00:00:00.000Z')) / 1000 });
    }
    await tl.advanceTo(200);
    assert.deepEqual(started, [0, 10, 40, 50, 60, 70, 80, 90, 100, 110]);
    assert.deepEqual(skipped, [
      { at: 20, since: 10 },
      { at: 30, since: 10 },
    ]);
    assert.equal(tl.maxRunning, 1);
    assert.deepEqual(errors, ['refresh-all: refresh failed']);
    assert.equal(guard.isActive('refresh-all'), false);
  });

  it('scenario B: per-feed locks fetch the slow feed at 0 s and 30 s only, the fast one every tick', async () => {
    const tl = new Timeline();
    const guard = new OverlapGuard(tl.clock, 5 * 60_000, () => undefined);
    const fetched: Record<string, number[]> = { slow: [], fast: [] };
    for (let tick = 0; tick < 60; tick += 10) {
      await tl.advanceTo(tick);
      for (const [feed, secs] of [
        ['slow', 25],
        ['fast', 1],
      ] as const) {
        if (guard.tryRun(feed, tl.job(secs, false), noTimer).started) fetched[feed]!.push(tick);
      }
    }
    assert.deepEqual(fetched.slow, [0, 30]);
    assert.deepEqual(fetched.fast, [0, 10, 20, 30, 40, 50]);
  });

  it('variant: a run that never settles is released after maxRunMs and reported', async () => {
    const tl = new Timeline();
    const errors: unknown[] = [];
    const guard = new OverlapGuard(tl.clock, 300_000, (_k, e) => errors.push(e));
    let fire: (() => void) | null = null;
    const timer = (_ms: number, fn: () => void): { cancel(): void } => {
      fire = fn;
      return { cancel: () => undefined };
    };
    assert.equal(guard.tryRun('stuck', () => new Promise<void>(() => undefined), timer).started, true);
    assert.equal(guard.tryRun('stuck', async () => undefined, noTimer).started, false);
    assert.ok(fire, 'watchdog armed');
    (fire as () => void)();
    assert.equal(guard.isActive('stuck'), false);
    assert.match(String((errors[0] as Error).message), /exceeded 300000 ms/);
    assert.equal(guard.tryRun('stuck', async () => undefined, noTimer).started, true);
  });
});
