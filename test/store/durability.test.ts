import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { DuofeedError } from '../../src/errors.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { FeedItem } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Compiled modules the crashing child imports (tests run from .test-build/test/store). */
const openModule = pathToFileURL(path.resolve(here, '../../src/store/sqlite/open-sqlite-store.js')).href;
const clockModule = pathToFileURL(path.resolve(here, '../helpers/clock.js')).href;

function integrity(file: string): string[] {
  const db = new Database(file);
  try {
    return db.prepare('PRAGMA integrity_check').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('store/sqlite: transactions and durability', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = tempDir();
    store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('a failing item rolls back the whole poll, state included, and throws STORE_FAILED', async () => {
    const good = (n: number): FeedItem => feedItem({ guid: `g${n}`, title: `Item ${n}` });
    await store.savePoll('a', [input('a', good(1))], state('a', { etag: '"v1"', errorCount: 0 }));

    const broken = { ...good(3), title: null as unknown as string };
    const batch = [input('a', { ...good(1), title: 'Item 1 edited' }), input('a', good(2)), input('a', broken), input('a', good(4))];
    await assert.rejects(store.savePoll('a', batch, state('a', { etag: '"v2"', errorCount: 0, feedTitle: 'new' })), (err: unknown) => {
      assert.ok(err instanceof DuofeedError);
      assert.equal(err.code, 'STORE_FAILED');
      assert.equal(err.stage, 'store');
      assert.equal(err.sourceId, 'a');
      assert.equal(err.url, 'https://a.example.com/feed.xml');
      assert.match(err.message, /source "a" \(https:\/\/a\.example\.com\/feed\.xml\)/);
      assert.match(err.message, /NOT NULL constraint failed: articles\.title/);
      assert.ok(err.cause instanceof Database.SqliteError);
      assert.equal(err.details.sqliteCode, 'SQLITE_CONSTRAINT_NOTNULL');
      return true;
    });

    const all = await store.listArticles({ limit: 10 });
    assert.deepEqual(
      all.map((a) => [a.guid, a.title]),
      [['g1', 'Item 1']],
    );
    const s = await store.getSourceState('a');
    assert.equal(s?.etag, '"v1"');
    assert.equal(s?.feedTitle, null);
    // The store stays usable after a rolled-back poll.
    assert.deepEqual(await store.savePoll('a', [input('a', good(2))], state('a', { etag: '"v3"' })), {
      new: 1,
      updated: 0,
      unchanged: 0,
    });
  });

  it('a failing first poll leaves no source row behind', async () => {
    const broken = feedItem({ guid: 'x', title: null as unknown as string });
    await assert.rejects(store.savePoll('new', [input('new', broken)], state('new')), { code: 'STORE_FAILED' });
    assert.equal(await store.getSourceState('new'), null);
    assert.deepEqual(await store.listSourceStates(), []);
  });

  it('integrity_check is ok after normal use and close', async () => {
    await store.savePoll('a', [input('a', feedItem({ guid: 'g1' }))], state('a'));
    await store.close();
    assert.deepEqual(integrity(store.path), ['ok']);
  });

  it('a process killed in the middle of savePoll leaves the last committed poll, intact', async () => {
    const script = `
      import { openSqliteStore } from ${JSON.stringify(openModule)};
      import { FixedClock } from ${JSON.stringify(clockModule)};
      const st = (etag) => ({ sourceId: 'a', feedUrl: 'https://a.example.com/feed.xml', etag, lastModified: null,
        lastAttemptAt: null, lastSuccessAt: null, nextPollAt: null, errorCount: 0, lastErrorCode: null,
        lastErrorMessage: null, disabledReason: null, identityPolicy: 'guid', redirectTo: null, redirectCount: 0,
        feedTitle: null, siteUrl: null });
      const item = (n) => ({ guid: 'g' + n, url: null, canonicalUrl: null, title: 'Item ' + n + ' ' + 'x'.repeat(5000),
        publishedAt: null, modifiedAt: null, dateHadNoZone: false, author: null, summaryHtml: null, contentHtml: null,
        categories: [], enclosures: [], imageUrl: null });
      const inp = (n) => ({ sourceId: 'a', item: item(n), extraction: null, language: null, keywords: {}, translations: {} });
      const store = openSqliteStore({ dataDir: process.argv[1], clock: new FixedClock() });
      await store.savePoll('a', [1, 2, 3].map(inp), st('"committed"'));
      process.stdout.write('committed\\n');
      const batch = Array.from({ length: 400 }, (_, i) => inp(100 + i));
      // The item is read once to collect the poll's keys, then again to write it: die on the second read,
      // after 200 rows of this poll are already written inside the open transaction.
      let reads = 0;
      const victim = batch[200].item;
      Object.defineProperty(batch[200], 'item', { get() { if (++reads === 2) process.kill(process.pid, 'SIGKILL'); return victim; } });
      await store.savePoll('a', batch, st('"lost"'));
      process.stdout.write('not reached\\n');
    `;
    const crashDir = tempDir();
    try {
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, crashDir], { encoding: 'utf8' });
      assert.equal(child.stderr, '');
      assert.equal(child.signal, 'SIGKILL');
      assert.equal(child.stdout, 'committed\n');

      const file = path.join(crashDir, 'duofeed.sqlite');
      // The committed poll lives in the WAL only (never checkpointed): reopening must recover it.
      assert.ok(fs.statSync(`${file}-wal`).size > 0);
      const reopened = openSqliteStore({ dataDir: crashDir, clock: new FixedClock() });
      try {
        assert.equal(await reopened.countArticles('a'), 3);
        assert.equal((await reopened.getSourceState('a'))?.etag, '"committed"');
      } finally {
        await reopened.close();
      }
      assert.deepEqual(integrity(file), ['ok']);
    } finally {
      removeDir(crashDir);
    }
  });

  it('calls after close are refused with INTERNAL; close twice is harmless', async () => {
    await store.close();
    await store.close();
    await assert.rejects(store.countArticles(), (err: unknown) => err instanceof DuofeedError && err.code === 'INTERNAL');
    await assert.rejects(store.savePoll('a', [], state('a')), { code: 'INTERNAL' });
  });
});
