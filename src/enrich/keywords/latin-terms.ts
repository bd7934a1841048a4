import type { TermKind, TermOccurrence } from './term.js';

/**
 * Candidate terms of alphabetic text (English and every language written with spaces between
 * words: German, French, Russian, Korean …), in the manner of RAKE (Rose et al., "Automatic
 * keyword extraction from individual documents", 2010): the text is cut into phrases at
 * punctuation and stopwords. Two refinements for news about AI:
 *
 * - tokens keep their inner `-` `.` `'` `+` `&` `/` (`GPT-4o`, `DeepSeek-V3`, `Node.js`, `3.1`,
 *   `C++`), so identifiers are never split;
 * - a phrase is also cut where capitalized words meet lower-case ones (`OpenAI researchers` →
 *   `OpenAI`, `researchers`), and numbers only continue a capitalized name (`Llama 3.1 70B`,
 *   `Mixtral 8x7B`) — a phrase never starts with a number (`8 experts` → `experts`);
 * - a possessive ends a phrase (`Anthropic's Responsible Scaling Policy` → `Anthropic`,
 *   `Responsible Scaling Policy`).
 */

/** A word: letters/digits joined by inner punctuation that belongs to names and numbers. */
const TOKEN = /(?:\p{L}\.){2,}|[\p{L}\p{M}\p{N}]+(?:['’._+&/-][\p{L}\p{M}\p{N}]+)*(?:\+\+)?/gu;

/**
 * Longest name kept whole (in words: `Chief Global Affairs Officer`, `Llama 3.1 70B Instruct`);
 * longer runs are split into their words.
 */
const MAX_NAME_WORDS = 4;
/**
 * Longest lower-case phrase kept whole: without part-of-speech tags, longer runs are mostly
 * noun + verb ("software teams operate"), so they are split into their words.
 */
const MAX_PHRASE_WORDS = 3;

type TokenClass = 'upper' | 'lower' | 'num';

interface Token {
  surface: string;
  lower: string;
  cls: TokenClass;
  identifier: boolean;
}

/** Options of {@link latinTerms}. */
export interface LatinTermsOptions {
  /** Lower-case stopwords of the text's language. */
  stopwords: ReadonlySet<string>;
  /**
   * Lower-case words written capitalized only because the text is a Title Case headline; they
   * are treated as ordinary lower-case words (`Agents` in "Build Zero-Trust AI Agents").
   */
  demote?: ReadonlySet<string> | null;
  /** Lower-case words treated as stopwords in this text only (headline openers). */
  drop?: ReadonlySet<string> | null;
  /**
   * Words the item also writes in lower case: a plainly capitalized word that starts a sentence
   * ("Exploring …", "Unable to …") and is in this set is read as a lower-case word.
   */
  lowerVocabulary?: ReadonlySet<string> | null;
}

function stripPossessive(word: string): string {
  const w = word.replace(/’/g, "'");
  if (/^.+'s$/i.test(w)) return w.slice(0, -2);
  if (w.endsWith("'")) return w.slice(0, -1);
  return w;
}

const isPossessive = (word: string): boolean => /^.+['’]s$/i.test(word);

const isNumeric = (w: string): boolean => /^\p{N}/u.test(w);
const isPureNumber = (w: string): boolean => /^[\p{N}.,'/-]+$/u.test(w);
/** Digit and letter together (`4o`, `8x7B`, `V3`) or a capital after the first letter (`OpenAI`). */
const isIdentifier = (w: string): boolean => (/\p{N}/u.test(w) && /\p{L}/u.test(w)) || /.\p{Lu}/u.test(w);
const isAllCaps = (w: string): boolean => /\p{Lu}.*\p{Lu}/u.test(w) && !/\p{Ll}/u.test(w);

const isPlainCapitalized = (w: string): boolean => /^\p{Lu}\p{Ll}+$/u.test(w);

function classify(surface: string, opts: LatinTermsOptions, sentenceStart: boolean): Token | null {
  const { stopwords } = opts;
  const lower = surface.toLowerCase();
  const demote = opts.demote?.has(lower) || (sentenceStart && isPlainCapitalized(surface) && opts.lowerVocabulary?.has(lower));
  if (opts.drop?.has(lower)) return null;
  const letters = surface.match(/\p{L}/gu)?.length ?? 0;
  if (!isNumeric(surface) && letters < 2) return null;
  // Acronyms are content even when their lower-case form is a stopword (IT, US, AND-gates aside).
  if (stopwords.has(lower) && !isAllCaps(surface)) return null;
  const identifier = isIdentifier(surface);
  let cls: TokenClass;
  if (isNumeric(surface)) cls = 'num';
  else if (/\p{Lu}/u.test(surface) && !(demote && !identifier && !isAllCaps(surface))) cls = 'upper';
  else cls = 'lower';
  return { surface: cls === 'lower' ? lower : surface, lower, cls, identifier };
}

function kindOf(group: Token[]): TermKind {
  if (group.some((t) => t.cls === 'num' || t.identifier)) return 'identifier';
  if (group[0]!.cls === 'upper') return 'name';
  return group.length > 1 ? 'phrase' : 'word';
}

function emit(group: Token[], out: TermOccurrence[]): void {
  if (group.length === 0) return;
  const maxWords = group[0]!.cls === 'upper' ? MAX_NAME_WORDS : MAX_PHRASE_WORDS;
  if (group.length > maxWords) {
    // Too long to be one term: each word with the numbers that follow it (`Update 4661`).
    let i = 0;
    while (i < group.length) {
      const part = [group[i]!];
      while (i + 1 < group.length && group[i + 1]!.cls === 'num') part.push(group[++i]!);
      emit(part.length > MAX_NAME_WORDS ? part.slice(0, MAX_NAME_WORDS) : part, out);
      i++;
    }
    return;
  }
  const surface = group.map((t) => t.surface).join(' ');
  const key = group.map((t) => t.lower).join(' ');
  if (isPureNumber(key.replace(/ /g, ''))) return;
  if (group.length === 1 && group[0]!.cls === 'lower' && key.length < 3) return;
  out.push({ key, surface, kind: kindOf(group) });
}

/**
 * Candidate term occurrences of an alphabetic text, in text order.
 * @param text plain text (URLs already removed by the caller)
 * @param opts stopwords of the language; Title Case words to treat as lower case
 * @returns occurrences (key, surface, kind); never a stopword, a pure number or a one-letter word
 */
export function latinTerms(text: string, opts: LatinTermsOptions): TermOccurrence[] {
  const out: TermOccurrence[] = [];
  let group: Token[] = [];
  let last = 0;
  const flush = (): void => {
    emit(group, out);
    group = [];
  };
  let first = true;
  for (const m of text.matchAll(TOKEN)) {
    const gap = text.slice(last, m.index);
    last = m.index + m[0].length;
    // Punctuation or a line break between two words ends the phrase.
    if (/[^\s]|\n/.test(gap)) flush();
    const sentenceStart = first || /[.!?:;\n"“”«»]/.test(gap);
    first = false;
    const tok = classify(stripPossessive(m[0]), opts, sentenceStart);
    if (tok === null) {
      flush();
      continue;
    }
    if (tok.cls === 'num') {
      // Numbers continue a name (`Llama 3.1 70B`) and never start a phrase.
      if (group.length > 0 && group[0]!.cls === 'upper') group.push(tok);
      else flush();
      if (isPossessive(m[0])) flush();
      continue;
    }
    if (group.length > 0 && group[0]!.cls !== tok.cls) flush();
    group.push(tok);
    // The owner is one term, the thing owned another: "Anthropic's Long-Term Benefit Trust".
    if (isPossessive(m[0])) flush();
  }
  flush();
  return out;
}

/**
 * The words a text writes in lower case somewhere (lower-cased as written, possessives removed),
 * for {@link LatinTermsOptions.lowerVocabulary}.
 * @param text plain text
 * @returns set of lower-case words
 */
export function lowerCaseVocabulary(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.match(TOKEN) ?? []) {
    const s = stripPossessive(w);
    if (/^\p{Ll}/u.test(s)) out.add(s);
  }
  return out;
}

/**
 * Words of an English headline that are capitalized only by headline style, to be read as
 * lower-case words. Evidence comes from the body (without a leading copy of the headline, which
 * some feeds repeat): a plainly capitalized headline word (not an acronym or identifier) is
 * demoted when the body writes it in lower case and the headline is in Title Case (at least 4
 * longer — 4+ letters — non-stopwords, 75 % of them capitalized). The first word is demoted when
 * the body writes it in lower case; a first-word gerund (`Introducing`, `Improving`: headline
 * style, never the subject) is dropped like a stopword unless the body writes it capitalized.
 * @param title the headline
 * @param body the body text
 * @param stopwords English stopwords
 * @returns lower-case words to demote and to drop (possibly empty)
 */
export function headlineCaseWords(
  title: string,
  body: string,
  stopwords: ReadonlySet<string>,
): { demote: Set<string>; drop: Set<string> } {
  const all = (title.match(TOKEN) ?? []).map(stripPossessive);
  const words = all.filter((w) => /^\p{L}{4,}$/u.test(w) && !stopwords.has(w.toLowerCase()));
  const capitalized = words.filter((w) => /^\p{Lu}/u.test(w));
  const titleCase = words.length >= 4 && capitalized.length >= 0.75 * words.length;
  const ownBody = body.trimStart().startsWith(title.trim()) ? body.trimStart().slice(title.trim().length) : body;
  const bodyCap = new Set<string>();
  const bodyLow = new Set<string>();
  for (const w of ownBody.match(TOKEN) ?? []) {
    const s = stripPossessive(w);
    (/^\p{Lu}/u.test(s) ? bodyCap : bodyLow).add(s.toLowerCase());
  }
  const plain = isPlainCapitalized;
  const demote = new Set<string>();
  const drop = new Set<string>();
  const first = all[0];
  if (first !== undefined && plain(first)) {
    const lower = first.toLowerCase();
    if (lower.endsWith('ing') && !bodyCap.has(lower)) drop.add(lower);
    else if (bodyLow.has(lower)) demote.add(lower);
  }
  if (titleCase) {
    // Short words too ("Led", "Aid"): only the Title Case test itself needs longer words.
    for (const w of all) if (plain(w) && bodyLow.has(w.toLowerCase())) demote.add(w.toLowerCase());
  }
  return { demote, drop };
}
