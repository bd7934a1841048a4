/**
 * Realistic stored items for the serving and store benchmarks: real corpus feed items (parsed
 * and sanitized as the pipeline does), each with an accepted hand-made zh translation and
 * keywords in both languages, so published feeds carry both versions as in production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeBody } from '../../src/fetch/decode.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { sanitizeItem } from '../../src/pipeline/sanitized-items.js';
import { sanitizeHtml } from '../../src/extract/sanitize.js';
import { htmlToText } from '../../src/extract/html-to-text.js';
import type { ArticleInput, FeedItem, SourceState } from '../../src/types.js';
import { initialState } from '../../src/pipeline/source-state.js';

/** English corpus feeds with full item content (RSS 2.0 / Atom / RDF, real publishers). */
const ENGLISH_FEEDS = [
  'generated/anthropic-news.olshansk.rss2.xml',
  'generated/openai-research.olshansk.rss2.xml',
  'generated/the-batch-deeplearning-ai.olshansk.rss2.xml',
  'generated/google-ai-blog.olshansk.rss2.xml',
  'ai-tech/google-cloud-blog.rss2.xml',
  'ai-tech/theguardian.rss2.xml',
  'ai-tech/techcrunch-2011-11.feedburner.rss2.xml',
  'ai-tech/theverge-frontpage-2017.atom',
  'ai-tech/daringfireball-2017.atom',
  'ai-tech/google-official-blog-feedburner.atom',
  'ai-tech/macworld-2017.rss2.xml',
  'ai-tech/nytimes.rss2.xml',
];

/** A template item from the corpus with the feed it came from. */
export interface TemplateItem {
  feed: string;
  item: FeedItem;
}

/**
 * Parses the English corpus feeds (decodeBody + parseFeed + sanitizeItem, as a poll does) and
 * returns their items that have a title and some HTML body.
 * @param feedsDir ../shared/corpus/feeds
 */
export async function corpusTemplates(feedsDir: string): Promise<TemplateItem[]> {
  const present = new Set(readdirSync(feedsDir, { recursive: true }).map(String));
  const out: TemplateItem[] = [];
  for (const rel of ENGLISH_FEEDS) {
    if (!present.has(rel)) continue;
    const bytes = readFileSync(path.join(feedsDir, rel));
    const feed = await parseFeed(decodeBody(bytes, null, 'feed').text, { feedUrl: `https://corpus.example/${rel}`, timezone: null, maxItems: 500 });
    for (const it of feed.items) {
      const item = sanitizeItem(it, { categories: [] });
      if (item.title.trim() !== '' && (item.contentHtml ?? item.summaryHtml ?? '').length > 200) out.push({ feed: rel, item });
    }
  }
  if (out.length === 0) throw new Error(`no usable items in the English corpus feeds under ${feedsDir}`);
  return out;
}

const ZH_WORDS = '模型 智能体 基准 推理 开放权重 多模态 机器人 芯片 数据中心 对齐 数据集 微调 评估 延迟 上下文窗口 检索 政策 初创公司 融资 发布 研究 团队 用户 产品 训练 算力 安全 开源'.split(' ');

/**
 * A stand-in zh translation: every Latin word of the text outside tags becomes a Chinese word,
 * numbers and markup stay (as a faithful translation keeps them), so sizes and structure match
 * a real translation.
 */
export function pseudoChinese(html: string, seed: number): string {
  let k = seed >>> 0;
  const word = (): string => {
    k = (k * 1103515245 + 12345) >>> 0;
    return ZH_WORDS[k % ZH_WORDS.length] as string;
  };
  return html.replace(/(^|>)([^<]*)/g, (_m, gt: string, text: string) => gt + text.replace(/[A-Za-z][A-Za-z'’-]*/g, () => word()));
}

/** Cuts sanitized HTML to about `maxChars` (the sanitizer closes what the cut left open). */
export function capHtml(html: string, maxChars: number): string {
  if (html.length <= maxChars) return html;
  const cut = html.lastIndexOf('<', maxChars);
  return sanitizeHtml(html.slice(0, cut > maxChars / 2 ? cut : maxChars));
}

/**
 * One stored-item input: the template's content (optionally capped) as the extracted article,
 * language `en`, keywords in en and zh, an accepted zh translation.
 * @param sourceId store source id
 * @param t template
 * @param n unique number (guid, link and date derive from it; larger = newer)
 * @param baseMs date of n = 0 (ms since epoch); item n is published at baseMs + n minutes
 * @param maxBodyChars cap on the body HTML (chars), Infinity for none
 */
export function bilingualInput(sourceId: string, t: TemplateItem, n: number, baseMs: number, maxBodyChars = Infinity): ArticleInput {
  const body = capHtml(t.item.contentHtml ?? t.item.summaryHtml ?? '', maxBodyChars);
  const at = new Date(baseMs + n * 60_000).toISOString();
  const url = `https://news.example/${sourceId}/${n}`;
  return {
    sourceId,
    item: { ...t.item, guid: `${sourceId}-${n}`, url, canonicalUrl: url, publishedAt: at, modifiedAt: null, contentHtml: body, summaryHtml: null },
    extraction: { status: 'ok', method: 'generic', contentHtml: body, text: htmlToText(body), reason: null },
    language: 'en',
    keywords: { en: ['large language model', 'GPT-4o', 'benchmark', 'open weights'], zh: ['大语言模型', 'GPT-4o', '基准', '开放权重'] },
    translations: {
      zh: {
        title: pseudoChinese(t.item.title, n),
        contentHtml: pseudoChinese(body, n + 1),
        provider: 'openai',
        model: 'bench-model',
        at,
        status: 'ok',
        missing: [],
      },
    },
  };
}

/** A successful source state for `savePoll`. */
export function okState(sourceId: string, feedUrl: string, at: string): SourceState {
  return {
    ...initialState({ id: sourceId, url: feedUrl }),
    lastAttemptAt: at,
    lastSuccessAt: at,
    feedTitle: `Bench source ${sourceId}`,
    siteUrl: `https://news.example/${sourceId}/`,
  };
}
