import { latinTerms } from './latin-terms.js';
import type { TermOccurrence } from './term.js';

/**
 * Candidate terms of Japanese text: Han/kana runs are segmented with `Intl.Segmenter` (ICU's
 * dictionary-based word breaking; Node 20 ships full ICU) and words of 2+ characters with a
 * kanji or katakana (nouns, in practice) are kept; Latin runs go through the alphabetic
 * tokenizer. A minimal route: duofeed's output languages are Chinese and English, Japanese
 * items only need keywords in their own language.
 */

const CJK_RUN = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+)/u;
const CONTENT = /[\p{Script=Han}\p{Script=Katakana}]/u;
/** ICU word breaking slows down sharply on long CJK runs; a run is cut to this many characters. */
const MAX_RUN = 2000;

let segmenter: Intl.Segmenter | null = null;

/**
 * Candidate term occurrences of a Japanese text, in text order.
 * @param text plain text (NFKC-normalized, URLs removed)
 * @param opts Japanese and Latin-run stopwords
 * @returns occurrences
 */
export function japaneseTerms(text: string, opts: { stopwords: ReadonlySet<string>; latinStopwords: ReadonlySet<string> }): TermOccurrence[] {
  segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  const out: TermOccurrence[] = [];
  text.split(CJK_RUN).forEach((part, i) => {
    if (part === '') return;
    if (i % 2 === 0) {
      out.push(...latinTerms(part, { stopwords: opts.latinStopwords }));
      return;
    }
    for (const s of segmenter!.segment(part.slice(0, MAX_RUN))) {
      const w = s.segment;
      if (!s.isWordLike || [...w].length < 2 || !CONTENT.test(w) || opts.stopwords.has(w)) continue;
      out.push({ key: w, surface: w, kind: 'word' });
    }
  });
  return out;
}
