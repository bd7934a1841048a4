import type { Article } from '../types.js';
import { primaryLanguage } from './item-versions.js';

/** The translation provider as configured (`translation` in feeds.config.json). */
export interface TranslationSetting {
  /** `none` = no provider configured. */
  provider: string;
  model: string | null;
}

/** `_duofeed.translation` of a JSON Feed item: what translation the item has, or why not. */
export interface TranslationReport {
  /** Provider of the reported translation; the configured one when none exists yet; null when none is needed. */
  provider: string | null;
  model: string | null;
  /** When the reported translation was made (UTC ISO); null when there is none. */
  at: string | null;
  status: 'ok' | 'flagged' | 'none' | 'pending';
  /** Tokens of the original the fidelity guard did not find in the translation (flagged only). */
  missing: string[];
}

/**
 * Reports an item's translation state against the output languages it is not written in
 * ("needed" languages):
 * - no language needed (the item is already in every output language): `none` with provider,
 *   model and at null — nothing was or will be translated;
 * - a needed language has a flagged translation: `flagged`, with that translation's provider,
 *   model and time and the missing tokens of every flagged one (the item is published in its
 *   original language only);
 * - a needed language has no accepted translation: `pending` when a provider is configured
 *   (translation will come), `none` (provider "none", model/at null) when none is;
 * - otherwise `ok`, with the provenance of the first needed language's translation.
 * A translation made before the provider was removed is still reported (and published) as `ok`.
 * @param article stored article
 * @param originalKey primary subtag of the original's language (`und` when unknown: every output
 *   language is then needed)
 * @param languages `output.languages`, primary first
 * @param setting configured provider and model
 * @returns the report; never throws
 */
export function translationReport(article: Article, originalKey: string, languages: readonly string[], setting: TranslationSetting): TranslationReport {
  const needed = [...new Set(languages.map(primaryLanguage))].filter((k) => k !== '' && k !== originalKey);
  if (needed.length === 0) return { provider: null, model: null, at: null, status: 'none', missing: [] };
  const byKey = new Map<string, Article['translations'][string]>();
  for (const k of Object.keys(article.translations).sort()) {
    const key = primaryLanguage(k);
    const t = article.translations[k]!;
    // An ok translation wins over a flagged one under the same subtag (`zh` vs `zh-CN`).
    if (!byKey.has(key) || (t.status === 'ok' && byKey.get(key)!.status !== 'ok')) byKey.set(key, t);
  }
  const flagged = needed.map((k) => byKey.get(k)).filter((t) => t !== undefined && t.status === 'flagged');
  if (flagged.length > 0) {
    const first = flagged[0]!;
    const missing = [...new Set(flagged.flatMap((t) => t!.missing))];
    return { provider: first.provider, model: first.model, at: first.at, status: 'flagged', missing };
  }
  if (needed.some((k) => byKey.get(k)?.status !== 'ok')) {
    if (setting.provider === 'none') return { provider: 'none', model: null, at: null, status: 'none', missing: [] };
    return { provider: setting.provider, model: setting.model, at: null, status: 'pending', missing: [] };
  }
  const ok = byKey.get(needed[0]!)!;
  return { provider: ok.provider, model: ok.model, at: ok.at, status: 'ok', missing: [...ok.missing] };
}
