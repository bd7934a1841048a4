import { primarySubtag } from '../enrich/language/language-tag.js';
import type { Article } from '../types.js';

/**
 * Which languages an article can be read in, for the `language` filter of ArticleQuery (the
 * per-language views `?lang=`). An article has a version in language L (a primary subtag) when
 * - its original's language has primary subtag L: the detected `language`, else the source's
 *   declared language, else `und` (publish/item-versions.ts `originalLanguage`), or
 * - it carries an accepted (`status: 'ok'`) translation whose key has primary subtag L (a flagged
 *   translation is never published, so it does not count).
 * This is the rule publish/item-versions.ts `languageVersions` applies when it lays an item out;
 * both must agree, or a view page would hold items the publisher then drops.
 *
 * The declared language lives in the config, not in the store (a source's language may be edited
 * without re-polling), so the store's index records only what the article itself carries, and an
 * article without a detected language gets the {@link DECLARED_LANGUAGE} key, resolved against
 * the declared languages at query time.
 */

/**
 * Index key of "the original's language was not detected: the source's declared language
 * applies". It holds a `-`, so no primary subtag (which {@link primarySubtag} cuts at `-`) can
 * equal it.
 */
export const DECLARED_LANGUAGE = '-declared';

/** The language of an original whose language is known neither by detection nor by declaration (RFC 5646 §4.1). */
export const UNDETERMINED_LANGUAGE = 'und';

/**
 * The index keys of an article: the detected original language's primary subtag (or
 * {@link DECLARED_LANGUAGE} when none was detected) and the primary subtag of every accepted
 * translation, without duplicates, sorted.
 * @param a the article as stored
 * @returns one or more keys
 */
export function articleLanguageKeys(a: Pick<Article, 'language' | 'translations'>): string[] {
  const keys = new Set<string>();
  const detected = a.language?.trim() ?? '';
  keys.add(detected === '' ? DECLARED_LANGUAGE : primarySubtag(detected));
  for (const [key, t] of Object.entries(a.translations)) {
    const sub = primarySubtag(key);
    // A translation with an empty key is never published (item-versions.ts acceptedTranslations).
    if (t.status === 'ok' && sub !== '') keys.add(sub);
  }
  return [...keys].sort();
}

/**
 * The primary subtag an article's original is in when no language was detected: the source's
 * declared language, else `und`.
 * @param declared the source's declared language (BCP 47), null or blank when unknown
 */
export function declaredKey(declared: string | null | undefined): string {
  const tag = declared?.trim() ?? '';
  return tag === '' ? UNDETERMINED_LANGUAGE : primarySubtag(tag);
}

/**
 * Whether an article has a version in `language` (the rule in this file's comment).
 * @param a the article as stored
 * @param declared its source's declared language (BCP 47), null when unknown
 * @param language primary subtag, lower case (e.g. `zh`)
 */
export function hasLanguageVersion(a: Pick<Article, 'language' | 'translations'>, declared: string | null | undefined, language: string): boolean {
  return articleLanguageKeys(a).some((k) => (k === DECLARED_LANGUAGE ? declaredKey(declared) : k) === language);
}

/**
 * The sources whose undetected-language articles are in `language`: those whose declared
 * language has that primary subtag; for `und`, also every source without a declared language,
 * expressed as "not among `declared`" (sources missing from the map have none).
 * @param declaredLanguages declared language per source id
 * @param language primary subtag
 * @returns `in`: ids declared in `language`; `undeclaredToo`: whether sources with no declared
 *   language (absent, null or blank in the map) match as well; `declared`: ids with a declared language
 */
export function declaredMatch(
  declaredLanguages: Readonly<Record<string, string | null>>,
  language: string,
): { in: string[]; undeclaredToo: boolean; declared: string[] } {
  const inLanguage: string[] = [];
  const declared: string[] = [];
  for (const [id, tag] of Object.entries(declaredLanguages)) {
    if ((tag?.trim() ?? '') === '') continue;
    declared.push(id);
    if (declaredKey(tag) === language) inLanguage.push(id);
  }
  return { in: inLanguage.sort(), undeclaredToo: language === UNDETERMINED_LANGUAGE, declared: declared.sort() };
}
