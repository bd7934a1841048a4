import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildConfig } from '../../src/config/load-config.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqliteStore } from '../../src/store/sqlite/index.js';
import type { AppConfig, Article, ArticleInput, SourceConfig, SourceState } from '../../src/types.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import { FixedClock } from '../helpers/clock.js';
import { emptyState } from '../helpers/memory-store.js';
import { makeArticle } from '../publish/article-fixtures.js';
import { bilingualArticles, GCLOUD, KR36, type BilingualSet } from '../publish/bilingual-fixtures.js';
import { sourceConfigFor } from '../helpers/source-config.js';
import { articleToItem } from '../../src/store/content-hash.js';

/** A source that used to work and now fails on every poll; it published the hostile item. */
export const BROKEN: SourceInfo = {
  id: 'broken-lab',
  name: 'Broken <Lab> & "Co"',
  feedUrl: 'https://broken.example.net/feed.xml',
  siteUrl: 'https://broken.example.net/',
  language: 'en',
};

/** Title made to break out of HTML if anything printed it unescaped. */
export const HOSTILE_TITLE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)> Model & "agents" </li></ol>';
/** Last error message of the broken source (markup in an error message is text too). */
export const BROKEN_ERROR = 'GET https://broken.example.net/feed.xml answered <b>503</b> Service Unavailable';

/** Time the page fixtures are read at. */
export const NOW = '2026-08-23T12:00:00.000Z';

/** The config the page tests serve: zh + en output, three sources, no base URL (Host decides). */
export function pageConfig(): AppConfig {
  const defaults = buildConfig({ sources: [] }, 'page test defaults');
  return {
    ...defaults,
    output: { ...defaults.output, title: 'duofeed · AI 双语快讯', description: '中英双语 AI 新闻聚合 / Bilingual AI news', baseUrl: null, languages: ['zh', 'en'], layout: 'stacked', titleMode: 'primary' },
    translation: { ...defaults.translation, provider: 'openai', model: 'qwen2.5-72b-instruct', baseUrl: 'http://127.0.0.1:1/v1' },
    sources: [sourceConfigFor(GCLOUD), sourceConfigFor(KR36), sourceConfigFor(BROKEN)],
  };
}

/** The hostile article of {@link BROKEN}, newest of all so it tops every list. */
export function hostileArticle(): Article {
  return makeArticle({
    id: 'hostile',
    guid: 'https://broken.example.net/p/1',
    sourceId: BROKEN.id,
    url: 'https://broken.example.net/p/1?a=1&b="2"',
    canonicalUrl: 'https://broken.example.net/p/1',
    title: HOSTILE_TITLE,
    publishedAt: '2026-08-22T09:30:00.000Z',
    contentHtml: '<p>Body.</p>',
    extractionStatus: 'ok',
    extractionMethod: 'generic',
    language: 'en',
    keywords: { en: ['<script>x</script>', 'agents'], zh: ['智能体'] },
    translations: { zh: { title: '“智能体”<img src=x onerror=alert(2)><script>alert(2)</script> 标题', contentHtml: '<p>正文。</p>', provider: 'openai', model: 'qwen2.5-72b-instruct', at: NOW, status: 'ok', missing: [] } },
    firstSeenAt: '2026-08-22T09:35:00.000Z',
    updatedAt: '2026-08-22T09:35:00.000Z',
  });
}

function toInput(a: Article): ArticleInput {
  return {
    sourceId: a.sourceId,
    item: articleToItem(a),
    extraction: { status: 'ok', method: 'generic', contentHtml: a.contentHtml, text: null, reason: null },
    language: a.language,
    keywords: a.keywords,
    translations: a.translations,
  };
}

/** A real SQLite store holding the bilingual corpus articles, the hostile one and three source states. */
export interface PageStore {
  store: SqliteStore;
  config: AppConfig;
  clock: FixedClock;
  set: BilingualSet;
  hostile: Article;
  dir: string;
  /** Id the store gave a fixture article (the store derives ids from source and guid). */
  idOf(article: Article): string;
}

/**
 * Opens a SqliteStore on a fresh temp dir and saves, as polls would: the six bilingual corpus
 * articles (Google Cloud blog, 36氪) with their states (both healthy), and the broken source's
 * hostile article with a state of 3 consecutive FETCH_NETWORK failures.
 */
export async function pageStore(): Promise<PageStore> {
  const clock = new FixedClock(NOW);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-page-'));
  const store = openSqliteStore({ dataDir: dir, clock });
  const set = await bilingualArticles();
  const hostile = hostileArticle();
  const ok = (info: SourceInfo): SourceState => ({
    ...emptyState(info.id, info.feedUrl),
    lastAttemptAt: '2026-08-23T11:30:00.000Z',
    lastSuccessAt: '2026-08-23T11:30:00.000Z',
    nextPollAt: '2026-08-23T12:30:00.000Z',
  });
  for (const info of [GCLOUD, KR36]) {
    await store.savePoll(info.id, set.all.filter((a) => a.sourceId === info.id).map(toInput), ok(info));
  }
  await store.savePoll(BROKEN.id, [toInput(hostile)], {
    ...ok(BROKEN),
    lastAttemptAt: '2026-08-23T11:45:00.000Z',
    lastSuccessAt: '2026-08-22T09:35:00.000Z',
    nextPollAt: '2026-08-23T13:45:00.000Z',
    errorCount: 3,
    lastErrorCode: 'FETCH_NETWORK',
    lastErrorMessage: BROKEN_ERROR,
  });
  const ids = new Map((await store.listArticles({ limit: 100 })).map((a) => [`${a.sourceId} ${a.guid}`, a.id] as const));
  const idOf = (a: Article): string => {
    const id = ids.get(`${a.sourceId} ${a.guid}`);
    if (id === undefined) throw new Error(`article ${a.guid} is not in the store`);
    return id;
  };
  return { store, config: pageConfig(), clock, set, hostile, dir, idOf };
}
