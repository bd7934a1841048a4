/**
 * A counting semaphore: at most `limit` holders at once, waiters served first come first served.
 * The poll runner shares one across every batch, so overlapping cron ticks together never poll
 * more than `http.maxConcurrentSources` sources at once.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /** @param limit holders at once, ≥ 1 */
  constructor(private readonly limit: number) {}

  /**
   * Runs `fn` once a slot is free and releases the slot when it settles (also on rejection).
   * @returns what `fn` returns
   */
  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
