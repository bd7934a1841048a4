import type { SourceState } from '../types.js';

/** Slack when comparing a tick with the stored next-poll instant (ms): cron ticks land a little late. */
const SLACK_MS = 5_000;

/**
 * Whether a source should be polled at `now`: never-polled sources are due; disabled ones never;
 * otherwise when `nextPollAt` (the next cron run, or the backoff instant after failures) has come.
 * @param state stored state, or null before the first poll
 * @param now tick time
 */
export function isDue(state: SourceState | null, now: Date): boolean {
  if (!state) return true;
  if (state.disabledReason) return false;
  if (!state.nextPollAt) return true;
  return Date.parse(state.nextPollAt) <= now.getTime() + SLACK_MS;
}
