import { Converter } from 'opencc-js';

/**
 * Simplified vs Traditional Chinese, decided per character with OpenCC's character tables
 * (opencc-js: STCharacters / TSCharacters, the tables OpenCC itself converts with).
 *
 * Characters are converted one at a time, never as phrases, so that the count is "how many
 * characters of this text exist only in one of the two scripts" and the text keeps its length.
 */

type CharMap = (ch: string) => string;

let tables: { toSimplified: CharMap; toTraditional: CharMap } | null = null;

/** Builds the converters once (≈0.4 s: OpenCC's tries), on the first Chinese text seen. */
function charTables(): { toSimplified: CharMap; toTraditional: CharMap } {
  if (tables === null) {
    const t2s = Converter({ from: 't', to: 'cn' });
    const s2t = Converter({ from: 'cn', to: 't' });
    const cache = (convert: (s: string) => string): CharMap => {
      const seen = new Map<string, string>();
      return (ch) => {
        let out = seen.get(ch);
        if (out === undefined) {
          const converted = convert(ch);
          // A one-character table entry never maps to several characters; keep length if one did.
          out = [...converted].length === 1 ? converted : ch;
          seen.set(ch, out);
        }
        return out;
      };
    };
    tables = { toSimplified: cache(t2s), toTraditional: cache(s2t) };
  }
  return tables;
}

const HAN = /\p{Script=Han}/u;

/** Evidence for each script: counts of characters that exist in only one of them. */
export interface ChineseScriptEvidence {
  /** Characters that OpenCC would change when converting to Traditional (发, 说, 们 …). */
  simplified: number;
  /** Characters that OpenCC would change when converting to Simplified (發, 說, 們 …). */
  traditional: number;
}

/**
 * Counts Simplified-only and Traditional-only characters of a text.
 *
 * A few characters are both a Simplified form and a valid Traditional character (台, 后, 里, 干);
 * they count as Simplified evidence, but a Traditional text has many more Traditional-only
 * characters (們, 說, 個, 這 …), so comparing the two counts still decides correctly.
 * @param text plain text
 * @returns both counts (0/0 for text without distinguishing Han characters). Never throws.
 */
export function chineseScriptEvidence(text: string): ChineseScriptEvidence {
  let simplified = 0;
  let traditional = 0;
  const { toSimplified, toTraditional } = charTables();
  for (const ch of text) {
    if (!HAN.test(ch)) continue;
    if (toSimplified(ch) !== ch) traditional++;
    else if (toTraditional(ch) !== ch) simplified++;
  }
  return { simplified, traditional };
}

/**
 * The script a Chinese text is written in.
 * @param text plain text
 * @returns `'Hans'` (Simplified) or `'Hant'` (Traditional) by the larger evidence count;
 *   null when the counts are equal (including no distinguishing characters at all)
 */
export function chineseScript(text: string): 'Hans' | 'Hant' | null {
  const e = chineseScriptEvidence(text);
  if (e.simplified === e.traditional) return null;
  return e.simplified > e.traditional ? 'Hans' : 'Hant';
}

/**
 * The text with each Traditional-only character replaced by its Simplified form, one character
 * for one character (same code point count, so offsets map back to the original). Used to
 * segment Traditional text with a Simplified dictionary and to match Simplified stopwords.
 * @param text plain text
 * @returns converted text of the same code point length
 */
export function toSimplifiedChars(text: string): string {
  const { toSimplified } = charTables();
  let out = '';
  for (const ch of text) out += HAN.test(ch) ? toSimplified(ch) : ch;
  return out;
}
