import type { Logger } from '../logger.js';
import type { AppConfig, ArticleInput, Clock, SourceConfig, Translation } from '../types.js';
import { DuofeedError } from '../errors.js';
import { htmlToText } from '../extract/html-to-text.js';
import { detectLanguage } from './language/detect-language.js';
import { primarySubtag } from './language/language-tag.js';
import { extractKeywords } from './keywords/extract-keywords.js';
import type { IdfTable } from './keywords/idf-table.js';
import type { Translator } from './translate/translator.js';
import type { TranslationCache } from './translate/translation-cache.js';
import { glossaryFor, NO_GLOSSARY } from './translate/glossary.js';
import { translateWithGuard } from './translate/translate-with-guard.js';
import type { Enricher } from '../pipeline/poll-source.js';
import type { Metrics } from '../metrics/metrics.js';

/** What the enrich stage needs; main.ts builds it once. */
export interface EnrichDeps {
  config: Pick<AppConfig, 'output' | 'keywords' | 'translation'>;
  /** Document frequencies of the stored corpus (seeded at start, grown as items arrive). */
  idf: IdfTable;
  /** null: no provider configured, nothing is translated. */
  translator: Translator | null;
  cache: TranslationCache;
  clock: Clock;
  logger: Logger;
  /** Shutdown: no new translation request starts once aborted. */
  signal?: AbortSignal;
  /** Translation outcomes, fidelity flags and errors go here; default none. */
  metrics?: Metrics;
}

/** The text of one language version, as the enrich stage reads it. */
export interface VersionText {
  title: string;
  contentHtml: string | null;
}

/**
 * Plain text of an item for language detection and keywords: the extracted article text when
 * there is one, else the feed's HTML as text.
 */
function itemText(input: ArticleInput): { html: string | null; text: string } {
  const html = input.extraction?.status === 'ok' ? input.extraction.contentHtml : (input.item.contentHtml ?? input.item.summaryHtml);
  const text = input.extraction?.status === 'ok' && input.extraction.text ? input.extraction.text : html ? htmlToText(html) : '';
  return { html, text };
}

/**
 * Keywords of one language version, and the version counted in the IDF table.
 * @returns 0..max keywords (min when the text has that many candidates)
 */
function keywordsOf(v: VersionText, language: string, deps: EnrichDeps): string[] {
  const doc = { title: v.title, text: v.contentHtml ? htmlToText(v.contentHtml) : '', language };
  deps.idf.addDocument(doc);
  return extractKeywords(doc, { min: deps.config.keywords.min, max: deps.config.keywords.max, idf: deps.idf });
}

/**
 * Translates one version into `to` through the guard (cache → engine → fidelity check → one retry).
 * @returns the Translation (ok or flagged), or null when the engine failed or paused (the item
 *   stays `pending` and the backfill tries again later)
 */
export async function translateVersion(
  v: VersionText,
  from: string,
  to: string,
  deps: EnrichDeps,
  log: Logger,
  onError?: (err: unknown) => void,
): Promise<Translation | null> {
  if (!deps.translator || deps.signal?.aborted) return null;
  try {
    const t = await translateWithGuard(v, from, to, {
      translator: deps.translator,
      cache: deps.cache,
      // Only the openai provider is told the glossary and do-not-translate list (in its prompt);
      // checking DeepL or LibreTranslate output against terms they never saw would flag
      // every item that contains one.
      glossary: deps.translator.provider === 'openai' ? glossaryFor(deps.config.translation, to) : NO_GLOSSARY,
      clock: deps.clock,
    });
    if (t.status === 'flagged') log.warn({ to, missing: t.missing, code: 'TRANSLATE_FLAGGED' }, `translation to ${to} failed the fidelity check; original kept`);
    deps.metrics?.translationFinished({ provider: deps.translator.provider, target: to, status: t.status, missing: t.status === 'flagged' ? t.missing : [] });
    const { cost: _cost, ...record } = t;
    return record;
  } catch (err) {
    const e = err instanceof DuofeedError ? err : null;
    log.warn({ err, code: e?.code ?? 'INTERNAL', to }, `translation to ${to} not done: ${(err as Error).message}`);
    // Stopped by shutdown: not the engine's failure.
    if (!deps.signal?.aborted) {
      deps.metrics?.translationFinished({ provider: deps.translator.provider, target: to, status: 'failed', missing: [] });
      deps.metrics?.errorRecorded(e?.code ?? 'INTERNAL', e?.stage ?? 'enrich');
    }
    onError?.(err);
    return null;
  }
}

/**
 * Builds the enrich stage (issue 3): for each new or changed item, the detected language
 * (BCP 47, the source's declared language as prior) and keywords in the item's own language.
 * Translations into the other output languages (with keywords in those languages) are added by
 * the backfill right after the poll is stored. Items the pipeline passes without extraction
 * (known, unchanged) keep what is stored.
 * @param deps config, IDF table, translator (or null), cache, clock, logger
 */
export function createEnricher(deps: EnrichDeps): Enricher {
  return async (input: ArticleInput, source: SourceConfig): Promise<ArticleInput> => {
    if (input.extraction === null) return input;
    const log = deps.logger.child({ stage: 'enrich', sourceId: source.id, url: input.item.url });
    const { html, text } = itemText(input);
    const language = detectLanguage({ title: input.item.title, text, declared: source.language }).tag;
    const own = primarySubtag(language);
    const original: VersionText = { title: input.item.title, contentHtml: html };
    const keywords: Record<string, string[]> = { [own]: keywordsOf(original, language, deps) };
    log.debug({ language, keywords: keywords[own] }, 'item enriched');
    // Translation is not done here: the poll stores the item at once in its original language,
    // and the backfill (enrich/backfill.ts) translates it right after the poll, newest first,
    // within the engine's limits — so a slow or paused engine never holds back the feed.
    return { ...input, language, keywords, translations: {} };
  };
}
