import type { Clock, Translation } from '../../types.js';
import type { Glossary } from './glossary.js';
import { translateArticle, type ArticleText } from './translate-html.js';
import type { TranslationCache } from './translation-cache.js';
import type { TranslationCost, Translator } from './translator.js';

/** What translateWithGuard needs. */
export interface GuardDeps {
  translator: Translator;
  cache: TranslationCache;
  glossary: Glossary;
  /** Source of `at`. */
  clock: Clock;
}

/** A Translation record (types.ts, stored under `translations[to]`) plus what it cost. */
export interface GuardedTranslation extends Translation {
  cost: TranslationCost;
}

/**
 * Cache lookup → translate → fidelity guard → one retry naming the lost tokens → a Translation
 * record: `status: 'ok'` with the translated title/contentHtml, or `status: 'flagged'` with the
 * ORIGINAL title/contentHtml and `missing` (publish the original language only). `at` is the
 * clock's now (ISO UTC). See translateArticle for the segmenting and checks.
 * @throws the translator's DuofeedError (TRANSLATE_*); TRANSLATE_SPEND_CAP carries
 *   `details.resumeAt`. The caller records the item as `pending` and publishes its original.
 */
export async function translateWithGuard(article: ArticleText, from: string, to: string, deps: GuardDeps): Promise<GuardedTranslation> {
  const r = await translateArticle(article, from, to, deps.translator, deps.cache, deps.glossary);
  return {
    title: r.title,
    contentHtml: r.contentHtml,
    provider: r.provider,
    model: r.model,
    at: deps.clock.now().toISOString(),
    status: r.status,
    missing: r.missing,
    cost: r.cost,
  };
}
