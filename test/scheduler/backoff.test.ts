import assert from 'node:assert/strict';
import { backoffUntil, MAX_BACKOFF_MS } from '../../src/scheduler/backoff.js';
import { isDue } from '../../src/scheduler/is-due.js';

const now = new Date('2026-11-30T12:00:00.000Z');
const wait = (n: number, r: number, ra: number | null = null): number => backoffUntil(n, now, ra, () => r).getTime() - now.getTime();

describe('scheduler: backoff', () => {
  it('doubles per failure within [half, full] of the step (jitter)', () => {
    assert.equal(wait(1, 0), 30_000);
    assert.equal(wait(1, 0.999999), 60_000);
    assert.equal(wait(3, 0), 120_000);
    assert.equal(wait(3, 0.5), 180_000);
  });
  it('caps at 24 h however many failures', () => {
    const w = wait(40, 0.999999);
    assert.ok(w > MAX_BACKOFF_MS - 100 && w <= MAX_BACKOFF_MS, String(w));
    assert.equal(wait(1000, 0), MAX_BACKOFF_MS / 2);
  });
  it('honours a longer Retry-After, but not beyond the cap', () => {
    assert.equal(wait(1, 0, 3_600_000), 3_600_000);
    assert.equal(wait(1, 0, 10 * MAX_BACKOFF_MS), MAX_BACKOFF_MS);
  });
  it('isDue: new sources are due, disabled never, backoff respected', () => {
    assert.equal(isDue(null, now), true);
    const base = { nextPollAt: '2026-11-30T13:00:00.000Z', disabledReason: null } as never;
    assert.equal(isDue(base, now), false);
    assert.equal(isDue({ ...(base as object), nextPollAt: '2026-11-30T12:00:00.000Z' } as never, now), true);
    assert.equal(isDue({ ...(base as object), nextPollAt: null, disabledReason: '410' } as never, now), false);
  });
});
