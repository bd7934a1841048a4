import { eld } from 'eld/medium';
import { chineseScript } from './chinese-script.js';
import { impliedChineseScript, normalizeTag, primarySubtag } from './language-tag.js';
import { CJK_LETTER_WEIGHT, scriptShares, type ScriptShares } from './script-shares.js';

export { isTargetLanguage } from './language-tag.js';
export type { ScriptShares } from './script-shares.js';

/** What {@link detectLanguage} reads. */
export interface LanguageInput {
  /** Plain-text title. */
  title: string;
  /** Plain-text body (extracted article text, or the feed's summary as text). */
  text: string;
  /** The source's declared language (BCP 47, `sources[].language` or the feed's own), or null. */
  declared: string | null;
}

/** What {@link detectLanguage} decides. */
export interface LanguageGuess {
  /**
   * BCP 47 tag: `zh-CN` / `zh-TW` (or the declared Chinese region of the same script, or `zh`
   * when the script cannot be told) for Chinese; for other languages the declared tag when the
   * primary language agrees (keeps `en-US`, `pt-PT`), else the bare ISO 639-1 code (`fr`);
   * `und` when there is no evidence and nothing declared.
   */
  tag: string;
  /**
   * 0..1: the weighted CJK share for CJK decisions, eld's score (0..1) of the chosen language for
   * other languages; 0 when the declared language was taken for lack of text.
   */
  confidence: number;
  /** Letters by script over the sample read (title + first {@link SAMPLE_CHARS} of the body). */
  scriptShares: ScriptShares;
}

/** Characters of title + body read: enough for a stable guess, bounded time for long articles. */
export const SAMPLE_CHARS = 5000;

/**
 * Below this many weighted letters (CJK characters count {@link CJK_LETTER_WEIGHT}) a text is too
 * short to overrule the declared language (n-gram detectors guess wildly on a few words).
 */
export const SHORT_TEXT_LETTERS = 30;

/**
 * A declared language wins when eld scores it at least this fraction of its best score: such
 * close calls are typical of English mistaken for French/Dutch/Scots on short or name-heavy texts.
 */
export const DECLARED_TIE_RATIO = 0.8;

/** Weighted CJK share from which a text is CJK whatever was declared. */
const CJK_MAJORITY = 0.5;
/** Weighted CJK share enough when the source declares a CJK language (Chinese full of names). */
const CJK_WITH_PRIOR = 0.25;
/** Below this weighted share of its own script, a declared language is contradicted by the text. */
const DECLARED_SCRIPT_MIN = 0.2;
/** Kana share of CJK characters from which a CJK text is Japanese (Chinese has none). */
const KANA_FOR_JAPANESE = 0.1;

const CJK_LANGUAGES = new Set(['zh', 'ja', 'ko']);
const CYRILLIC_LANGUAGES = new Set(['ru', 'uk', 'bg', 'be', 'sr', 'mk', 'kk', 'ky', 'mn', 'tg']);

/**
 * Latin letters inside names (`NTT`, `DoCoMo`, `GPT-4o`: a capital or digit in the word) count
 * this much: in a CJK sentence they are borrowed names, not the sentence's language.
 */
const NAME_LETTER_WEIGHT = 0.25;
/** Fewer weighted letters than this cannot contradict a declared language ("Gr" under zh-CN). */
const MIN_CONTRADICTING_LETTERS = 12;

type WeightedShares = { cjk: number; han: number; kana: number; hangul: number; latin: number; cyrillic: number; other: number; letters: number };

/** Share of letters (of all letters) that sit in Latin-script names, see NAME_LETTER_WEIGHT. */
function latinNameShare(sample: string, letters: number): number {
  if (letters === 0) return 0;
  let n = 0;
  for (const word of sample.match(/[\p{Script=Latin}\d]+(?:[-.'][\p{Script=Latin}\d]+)*/gu) ?? []) {
    if (/[\p{Lu}\d]/u.test(word)) n += (word.match(/\p{Script=Latin}/gu) ?? []).length;
  }
  return n / letters;
}

/**
 * Shares with CJK characters weighted as CJK_LETTER_WEIGHT letters (see script-shares.ts) and
 * Latin letters of names as NAME_LETTER_WEIGHT; `letters` is the weighted letter count.
 */
function weighted(s: ScriptShares, nameShare: number): WeightedShares {
  const w = CJK_LETTER_WEIGHT;
  const latin = s.latin - nameShare * (1 - NAME_LETTER_WEIGHT);
  const total = (s.han + s.kana + s.hangul) * w + latin + s.cyrillic + s.other;
  const f = (n: number): number => (total === 0 ? 0 : n / total);
  return {
    cjk: f((s.han + s.kana + s.hangul) * w),
    han: f(s.han * w),
    kana: f(s.kana * w),
    hangul: f(s.hangul * w),
    latin: f(latin),
    cyrillic: f(s.cyrillic),
    other: f(s.other),
    letters: total * s.letters,
  };
}

/** Weighted share of the script(s) a language is written in. */
function ownScriptShare(primary: string, w: WeightedShares): number {
  if (primary === 'zh') return w.han;
  if (primary === 'ja') return w.han + w.kana;
  if (primary === 'ko') return w.hangul + w.han;
  if (CYRILLIC_LANGUAGES.has(primary)) return w.cyrillic;
  if (['el', 'he', 'yi', 'ar', 'fa', 'ur', 'th', 'hi', 'bn', 'ka', 'hy', 'am'].includes(primary)) return w.other;
  return w.latin;
}

/** URLs, e-mail addresses and markup remnants are Latin noise in any language. */
function sampleOf(title: string, text: string): string {
  // Token by token (linear): a regex like /\S+@\S+/ over one long run of non-space characters
  // backtracks quadratically, which a hostile title can trigger.
  return `${title.slice(0, SAMPLE_CHARS)}\n${text.slice(0, SAMPLE_CHARS)}`
    .split(/(\s+)/)
    .map((tok) => (/^(?:https?:\/\/|www\.)/i.test(tok) || (tok.includes('@') && tok.includes('.')) ? ' ' : tok))
    .join('');
}

/** Chinese tag: the text's script decides; the declared region is kept when it agrees. */
function chineseTag(sample: string, declared: string | null): string {
  const script = chineseScript(sample);
  const declaredScript = declared !== null && primarySubtag(declared) === 'zh' ? impliedChineseScript(declared) : null;
  if (script === null) return declared !== null && primarySubtag(declared) === 'zh' ? declared : 'zh';
  if (declaredScript === script && declared !== null && /-[A-Z]{2}$|-\d{3}$/.test(declared)) return declared;
  return script === 'Hant' ? 'zh-TW' : 'zh-CN';
}

/** Japanese, Korean or Chinese, by kana and Hangul among the CJK characters. */
function cjkTag(s: ScriptShares, sample: string, declared: string | null): string {
  const cjk = s.han + s.kana + s.hangul;
  let primary = 'zh';
  if (s.hangul >= s.han + s.kana) primary = 'ko';
  else if (cjk > 0 && s.kana / cjk >= KANA_FOR_JAPANESE) primary = 'ja';
  if (primary === 'zh') return chineseTag(sample, declared);
  return declared !== null && primarySubtag(declared) === primary ? declared : primary;
}

/**
 * Detects the language of one item from its title and text, with the source's declared language
 * as a prior.
 *
 * 1. Letters are counted by script; a CJK character weighs as three Latin letters (a Chinese
 *    text is about a third as long as its English original), so Chinese text full of English
 *    model names (`Mixtral 8x7B`, `GPT-4o`, `Hugging Face`) is still Chinese.
 *    Latin letters of names (a capital or digit in the word: `NTT`, `GPT-4o`) weigh a quarter,
 *    since in a CJK sentence they are borrowed names.
 * 2. A declared language whose own script is nearly absent from a text of some length (declared
 *    `en`, text in Han characters) is ignored as a prior: the text is evidence, the declaration
 *    a default.
 * 3. A weighted CJK share ≥ 0.5 (≥ 0.25 when a CJK language is declared) makes the text Chinese,
 *    Japanese (kana present) or Korean (Hangul); Chinese gets `zh-CN` or `zh-TW` by counting
 *    Simplified-only vs Traditional-only characters (OpenCC tables), keeping a declared region of
 *    the same script (`zh-SG`, `zh-HK`). Script counts hold for short texts too.
 * 4. Texts shorter than {@link SHORT_TEXT_LETTERS} weighted letters take the declared language.
 * 5. Otherwise eld (Efficient Language Detector, `eld/medium` n-gram data) decides; the declared
 *    language wins when eld is unreliable or scores it at least {@link DECLARED_TIE_RATIO} of
 *    its best.
 *
 * @param input title and text (plain text) and the declared language (BCP 47 or null)
 * @returns the BCP 47 tag, a 0..1 confidence and the script shares read. Never throws.
 */
export function detectLanguage(input: LanguageInput): LanguageGuess {
  const sample = sampleOf(input.title, input.text);
  const shares = scriptShares(sample);
  const w = weighted(shares, latinNameShare(sample, shares.letters));
  let declared = input.declared === null ? null : normalizeTag(input.declared);
  if (declared === '' || declared === 'und') declared = null;
  if (shares.letters === 0) return { tag: declared ?? 'und', confidence: 0, scriptShares: shares };

  if (
    declared !== null
    && w.letters >= MIN_CONTRADICTING_LETTERS
    && ownScriptShare(primarySubtag(declared), w) < DECLARED_SCRIPT_MIN
  ) {
    declared = null;
  }
  const declaredPrimary = declared === null ? null : primarySubtag(declared);
  // Scripts are counted, not guessed: a CJK majority holds even for a short title.
  const cjkPrior = declaredPrimary !== null && CJK_LANGUAGES.has(declaredPrimary);
  if (w.cjk >= CJK_MAJORITY || (cjkPrior && w.cjk >= CJK_WITH_PRIOR)) {
    return { tag: cjkTag(shares, sample, declared), confidence: w.cjk, scriptShares: shares };
  }
  if (declared !== null && w.letters < SHORT_TEXT_LETTERS) {
    return { tag: declaredPrimary === 'zh' ? chineseTag(sample, declared) : declared, confidence: 0, scriptShares: shares };
  }

  const result = eld.detect(sample);
  const scores = result.getScores();
  const top = result.language;
  if (top === '') {
    return { tag: declared ?? 'und', confidence: 0, scriptShares: shares };
  }
  const topScore = scores[top] ?? 0;
  if (declared !== null && declaredPrimary !== top) {
    const declaredScore = scores[declaredPrimary!] ?? 0;
    if (!result.isReliable() || declaredScore >= DECLARED_TIE_RATIO * topScore) {
      return { tag: declared, confidence: clamp01(declaredScore), scriptShares: shares };
    }
  }
  if (CJK_LANGUAGES.has(top)) {
    return { tag: cjkTag(shares, sample, declared), confidence: clamp01(topScore), scriptShares: shares };
  }
  return { tag: declaredPrimary === top ? declared! : top, confidence: clamp01(topScore), scriptShares: shares };
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n));
}
