import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as cheerio from 'cheerio';
import { createTranslator } from '../../../src/enrich/translate/create-translator.js';
import { NO_GLOSSARY } from '../../../src/enrich/translate/glossary.js';
import { splitHtml } from '../../../src/enrich/translate/segment-html.js';
import { translateArticle } from '../../../src/enrich/translate/translate-html.js';
import { translateWithGuard } from '../../../src/enrich/translate/translate-with-guard.js';
import { MemoryTranslationCache } from '../../../src/enrich/translate/translation-cache.js';
import { extractArticle } from '../../../src/extract/extract-article.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.js';
import { SqliteSpendLedger, SqliteTranslationCache } from '../../../src/store/sqlite/translation-cache.js';
import { rejectsWith } from '../../fetch/fetch-helpers.js';
import { startFakeDeepL, startFakeOpenAI, type FakeTranslatorServer } from '../../helpers/fake-translators.js';
import { E2E_PAGE_IDS } from '../../helpers/e2e-pages.js';
import { corpus } from '../../helpers/paths.js';
import { removeDir, tempDir } from '../../store/fixtures.js';
import { config, deps } from './setup.js';

const BODY = [
  '<h2>Mixtral 8x7B</h2>',
  '<p>Mistral <a href="https://mistral.ai/news/mixtral">released</a> a model with 8 experts of 7B parameters.</p>',
  '<figure><img src="https://example.com/chart.png" alt="chart"><figcaption>Scores on MMLU, 2024</figcaption></figure>',
  '<pre><code>pip install mistral --upgrade</code></pre>',
  '<ul><li>Use <code>temperature=0</code> for tests</li><li><p>Nested paragraph in a list</p></li></ul>',
  '<table><tr><th>Model</th><td>70B</td></tr></table>',
  '<p>   </p>',
].join('');

/** Elements that must come back byte-identical. */
function untouched(html: string): string[] {
  const $ = cheerio.load(html, null, false);
  return ['img', 'a', 'pre', 'code', 'figure > img'].flatMap((sel) =>
    $(sel)
      .toArray()
      .map((e) => (sel === 'a' ? `a[href=${$(e).attr('href')}]` : $.html(e))),
  );
}

function segmentsSent(fake: FakeTranslatorServer): string[] {
  return fake.requests.flatMap((r) => (r.body?.['text'] as string[] | undefined) ?? []);
}

describe('enrich/translate: structure-preserving article translation', () => {
  let fake: FakeTranslatorServer;
  beforeEach(async () => {
    fake = await startFakeDeepL('k');
  });
  afterEach(async () => {
    await fake.close();
  });
  const translator = (over = {}, d = deps({ env: { K: 'k' } })) => createTranslator(config('deepl', fake.origin, { apiKeyEnv: 'K', ...over }), d)!;

  it('splits leaf text blocks only; pre/code/img are never sent; inline code and images become placeholders', () => {
    const { blocks } = splitHtml(BODY);
    assert.deepEqual(
      blocks.map((b) => b.segment),
      [
        'Mixtral 8x7B',
        'Mistral <a href="https://mistral.ai/news/mixtral">released</a> a model with 8 experts of 7B parameters.',
        'Scores on MMLU, 2024',
        'Use <span data-duofeed-keep="0"></span> for tests',
        'Nested paragraph in a list',
        'Model',
        '70B',
      ].filter((s) => /\p{L}/u.test(s)),
    );
    assert.deepEqual(blocks[3]!.keeps, ['<code>temperature=0</code>']);
  });

  it('loose text beside blocks or at the top level (feed content with <br>) is a segment too, and comes back unwrapped', async () => {
    const loose = '<img src="https://example.com/banner.jpg" alt="b"><br><br>Google released Gemma 3 with 27B parameters.<br>Read <a href="https://blog.example.com/g">more</a>.<div>Intro text <p>Inner paragraph.</p>tail words</div>';
    const { blocks } = splitHtml(loose);
    assert.deepEqual(
      blocks.map((b) => b.segment),
      [
        '<span data-duofeed-keep="0"></span><br><br>Google released Gemma 3 with 27B parameters.<br>Read <a href="https://blog.example.com/g">more</a>.',
        'Intro text',
        'Inner paragraph.',
        'tail words',
      ],
    );
    const r = await translateArticle({ title: 'Gemma 3', contentHtml: loose }, 'en', 'zh-CN', translator(), new MemoryTranslationCache(), NO_GLOSSARY);
    assert.equal(r.status, 'ok');
    assert.equal(
      r.contentHtml,
      '[zh-hans] <img src="https://example.com/banner.jpg" alt="b"><br><br>Google released Gemma 3 with 27B parameters.<br>Read <a href="https://blog.example.com/g">more</a>.<div>[zh-hans] Intro text <p>[zh-hans] Inner paragraph.</p>[zh-hans] tail words</div>',
    );
  });

  it('translates title + every block in one batch, keeps the segment count, and leaves images, links and code in place', async () => {
    const r = await translateArticle({ title: 'Mistral & the 8x7B <model>', contentHtml: BODY }, 'en', 'zh-CN', translator(), new MemoryTranslationCache(), NO_GLOSSARY);
    assert.equal(r.status, 'ok');
    assert.deepEqual(r.missing, []);
    assert.equal(r.title, '[zh-hans] Mistral & the 8x7B <model>');
    assert.equal(fake.requests.length, 1);
    assert.equal(segmentsSent(fake).length, 1 + splitHtml(BODY).blocks.length);
    assert.ok(!segmentsSent(fake).some((s) => /pip install|<img|<code/.test(s)), 'pre, code and img are never sent');
    assert.deepEqual(untouched(r.contentHtml!), untouched(BODY));
    const $in = cheerio.load(BODY, null, false);
    const $out = cheerio.load(r.contentHtml!, null, false);
    for (const sel of ['p', 'li', 'h2', 'figcaption', 'td', 'th', 'pre', 'img', 'a']) assert.equal($out(sel).length, $in(sel).length, sel);
    assert.equal($out('h2').text(), '[zh-hans] Mixtral 8x7B');
    assert.equal($out('li').first().html(), '[zh-hans] Use <code>temperature=0</code> for tests');
    assert.equal($out('pre').text(), 'pip install mistral --upgrade');
    assert.equal(r.segments.sent, r.segments.total);
  });

  it('the cache prevents a second call for unchanged text (re-poll), also across a restart with SQLite', async () => {
    const dir = tempDir();
    try {
      const d = deps({ env: { K: 'k' } });
      let store = openSqliteStore({ dataDir: dir, clock: d.clock });
      let cache = new SqliteTranslationCache(store.database, d.clock);
      const t = translator({}, d);
      const first = await translateArticle({ title: 'Hello', contentHtml: BODY }, 'en', 'zh', t, cache, NO_GLOSSARY);
      assert.equal(fake.requests.length, 1);
      const again = await translateArticle({ title: 'Hello', contentHtml: BODY }, 'en', 'zh', t, cache, NO_GLOSSARY);
      assert.equal(fake.requests.length, 1, 'no request on a re-poll');
      assert.deepEqual(again.cost, { characters: 0, requests: 0 });
      assert.equal(again.contentHtml, first.contentHtml);
      await store.close();
      store = openSqliteStore({ dataDir: dir, clock: d.clock });
      cache = new SqliteTranslationCache(store.database, d.clock);
      const changed = BODY.replace('Nested paragraph in a list', 'A changed paragraph');
      const third = await translateArticle({ title: 'Hello', contentHtml: changed }, 'en', 'zh', t, cache, NO_GLOSSARY);
      assert.equal(fake.requests.length, 2);
      assert.deepEqual(fake.requests[1]!.body?.['text'], ['A changed paragraph'], 'only the changed block is sent after a restart');
      assert.equal(third.segments.cached, third.segments.total - 1);
      // Another glossary version, provider model or language is another key.
      await translateArticle({ title: 'Hello', contentHtml: null }, 'en', 'zh', t, cache, { terms: { Hello: '你好' }, doNotTranslate: [] });
      assert.equal(fake.requests.length, 3);
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('a translation that changes a number is retried once with the token named, then flagged with the original kept', async () => {
    const oa = await startFakeOpenAI(null);
    try {
      oa.mode = 'change-number';
      const cache = new MemoryTranslationCache();
      const d = deps();
      const t = createTranslator(config('openai', oa.origin), d)!;
      const r = await translateWithGuard({ title: 'Mixtral', contentHtml: '<p>It has 8 experts of 7B parameters.</p>' }, 'en', 'zh', { translator: t, cache, glossary: NO_GLOSSARY, clock: d.clock });
      assert.equal(r.status, 'flagged');
      assert.deepEqual(r.missing, ['8']);
      assert.equal(r.contentHtml, '<p>It has 8 experts of 7B parameters.</p>', 'the original is kept');
      assert.equal(r.title, 'Mixtral');
      assert.equal(r.at, '2026-11-30T12:00:00.000Z');
      assert.equal(oa.requests.length, 2);
      const retryPrompt = (oa.requests[1]!.body!['messages'] as Array<{ content: string }>)[0]!.content;
      assert.match(retryPrompt, /exactly as written: 8\./);
      assert.equal(cache.entries.size, 1, 'only the accepted title is cached');
    } finally {
      await oa.close();
    }
  });

  it('the seed failure ("8 experts of 7B" → "8 attention layers, 7 billion parameters") is flagged, the original published', async () => {
    const oa = await startFakeOpenAI(null);
    try {
      const src = 'Mixtral uses 8 experts of 7B parameters.';
      oa.table.set(src, 'Mixtral 使用8个注意力层，70亿参数。');
      oa.table.set('Mixtral', 'Mixtral');
      const d = deps();
      const t = createTranslator(config('openai', oa.origin), d)!;
      const r = await translateWithGuard({ title: 'Mixtral', contentHtml: `<p>${src}</p>` }, 'en', 'zh', { translator: t, cache: new MemoryTranslationCache(), glossary: NO_GLOSSARY, clock: d.clock });
      assert.deepEqual({ status: r.status, missing: r.missing, contentHtml: r.contentHtml }, { status: 'flagged', missing: ['7B'], contentHtml: `<p>${src}</p>` });
    } finally {
      await oa.close();
    }
  });

  it('a second attempt that keeps the tokens is accepted', async () => {
    const oa = await startFakeOpenAI(null);
    try {
      oa.mode = 'change-number';
      const d = deps();
      const t = createTranslator(config('openai', oa.origin), d)!;
      // The first answer changes the number; the retry (mode back to ok) keeps it.
      const wrapped = { ...t, provider: t.provider, model: t.model, translate: async (...a: Parameters<typeof t.translate>) => {
        const res = await t.translate(...a);
        oa.mode = 'ok';
        return res;
      } };
      const r = await translateArticle({ title: 'T', contentHtml: '<p>It has 8 experts.</p>' }, 'en', 'zh', wrapped, new MemoryTranslationCache(), NO_GLOSSARY);
      assert.equal(r.status, 'ok');
      assert.equal(r.contentHtml, '<p>[zh] It has 8 experts.</p>');
      assert.equal(r.cost.requests, 2);
    } finally {
      await oa.close();
    }
  });

  it('a lost placeholder (code) or link target flags the block', async () => {
    fake.table.set('Run <span data-duofeed-keep="0"></span> now', '[zh] 现在运行');
    fake.table.set('See <a href="https://a.example/x">this</a>', '[zh] 见 <a href="https://evil.example/">这里</a>');
    const r = await translateArticle(
      { title: 'T', contentHtml: '<p>Run <code>make all</code> now</p><p>See <a href="https://a.example/x">this</a></p>' },
      'en',
      'zh',
      translator(),
      new MemoryTranslationCache(),
      NO_GLOSSARY,
    );
    assert.equal(r.status, 'flagged');
    assert.deepEqual(r.missing, ['make all', 'https://a.example/x', '+https://evil.example/']);
  });

  it('a translation that adds a link or an image is flagged too; tags count as word breaks for the guard', async () => {
    fake.table.set('Hello world', '[zh] 你好 <a href="https://evil.example/win">免费</a><img src="https://tracker.example/p.gif">');
    fake.table.set('The CEO<strong>Sam Altman</strong> spoke.', '[zh] CEO <strong>Sam Altman</strong> 发言。');
    const r = await translateArticle({ title: 'T', contentHtml: '<p>Hello world</p><p>The CEO<strong>Sam Altman</strong> spoke.</p>' }, 'en', 'zh', translator(), new MemoryTranslationCache(), NO_GLOSSARY);
    assert.equal(r.status, 'flagged');
    assert.deepEqual(r.missing, ['+<a>', '+<img>', '+https://evil.example/win', '+https://tracker.example/p.gif']);
  });

  it('a response missing a segment fails the whole item (TRANSLATE_SEGMENT_MISMATCH), nothing cached', async () => {
    fake.mode = 'drop';
    const cache = new MemoryTranslationCache();
    await rejectsWith(translateArticle({ title: 'T', contentHtml: '<p>One</p><p>Two</p>' }, 'en', 'zh', translator(), cache, NO_GLOSSARY), 'TRANSLATE_SEGMENT_MISMATCH');
    assert.equal(cache.entries.size, 0);
  });

  it('the spend cap pauses translation until the next UTC day (ledger in SQLite, survives a restart)', async () => {
    const dir = tempDir();
    try {
      const d = deps({ env: { K: 'k' } });
      d.clock.advance(11 * 3600_000 + 59 * 60_000); // 23:59 UTC
      const store = openSqliteStore({ dataDir: dir, clock: d.clock });
      const ledger = new SqliteSpendLedger(store.database);
      const cache = new MemoryTranslationCache();
      const t = translator({ maxCharactersPerDay: 30 }, { ...d, ledger });
      await translateArticle({ title: 'Twenty characters!!!', contentHtml: null }, 'en', 'zh', t, cache, NO_GLOSSARY);
      const err = await rejectsWith(translateArticle({ title: 'Another twenty chars', contentHtml: null }, 'en', 'zh', t, cache, NO_GLOSSARY), 'TRANSLATE_SPEND_CAP');
      assert.equal(err.details['resumeAt'], '2026-12-01T00:00:00.000Z');
      assert.equal(err.details['used'], 20);
      assert.equal(fake.requests.length, 1, 'nothing sent once the cap is reached');
      // A restart keeps the day's count.
      const t2 = translator({ maxCharactersPerDay: 30 }, { ...d, ledger: new SqliteSpendLedger(store.database) });
      await rejectsWith(t2.translate(['Another twenty chars'], 'en', 'zh'), 'TRANSLATE_SPEND_CAP');
      d.clock.advance(60_000); // 00:00 UTC next day
      const r = await translateArticle({ title: 'Another twenty chars', contentHtml: null }, 'en', 'zh', t2, cache, NO_GLOSSARY);
      assert.equal(r.status, 'ok');
      assert.equal(fake.requests.length, 2);
      assert.equal(ledger.used('2026-11-30', 'deepl'), 20);
      assert.equal(ledger.used('2026-12-01', 'deepl'), 20);
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('requests refused with an error status are not counted against the cap', async () => {
    const d = deps({ env: { K: 'k' } });
    const t = translator({ maxCharactersPerDay: 100, maxRetries: 0 }, d);
    fake.script.push({ status: 500 });
    await rejectsWith(t.translate(['x'.repeat(60)], 'en', 'zh'), 'TRANSLATE_HTTP_STATUS');
    const r = await t.translate(['y'.repeat(60)], 'en', 'zh');
    assert.equal(r.segments.length, 1);
    assert.equal(d.ledger!.used('2026-11-30', 'deepl'), 60);
  });

  it('real extracted pages: every block comes back, in place, with images/links/code untouched', async function () {
    this.timeout(60_000);
    let pages = 0;
    for (const id of E2E_PAGE_IDS.slice(0, 8)) {
      const html = fs.readFileSync(corpus('extraction', 'article-extraction-benchmark', 'html', `${id}.html.gz`));
      const { gunzipSync } = await import('node:zlib');
      const ex = extractArticle(gunzipSync(html).toString('utf8'), { url: 'https://example.com/a', rules: { selector: null, remove: [], fetchPages: true } });
      if (ex.contentHtml === null) continue;
      pages++;
      const before = fake.requests.length;
      const r = await translateArticle({ title: id, contentHtml: ex.contentHtml }, 'en', 'zh', translator({ maxCharactersPerRequest: 200_000 }), new MemoryTranslationCache(), NO_GLOSSARY);
      assert.equal(r.status, 'ok', `${id}: ${r.missing.join(', ')}`);
      assert.deepEqual(untouched(r.contentHtml!), untouched(ex.contentHtml), id);
      const blocks = splitHtml(ex.contentHtml).blocks.length;
      assert.equal(splitHtml(r.contentHtml!).blocks.length, blocks, id);
      assert.equal(cheerio.load(r.contentHtml!, null, false).text().split('[zh-hans] ').length - 1, blocks, `${id}: every block translated once`);
      assert.ok(fake.requests.length > before);
    }
    assert.ok(pages >= 5, `pages extracted: ${pages}`);
  });
});
