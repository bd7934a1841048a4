import { createHash } from 'node:crypto';
import { articleContentHash } from '../../src/store/content-hash.js';
import { hasLanguageVersion } from '../../src/store/article-languages.js';
import { articleKeywordSet, articleSortKey, compareClaim, comparePublished, foldKeyword, isAfterCursor } from '../../src/store/article-order.js';
import { primarySubtag } from '../../src/enrich/language/language-tag.js';
import { substringMatches } from '../../src/store/search-text.js';
import type { ArticleQuery, Store, StoredRef } from '../../src/store/store.js';
import type { Article, ArticleInput, Clock, IdentityPolicy, SourceState, UpsertCounts } from '../../src/types.js';
import { initialState } from '../../src/pipeline/source-state.js';

/**
 * In-memory Store for server tests only (the real engine is store/sqlite). Keeps the contract's
 * ordering (newest first by publishedAt ?? firstSeenAt, ties by id) and identity rules, and like
 * the real store keeps stored language, keywords and translations when a save carries none, and
 * counts a save that adds a translation as an update; nothing more.
 *
 * Filters behave as in the SQLite store (same order, cursor and keyword folding from
 * src/store/article-order.ts, the language rule of src/store/article-languages.ts), except
 * `text`: here a plain substring match of every word (search-text.ts `substringMatches`), not FTS5 — the same for CJK, broader for Latin words
 * (no word boundaries, no stemming).
 */
export class MemoryStore implements Store {
  readonly articles = new Map<string, Article>();
  readonly states = new Map<string, SourceState>();
  /** Number of listArticles calls (lets tests check the server's feed cache). */
  listCalls = 0;
  closed = false;

  constructor(private readonly clock: Clock) {}

  /** Puts a ready-made article (replacing one with the same id). */
  put(...articles: Article[]): void {
    for (const a of articles) this.articles.set(a.id, a);
  }

  async savePoll(sourceId: string, items: ArticleInput[], state: SourceState): Promise<UpsertCounts> {
    const counts: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };
    const now = this.clock.now().toISOString();
    for (const input of items) {
      const ref = await this.findItem(sourceId, state.identityPolicy, input.item.guid, input.item.canonicalUrl);
      const old = ref ? this.articles.get(ref.id) : undefined;
      const id = old?.id ?? articleId(sourceId, state.identityPolicy === 'link' ? (input.item.canonicalUrl ?? input.item.guid) : input.item.guid);
      const next = toArticle(id, input, old?.firstSeenAt ?? now, now, old);
      if (!old) counts.new++;
      else if (articleContentHash(old) === articleContentHash(next)) {
        counts.unchanged++;
        continue;
      } else counts.updated++;
      this.articles.set(id, next);
    }
    this.states.set(state.sourceId, state);
    return counts;
  }

  async saveSourceState(state: SourceState): Promise<void> {
    this.states.set(state.sourceId, state);
  }

  async getSourceState(sourceId: string): Promise<SourceState | null> {
    return this.states.get(sourceId) ?? null;
  }

  async listSourceStates(): Promise<SourceState[]> {
    return [...this.states.values()].sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  }

  async findItem(sourceId: string, policy: IdentityPolicy, guid: string, canonicalUrl: string | null): Promise<StoredRef | null> {
    for (const a of this.articles.values()) {
      if (a.sourceId !== sourceId) continue;
      const hit = (policy === 'guid' && a.guid === guid) || (canonicalUrl !== null && a.canonicalUrl === canonicalUrl);
      if (hit) return { id: a.id, contentHash: contentHash(a), extractionStatus: a.extractionStatus };
    }
    return null;
  }

  async listArticles(query: ArticleQuery): Promise<Article[]> {
    this.listCalls++;
    const only = query.sourceIds && query.sourceIds.length > 0 ? new Set(query.sourceIds) : null;
    const keywords = (query.keywords ?? []).map(foldKeyword);
    const text = query.text ?? '';
    const before = query.before ?? null;
    const language = query.language == null || query.language.trim() === '' ? null : primarySubtag(query.language);
    const declared = query.declaredLanguages ?? {};
    return [...this.articles.values()]
      .filter((a) => only === null || only.has(a.sourceId))
      .filter((a) => {
        if (keywords.length === 0) return true;
        const have = articleKeywordSet(a);
        return keywords.every((k) => have.has(k));
      })
      .filter((a) => text === '' || substringMatches(a, text))
      .filter((a) => language === null || hasLanguageVersion(a, declared[a.sourceId] ?? null, language))
      .filter((a) => before === null || isAfterCursor(articleSortKey(a), a.id, before))
      .sort(comparePublished)
      .slice(0, query.limit)
      .map((a) => ({ ...a, guidOwner: this.guidOwner(a.guid) }));
  }

  // As the SQLite store: the first claimer of the guid among all stored articles.
  private guidOwner(guid: string): string {
    return [...this.articles.values()].filter((a) => a.guid === guid).sort(compareClaim)[0]!.id;
  }

  async countArticles(sourceId?: string): Promise<number> {
    let n = 0;
    for (const a of this.articles.values()) if (sourceId === undefined || a.sourceId === sourceId) n++;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A source state with every optional field empty. */
export function emptyState(sourceId: string, feedUrl: string): SourceState {
  return { ...initialState({ id: sourceId, url: feedUrl }), configUrl: null };
}

function articleId(sourceId: string, key: string): string {
  return createHash('sha256').update(`${sourceId}\n${key}`).digest('hex').slice(0, 24);
}

function contentHash(a: Article): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.url, a.publishedAt, a.modifiedAt, a.summaryHtml, a.feedContentHtml, a.categories]))
    .digest('hex');
}

function toArticle(id: string, input: ArticleInput, firstSeenAt: string, now: string, old: Article | undefined): Article {
  const { item, extraction } = input;
  return {
    id,
    sourceId: input.sourceId,
    guid: item.guid,
    url: item.url,
    canonicalUrl: item.canonicalUrl,
    title: item.title,
    publishedAt: item.publishedAt,
    modifiedAt: item.modifiedAt,
    dateHadNoZone: item.dateHadNoZone,
    author: item.author,
    summaryHtml: item.summaryHtml,
    feedContentHtml: item.contentHtml,
    contentHtml: extraction ? extraction.contentHtml : (old?.contentHtml ?? null),
    text: extraction ? extraction.text : (old?.text ?? null),
    categories: item.categories,
    enclosures: item.enclosures,
    imageUrl: item.imageUrl,
    extractionStatus: extraction ? extraction.status : (old?.extractionStatus ?? 'pending'),
    extractionMethod: extraction ? extraction.method : (old?.extractionMethod ?? null),
    extractionReason: extraction ? extraction.reason : (old?.extractionReason ?? null),
    language: input.language ?? old?.language ?? null,
    keywords: Object.keys(input.keywords).length > 0 ? input.keywords : (old?.keywords ?? {}),
    translations: Object.keys(input.translations).length > 0 ? input.translations : (old?.translations ?? {}),
    firstSeenAt,
    updatedAt: now,
  };
}
