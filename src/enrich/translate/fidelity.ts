/**
 * The fidelity guard (issue 3, point 5): before a translation is accepted, every fact-bearing
 * token of the source must reappear in it — numbers with their unit or suffix, Latin-script
 * identifiers with a digit or an inner capital (model and product names), URLs, inline code,
 * do-not-translate terms and glossary terms (in their fixed rendering). It cannot judge meaning
 * ("8 experts" → "8 attention layers" keeps the 8); it catches altered or dropped figures and
 * names, which is what a reader cannot check without the original.
 */

/** Options of checkFidelity. */
export interface FidelityOptions {
  /** Term → fixed translation: a source term may appear as itself or as its fixed rendering. */
  glossary: Record<string, string>;
  /** Terms that must appear verbatim when the source has them. */
  doNotTranslate: string[];
  /** Target language (BCP 47); digit forms are normalized for every language alike. */
  to: string;
  /** Extra strings that must appear verbatim (inline `<code>` text, link targets), when present in the source's HTML. */
  verbatim?: string[];
  /** Acronyms a translation may render in words (default TRANSLATABLE_ACRONYMS). */
  translatable?: readonly string[];
}

/** Result: `missing` lists source tokens absent from the translation, in source order, once each. */
export interface FidelityResult {
  ok: boolean;
  missing: string[];
}

/**
 * Common acronyms that are ordinary words rather than names, which a good translation renders in
 * the target language (AI → 人工智能, US → 美国, CEO → 首席执行官). Everything else with an
 * inner capital is treated as a name.
 */
export const TRANSLATABLE_ACRONYMS: readonly string[] = ['AI', 'US', 'USA', 'UK', 'EU', 'UN', 'CEO', 'CEOs', 'CTO', 'CFO', 'COO', 'PhD', 'OK', 'TV'];

/**
 * Normalizes digit forms so that equal figures compare equal: NFKC folds full-width digits,
 * letters, `％` and `＄` (used in Chinese text) to ASCII; thousands separators (`,`, thin and
 * no-break spaces, `'`) between digit groups are dropped.
 */
export function normalizeDigits(text: string): string {
  return text.normalize('NFKC').replace(/(\d)[,\u202f\u00a0\u2009'](?=\d{3}(?!\d))/g, '$1');
}

// A URL ends at whitespace, markup, closing brackets and at the first CJK or full-width
// character (Chinese text often runs straight on after a URL: `访问https://x.com/a了解更多`).
const URL_RE = /\bhttps?:\/\/[^\s<>"'`)\]}\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;
const CODE_RE = /`([^`\n]+)`/g;
const IDENT_RE = /(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*/g;
// Thousands-grouped or plain integer, optional decimals, optional `x<N>` (8x7B), then `%` or a
// letter suffix of up to 3 letters glued to it (70B, 5G, 10k, 1990s).
const NUMBER_RE = /(?<![A-Za-z0-9.])[$€£¥]?(\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)?)(%|[A-Za-z]{1,3}(?![A-Za-z]))?(?![0-9])/g;

/** Suffixes that are grammar, not units: the bare number is enough (1990s → 1990年代, 3rd → 第3). */
const GRAMMAR_SUFFIX = new Set(['s', 'st', 'nd', 'rd', 'th']);

function numberKey(core: string, suffix: string | undefined): string {
  const c = core.replace(/^0+(?=\d)/, '').toLowerCase();
  if (!suffix || GRAMMAR_SUFFIX.has(suffix.toLowerCase())) return c;
  return c + suffix.toLowerCase();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `token` occurs in `text` not glued to Latin letters or digits on either side. */
function containsWord(text: string, token: string, ignoreCase = false): boolean {
  return new RegExp(`(?<![A-Za-z0-9])${escapeRe(token)}(?![A-Za-z0-9])`, ignoreCase ? 'i' : '').test(text);
}

/** Number keys present in a (normalized) text, identifiers included (GPT-3.5 carries 3.5). */
function numberKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of text.matchAll(NUMBER_RE)) keys.add(numberKey(m[1] as string, m[2]));
  // Numbers inside identifiers (Mixtral-8x7B, GPT-3.5) count as present too.
  for (const m of text.matchAll(/\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)?(%|[A-Za-z]{1,3}(?![A-Za-z]))?/g)) {
    const core = m[0].replace(/(%|[A-Za-z]{1,3})$/, '');
    keys.add(numberKey(core, m[1]));
  }
  return keys;
}

/**
 * Checks that `translation` carries every fact-bearing token of `source` (both plain text).
 * Tokens, found in this order with each match masked before the next kind is searched:
 * inline code in backticks and `opts.verbatim` strings (verbatim); URLs (verbatim);
 * do-not-translate terms (verbatim); glossary terms (the term or its fixed translation, case-
 * insensitive); identifiers with a digit or an inner capital (`GPT-3.5`, `LLaMA`, `MMLU`,
 * `DeepSeek-V3`; verbatim, case-sensitive, not glued to other Latin letters or digits — except
 * TRANSLATABLE_ACRONYMS); numbers with their `%` or glued letter suffix (`8x7B`, `70B`, `3.5`,
 * `46.7%`, `2024`, `$1.2` — compared after normalizeDigits, suffix case-insensitive, leading
 * zeros and a currency symbol not required, grammar suffixes like `s`/`th` not required).
 * @returns `{ ok, missing }`; never throws
 */
export function checkFidelity(source: string, translation: string, opts: FidelityOptions): FidelityResult {
  let src = normalizeDigits(source);
  const out = normalizeDigits(translation);
  const missing: string[] = [];
  const miss = (token: string): void => {
    if (!missing.includes(token)) missing.push(token);
  };
  const mask = (token: string): void => {
    src = src.split(token).join(' ');
  };

  for (const v of opts.verbatim ?? []) {
    const t = normalizeDigits(v).trim();
    if (t === '' || !src.includes(t)) continue;
    if (!out.includes(t)) miss(v.trim());
    mask(t);
  }
  for (const m of [...src.matchAll(CODE_RE)]) {
    const code = (m[1] as string).trim();
    if (!out.includes(code)) miss(code);
    mask(m[0]);
  }
  for (const m of [...src.matchAll(URL_RE)]) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    if (!out.includes(url)) miss(url);
    mask(url);
  }
  for (const term of opts.doNotTranslate) {
    const t = normalizeDigits(term);
    if (t.trim() === '' || !containsWord(src, t)) continue;
    if (!containsWord(out, t)) miss(term);
    mask(t);
  }
  for (const [term, fixed] of Object.entries(opts.glossary)) {
    const t = normalizeDigits(term);
    if (t.trim() === '' || !containsWord(src, t, true)) continue;
    if (!containsWord(out, t, true) && !out.includes(normalizeDigits(fixed))) miss(term);
    src = src.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRe(t)}(?![A-Za-z0-9])`, 'gi'), ' ');
  }
  const translatable = new Set(opts.translatable ?? TRANSLATABLE_ACRONYMS);
  for (const m of [...src.matchAll(IDENT_RE)]) {
    const id = m[0];
    const isName = /\d/.test(id) || /[A-Z]/.test(id.slice(1));
    if (!isName || translatable.has(id)) continue;
    if (!containsWord(out, id)) miss(id);
  }
  src = src.replace(IDENT_RE, ' ');
  const have = numberKeys(out);
  for (const m of src.matchAll(NUMBER_RE)) {
    if (!have.has(numberKey(m[1] as string, m[2]))) miss(m[0].replace(/^[$€£¥]/, ''));
  }
  return { ok: missing.length === 0, missing };
}
