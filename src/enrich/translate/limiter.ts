/**
 * A small request limiter: at most `maxConcurrent` tasks in flight and at most
 * `requestsPerMinute` task starts in any rolling 60 s window. Time comes from `now` and waiting
 * from `sleep`, so tests drive it with a fixed clock and no real timers.
 */
export class RequestLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly starts: number[] = [];

  /**
   * @param maxConcurrent tasks in flight at once (>= 1)
   * @param requestsPerMinute task starts per rolling minute (>= 1)
   * @param now current time (ms since epoch)
   * @param sleep waits the given ms
   */
  constructor(
    private readonly maxConcurrent: number,
    private readonly requestsPerMinute: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!(maxConcurrent >= 1) || !(requestsPerMinute >= 1)) throw new RangeError('limiter limits must be >= 1');
  }

  /** Tasks running now (tests, health). */
  get inFlight(): number {
    return this.active;
  }

  /**
   * Runs `task` when a slot is free and the minute's budget allows.
   * @returns what `task` returns; its rejection as it is
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      await this.waitForRate();
      return await task();
    } finally {
      this.releaseSlot();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    // The releasing task hands its slot over directly, so `active` never dips below the queue.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private async waitForRate(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.starts.length > 0 && (this.starts[0] as number) <= t - 60_000) this.starts.shift();
      if (this.starts.length < this.requestsPerMinute) {
        this.starts.push(t);
        return;
      }
      await this.sleep((this.starts[0] as number) + 60_000 - t);
    }
  }
}
