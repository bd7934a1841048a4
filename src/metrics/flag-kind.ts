/**
 * Kinds of token the fidelity guard (enrich/translate/fidelity.ts, translate-html.ts) reports as
 * lost, as a closed set for the `flag` label of `duofeed_translation_flags_total`:
 *
 * - `added`: the translation added markup or a link the source did not have (`+<a>`, `+https://…`);
 * - `markup`: an element of the source is missing (`<strong>`);
 * - `url`: a URL or link target;
 * - `number`: a figure with its unit or suffix (`46.7%`, `70B`, `8x7B`, `$1.2`);
 * - `name`: an identifier, model or product name, code text or glossary term (`GPT-4o`, `MMLU`);
 * - `text`: a dropped passage (an empty translated segment is reported as its source text).
 */
export type FlagKind = 'added' | 'markup' | 'url' | 'number' | 'name' | 'text';

/**
 * Classifies one `missing` token of a flagged translation.
 * @param token an entry of Translation.missing
 * @returns its kind (see {@link FlagKind})
 */
export function flagKind(token: string): FlagKind {
  const t = token.trim();
  if (t.startsWith('+')) return 'added';
  if (/^<[A-Za-z][\w-]*>$/.test(t)) return 'markup';
  if (/^https?:\/\//i.test(t)) return 'url';
  if (/^[$€£¥]?\d/.test(t) && !/\s/.test(t)) return 'number';
  if (/\s/.test(t) && t.length > 40) return 'text';
  return 'name';
}
