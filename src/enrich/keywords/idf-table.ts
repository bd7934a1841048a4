import { candidateKeys, type KeywordInput } from './candidate-terms.js';

/**
 * Document frequencies of candidate terms over the stored corpus, kept in memory.
 *
 * Lifecycle (what the pipeline does):
 * - at start: `IdfTable.fromDocuments(store's articles as {language, title, text})`;
 * - for each new item: `table.addDocument(item)` (before or after extracting its keywords:
 *   with the item in, its own terms have a document frequency of at least 1);
 * - for an item whose text changed: `removeDocument(old)` then `addDocument(new)`;
 * - for an item deleted from the store: `removeDocument(item)`.
 * Terms are what {@link candidateKeys} returns, so the table counts exactly what is scored. One
 * table serves every language: Chinese and English terms do not collide, and Latin identifiers
 * (`GPT-4o`) are weighed over all items that mention them. Memory is one map entry per distinct
 * term (tens of thousands for a few thousand articles).
 *
 * IDF is the smoothed form `1 + ln((N + 1) / (df + 1))` (as in scikit-learn's TfidfTransformer):
 * 1 for a term in every document, larger for rarer terms, finite for unseen ones. While the
 * corpus is small its statistics are noise, so the table blends toward the neutral 1:
 * `idf = 1 + min(1, N / SMALL_CORPUS_DOCS) · ln((N + 1) / (df + 1))` — with no documents every
 * term weighs 1 and keywords come from frequency, position and kind alone.
 */
export class IdfTable {
  /** Documents below which IDF is blended toward 1 (see the class comment). */
  static readonly SMALL_CORPUS_DOCS = 20;

  readonly #df = new Map<string, number>();
  #docs = 0;

  /**
   * A table over the given documents.
   * @param docs any iterable of items ({language, title, text}: plain text)
   * @returns the filled table
   */
  static fromDocuments(docs: Iterable<KeywordInput>): IdfTable {
    const table = new IdfTable();
    for (const doc of docs) table.addDocument(doc);
    return table;
  }

  /** Number of documents counted. */
  get docCount(): number {
    return this.#docs;
  }

  /** Number of distinct terms counted. */
  get termCount(): number {
    return this.#df.size;
  }

  /**
   * Counts one document given as its terms (duplicates count once).
   * @param docTerms the document's terms, as {@link candidateKeys} gives them
   */
  add(docTerms: Iterable<string>): void {
    for (const term of new Set(docTerms)) this.#df.set(term, (this.#df.get(term) ?? 0) + 1);
    this.#docs++;
  }

  /**
   * Uncounts one document previously added with the same terms. Counts never go below zero,
   * so removing a document that was never added cannot corrupt other terms' counts.
   * @param docTerms the terms it was added with
   */
  remove(docTerms: Iterable<string>): void {
    for (const term of new Set(docTerms)) {
      const n = (this.#df.get(term) ?? 0) - 1;
      if (n > 0) this.#df.set(term, n);
      else this.#df.delete(term);
    }
    if (this.#docs > 0) this.#docs--;
  }

  /**
   * Counts one item (its candidate terms).
   * @param doc {language, title, text}
   */
  addDocument(doc: KeywordInput): void {
    this.add(candidateKeys(doc));
  }

  /**
   * Uncounts one item added before with the same title, text and language.
   * @param doc {language, title, text}
   */
  removeDocument(doc: KeywordInput): void {
    this.remove(candidateKeys(doc));
  }

  /**
   * Documents containing a term.
   * @param term a candidate key
   * @returns 0 for unseen terms
   */
  df(term: string): number {
    return this.#df.get(term) ?? 0;
  }

  /**
   * Inverse document frequency of a term (smoothed, blended toward 1 on small corpora).
   * @param term a candidate key
   * @returns ≥ 1 (a term in every document: exactly 1)
   */
  idf(term: string): number {
    const n = this.#docs;
    const blend = Math.min(1, n / IdfTable.SMALL_CORPUS_DOCS);
    return 1 + blend * Math.max(0, Math.log((n + 1) / (this.df(term) + 1)));
  }
}
