import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { FixedClock } from '../helpers/clock.js';
import { caseFile, corpus } from '../helpers/paths.js';
import { tempDir, removeDir } from '../store/fixtures.js';
import { settings, captureLogger } from '../fetch/fetch-helpers.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { pollSource, type PollDeps } from '../../src/pipeline/poll-source.js';
import { PollRunner } from '../../src/scheduler/poll-runner.js';
import { REDIRECT_ADOPT_AFTER } from '../../src/pipeline/source-state.js';
import type { SourceConfig } from '../../src/types.js';

const ARTICLE = `<!doctype html><html><head><title>A</title></head><body><nav>Home | About</nav>
<article><h1>Mixtral 8x7B</h1>${[1, 2, 3, 4, 5, 6].map((n) => `<p>Paragraph ${n}: Mixtral is a sparse mixture of 8 experts of 7B parameters each, and this paragraph (number ${n}) says so at length, with commas, details, and figures.</p>`).join('')}</article>
<footer>© example</footer></body></html>`;

function rss(origin: string, items: Array<{ guid: string; link: string; title?: string }>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>${origin}/</link><description>d</description>
${items.map((i) => `<item><title>${i.title ?? `Title ${i.guid}`}</title><link>${i.link}</link><guid isPermaLink="false">${i.guid}</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>Feed text of ${i.guid}</description></item>`).join('\n')}
</channel></rss>`;
}

function source(id: string, url: string, over: Partial<SourceConfig> = {}): SourceConfig {
  return {
    id,
    url,
    name: `Source ${id}`,
    language: 'en',
    siteUrl: null,
    enabled: true,
    extract: { selector: null, remove: [], fetchPages: true },
    schedule: null,
    timezone: null,
    categories: [],
    ...over,
  };
}

describe('pipeline: pollSource against a loopback server and a real SQLite store', () => {
  let server: Loopback;
  let dir: string;
  let store: SqliteStore;
  let clock: FixedClock;
  let deps: PollDeps;
  const hits = new Map<string, number>();
  let active = 0;
  let maxActive = 0;

  before(async () => {
    server = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname;
      hits.set(p, (hits.get(p) ?? 0) + 1);
      const origin = server.origin;
      if (p === '/etag.xml') {
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304, { etag: '"v1"' });
          return res.end();
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' });
        return res.end(rss(origin, [{ guid: 'a', link: `${origin}/page/a` }, { guid: 'b', link: `${origin}/missing/b` }]));
      }
      if (p.startsWith('/page/')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(ARTICLE);
      }
      if (p === '/gone.xml') {
        res.writeHead(410);
        return res.end();
      }
      if (p === '/broken.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        return res.end('<rss><channel><item><title>unterminated');
      }
      if (p === '/moved.xml') {
        res.writeHead(301, { location: '/new-home.xml' });
        return res.end();
      }
      if (p === '/new-home.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        return res.end(rss(origin, [{ guid: 'm', link: `${origin}/page/m` }]));
      }
      if (p === '/case19.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        return res.end(readFileSync(caseFile('19-duplicate-guids', 'feed.xml')));
      }
      if (p === '/corpus.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        return res.end(readFileSync(corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml')));
      }
      const slow = /^\/slow\/(\d+)\.xml$/.exec(p);
      if (slow) {
        active++;
        maxActive = Math.max(maxActive, active);
        setTimeout(() => {
          active--;
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.end(rss(origin, [{ guid: `s${slow[1]}`, link: `${origin}/missing/s` }]));
        }, 150);
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });

  beforeEach(() => {
    dir = tempDir();
    clock = new FixedClock('2026-11-30T12:00:00.000Z');
    store = openSqliteStore({ dataDir: dir, clock });
    deps = {
      store,
      http: settings({ allowPrivateNetworks: true }),
      clock,
      logger: captureLogger().logger,
      schedule: '*/30 * * * *',
      scheduleTimezone: null,
      random: () => 0.5,
    };
    hits.clear();
  });

  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  after(async () => server.close());

  it('stores items, extracts pages, keeps feed content with the reason for a 404 page, then answers 304 with no page refetch', async () => {
    const s = source('etag', `${server.origin}/etag.xml`);
    const r1 = await pollSource(s, deps);
    assert.equal(r1.status, 'ok');
    assert.deepEqual(r1.counts, { new: 2, updated: 0, unchanged: 0 });
    assert.equal(r1.extractionFailures, 1);
    assert.equal(r1.nextPollAt, '2026-11-30T12:30:00.000Z');
    const arts = await store.listArticles({ limit: 10 });
    const a = arts.find((x) => x.guid === 'a')!;
    const b = arts.find((x) => x.guid === 'b')!;
    assert.equal(a.extractionStatus, 'ok');
    assert.match(a.contentHtml ?? '', /8 experts of 7B parameters/);
    assert.doesNotMatch(a.contentHtml ?? '', /Home \| About/);
    assert.equal(b.extractionStatus, 'failed');
    assert.equal(b.extractionReason, 'FETCH_HTTP_STATUS');
    assert.match(b.summaryHtml ?? '', /Feed text of b/);
    const st = (await store.getSourceState('etag'))!;
    assert.equal(st.etag, '"v1"');

    clock.advance(30 * 60_000);
    const r2 = await pollSource(s, deps);
    assert.equal(r2.status, 'not-modified');
    assert.equal(hits.get('/page/a'), 1, 'no second page request');
    assert.equal(await store.countArticles('etag'), 2);
  });

  it('an unchanged re-poll without validators re-fetches no pages and adds nothing', async () => {
    const s = source('corpus', `${server.origin}/corpus.xml`, { extract: { selector: null, remove: [], fetchPages: false } });
    const first = await pollSource(s, deps);
    assert.equal(first.counts.new, 10);
    const second = await pollSource(s, deps);
    assert.deepEqual(second.counts, { new: 0, updated: 0, unchanged: 10 });
  });

  it('a failing source records its code, count and backoff; the others in the same run go on', async () => {
    const runner = new PollRunner(deps, clock, deps.logger);
    const sources = [source('broken', `${server.origin}/broken.xml`), source('missing', `${server.origin}/nope.xml`), source('good', `${server.origin}/corpus.xml`, { extract: { selector: null, remove: [], fetchPages: false } })];
    const results = await runner.run(sources, false);
    assert.deepEqual(
      results.map((r) => [r.sourceId, r.status, r.errorCode]),
      [
        ['broken', 'failed', 'PARSE_XML'],
        ['missing', 'failed', 'FETCH_HTTP_STATUS'],
        ['good', 'ok', null],
      ],
    );
    const st = (await store.getSourceState('broken'))!;
    assert.equal(st.errorCount, 1);
    assert.equal(st.lastErrorCode, 'PARSE_XML');
    // first failure: backoff 1 min × jitter 0.5 → 45 s; polls happen on ticks, so the next
    // attempt is the first */30 tick after 12:00:45
    assert.equal(st.nextPollAt, '2026-11-30T12:30:00.000Z');
    await runner.run(sources, false);
    assert.equal((await store.getSourceState('broken'))!.errorCount, 2);
    // due-only run right after: the failing sources are backing off, the good one is not due either
    const due = await runner.run(sources, true);
    assert.deepEqual(due, []);
  });

  it('a long backoff (Retry-After) moves the next attempt to the first tick after it', async () => {
    const s = source('broken2', `${server.origin}/broken.xml`);
    await store.saveSourceState({ ...(await (async () => { await pollSource(s, deps); return (await store.getSourceState('broken2'))!; })()), errorCount: 9 });
    const r = await pollSource(s, deps);
    // 10th failure: 1 min × 2^9 = 512 min, jitter 0.5 → 384 min = 18:24; next */30 tick 18:30
    assert.equal(r.nextPollAt, '2026-11-30T18:30:00.000Z');
  });

  it('410 Gone disables the source with the reason; later polls skip it', async () => {
    const s = source('gone', `${server.origin}/gone.xml`);
    const r = await pollSource(s, deps);
    assert.equal(r.errorCode, 'FETCH_GONE');
    const st = (await store.getSourceState('gone'))!;
    assert.match(st.disabledReason ?? '', /410 Gone/);
    const again = await pollSource(s, deps);
    assert.equal(again.status, 'skipped');
    assert.equal(again.errorCode, 'SOURCE_DISABLED');
    assert.equal(hits.get('/gone.xml'), 1);
  });

  it(`a permanent redirect moves the stored feed URL after ${REDIRECT_ADOPT_AFTER} polls in a row`, async () => {
    const s = source('moved', `${server.origin}/moved.xml`);
    for (let i = 1; i < REDIRECT_ADOPT_AFTER; i++) {
      await pollSource(s, deps);
      assert.equal((await store.getSourceState('moved'))!.feedUrl, s.url, `poll ${i}`);
    }
    await pollSource(s, deps);
    assert.equal((await store.getSourceState('moved'))!.feedUrl, `${server.origin}/new-home.xml`);
    const before = hits.get('/moved.xml');
    await pollSource(s, deps);
    assert.equal(hits.get('/moved.xml'), before, 'the old URL is no longer requested');
  });

  it('case 19 through the pipeline: shared guids switch the source to link identity, stickily', async () => {
    const s = source('boards', `${server.origin}/case19.xml`, { extract: { selector: null, remove: [], fetchPages: false } });
    const r1 = await pollSource(s, deps);
    assert.equal(r1.counts.new, 10);
    assert.equal((await store.getSourceState('boards'))!.identityPolicy, 'link');
    const r2 = await pollSource(s, deps);
    assert.equal(r2.counts.new, 0);
    const titles = (await store.listArticles({ limit: 20 })).map((a) => a.title).sort((x, y) => Number(x.split('#')[1]) - Number(y.split('#')[1]));
    assert.deepEqual(titles, Array.from({ length: 10 }, (_, i) => `Board update #${i + 1}`));
  });

  it('polls at most maxConcurrentSources sources at once', async () => {
    const d = { ...deps, http: settings({ allowPrivateNetworks: true, maxConcurrentSources: 2 }) };
    const runner = new PollRunner(d, clock, deps.logger);
    maxActive = 0;
    const sources = [1, 2, 3, 4, 5].map((n) => source(`slow${n}`, `${server.origin}/slow/${n}.xml`, { extract: { selector: null, remove: [], fetchPages: false } }));
    const results = await runner.run(sources, false);
    assert.ok(results.every((r) => r.status === 'ok'));
    assert.equal(maxActive, 2);
  });

  it('overlapping runs together still poll at most maxConcurrentSources sources at once', async () => {
    const d = { ...deps, http: settings({ allowPrivateNetworks: true, maxConcurrentSources: 2 }) };
    const runner = new PollRunner(d, clock, deps.logger);
    maxActive = 0;
    const mk = (n: number): SourceConfig => source(`ov${n}`, `${server.origin}/slow/${n}.xml`, { extract: { selector: null, remove: [], fetchPages: false } });
    const [a, b] = await Promise.all([runner.run([11, 12, 13].map(mk), false), runner.run([14, 15, 16].map(mk), false)]);
    assert.ok([...a, ...b].every((r) => r.status === 'ok'));
    assert.equal(maxActive, 2);
  });

  it('a source already being polled is skipped by an overlapping run', async () => {
    const runner = new PollRunner(deps, clock, deps.logger);
    const s = source('slow9', `${server.origin}/slow/9.xml`, { extract: { selector: null, remove: [], fetchPages: false } });
    const [a, b] = await Promise.all([runner.run([s], false), runner.run([s], false)]);
    assert.deepEqual([a[0]!.status, b[0]!.status].sort(), ['ok', 'skipped']);
    assert.equal(hits.get('/slow/9.xml'), 1);
  });
});

describe('pipeline: config changes and shutdown', () => {
  let server: Loopback;
  let dir: string;
  let store: SqliteStore;
  let deps: PollDeps;
  const hits: string[] = [];
  let releasePage: (() => void) | null = null;

  before(async () => {
    server = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const p = new URL(req.url ?? '/', 'http://x').pathname;
      hits.push(p);
      if (p === '/old.xml' || p === '/gone.xml') {
        res.writeHead(p === '/gone.xml' ? 410 : 200, { 'content-type': 'application/rss+xml' });
        return res.end(p === '/gone.xml' ? '' : rss(server.origin, [{ guid: 'o', link: `${server.origin}/missing/o` }]));
      }
      if (p === '/new.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        return res.end(rss(server.origin, [{ guid: 'n', link: `${server.origin}/missing/n` }]));
      }
      if (p === '/slowpages.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        return res.end(rss(server.origin, [1, 2, 3].map((n) => ({ guid: `s${n}`, link: `${server.origin}/hang/${n}` }))));
      }
      if (p.startsWith('/hang/')) {
        releasePage = () => res.destroy();
        return; // never answers until released
      }
      res.writeHead(404);
      res.end();
    });
  });
  beforeEach(() => {
    dir = tempDir();
    const clock = new FixedClock('2026-11-30T12:00:00.000Z');
    store = openSqliteStore({ dataDir: dir, clock });
    deps = { store, http: settings({ allowPrivateNetworks: true }), clock, logger: captureLogger().logger, schedule: '*/30 * * * *', scheduleTimezone: null, random: () => 0.5 };
    hits.length = 0;
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });
  after(async () => server.close());

  it('a changed url in the config is polled at once, even after the old one was disabled by 410', async () => {
    const before = source('s', `${server.origin}/gone.xml`);
    assert.equal((await pollSource(before, deps)).errorCode, 'FETCH_GONE');
    assert.equal((await pollSource(before, deps)).errorCode, 'SOURCE_DISABLED');
    const after = source('s', `${server.origin}/new.xml`);
    const r = await pollSource(after, deps);
    assert.equal(r.status, 'ok');
    const st = (await store.getSourceState('s'))!;
    assert.equal(st.feedUrl, after.url);
    assert.equal(st.configUrl, after.url);
    assert.equal(st.disabledReason, null);
    assert.deepEqual(hits.filter((h) => h.endsWith('.xml')), ['/gone.xml', '/new.xml']);
  });

  it('an unchanged url keeps the stored state (validators, adopted redirects)', async () => {
    const s = source('k', `${server.origin}/old.xml`);
    await pollSource(s, deps);
    const st = (await store.getSourceState('k'))!;
    await store.saveSourceState({ ...st, feedUrl: `${server.origin}/new.xml` }); // as after an adopted redirect
    await pollSource(s, deps);
    assert.equal(hits.filter((h) => h.endsWith('.xml')).at(-1), '/new.xml');
  });

  it('a poll stopped by shutdown writes nothing: no half-extracted items, no state change', async () => {
    const controller = new AbortController();
    const s = source('slow', `${server.origin}/slowpages.xml`);
    const running = pollSource(s, { ...deps, signal: controller.signal, http: settings({ allowPrivateNetworks: true, maxConcurrentPages: 1 }) });
    for (let i = 0; i < 100 && !hits.some((h) => h.startsWith('/hang/')); i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    (releasePage as (() => void) | null)?.();
    const r = await running;
    assert.equal(r.status, 'skipped');
    assert.equal(r.errorCode, 'POLL_ABORTED');
    assert.equal(await store.countArticles('slow'), 0);
    assert.equal(await store.getSourceState('slow'), null);
  });
});

describe('pipeline: per-source private-network allowance', () => {
  it('a loopback feed is refused unless the source (or http) allows private networks', async () => {
    const server = await startLoopback((_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rss('http://127.0.0.1', [{ guid: 'i', link: 'http://127.0.0.1/x' }]));
    });
    const dir = tempDir();
    const clock = new FixedClock();
    const store = openSqliteStore({ dataDir: dir, clock });
    try {
      const deps: PollDeps = { store, http: settings({ allowPrivateNetworks: false }), clock, logger: captureLogger().logger, schedule: '*/30 * * * *', scheduleTimezone: null };
      const noPages = { selector: null, remove: [], fetchPages: false };
      const refused = await pollSource(source('intranet', `${server.origin}/feed.xml`, { extract: noPages }), deps);
      assert.equal(refused.errorCode, 'FETCH_PRIVATE_ADDRESS');
      const allowed = await pollSource(source('intranet2', `${server.origin}/feed.xml`, { extract: noPages, allowPrivateNetworks: true }), deps);
      assert.equal(allowed.status, 'ok');
      assert.equal(allowed.counts.new, 1);
    } finally {
      await store.close();
      removeDir(dir);
      await server.close();
    }
  });
});
