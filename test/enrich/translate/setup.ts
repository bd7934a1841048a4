import { silentLogger } from '../../../src/logger.js';
import type { TranslationConfig, TranslatorDeps } from '../../../src/enrich/translate/translator.js';
import { MemorySpendLedger } from '../../../src/enrich/translate/spend-cap.js';
import { FixedClock } from '../../helpers/clock.js';

/** Deps with a fixed clock, a recording no-op sleep (no real waits) and fixed jitter. */
export function deps(over: Partial<TranslatorDeps> = {}): TranslatorDeps & { clock: FixedClock; sleeps: number[] } {
  const sleeps: number[] = [];
  const clock = (over.clock as FixedClock | undefined) ?? new FixedClock('2026-11-30T12:00:00.000Z');
  return {
    env: {},
    logger: silentLogger(),
    random: () => 0.5,
    ledger: new MemorySpendLedger(),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      // Waiting moves the fixed clock, as real time would (rate windows, Retry-After dates).
      clock.advance(ms);
    },
    ...over,
    clock,
    sleeps,
  };
}

/** A config for `provider` at `origin` with small, quick limits. */
export function config(provider: TranslationConfig['provider'], origin: string, over: Partial<TranslationConfig> = {}): TranslationConfig {
  return {
    provider,
    baseUrl: origin,
    model: provider === 'openai' ? 'test-model' : null,
    timeoutMs: 5000,
    maxRetries: 2,
    backoffBaseMs: 100,
    ...over,
  };
}
