import { htmlToText } from '../extract/html-to-text.js';
import type { Article } from '../types.js';

/**
 * Text search over both languages of an article (the `q` filter).
 *
 * How Chinese is made findable: every Han, Kana or Hangul character becomes a token of its own
 * (spaces are put around it) and a query's CJK run becomes a *phrase* of those characters, so a
 * query matches exactly where its characters stand next to each other in the text — 模型 finds
 * 大模型 and 模型, 芯片 finds 掌握芯片才能. Latin text is tokenized as words by SQLite's
 * unicode61 tokenizer (case and diacritics folded) with the porter stemmer (model ↔ models).
 * Why not the alternatives: jieba segmentation depends on context, so a word can be cut one way in
 * the text and another in the query (大模型 is one token in the text, 模型 in the query: a miss);
 * the trigram tokenizer cannot match a query shorter than three characters, and most Chinese
 * words are two. The cost is a larger index (one position per CJK character), which is small
 * next to the articles themselves.
 */

/** CJK scripts written without spaces between words. */
const CJK_CHAR = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u30FC])/gu;

/**
 * Text as it is given to the FTS5 index and to query phrases: NFKC, each CJK character set
 * apart by spaces.
 * @param text plain text
 * @returns e.g. `GPT-4 大模型` → `GPT-4  大  模  型 ` (extra spaces are harmless)
 */
export function searchTokens(text: string): string {
  return text.normalize('NFKC').replace(CJK_CHAR, ' $1 ');
}

/** The two indexed columns of one article. */
export interface SearchDocument {
  /** Original title and every translated title, one per line, prepared by {@link searchTokens}. */
  title: string;
  /** Original body text and every translated body as text, prepared by {@link searchTokens}. */
  body: string;
}

/**
 * The searchable text of an article in every language it has: the original title and body (the
 * extracted text, else the article/feed HTML as text) and each translation's title and body.
 * @param a the article
 * @returns title and body columns for the index
 */
export function searchDocument(a: SearchableArticle): SearchDocument {
  const plain = plainDocument(a);
  return { title: searchTokens(plain.title), body: searchTokens(plain.body) };
}

/** The article fields the searchable text is made of. */
export type SearchableArticle = Pick<Article, 'title' | 'text' | 'contentHtml' | 'feedContentHtml' | 'summaryHtml' | 'translations'>;

function plainDocument(a: SearchableArticle): SearchDocument {
  const titles = [a.title];
  const html = a.contentHtml ?? a.feedContentHtml ?? a.summaryHtml;
  const bodies = [a.text !== null && a.text !== '' ? a.text : html !== null ? htmlToText(html) : ''];
  for (const t of Object.values(a.translations)) {
    titles.push(t.title);
    if (t.contentHtml !== null) bodies.push(htmlToText(t.contentHtml));
  }
  return { title: titles.join('\n'), body: bodies.join('\n') };
}

/**
 * The words of a `q` value: NFKC, split on white space (control characters and lone surrogates
 * count as white space), keeping only words with a letter or digit.
 * All of them must occur in an item (AND).
 * @param q the query as the reader typed it
 * @returns the words, e.g. `大模型  OpenAI` → `["大模型", "OpenAI"]`; empty when nothing is searchable
 */
export function searchTerms(q: string): string[] {
  return withoutControls(q)
    .normalize('NFKC')
    .split(/\s+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

// Control characters and lone surrogates are never text a reader searches for, and a NUL ends
// an FTS5 string literal early ("unterminated string"): they separate words like white space.
// The server refuses them in `q` before this (feed-query.ts); this keeps every other caller safe.
// (In a /u pattern \p{Cs} matches only unpaired surrogates: a pair is one code point.)
const CONTROL_OR_LONE_SURROGATE = /[\p{Cc}\p{Cs}]/gu;

function withoutControls(q: string): string {
  return q.replace(CONTROL_OR_LONE_SURROGATE, ' ');
}

/**
 * FTS5 MATCH expression for a `q` value (https://sqlite.org/fts5.html#full_text_query_syntax):
 * each word becomes a quoted phrase (so FTS5 operators and punctuation in it are plain text;
 * `"` is doubled) of its tokens, CJK characters set apart; the phrases are joined with AND.
 * Control characters (C0, DEL, C1) and lone surrogates separate words like white space (see
 * {@link searchTerms}), so no input makes FTS5 report a syntax error.
 * @param q the query as the reader typed it
 * @returns the expression, or null when `q` has no searchable word
 */
export function ftsMatchExpression(q: string): string | null {
  const terms = searchTerms(q);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${searchTokens(t).trim().replace(/"/g, '""')}"`).join(' AND ');
}

/**
 * The simple matcher of stores without an FTS index (the test memory store): every word of `q`
 * occurs, case-insensitively after NFKC, as a substring of the article's searchable text; a word
 * with CJK characters is looked for with spaces and punctuation removed on both sides, as FTS5
 * skips them between the character tokens. Broader than FTS5 for Latin words (substring, not
 * word; no stemming), the same for CJK.
 * @param a the article
 * @param q the query
 */
export function substringMatches(a: SearchableArticle, q: string): boolean {
  const doc = plainDocument(a);
  const parts = [doc.title, doc.body].map((p) => p.normalize('NFKC').toLowerCase());
  const squashed = parts.map(squash);
  const terms = searchTerms(q).map((t) => t.toLowerCase());
  return terms.length > 0 && terms.every((t) => (hasCjk(t) ? squashed.some((p) => p.includes(squash(t))) : parts.some((p) => p.includes(t))));
}

function squash(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, '');
}

function hasCjk(text: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);
}
