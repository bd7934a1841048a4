import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pollSource, sanitizedItemsFor, type PollDeps } from '../../src/pipeline/poll-source.js';
import { SanitizedItems, sanitizeItem } from '../../src/pipeline/sanitized-items.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ArticleInput, SourceConfig } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { captureLogger, settings } from '../fetch/fetch-helpers.js';
import { feedItem, removeDir, tempDir } from '../store/fixtures.js';

const HOSTILE = '<p>Model <b>card</b></p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a>';

function source(id: string, url: string, over: Partial<SourceConfig> = {}): SourceConfig {
  return {
    id,
    url,
    name: `Source ${id}`,
    language: 'en',
    siteUrl: null,
    enabled: true,
    extract: { selector: null, remove: [], fetchPages: false },
    schedule: null,
    timezone: null,
    categories: [],
    ...over,
  };
}

function rss(origin: string, n: number, changed: Map<number, string> = new Map()): string {
  const items = Array.from({ length: n }, (_, i) => {
    const html = changed.get(i) ?? `${HOSTILE}<p>Item ${i}</p>`;
    return `<item><title>Item ${i}</title><link>${origin}/p/${i}</link><guid isPermaLink="false">g${i}</guid><pubDate>Mon, 01 Jan 2024 10:${String(i).padStart(2, '0')}:00 GMT</pubDate><description><![CDATA[${html}]]></description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>${origin}/</link><description>d</description>${items.join('')}</channel></rss>`;
}

describe('pipeline/sanitized-items', () => {
  it('gives exactly what sanitizeItem gives, from memory on a repeat of the same raw entry and categories', () => {
    const memo = new SanitizedItems();
    const raw = feedItem({ guid: 'g', summaryHtml: HOSTILE, contentHtml: `<div>${HOSTILE}</div>`, categories: ['ai'] });
    const first = memo.get(raw, { categories: ['news', 'ai'] });
    assert.deepEqual(first, sanitizeItem(raw, { categories: ['news', 'ai'] }));
    assert.doesNotMatch(JSON.stringify(first), /script|onerror|javascript:/);
    assert.equal(memo.get({ ...raw }, { categories: ['news', 'ai'] }), first, 'an equal raw entry is a hit');
    assert.deepEqual([memo.hits, memo.misses], [1, 1]);
    // Anything that changes the stored item is a different entry.
    assert.notEqual(memo.get(raw, { categories: ['other'] }), first);
    assert.notEqual(memo.get({ ...raw, contentHtml: '<p>new</p>' }, { categories: ['news', 'ai'] }), first);
    assert.deepEqual([memo.hits, memo.misses], [1, 3]);
  });

  it('keeps to its byte budget, dropping the least recently used', () => {
    const big = (guid: string) => feedItem({ guid, contentHtml: `<p>${'x'.repeat(10_000)}</p>` });
    const memo = new SanitizedItems(70_000); // room for three ~21 KB entries
    for (const g of ['a', 'b', 'c']) memo.get(big(g), { categories: [] });
    memo.get(big('a'), { categories: [] }); // a is now the most recent
    memo.get(big('d'), { categories: [] }); // evicts b
    const hitsBefore = memo.hits;
    memo.get(big('a'), { categories: [] });
    memo.get(big('b'), { categories: [] });
    assert.equal(memo.hits - hitsBefore, 1, 'a kept, b dropped');
    const off = new SanitizedItems(0);
    off.get(big('a'), { categories: [] });
    off.get(big('a'), { categories: [] });
    assert.equal(off.hits, 0);
  });
});

describe('pipeline: polls of unchanged entries skip the sanitizer, the store contract holds', () => {
  let server: Loopback;
  let body = '';
  let dir: string;
  let store: SqliteStore;
  let deps: PollDeps;

  before(async () => {
    server = await startLoopback((_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(body);
    });
  });
  after(async () => server.close());
  beforeEach(() => {
    dir = tempDir();
    const clock = new FixedClock('2026-11-30T12:00:00.000Z');
    store = openSqliteStore({ dataDir: dir, clock });
    deps = { store, http: settings({ allowPrivateNetworks: true }), clock, logger: captureLogger().logger, schedule: '*/30 * * * *', scheduleTimezone: null, random: () => 0.5 };
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('a re-fetched feed: unchanged entries come from memory and count as unchanged; a changed entry is sanitized and updated', async () => {
    const src = source('s', `${server.origin}/feed.xml`, { categories: ['lab'] });
    const memo = sanitizedItemsFor(store);
    assert.equal(sanitizedItemsFor(store), memo, 'one memory per store');
    body = rss(server.origin, 30);
    assert.deepEqual((await pollSource(src, deps)).counts, { new: 30, updated: 0, unchanged: 0 });
    assert.deepEqual([memo.hits, memo.misses], [0, 30]);

    assert.deepEqual((await pollSource(src, deps)).counts, { new: 0, updated: 0, unchanged: 30 });
    assert.deepEqual([memo.hits, memo.misses], [30, 30], 'no entry sanitized again');

    body = rss(server.origin, 30, new Map([[7, `<p>Corrected</p><iframe src="https://evil.example/"></iframe>${HOSTILE}`]]));
    assert.deepEqual((await pollSource(src, deps)).counts, { new: 0, updated: 1, unchanged: 29 });
    assert.deepEqual([memo.hits, memo.misses], [59, 31]);
    const stored = await store.listArticles({ limit: 100 });
    assert.equal(stored.length, 30);
    const seven = stored.find((a) => a.guid === 'g7')!;
    assert.match(seven.summaryHtml ?? '', /Corrected/);
    for (const a of stored) {
      assert.doesNotMatch(`${a.summaryHtml} ${a.feedContentHtml}`, /<script|onerror|javascript:|<iframe/i, a.guid);
      assert.deepEqual(a.categories, ['lab']);
    }
  });

  it('after a restart (empty memory) the same feed is still unchanged: stored hashes are of the sanitized item', async () => {
    const src = source('r', `${server.origin}/feed.xml`);
    body = rss(server.origin, 12);
    await pollSource(src, deps);
    const fresh = new SanitizedItems();
    assert.deepEqual((await pollSource(src, { ...deps, sanitizedItems: fresh })).counts, { new: 0, updated: 0, unchanged: 12 });
    assert.equal(fresh.misses, 12);
  });

  it('yields to the event loop between items (slice 0), so other work (HTTP readers) runs during a big poll', async () => {
    let ticks = 0;
    let running = true;
    const tick = (): void => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    const enrich = async (a: ArticleInput): Promise<ArticleInput> => {
      seen.push(ticks);
      return a;
    };
    body = rss(server.origin, 20);
    try {
      await pollSource(source('y', `${server.origin}/feed.xml`), { ...deps, enrich, sliceMs: 0, http: { ...deps.http, maxConcurrentPages: 1 } });
    } finally {
      running = false;
    }
    assert.equal(seen.length, 20);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `other work ran between item ${i - 1} and item ${i}: ${seen.join(',')}`);
  });

  it('within one slice (sliceMs large) items run back to back; the slice is what lets readers in', async () => {
    let ticks = 0;
    let running = true;
    const tick = (): void => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    body = rss(server.origin, 20);
    try {
      await pollSource(source('z', `${server.origin}/feed.xml`), {
        ...deps,
        enrich: async (a: ArticleInput) => (seen.push(ticks), a),
        sliceMs: 60_000,
        http: { ...deps.http, maxConcurrentPages: 1 },
      });
    } finally {
      running = false;
    }
    assert.equal(new Set(seen).size, 1, seen.join(','));
  });
});
