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
import { glossaryFor } from './translate/glossary.js';
import { translateWithGuard } from './translate/translate-with-guard.js';
import type { Enricher } from '../pipeline/poll-source.js';

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
export async function translateVersion(v: VersionText, from: string, to: string, deps: EnrichDeps, log: Logger): Promise<Translation | null> {
  if (!deps.translator) return null;
  try {
    const t = await translateWithGuard(v, from, to, {
      translator: deps.translator,
      cache: deps.cache,
      glossary: glossaryFor(deps.config.translation, to),
      clock: deps.clock,
    });
    if (t.status === 'flagged') log.warn({ to, missing: t.missing, code: 'TRANSLATE_FLAGGED' }, `translation to ${to} failed the fidelity check; original kept`);
    const { cost: _cost, ...record } = t;
    return record;
  } catch (err) {
    const e = err instanceof DuofeedError ? err : null;
    log.warn({ err, code: e?.code ?? 'INTERNAL', to }, `translation to ${to} not done: ${(err as Error).message}`);
    return null;
  }
}

/**
 * Builds the enrich stage (issue 3): for each new or changed item, the detected language
 * (BCP 47, the source's declared language as prior), keywords in the item's own language, and
 * for every other output language an accepted translation with keywords in that language too.
 * Items the pipeline passes without extraction (known, unchanged) keep what is stored.
 * A failed or paused translation leaves the item untranslated (published in its original
 * language, translation status `pending`); a fidelity failure stores a `flagged` record.
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
    const translations: Record<string, Translation> = {};
    for (const to of deps.config.output.languages) {
      if (to === own || language === 'und') continue;
      const t = await translateVersion(original, language, to, deps, log);
      if (!t) continue;
      translations[to] = t;
      if (t.status === 'ok') keywords[to] = keywordsOf({ title: t.title, contentHtml: t.contentHtml }, to, deps);
    }
    return { ...input, language, keywords, translations };
  };
}
