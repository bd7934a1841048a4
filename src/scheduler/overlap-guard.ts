import type { Clock } from '../types.js';

/** Outcome of asking the guard to run a job. */
export type GuardOutcome<T> =
  | { started: true; result: Promise<T | undefined> }
  | { started: false; activeSinceMs: number };

/**
 * Keeps at most one run per key at a time (one poll per source; case 40, node-cron #498/#461).
 * The lock is released in a `finally` path: on success, on error, and when a run exceeds
 * `maxRunMs` (the stuck run is abandoned by the guard, so a hung promise can never freeze
 * the schedule). Errors of a run are passed to `onError`, never rethrown into the timer.
 */
export class OverlapGuard {
  private readonly active = new Map<string, { since: number; token: symbol }>();

  /**
   * @param clock time source
   * @param maxRunMs longest a run may hold its key (ms)
   * @param onError called with (key, error) when a run rejects or times out
   */
  constructor(
    private readonly clock: Clock,
    private readonly maxRunMs: number,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  /** True while a run of `key` holds the lock. */
  isActive(key: string): boolean {
    return this.active.has(key);
  }

  /** Keys currently running. */
  activeKeys(): string[] {
    return [...this.active.keys()];
  }

  /**
   * Runs `job` under `key` unless a run of that key is active.
   * @returns `{started:false, activeSinceMs}` when skipped (ms epoch of the active run's start);
   *   else `{started:true, result}` where result resolves to the job's value, or undefined when it failed
   */
  tryRun<T>(key: string, job: () => Promise<T>, timer: (ms: number, fn: () => void) => { cancel(): void } = defaultTimer): GuardOutcome<T> {
    const held = this.active.get(key);
    if (held) return { started: false, activeSinceMs: held.since };
    const token = Symbol(key);
    this.active.set(key, { since: this.clock.now().getTime(), token });
    const release = (): void => {
      if (this.active.get(key)?.token === token) this.active.delete(key);
    };
    const watchdog = timer(this.maxRunMs, () => {
      if (this.active.get(key)?.token === token) {
        release();
        this.onError(key, new Error(`run of ${key} exceeded ${this.maxRunMs} ms; lock released`));
      }
    });
    const result = (async () => {
      try {
        return await job();
      } catch (err) {
        this.onError(key, err);
        return undefined;
      } finally {
        watchdog.cancel();
        release();
      }
    })();
    return { started: true, result };
  }
}

function defaultTimer(ms: number, fn: () => void): { cancel(): void } {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
}
