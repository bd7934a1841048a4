import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildConfig } from '../../src/config/load-config.js';
import { sanitizeHtml } from '../../src/extract/sanitize.js';
import { silentLogger } from '../../src/logger.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { buildSourceInfos, type SourceInfo } from '../../src/publish/source-info.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqliteStore } from '../../src/store/sqlite/index.js';
import type { AppConfig, Article, ArticleInput, FeedItem, SourceState, Translation } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { corpus } from '../helpers/paths.js';
import { SHADOW_IT_ZH, TURING_EN } from '../publish/bilingual-fixtures.js';
import { initialState } from '../../src/pipeline/source-state.js';

/**
 * A real duofeed server for client tests: a SqliteStore in a temp dir holding real corpus items
 * in English and Chinese, read through the real parse stage (parseFeed) and the real sanitizer,
 * saved with savePoll, served by createRequestHandler + startServer on 127.0.0.1 port 0.
 *
 * Sources (items taken in document order, a fixed rule):
 * - `gcloud`: Google Cloud blog (RSS 2.0; enclosures without type or length), first 6 items; the
 *   "shadow IT" post carries an accepted zh translation (hand-made, bilingual-fixtures), the
 *   "Beyond the Map" post a flagged one (never published);
 * - `techcrunch`: TechCrunch via FeedBurner (RSS 2.0 with dc:creator authors and enclosures), first 5;
 * - `36kr`: 36氪 AI as captured by an RSS-GPT aggregator (zh-CN), first 6; the "图灵三巨头" post
 *   carries an accepted en translation.
 */

/** One configured corpus source of the fixture. */
interface FixtureSource {
  id: string;
  name: string;
  url: string;
  siteUrl: string;
  language: string;
  file: string;
  take: number;
}

/** The fixture's sources, in config order. */
export const CLIENT_SOURCES: readonly FixtureSource[] = [
  {
    id: 'gcloud',
    name: 'Google Cloud Blog',
    url: 'https://cloudblog.withgoogle.com/rss/',
    siteUrl: 'https://cloud.google.com/blog/',
    language: 'en',
    file: corpus('feeds', 'ai-tech', 'google-cloud-blog.rss2.xml'),
    take: 6,
  },
  {
    id: 'techcrunch',
    name: 'TechCrunch',
    url: 'http://feeds.feedburner.com/TechCrunch/',
    siteUrl: 'http://techcrunch.com',
    language: 'en',
    file: corpus('feeds', 'ai-tech', 'techcrunch-2011-11.feedburner.rss2.xml'),
    take: 5,
  },
  {
    id: '36kr',
    name: '36氪 · AI',
    url: 'https://www.36kr.com/motif/327686782977',
    siteUrl: 'https://www.36kr.com/',
    language: 'zh-CN',
    file: corpus('feeds', 'peer-aggregator-output', 'rss-gpt-36kr-ai-2023-11.zh.rss2.xml'),
    take: 6,
  },
];

/** The time of the fixture's clock (firstSeenAt of every item; the server's "now"). */
export const FIXTURE_NOW = '2026-11-30T12:00:00.000Z';

/** One HTTP request the fixture server answered. */
export interface SeenRequest {
  method: string;
  /** Request target, e.g. `/feed.xml?lang=zh`. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Status sent (filled when the response finished). */
  status: number | null;
}

/** Options of {@link startClientFixture}. */
export interface ClientFixtureOptions {
  /** `output.baseUrl`; default null (self links from the Host header). */
  baseUrl?: string | null;
  /** `output.cacheMaxAgeSeconds`; default the config default. */
  cacheMaxAgeSeconds?: number;
}

/** A running fixture server and what it holds. */
export interface ClientFixture {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  config: AppConfig;
  store: SqliteStore;
  sources: ReadonlyMap<string, SourceInfo>;
  /** Every stored article, newest first, as the store lists them. */
  articles: Article[];
  /** Every request answered so far, in arrival order. */
  requests: SeenRequest[];
  /** Temp directory of the database (removed by close). */
  dir: string;
  close(): Promise<void>;
}

function translation(title: string, blocks: string[], provider: string, model: string | null, status: Translation['status'] = 'ok', missing: string[] = []): Translation {
  return { title, contentHtml: blocks.map((b) => `<p>${b}</p>`).join(''), provider, model, at: '2026-11-30T11:00:00.000Z', status, missing };
}

// Hand-made enrichment for named corpus items; keyed by the start of their title.
const ENRICH: Record<string, Pick<ArticleInput, 'keywords' | 'translations'>> = {
  'Want to keep your employees productive': {
    keywords: { en: ['shadow IT', 'Google Drive', 'file sync and share'], zh: ['影子 IT', 'Google Drive', '文件同步与共享'] },
    translations: { zh: translation(SHADOW_IT_ZH.title, SHADOW_IT_ZH.blocks, 'openai', 'qwen2.5-72b-instruct') },
  },
  'Beyond the Map': {
    keywords: { en: ['LifeBank', 'Google Maps Platform'] },
    translations: { zh: translation('地图之外：用影像解决问题', ['平均 54 分钟内完成从请求到送达'], 'openai', 'qwen2.5-72b-instruct', 'flagged', ['45', '5,800']) },
  },
  图灵三巨头激战持续升级: {
    keywords: { zh: ['吴恩达', 'AI监管', '开源'], en: ['Andrew Ng', 'AI regulation', 'open source'] },
    translations: { en: translation(TURING_EN.title, TURING_EN.blocks, 'deepl', null) },
  },
};

function toInput(sourceId: string, language: string, item: FeedItem): ArticleInput {
  const body = item.contentHtml ?? item.summaryHtml ?? '';
  const enrich = Object.entries(ENRICH).find(([start]) => item.title.startsWith(start))?.[1];
  return {
    sourceId,
    item: { ...item, contentHtml: item.contentHtml === null ? null : sanitizeHtml(item.contentHtml), summaryHtml: item.summaryHtml === null ? null : sanitizeHtml(item.summaryHtml) },
    extraction: { status: 'ok', method: 'generic', contentHtml: sanitizeHtml(body), text: null, reason: null },
    language,
    keywords: enrich?.keywords ?? {},
    translations: enrich?.translations ?? {},
  };
}

function sourceState(s: FixtureSource, feedTitle: string | null): SourceState {
  return { ...initialState(s), lastAttemptAt: FIXTURE_NOW, lastSuccessAt: FIXTURE_NOW, feedTitle, siteUrl: s.siteUrl };
}

/**
 * Fills a fresh SQLite store in `dir` with the fixture's corpus items and starts the real server.
 * @param opts output.baseUrl and cache max-age
 * @returns the running fixture; call `close()` (stops the server, closes and deletes the store)
 * @throws Error when a corpus item named by the fixture is missing (corpus changed)
 */
export async function startClientFixture(opts: ClientFixtureOptions = {}): Promise<ClientFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duofeed-clients-'));
  const clock = new FixedClock(FIXTURE_NOW);
  const config = buildConfig(
    {
      output: {
        languages: ['zh', 'en'],
        maxItems: 100,
        baseUrl: opts.baseUrl ?? null,
        ...(opts.cacheMaxAgeSeconds === undefined ? {} : { cacheMaxAgeSeconds: opts.cacheMaxAgeSeconds }),
      },
      sources: CLIENT_SOURCES.map((s) => ({ id: s.id, url: s.url, name: s.name, siteUrl: s.siteUrl, language: s.language })),
    },
    'client fixture',
  );
  const store = openSqliteStore({ dataDir: dir, clock });
  for (const s of CLIENT_SOURCES) {
    const parsed = await parseFeed(fs.readFileSync(s.file, 'utf8'), { feedUrl: s.url, timezone: null, maxItems: 500, sourceId: s.id });
    const items = parsed.items.slice(0, s.take);
    await store.savePoll(s.id, items.map((item) => toInput(s.id, s.language, item)), sourceState(s, parsed.title));
  }
  const named = Object.keys(ENRICH);
  const articles = await store.listArticles({ limit: 1000 });
  for (const start of named) if (!articles.some((a) => a.title.startsWith(start))) throw new Error(`fixture: corpus item "${start}…" not stored`);
  const sources = buildSourceInfos(config.sources, await store.listSourceStates());
  const handler = createRequestHandler({ store, config, sources, logger: silentLogger(), clock });
  const requests: SeenRequest[] = [];
  let server: RunningServer;
  try {
    server = await startServer(
      (req, res) => {
        const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, status: null };
        requests.push(seen);
        res.on('finish', () => {
          seen.status = res.statusCode;
        });
        handler(req, res);
      },
      0,
      '127.0.0.1',
    );
  } catch (err) {
    await store.close();
    throw err;
  }
  return {
    origin: `http://127.0.0.1:${server.port}`,
    port: server.port,
    config,
    store,
    sources,
    articles,
    requests,
    dir,
    close: async () => {
      await server.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a reader should see of one stored item in a given view. */
export interface ExpectedEntry {
  article: Article;
  /** Title in the view's language (merged feed: the primary language's when there is one). */
  title: string;
  /** The original article's link. */
  link: string;
  /** Language key of the published title (`zh`, `en`). */
  lang: string;
}

/**
 * The entries a view must hold, computed from the stored articles by the README's rules (not by
 * the publisher's code paths): the merged feed holds every item, titled in the first of
 * `output.languages` the item has a version in (its original, or an accepted translation);
 * a `?lang=L` view holds the items with a version in L, titled in L. Order: the store's.
 * @param f the fixture
 * @param lang a view language, or null for the merged feed
 * @param sourceIds only these sources (a `source` filter); default all
 */
export function expectedEntries(f: Pick<ClientFixture, 'articles' | 'sources' | 'config'>, lang: string | null, sourceIds?: readonly string[]): ExpectedEntry[] {
  const out: ExpectedEntry[] = [];
  for (const a of f.articles) {
    if (sourceIds !== undefined && !sourceIds.includes(a.sourceId)) continue;
    const origKey = primary(a.language ?? f.sources.get(a.sourceId)?.language ?? '');
    const versions = new Map<string, string>([[origKey, a.title]]);
    for (const [k, t] of Object.entries(a.translations)) if (t.status === 'ok' && primary(k) !== origKey) versions.set(primary(k), t.title);
    const order = lang === null ? f.config.output.languages.map(primary) : [lang];
    const key = order.find((k) => versions.has(k)) ?? (lang === null ? origKey : undefined);
    if (key === undefined) continue;
    out.push({ article: a, title: versions.get(key)!, link: a.url!, lang: key });
  }
  return out;
}

const primary = (tag: string): string => (tag.split('-')[0] ?? '').toLowerCase();

/** The Atom `updated` / JSON `date_modified` date of an article: modified ?? published ?? first seen. */
export function entryUpdated(a: Article): string {
  return a.modifiedAt ?? a.publishedAt ?? a.firstSeenAt;
}
