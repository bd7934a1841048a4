import type { Article, Translation } from '../types.js';
import type { SourceInfo } from './source-info.js';

/** One language version of an item: the original, or one accepted (`ok`) translation. */
export interface ItemVersion {
  /**
   * BCP 47 tag of this text: for the original its detected language, else the source's declared
   * one (`und` when neither is known); for a translation its key (`zh`, `en`).
   */
  lang: string;
  /** Primary subtag, lower case (`zh` for `zh-CN`): the key of `keywords` and `versions`. */
  key: string;
  /** Plain-text title. */
  title: string;
  /** Body HTML, without headline, keywords line or attribution. */
  bodyHtml: string;
  /** Keywords in this language (may be empty). */
  keywords: string[];
  /** null for the original; the accepted translation otherwise. */
  translation: Translation | null;
}

/** The BCP 47 tag for a language not known (RFC 5646 §4.1). */
export const UNDETERMINED = 'und';

/**
 * The primary language subtag, lower case: `zh-CN` → `zh`, `EN` → `en`, `` → ``.
 * @param tag BCP 47 tag
 */
export function primaryLanguage(tag: string): string {
  return (tag.trim().split(/[-_]/)[0] ?? '').toLowerCase();
}

/**
 * The original's language: the detected one, else the source's declared one.
 * @param article stored article (`language` null = detection found none)
 * @param source its attribution (`language` = the configured one)
 * @returns BCP 47 tag, or null when neither is known
 */
export function originalLanguage(article: Article, source: SourceInfo): string | null {
  if (article.language !== null && article.language.trim() !== '') return article.language.trim();
  if (source.language !== null && source.language.trim() !== '') return source.language.trim();
  return null;
}

/**
 * The body the original version publishes: the extracted article, else the feed's content, else
 * its summary (the order the single-language output always used).
 * @param article stored article
 * @returns HTML, `''` when the item has none
 */
export function originalBody(article: Article): string {
  return article.contentHtml ?? article.feedContentHtml ?? article.summaryHtml ?? '';
}

/**
 * Keywords of one language: every `keywords` entry whose key has this primary subtag (`zh` and
 * `zh-CN` both count), keys in sorted order, duplicates (case-insensitive, NFKC) removed.
 * @param article stored article
 * @param key primary subtag
 */
export function keywordsFor(article: Article, key: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const k of Object.keys(article.keywords).sort()) {
    if (primaryLanguage(k) !== key) continue;
    for (const word of article.keywords[k] ?? []) {
      const w = word.trim();
      const norm = w.normalize('NFKC').toLowerCase();
      if (w === '' || seen.has(norm)) continue;
      seen.add(norm);
      out.push(w);
    }
  }
  return out;
}

/**
 * Accepted translations by primary subtag: only `status: 'ok'` ones (a flagged translation is
 * never published), never one into the original's own language; when two keys share a subtag
 * the first in sorted key order wins (deterministic).
 * @param article stored article
 * @param originalKey primary subtag of the original's language ('' when unknown)
 */
export function acceptedTranslations(article: Article, originalKey: string): Map<string, Translation> {
  const out = new Map<string, Translation>();
  for (const k of Object.keys(article.translations).sort()) {
    const t = article.translations[k]!;
    const key = primaryLanguage(k);
    if (t.status !== 'ok' || key === '' || key === originalKey || out.has(key)) continue;
    out.set(key, t);
  }
  return out;
}

/**
 * The language versions of an item as published: the original in its own language plus each
 * accepted translation. Order: the output languages' order (primary first), whichever of the
 * original or a translation is in that language; then versions in other languages (the
 * original first, then translations by key). An item without an accepted translation has one
 * version, the original, and is published as it always was.
 * @param article stored article
 * @param source its attribution (declared language fallback)
 * @param languages `output.languages`, primary first (primary subtags, e.g. `["zh", "en"]`)
 * @returns at least one version (the original)
 */
export function languageVersions(article: Article, source: SourceInfo, languages: readonly string[]): ItemVersion[] {
  const lang = originalLanguage(article, source) ?? UNDETERMINED;
  const originalKey = lang === UNDETERMINED ? UNDETERMINED : primaryLanguage(lang);
  const original: ItemVersion = {
    lang,
    key: originalKey,
    title: article.title,
    bodyHtml: originalBody(article),
    keywords: keywordsFor(article, originalKey),
    translation: null,
  };
  const translated = [...acceptedTranslations(article, originalKey)].map(
    ([key, t]): ItemVersion => ({ lang: key, key, title: t.title, bodyHtml: t.contentHtml ?? '', keywords: keywordsFor(article, key), translation: t }),
  );
  const all = [original, ...translated];
  const rank = (v: ItemVersion): number => {
    const i = languages.findIndex((l) => primaryLanguage(l) === v.key);
    return i < 0 ? languages.length + (v.translation === null ? 0 : 1) : i;
  };
  // Array.prototype.sort is stable: equal ranks keep original-then-sorted-key order.
  return all.sort((a, b) => rank(a) - rank(b));
}
