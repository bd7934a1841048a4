import type { Clock } from '../../src/types.js';

/** A clock fixed at `iso` that tests can move by hand. */
export class FixedClock implements Clock {
  private t: number;
  constructor(iso = '2026-11-30T12:00:00.000Z') {
    this.t = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.t);
  }
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.t += ms;
  }
}
