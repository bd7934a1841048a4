/**
 * Which writing systems a text is written in, counted per letter.
 *
 * Shares are what tells Chinese from English in mixed AI news ("Mistral 发布 Mixtral 8x7B"):
 * the statistical detectors only see n-grams, while a reader sees that the sentence is Chinese
 * because its own words are Han characters and the Latin letters are names.
 */

/** Letters of one text by script, as shares of all letters counted (each 0..1, summing to 1). */
export interface ScriptShares {
  /** Han ideographs (CJK Unified Ideographs and extensions, compatibility ideographs). */
  han: number;
  /** Hiragana and Katakana (Japanese). */
  kana: number;
  /** Hangul (Korean). */
  hangul: number;
  latin: number;
  cyrillic: number;
  /** Every other letter (Greek, Hebrew, Arabic, Thai, …). */
  other: number;
  /** Number of letters counted (code points of general category L); 0 for a text without letters. */
  letters: number;
}

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LETTER = /\p{L}/u;

/**
 * Counts the letters of `text` by script.
 * @param text plain text (no markup); any length — callers cap long bodies
 * @returns shares per script and the letter count; all shares 0 when there are no letters.
 *   Never throws.
 */
export function scriptShares(text: string): ScriptShares {
  let han = 0;
  let kana = 0;
  let hangul = 0;
  let latin = 0;
  let cyrillic = 0;
  let other = 0;
  for (const ch of text) {
    // ASCII fast path: most of an English text.
    const code = ch.charCodeAt(0);
    if (code < 0x80) {
      if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
      continue;
    }
    if (!LETTER.test(ch)) continue;
    if (HAN.test(ch)) han++;
    else if (KANA.test(ch)) kana++;
    else if (HANGUL.test(ch)) hangul++;
    else if (LATIN.test(ch)) latin++;
    else if (CYRILLIC.test(ch)) cyrillic++;
    else other++;
  }
  const letters = han + kana + hangul + latin + cyrillic + other;
  const share = (n: number): number => (letters === 0 ? 0 : n / letters);
  return {
    han: share(han),
    kana: share(kana),
    hangul: share(hangul),
    latin: share(latin),
    cyrillic: share(cyrillic),
    other: share(other),
    letters,
  };
}

/**
 * How many Latin letters one CJK character stands for when weighing scripts against each other.
 * A Chinese translation of an English text has roughly a third as many characters as the English
 * has letters, so one Han character carries about as much of the text as three Latin letters.
 */
export const CJK_LETTER_WEIGHT = 3;

/**
 * Share of the text's content written in CJK scripts, with each CJK character weighted as
 * {@link CJK_LETTER_WEIGHT} Latin letters (see there why).
 * @param s shares from {@link scriptShares}
 * @returns 0..1; 0 without letters
 */
export function weightedCjkShare(s: ScriptShares): number {
  const cjk = (s.han + s.kana + s.hangul) * CJK_LETTER_WEIGHT;
  const rest = 1 - (s.han + s.kana + s.hangul);
  return cjk + rest === 0 ? 0 : cjk / (cjk + rest);
}
