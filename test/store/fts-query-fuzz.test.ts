import assert from 'node:assert/strict';
import { ftsMatchExpression, searchTerms } from '../../src/store/search-text.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FixedClock } from '../helpers/clock.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';
import { seededRandom as prng } from '../helpers/seeded-random.js';

/**
 * No `q` value may reach FTS5 as a syntax error (a NUL once ended the quoted phrase early:
 * "unterminated string", answered 500). Random strings built from the characters FTS5 treats
 * specially, control characters, lone surrogates, CJK and Latin words go through the real query
 * path (SqliteStore.listArticles) and straight into a MATCH; SQLite must never throw.
 */

const PIECES = [
  '"', "'", '""', '\0', '\u0001', '\u001f', '\u007f', '\u0085', '\ud800', '\udfff', '\ufffd', '*', '^', ':', '(', ')', '{', '}', '+', '-', ',', '.', '\\', '/', '[', ']',
  'AND', 'OR', 'NOT', 'NEAR', 'NEAR(', 'title:', 'body:', '-title:', ' ', '\t', '\n', '\u3000', '模型', '大', 'ｇｐｔ', 'GPT-4', 'model', 'ai', '0', '🙂', '\u200b', '\u0301',
];

function randomQuery(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 8);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rand() * PIECES.length)];
  return s;
}

describe('store: FTS5 query expressions never fail (fuzzed)', () => {
  let store: SqliteStore;
  let dir: string;

  before(async () => {
    dir = tempDir();
    store = openSqliteStore({ dataDir: dir, clock: new FixedClock('2026-08-23T12:00:00.000Z') });
    const items = [
      feedItem({ guid: 'g1', title: 'GPT-4 model notes', contentHtml: '<p>大模型 and AI NEAR "quoted" text</p>', publishedAt: '2026-08-23T10:00:00.000Z' }),
      feedItem({ guid: 'g2', title: '模型 评测', contentHtml: '<p>title: body: OR AND NOT</p>', publishedAt: '2026-08-23T09:00:00.000Z' }),
    ];
    await store.savePoll('s', items.map((i) => input('s', i)), state('s'));
  });
  after(async () => {
    await store.close();
    removeDir(dir);
  });

  it('2000 random queries: the expression is valid FTS5 and listArticles does not throw', async () => {
    const rand = prng(20260823);
    const match = store.database.prepare('SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH ?');
    let searched = 0;
    for (let i = 0; i < 2000; i++) {
      const q = randomQuery(rand);
      const expr = ftsMatchExpression(q);
      assert.equal(expr === null, searchTerms(q).length === 0, `null exactly when nothing is searchable: ${JSON.stringify(q)}`);
      if (expr !== null) {
        assert.doesNotMatch(expr, /[\p{Cc}]/u, `no control character reaches FTS5: ${JSON.stringify(q)}`);
        assert.doesNotThrow(() => match.get(expr), `MATCH ${JSON.stringify(expr)} (from ${JSON.stringify(q)})`);
        searched++;
      }
      await assert.doesNotReject(store.listArticles({ limit: 5, text: q }), `listArticles text ${JSON.stringify(q)}`);
    }
    assert.ok(searched > 1000, `most random queries had a searchable word (${searched})`);
  });

  it('the reported NUL queries are valid and still find the words around the NUL', async () => {
    for (const q of ['a\0b', 'ab\0', '模\0型', '\0']) {
      await assert.doesNotReject(store.listArticles({ limit: 5, text: q }), JSON.stringify(q));
    }
    assert.equal((await store.listArticles({ limit: 5, text: 'model\0notes' })).length, 1);
    assert.equal((await store.listArticles({ limit: 5, text: '模\0型' })).length, 2);
  });
});
