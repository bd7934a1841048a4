import type { Article, ArticleInput, Translation } from '../../types.js';
import { normalizeEnclosure, normalizeTranslation } from './article-rows.js';

/** The feed-level part of an Article, taken from the input's FeedItem (nulls filled in). */
function feedPart(input: ArticleInput) {
  const item = input.item;
  return {
    guid: item.guid,
    url: item.url ?? null,
    canonicalUrl: item.canonicalUrl ?? null,
    title: item.title,
    publishedAt: item.publishedAt ?? null,
    modifiedAt: item.modifiedAt ?? null,
    dateHadNoZone: item.dateHadNoZone === true,
    author: item.author ?? null,
    summaryHtml: item.summaryHtml ?? null,
    feedContentHtml: item.contentHtml ?? null,
    categories: [...(item.categories ?? [])],
    enclosures: (item.enclosures ?? []).map((e) => normalizeEnclosure(e)),
    imageUrl: item.imageUrl ?? null,
  };
}

function normalizeKeywords(k: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [lang, list] of Object.entries(k)) out[lang] = [...list];
  return out;
}

function normalizeTranslations(t: Record<string, Translation>): Record<string, Translation> {
  const out: Record<string, Translation> = {};
  for (const [lang, tr] of Object.entries(t)) out[lang] = normalizeTranslation(tr);
  return out;
}

/** Extraction columns from the input, or the "not tried yet" values when it has none. */
function extractionPart(input: ArticleInput) {
  const x = input.extraction;
  if (x == null) {
    return { contentHtml: null, text: null, extractionStatus: 'pending' as const, extractionMethod: null, extractionReason: null };
  }
  return {
    contentHtml: x.contentHtml ?? null,
    text: x.text ?? null,
    extractionStatus: x.status,
    extractionMethod: x.method ?? null,
    extractionReason: x.reason ?? null,
  };
}

/**
 * The Article first stored for a new item.
 * @param id stable id (see articleId)
 * @param sourceId source the poll belongs to
 * @param input what the pipeline produced for the item; a null extraction is stored as 'pending'
 * @param now ISO time of this write (firstSeenAt and updatedAt)
 */
export function newArticle(id: string, sourceId: string, input: ArticleInput, now: string): Article {
  return {
    id,
    sourceId,
    ...feedPart(input),
    ...extractionPart(input),
    language: input.language ?? null,
    keywords: normalizeKeywords(input.keywords ?? {}),
    translations: normalizeTranslations(input.translations ?? {}),
    firstSeenAt: now,
    updatedAt: now,
  };
}

/**
 * The Article a known item becomes: feed fields from the input; extraction, language, keywords
 * and translations from the input only when it carries them (a null extraction or an empty map
 * means "not redone this time", so the stored results are kept). Id and firstSeenAt never change.
 * @param prev the stored article
 * @param input what the pipeline produced this poll
 * @param now ISO time of this write (becomes updatedAt)
 */
export function mergeArticle(prev: Article, input: ArticleInput, now: string): Article {
  const keywords = input.keywords ?? {};
  const translations = input.translations ?? {};
  return {
    ...prev,
    ...feedPart(input),
    ...(input.extraction == null ? {} : extractionPart(input)),
    language: input.language ?? prev.language,
    keywords: Object.keys(keywords).length > 0 ? normalizeKeywords(keywords) : prev.keywords,
    translations: Object.keys(translations).length > 0 ? normalizeTranslations(translations) : prev.translations,
    updatedAt: now,
  };
}
