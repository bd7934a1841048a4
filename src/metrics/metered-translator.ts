import { DuofeedError } from '../errors.js';
import type { TranslateOptions, TranslateResult, Translator } from '../enrich/translate/translator.js';
import type { Metrics } from './metrics.js';

/**
 * A Translator that reports the characters every call sent (`metrics.translationCharacters`):
 * `result.cost.characters` on success, and on failure the `details.cost` the batching translator
 * attaches to its DuofeedError — so retries and failed calls, which may be billed, are counted.
 * Everything else passes through unchanged.
 * @param translator the configured translator
 * @param metrics where the counts go
 * @returns the metered translator (same provider and model)
 */
export function meteredTranslator(translator: Translator, metrics: Metrics): Translator {
  return {
    provider: translator.provider,
    model: translator.model,
    async translate(segments: string[], from: string, to: string, opts?: TranslateOptions): Promise<TranslateResult> {
      try {
        const result = await translator.translate(segments, from, to, opts);
        metrics.translationCharacters(translator.provider, to, result.cost.characters);
        return result;
      } catch (err) {
        const cost = err instanceof DuofeedError ? (err.details['cost'] as { characters?: unknown } | undefined) : undefined;
        if (typeof cost?.characters === 'number') metrics.translationCharacters(translator.provider, to, cost.characters);
        throw err;
      }
    },
  };
}
