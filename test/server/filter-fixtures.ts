import { readFile } from 'node:fs/promises';
import Parser from 'rss-parser';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { AppConfig, Article, ArticleInput, SourceConfig } from '../../src/types.js';
import { buildConfig } from '../../src/config/load-config.js';
import { FixedClock } from '../helpers/clock.js';
import { corpus } from '../helpers/paths.js';
import { bilingualArticles, GCLOUD, KR36, type BilingualSet } from '../publish/bilingual-fixtures.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import { state, tempDir } from '../store/fixtures.js';
import { sourceConfigFor } from '../helpers/source-config.js';

/**
 * A real SQLite store holding real corpus items in both languages, for the filter and paging
 * tests: the six hand-translated bilingual articles (bilingual-fixtures.ts: Google Cloud blog in
 * English with zh translations and keywords, 36氪 in Chinese with an en translation and keywords)
 * plus every other item of the same two corpus feeds, and the Google AI blog feed as a third
 * source. Every fifth bulk item has its date removed (a feed without dates), so those items share
 * one sort key — the time they were first seen — as do the corpus items that share a pubDate.
 */

export const GOOGLE_AI: SourceInfo = {
  id: 'googleai',
  name: 'Google Developers Blog · AI',
  feedUrl: 'https://developers.googleblog.com/feeds/posts/default/-/AI',
  siteUrl: 'https://developers.googleblog.com/',
  language: 'en',
};

/** When the bulk items are saved: the sort key of the dateless ones. */
export const SAVED_AT = '2026-08-23T00:00:00.000Z';

/** The populated store and what was put in it. */
export interface FilterCorpus {
  store: SqliteStore;
  dir: string;
  set: BilingualSet;
  /** Every stored article as read back (newest first). */
  all: Article[];
  sources: SourceConfig[];
}

/** The six bilingual articles as the pipeline would hand them to the store. */
function toInput(a: Article): ArticleInput {
  return {
    sourceId: a.sourceId,
    item: {
      guid: a.guid,
      url: a.url,
      canonicalUrl: a.canonicalUrl,
      title: a.title,
      publishedAt: a.publishedAt,
      modifiedAt: null,
      dateHadNoZone: false,
      author: null,
      summaryHtml: null,
      contentHtml: null,
      categories: a.categories,
      enclosures: [],
      imageUrl: null,
    },
    extraction: { status: 'ok', method: 'generic', contentHtml: a.contentHtml, text: null, reason: null },
    language: a.language,
    keywords: a.keywords,
    translations: a.translations,
  };
}

async function bulkInputs(file: string, sourceId: string, skipGuids: Set<string>): Promise<ArticleInput[]> {
  const feed = await new Parser().parseString(await readFile(file, 'utf8'));
  const out: ArticleInput[] = [];
  feed.items.forEach((item, i) => {
    const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    const guid = str(item.guid) ?? str(item.link) ?? `${sourceId}-${i}`;
    if (skipGuids.has(guid)) return;
    const html = str((item as Parser.Item & { 'content:encoded'?: string })['content:encoded']) ?? str(item.content);
    out.push({
      sourceId,
      item: {
        guid,
        url: str(item.link),
        canonicalUrl: str(item.link),
        title: str(item.title) ?? '',
        publishedAt: i % 5 === 4 ? null : str(item.isoDate),
        modifiedAt: null,
        dateHadNoZone: false,
        author: str(item.creator),
        summaryHtml: null,
        contentHtml: html,
        categories: [],
        enclosures: [],
        imageUrl: null,
      },
      extraction: null,
      language: null,
      keywords: {},
      translations: {},
    });
  });
  return out;
}

/**
 * Builds the store in a fresh temp directory (the caller closes the store and removes `dir`).
 * @param clock the store's clock (firstSeenAt of everything saved)
 */
export async function filterCorpus(clock = new FixedClock(SAVED_AT)): Promise<FilterCorpus> {
  const set = await bilingualArticles();
  const dir = tempDir();
  const store = openSqliteStore({ dataDir: dir, clock });
  const guids = new Set(set.all.map((a) => a.guid));
  const gcloud = [...set.all.filter((a) => a.sourceId === GCLOUD.id).map(toInput), ...(await bulkInputs(corpus('feeds', 'ai-tech', 'google-cloud-blog.rss2.xml'), GCLOUD.id, guids))];
  const kr = [...set.all.filter((a) => a.sourceId === KR36.id).map(toInput), ...(await bulkInputs(corpus('feeds', 'peer-aggregator-output', 'rss-gpt-36kr-ai-2023-11.zh.rss2.xml'), KR36.id, guids))];
  const gai = await bulkInputs(corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml'), GOOGLE_AI.id, guids);
  await store.savePoll(GCLOUD.id, gcloud, state(GCLOUD.id, { feedUrl: GCLOUD.feedUrl }));
  await store.savePoll(KR36.id, kr, state(KR36.id, { feedUrl: KR36.feedUrl }));
  await store.savePoll(GOOGLE_AI.id, gai, state(GOOGLE_AI.id, { feedUrl: GOOGLE_AI.feedUrl }));
  const all = await store.listArticles({ limit: 100_000 });
  return { store, dir, set, all, sources: [GCLOUD, KR36, GOOGLE_AI].map(sourceConfigFor) };
}

/** A config over the corpus sources with zh+en output, base URL set, and `maxItems`. */
export function filterConfig(sources: SourceConfig[], maxItems: number): AppConfig {
  const defaults = buildConfig({ sources: [] }, 'test defaults');
  return {
    ...defaults,
    output: { ...defaults.output, title: 'duofeed', description: 'AI news', baseUrl: 'https://news.example.com', maxItems, languages: ['zh', 'en'] },
    sources,
  };
}

/** Attribution map of the config's sources. */
export function sourceInfos(config: AppConfig): Map<string, SourceInfo> {
  return buildSourceInfos(config.sources);
}
