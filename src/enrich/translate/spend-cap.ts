import { DuofeedError } from '../../errors.js';
import type { Clock } from '../../types.js';

/**
 * Characters sent per UTC day and provider. Synchronous on purpose: a check-and-add happens
 * without an await in between, so two concurrent calls cannot both slip under the cap.
 */
export interface SpendLedger {
  /** Characters counted for `day` (`YYYY-MM-DD`, UTC) and `provider`; 0 when none. */
  used(day: string, provider: string): number;
  /** Adds `characters` (negative to give back a reservation) to `day` and `provider`. */
  add(day: string, provider: string, characters: number): void;
}

/** A ledger in memory (default; a restart forgets the day's spend — use the SQLite one to keep it). */
export class MemorySpendLedger implements SpendLedger {
  private readonly counts = new Map<string, number>();
  used(day: string, provider: string): number {
    return this.counts.get(`${day}\u0000${provider}`) ?? 0;
  }
  add(day: string, provider: string, characters: number): void {
    const k = `${day}\u0000${provider}`;
    this.counts.set(k, Math.max(0, (this.counts.get(k) ?? 0) + characters));
  }
}

/** `YYYY-MM-DD` of `at` in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Start of the UTC day after `at`. */
export function nextUtcMidnight(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** Characters reserved on one UTC day. */
export interface Reservation {
  day: string;
  characters: number;
}

/**
 * The daily character cap (`translation.maxCharactersPerDay`): a call's characters are reserved
 * before anything is sent, so concurrent calls cannot overshoot the cap together, then corrected
 * to what may have been billed: answers refused with an error status are given back; timeouts
 * and malformed answers stay counted (they may have been billed).
 */
export class SpendCap {
  /**
   * @param cap characters per UTC day, or null for no cap
   * @param provider provider name (the ledger counts per provider)
   * @param ledger where counts live
   * @param clock source of the day
   */
  constructor(
    private readonly cap: number | null,
    private readonly provider: string,
    private readonly ledger: SpendLedger,
    private readonly clock: Clock,
  ) {}

  /**
   * Reserves `characters` for today.
   * @throws DuofeedError TRANSLATE_SPEND_CAP when today's count plus `characters` would pass the
   *   cap; `details.resumeAt` is the next UTC midnight (ISO), `details.used`, `details.cap`
   */
  reserve(characters: number, url: string): Reservation {
    const now = this.clock.now();
    const day = utcDay(now);
    if (this.cap !== null) {
      const used = this.ledger.used(day, this.provider);
      if (used + characters > this.cap) {
        const resumeAt = nextUtcMidnight(now).toISOString();
        throw new DuofeedError(
          'TRANSLATE_SPEND_CAP',
          `translation by ${this.provider} paused: ${used} of ${this.cap} characters sent today (UTC ${day}), ` +
            `${characters} more would pass translation.maxCharactersPerDay; resumes at ${resumeAt}`,
          { stage: 'enrich', url, details: { used, cap: this.cap, requested: characters, day, resumeAt } },
        );
      }
    }
    this.ledger.add(day, this.provider, characters);
    return { day, characters };
  }

  /**
   * Corrects a reservation to the characters that may really have been billed (retries add,
   * batches refused with an error status or never sent give back), on the reservation's day.
   */
  adjust(r: Reservation, billed: number): void {
    if (billed !== r.characters) this.ledger.add(r.day, this.provider, billed - r.characters);
  }
}
