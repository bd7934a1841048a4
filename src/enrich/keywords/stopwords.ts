import { createRequire } from 'node:module';
import { primarySubtag } from '../language/language-tag.js';

/**
 * Stopwords per language from stopwords-iso (the union of the major published lists, ISO 639-1
 * keyed; 58 languages). One adjustment for English: stopwords-iso merges lists written for
 * general web text that also drop words which are content in technology news ("ai", "research",
 * "open", "system", "computer", "microsoft", "face" of "Hugging Face"); those are kept (see
 * {@link ENGLISH_CONTENT_WORDS}).
 */

const require = createRequire(import.meta.url);
const ISO = require('stopwords-iso') as Record<string, string[]>;

/**
 * English words that stopwords-iso lists but AI/tech news uses as content or inside names
 * ("Hugging Face", "Microsoft Research", "open source", "AI Act", "State of AI", "Bill Gates").
 */
export const ENGLISH_CONTENT_WORDS: readonly string[] = [
  'ai', 'bill', 'computer', 'copy', 'face', 'faces', 'fire', 'group', 'groups', 'home', 'index', 'information',
  'interest', 'keys', 'line', 'member', 'members', 'microsoft', 'netscape', 'novel', 'open', 'page', 'pages',
  'research', 'ring', 'room', 'site', 'state', 'states', 'system', 'test', 'text', 'value', 'website', 'world',
];

const cache = new Map<string, ReadonlySet<string>>();

/**
 * The stopword set for a language, lower case, apostrophes as `'`.
 * @param language BCP 47 tag; its primary subtag picks the list (`zh-TW` → zh); a language
 *   stopwords-iso lacks gets the English list (most Latin-script noise in any feed is English)
 * @returns a shared, read-only set
 */
export function stopwordsFor(language: string): ReadonlySet<string> {
  const primary = primarySubtag(language);
  const key = ISO[primary] ? primary : 'en';
  let set = cache.get(key);
  if (set === undefined) {
    const words = (ISO[key] ?? []).map((w) => w.toLowerCase().replace(/’/g, "'"));
    const drop = key === 'en' ? new Set(ENGLISH_CONTENT_WORDS) : new Set<string>();
    set = new Set(words.filter((w) => !drop.has(w)));
    cache.set(key, set);
  }
  return set;
}
