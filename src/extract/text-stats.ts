/**
 * Text measures shared by the extractor: how much readable text a block holds, how many
 * clause separators it has, how much of it is link text.
 */

/**
 * Han ideographs, kana, Hangul and CJK punctuation: scripts written without spaces, where one
 * character carries about as much as a short word does in a Latin script.
 */
const CJK = /[\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[\u{20000}-\u{2fa1f}]/u;

/** Comma-like clause separators in Latin, Arabic and CJK scripts (Readability's set plus `、`). */
const COMMAS = /[\u002C\u060C\uFE50\uFE10\uFE11\u2E41\u2E34\u2E32\uFF0C\u3001]/g;

/**
 * Collapses runs of whitespace (including NBSP and ideographic space) to one space and trims.
 * @param text any text
 * @returns single-line text
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/**
 * Weighted length of readable text, used for the "too little text" threshold and for scoring.
 * Counts Unicode code points (not UTF-16 units or bytes) of the whitespace-collapsed text;
 * a CJK/kana/Hangul character counts 2, because those scripts pack roughly twice the content
 * per character and a 200-character limit meant for Latin text would otherwise reject short
 * but complete Chinese or Japanese articles.
 * @param text plain text
 * @returns weighted character count (≥ 0)
 */
export function textLength(text: string): number {
  let n = 0;
  for (const ch of collapseWhitespace(text)) n += CJK.test(ch) ? 2 : 1;
  return n;
}

/**
 * Number of comma-like separators (`,` `،` `，` `、` …): a proxy for running prose.
 * @param text plain text
 */
export function commaCount(text: string): number {
  return (text.match(COMMAS) ?? []).length;
}
