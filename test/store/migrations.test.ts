import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { DuofeedError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { FixedClock } from '../helpers/clock.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: createLogger('info', sink),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function raw(file: string): Database.Database {
  return new Database(file);
}

describe('store/sqlite: opening and migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('creates the data dir and duofeed.sqlite, sets the pragmas and user_version, builds the schema', async () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const store = openSqliteStore({ dataDir, clock: new FixedClock() });
    const file = path.join(dataDir, 'duofeed.sqlite');
    assert.equal(store.path, file);
    assert.ok(fs.existsSync(file));
    await store.close();

    const db = raw(file);
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      assert.deepEqual(tables, [
        'article_keywords',
        'article_languages',
        'article_search',
        'articles',
        'articles_fts',
        'articles_fts_config',
        'articles_fts_content',
        'articles_fts_data',
        'articles_fts_docsize',
        'articles_fts_idx',
        'sources',
        'translation_cache',
        'translation_spend',
      ]);
      const indexes = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .pluck()
        .all();
      assert.deepEqual(indexes, [
        'article_keywords_article',
        'article_languages_article',
        'articles_guid_claim',
        'articles_sort',
        'articles_source_canonical',
        'articles_source_guid',
        'articles_source_guid_unique',
        'articles_source_sort',
      ]);
      const fk = db.prepare('PRAGMA foreign_key_list(articles)').all() as { table: string; on_delete: string }[];
      assert.deepEqual(
        fk.map((f) => [f.table, f.on_delete]),
        [['sources', 'CASCADE']],
      );
    } finally {
      db.close();
    }
  });

  it('the store connection runs with foreign_keys=ON, synchronous=NORMAL and a busy timeout', async () => {
    const store = openSqliteStore({ dataDir: dir, clock: new FixedClock(), busyTimeoutMs: 1234 });
    // The pragmas are per connection, so they are read through the store's own connection.
    const db = (store as unknown as { db: Database.Database }).db;
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.equal(db.pragma('busy_timeout', { simple: true }), 1234);
    await store.close();
  });

  it('reopening keeps the data and does not run the migrations again', async () => {
    const first = capture();
    const s1 = openSqliteStore({ dataDir: dir, clock: new FixedClock(), logger: first.logger });
    await s1.savePoll('a', [input('a', feedItem({ guid: 'g1' }))], state('a'));
    await s1.close();
    assert.deepEqual(
      first.lines().filter((l) => l.msg === 'database schema migrated').map((l) => [l.from, l.to, l.stage]),
      [[0, SCHEMA_VERSION, 'store']],
    );

    const second = capture();
    const s2 = openSqliteStore({ dataDir: dir, clock: new FixedClock(), logger: second.logger });
    assert.equal(await s2.countArticles(), 1);
    await s2.close();
    assert.deepEqual(second.lines().filter((l) => l.msg === 'database schema migrated'), []);
  });

  it('applies only the steps above user_version, each in its own transaction', async () => {
    const s1 = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    await s1.close();
    const steps = [...MIGRATIONS, { name: 'extra table', sql: 'CREATE TABLE extra (x INTEGER);' }];
    // Step 1 has CREATE TABLE without IF NOT EXISTS: running it again would throw.
    const s2 = openSqliteStore({ dataDir: dir, clock: new FixedClock(), migrations: steps });
    await s2.close();
    const db = raw(path.join(dir, 'duofeed.sqlite'));
    try {
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get(), 1);
    } finally {
      db.close();
    }
  });

  it('a failing step is rolled back and reported as STORE_OPEN_FAILED; the earlier steps stay', () => {
    const steps = [
      ...MIGRATIONS,
      { name: 'half-bad', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);' },
    ];
    assert.throws(
      () => openSqliteStore({ dataDir: dir, clock: new FixedClock(), migrations: steps }),
      (err: unknown) => {
        assert.ok(err instanceof DuofeedError);
        assert.equal(err.code, 'STORE_OPEN_FAILED');
        assert.equal(err.stage, 'store');
        assert.match(err.message, /duofeed\.sqlite/);
        assert.match(err.message, /no such table: no_such_table/);
        return true;
      },
    );
    const db = raw(path.join(dir, 'duofeed.sqlite'));
    try {
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get(), 0);
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'articles'").pluck().get(), 1);
    } finally {
      db.close();
    }
  });

  it('refuses a database whose user_version is newer than this build, leaving it untouched', async () => {
    const s1 = openSqliteStore({ dataDir: dir, fileName: 'custom.db', clock: new FixedClock() });
    await s1.close();
    const file = path.join(dir, 'custom.db');
    const db = raw(file);
    db.pragma('user_version = 99');
    db.close();

    assert.throws(
      () => openSqliteStore({ dataDir: dir, fileName: 'custom.db', clock: new FixedClock() }),
      (err: unknown) => {
        assert.ok(err instanceof DuofeedError);
        assert.equal(err.code, 'STORE_SCHEMA_TOO_NEW');
        assert.equal(err.stage, 'store');
        assert.equal(
          err.message,
          `database ${file} has schema version 99, newer than version ${SCHEMA_VERSION} this duofeed knows; ` +
            'run a newer duofeed or point it at another data directory',
        );
        assert.deepEqual(err.details, { path: file, found: 99, known: SCHEMA_VERSION });
        return true;
      },
    );
    const after = raw(file);
    try {
      assert.equal(after.pragma('user_version', { simple: true }), 99);
    } finally {
      after.close();
    }
  });

  it('a file that is not a database gives STORE_OPEN_FAILED naming the file', () => {
    const file = path.join(dir, 'duofeed.sqlite');
    fs.writeFileSync(file, 'this is not a database, just text that is long enough to have a header');
    assert.throws(
      () => openSqliteStore({ dataDir: dir, clock: new FixedClock() }),
      (err: unknown) =>
        err instanceof DuofeedError && err.code === 'STORE_OPEN_FAILED' && err.message.startsWith(`cannot open database ${file}: `),
    );
  });
});
