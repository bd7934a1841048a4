import { scriptShares } from '../enrich/language/script-shares.js';

/** The language a new source gets, and where it came from. */
export interface OutlineLanguage {
  /** BCP 47 tag in canonical form (`en`, `zh-CN`). */
  language: string;
  /** `outline`: its `language` attribute; `guessed`: from the writing system of its name. */
  from: 'outline' | 'guessed';
}

/** A `language` attribute worth keeping: a BCP 47 tag whose primary subtag is an ISO 639 code. */
function canonicalTag(value: string | null): string | null {
  if (value === null) return null;
  // Some exporters write POSIX locales (`zh_CN`); OPML's own example writes `unknown`.
  const tag = value.replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(?:-|$)/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The language of a source imported from an outline. The config schema requires one (it is the
 * prior of language detection, src/enrich/language), so without a usable `language` attribute
 * (BCP 47 with a 2–3 letter primary subtag; `unknown` and POSIX `zh_CN` handled) it is guessed
 * from the name's letters: mostly Han → `zh`, kana → `ja`, Hangul → `ko`, anything else `en`.
 * Each item's language is still detected from its text when it is polled.
 * @param attribute the outline's `language` attribute, or null
 * @param name the outline's text/title, or null
 * @returns the tag and whether it was guessed
 */
export function outlineLanguage(attribute: string | null, name: string | null): OutlineLanguage {
  const tag = canonicalTag(attribute);
  if (tag !== null) return { language: tag, from: 'outline' };
  const s = scriptShares(name ?? '');
  const language = s.kana > 0 ? 'ja' : s.hangul > 0.3 ? 'ko' : s.han > 0.3 ? 'zh' : 'en';
  return { language, from: 'guessed' };
}
