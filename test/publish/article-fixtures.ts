import { readFile } from 'node:fs/promises';
import Parser from 'rss-parser';
import type { SourceInfo } from '../../src/publish/source-info.js';
import type { Article } from '../../src/types.js';
import { corpus } from '../helpers/paths.js';

/** An Article with every field empty except what `over` sets. */
export function makeArticle(over: Partial<Article> & Pick<Article, 'id' | 'guid'>): Article {
  return {
    sourceId: 'src',
    url: null,
    canonicalUrl: null,
    title: '',
    publishedAt: null,
    modifiedAt: null,
    dateHadNoZone: false,
    author: null,
    summaryHtml: null,
    feedContentHtml: null,
    contentHtml: null,
    text: null,
    categories: [],
    enclosures: [],
    imageUrl: null,
    extractionStatus: 'pending',
    extractionMethod: null,
    extractionReason: null,
    language: null,
    keywords: {},
    translations: {},
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

/** Source attribution for the Anthropic corpus feed (feed URL = its declared self link). */
export const ANTHROPIC: SourceInfo = {
  id: 'anthropic',
  name: 'Anthropic News',
  feedUrl: 'https://raw.githubusercontent.com/Olshansk/rss-feeds/main/feeds/feed_anthropic_news.xml',
  siteUrl: 'https://www.anthropic.com/news',
  language: 'en',
};

/**
 * Articles made from the real python-feedgen Anthropic feed in the corpus (read in place, parsed
 * with rss-parser), newest first as the store returns them.
 * @param limit how many
 */
export async function anthropicArticles(limit: number): Promise<Article[]> {
  const xml = await readFile(corpus('feeds', 'generated', 'anthropic-news.olshansk.rss2.xml'), 'utf8');
  const feed = await new Parser().parseString(xml);
  const articles = feed.items.map((item, i) =>
    makeArticle({
      id: `anthropic-${String(i).padStart(3, '0')}`,
      sourceId: ANTHROPIC.id,
      guid: item.guid ?? item.link ?? `item-${i}`,
      url: item.link ?? null,
      canonicalUrl: item.link ?? null,
      title: item.title ?? '',
      publishedAt: item.isoDate ?? null,
      summaryHtml: item.content ?? null,
      feedContentHtml: item.content ? `<p>${item.content}</p>` : null,
      categories: (item.categories ?? []).filter((c): c is string => typeof c === 'string'),
      extractionStatus: i % 3 === 0 ? 'ok' : 'failed',
      contentHtml: i % 3 === 0 ? `<p>Extracted body of “${item.title ?? ''}”.</p>` : null,
      extractionReason: i % 3 === 0 ? null : 'EXTRACT_TOO_LITTLE_TEXT',
      language: 'en',
      firstSeenAt: '2026-08-23T00:00:00.000Z',
      updatedAt: '2026-08-23T00:00:00.000Z',
    }),
  );
  articles.sort((a, b) => Date.parse(b.publishedAt ?? b.firstSeenAt) - Date.parse(a.publishedAt ?? a.firstSeenAt) || a.id.localeCompare(b.id));
  return articles.slice(0, limit);
}

/** Fails when a document holds a character outside XML 1.0 `Char` (sax accepts some of them). */
export function nonXmlChars(doc: string): string[] {
  const bad = doc.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g);
  return (bad ?? []).map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
