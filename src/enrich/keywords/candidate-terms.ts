import { primarySubtag } from '../language/language-tag.js';
import { chineseTerms } from './chinese-terms.js';
import { japaneseTerms } from './japanese-terms.js';
import { headlineCaseWords, latinTerms, lowerCaseVocabulary } from './latin-terms.js';
import { stopwordsFor } from './stopwords.js';
import { KIND_RANK, type TermKind, type TermOccurrence } from './term.js';

export type { TermKind } from './term.js';

/** One item's text, as keyword extraction and the IDF table read it. */
export interface KeywordInput {
  /** Plain-text title. */
  title: string;
  /** Plain-text body. */
  text: string;
  /** The item's language (BCP 47, from detectLanguage): picks the tokenizer and stopwords. */
  language: string;
}

/** One candidate keyword of one item, all its occurrences merged. */
export interface Candidate {
  /** Comparison form (lower case; Chinese in Simplified characters): the IDF table's term. */
  key: string;
  /** Display form: the most frequent way the item writes it (first seen on ties). */
  text: string;
  /** Occurrences in the title. */
  titleCount: number;
  /** Occurrences in the body. */
  bodyCount: number;
  /** Rank of the first occurrence (title before body), for stable ordering. */
  first: number;
  /** Strongest kind seen for this key. */
  kind: TermKind;
}

/** Body characters read: keywords of a long article are in its first pages, and time stays bounded. */
export const MAX_BODY_CHARS = 20_000;

/** URLs and e-mail addresses are not keywords and their pieces would be. */
function clean(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/\bwww\.\S+/gi, ' ')
    .replace(/\S+@\S+\.\w+/g, ' ');
}

type Headline = { demote: ReadonlySet<string>; drop: ReadonlySet<string> } | null;

function occurrences(text: string, language: string, headline: Headline, lower: ReadonlySet<string>): TermOccurrence[] {
  const primary = primarySubtag(language);
  if (primary === 'zh') return chineseTerms(text, { stopwords: stopwordsFor('zh'), latinStopwords: stopwordsFor('en') });
  if (primary === 'ja') return japaneseTerms(text, { stopwords: stopwordsFor('ja'), latinStopwords: stopwordsFor('en') });
  return latinTerms(text, { stopwords: stopwordsFor(language), demote: headline?.demote, drop: headline?.drop, lowerVocabulary: lower });
}

/**
 * Candidate keywords of one item, the one definition of "term" that both the keyword scorer and
 * the IDF table use (so document frequencies count exactly the terms that are scored).
 * Chinese: jieba nouns and names plus Latin identifiers; Japanese: ICU words; every other
 * language: stopword/punctuation-delimited phrases (see latin-terms.ts) with that language's
 * stopwords. Text is NFKC-normalized (full-width `ＧＰＴ` → `GPT`); URLs and e-mail addresses
 * are skipped; the body is read up to {@link MAX_BODY_CHARS} characters. In English headlines, words
 * capitalized only by headline style count as lower-case words (see headlineCaseWords), and in
 * every alphabetic language a capitalized sentence opener that the item also writes in lower
 * case counts as that lower-case word.
 * @param input title, text, language
 * @returns candidates in order of first occurrence (deterministic). Never throws.
 */
export function candidateTerms(input: KeywordInput): Candidate[] {
  const title = clean(input.title);
  const body = clean(input.text.slice(0, MAX_BODY_CHARS));
  const headline = primarySubtag(input.language) === 'en' ? headlineCaseWords(title, body, stopwordsFor('en')) : null;
  const byKey = new Map<string, Candidate & { surfaces: Map<string, number> }>();
  let rank = 0;
  const add = (occ: TermOccurrence, field: 'title' | 'body'): void => {
    let c = byKey.get(occ.key);
    if (c === undefined) {
      c = { key: occ.key, text: occ.surface, titleCount: 0, bodyCount: 0, first: rank, kind: occ.kind, surfaces: new Map() };
      byKey.set(occ.key, c);
    }
    rank++;
    if (field === 'title') c.titleCount++;
    else c.bodyCount++;
    if (KIND_RANK[occ.kind] > KIND_RANK[c.kind]) c.kind = occ.kind;
    c.surfaces.set(occ.surface, (c.surfaces.get(occ.surface) ?? 0) + 1);
  };
  const lower = primarySubtag(input.language) === 'zh' || primarySubtag(input.language) === 'ja' ? new Set<string>() : lowerCaseVocabulary(`${title}\n${body}`);
  for (const occ of occurrences(title, input.language, headline, lower)) add(occ, 'title');
  for (const occ of occurrences(body, input.language, null, lower)) add(occ, 'body');
  const out: Candidate[] = [];
  for (const c of byKey.values()) {
    let best = c.text;
    let bestCount = 0;
    // Map iteration is insertion order, so ties keep the first-seen surface.
    for (const [surface, n] of c.surfaces) {
      if (n > bestCount) {
        best = surface;
        bestCount = n;
      }
    }
    out.push({ key: c.key, text: best, titleCount: c.titleCount, bodyCount: c.bodyCount, first: c.first, kind: c.kind });
  }
  return out.sort((a, b) => a.first - b.first);
}

/**
 * The distinct terms of one item, as the IDF table counts them.
 * @param input title, text, language
 * @returns candidate keys, in order of first occurrence
 */
export function candidateKeys(input: KeywordInput): string[] {
  return candidateTerms(input).map((c) => c.key);
}
