/** One occurrence of a candidate keyword term, as the language-specific tokenizers emit it. */

/**
 * What a term is, strongest first: `identifier` (a digit or inner capital: `GPT-4o`,
 * `Llama 3.1 70B`, `DeepSeek-V3`), `name` (capitalized words: `Hugging Face`; Chinese person,
 * place and organization names), `phrase` (several lower-case words: `language models`),
 * `word` (one word; a Chinese noun).
 */
export type TermKind = 'identifier' | 'name' | 'phrase' | 'word';

/** One occurrence of a term in a text. */
export interface TermOccurrence {
  /** Comparison form: lower case, single spaces; Chinese in Simplified characters. */
  key: string;
  /** The form shown to readers, as written (possessive `'s` removed). */
  surface: string;
  kind: TermKind;
}

/** Rank of a kind (higher = stronger), for merging occurrences of one key. */
export const KIND_RANK: Record<TermKind, number> = { identifier: 3, name: 2, phrase: 1, word: 0 };
