import { candidateTerms, type Candidate, type KeywordInput } from './candidate-terms.js';
import type { IdfTable } from './idf-table.js';
import type { TermKind } from './term.js';

export type { KeywordInput } from './candidate-terms.js';

/** Options of {@link extractKeywords}. */
export interface KeywordOptions {
  /** Fewest keywords returned when the item has that many candidates (issue 3: 3). */
  min: number;
  /** Most keywords returned (issue 3: 8). */
  max: number;
  /** Document frequencies of the stored corpus. */
  idf: IdfTable;
}

/** A title occurrence counts as this many body occurrences: headlines name what an item is about. */
export const TITLE_WEIGHT = 3;

/**
 * Beyond `min`, a candidate is kept only while its score is at least this share of the best
 * one: a short item gets few strong keywords rather than `max` weak ones.
 */
export const RELATIVE_CUTOFF = 0.2;

/** Score factor per kind: names and identifiers are what readers search for. */
const KIND_WEIGHT: Record<TermKind, number> = { identifier: 1.5, name: 1.3, phrase: 1.2, word: 1 };

/** A scored candidate. */
export interface ScoredCandidate extends Candidate {
  score: number;
}

/**
 * Scores of one item's candidates: `(1 + ln(TITLE_WEIGHT·titleCount + bodyCount)) · idf(key) ·
 * kind weight` — sublinear term frequency (a word repeated 20 times is not 20 times as much the
 * subject), titles weighing more than the body, IDF from the corpus, names and identifiers
 * favoured.
 * @param input title, text (plain) and language of the item
 * @param idf the corpus table
 * @returns candidates with scores, best first; ties broken by first occurrence, then key
 */
export function scoreCandidates(input: KeywordInput, idf: IdfTable): ScoredCandidate[] {
  return candidateTerms(input)
    .map((c) => ({
      ...c,
      score: (1 + Math.log(TITLE_WEIGHT * c.titleCount + c.bodyCount)) * idf.idf(c.key) * KIND_WEIGHT[c.kind],
    }))
    .sort((a, b) => b.score - a.score || a.first - b.first || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Whether one key contains the other as whole words (Latin) or as a substring (CJK). */
function overlaps(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (!long.includes(short)) return false;
  if (/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+$/u.test(short)) return true;
  return ` ${long} `.includes(` ${short} `);
}

/**
 * Keywords of one item in its own language.
 *
 * Candidates come from {@link candidateTerms} (Chinese: jieba nouns and names; English and other
 * alphabetic languages: phrases cut at stopwords and punctuation; identifiers such as `GPT-4o`,
 * `Llama 3.1 70B`, `DeepSeek-V3`, `Mixtral 8x7B` and names such as `Hugging Face` whole) and are
 * ranked by {@link scoreCandidates}. Going down the ranking, a candidate that overlaps one
 * already chosen (`Mixtral` vs `Mixtral 8x7B`, `模型` vs `大语言模型`) is skipped; candidates are
 * taken until `max`, and beyond `min` only while they score at least {@link RELATIVE_CUTOFF} of
 * the best. Deterministic: the same input and table give the same keywords in the same order.
 * @param input title, text (plain text) and language (BCP 47) of the item
 * @param opts min and max counts (non-integers are floored, max below min is raised to min,
 *   negatives count as 0) and the corpus IDF table
 * @returns display forms, best first; fewer than `min` only when the item has fewer distinct
 *   candidates. Never a stopword, a pure number, or a piece of an identifier. Never throws.
 */
export function extractKeywords(input: KeywordInput, opts: KeywordOptions): string[] {
  const min = Math.max(0, Math.floor(opts.min));
  const max = Math.max(min, Math.floor(opts.max));
  const ranked = scoreCandidates(input, opts.idf);
  const top = ranked[0]?.score ?? 0;
  const chosen: ScoredCandidate[] = [];
  for (const c of ranked) {
    if (chosen.length >= max) break;
    if (chosen.length >= min && c.score < RELATIVE_CUTOFF * top) break;
    if (chosen.some((k) => overlaps(k.key, c.key))) continue;
    chosen.push(c);
  }
  return chosen.map((c) => c.text);
}
