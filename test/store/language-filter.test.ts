import assert from 'node:assert/strict';
import { TranslationBackfill } from '../../src/enrich/backfill.js';
import type { EnrichDeps } from '../../src/enrich/enrich-item.js';
import { IdfTable } from '../../src/enrich/keywords/idf-table.js';
import { MemoryTranslationCache } from '../../src/enrich/translate/translation-cache.js';
import type { TranslateResult, Translator } from '../../src/enrich/translate/translator.js';
import { buildConfig } from '../../src/config/load-config.js';
import { htmlToText } from '../../src/extract/html-to-text.js';
import { silentLogger } from '../../src/logger.js';
import { languageVersions } from '../../src/publish/item-versions.js';
import type { SourceInfo } from '../../src/publish/source-info.js';
import { cursorAfter } from '../../src/store/article-order.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ArticleQuery, Store } from '../../src/store/store.js';
import type { Article, Translation } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { MemoryStore } from '../helpers/memory-store.js';
import { GCLOUD, KR36 } from '../publish/bilingual-fixtures.js';
import { filterCorpus, GOOGLE_AI, SAVED_AT, type FilterCorpus } from '../server/filter-fixtures.js';
import { feedItem, input, removeDir, state, tempDir } from './fixtures.js';

const LANGUAGES = ['zh', 'en'];
const SOURCES = new Map<string, SourceInfo>([GCLOUD, KR36, GOOGLE_AI].map((s) => [s.id, s]));
const DECLARED = Object.fromEntries([...SOURCES.values()].map((s) => [s.id, s.language]));

/**
 * The oracle, independent of the store: the language keys the publisher lays an item out in
 * (publish/item-versions.ts `languageVersions`, the code that writes the views).
 */
function publishedIn(a: Article, language: string, sources: ReadonlyMap<string, SourceInfo> = SOURCES): boolean {
  const source = sources.get(a.sourceId) ?? { id: a.sourceId, name: a.sourceId, feedUrl: '', siteUrl: null, language: null };
  return languageVersions(a, source, LANGUAGES).some((v) => v.key === language);
}

const guids = (list: { guid: string }[]): string[] => list.map((a) => a.guid);

/** Follows cursors page by page; fails on an empty page or a loop. */
async function pageAll(list: (q: ArticleQuery) => Promise<Article[]>, base: Omit<ArticleQuery, 'limit' | 'before'>, limit: number): Promise<Article[]> {
  const out: Article[] = [];
  let before: ArticleQuery['before'] = null;
  for (let n = 0; ; n++) {
    assert.ok(n < 1000, 'paging ends');
    const found = await list({ ...base, limit: limit + 1, before });
    const page = found.slice(0, limit);
    if (n > 0 || found.length > 0) assert.ok(page.length > 0, `page ${n + 1} is not empty`);
    out.push(...page);
    if (found.length <= limit) return out;
    before = cursorAfter(page[page.length - 1]!);
  }
}

describe('store: language filter (items having a version in a language), SQLite over corpus items in zh and en, and the memory store', function () {
  this.timeout(60_000);
  let corpus: FilterCorpus;
  let memory: MemoryStore;

  before(async () => {
    corpus = await filterCorpus();
    memory = new MemoryStore(new FixedClock(SAVED_AT));
    memory.put(...corpus.all);
  });
  after(async () => {
    await corpus?.store.close();
    if (corpus) removeDir(corpus.dir);
  });

  it('zh and en: exactly the items the publisher has a version in that language for, newest first, in both stores', async () => {
    const { enOk, enFlagged, enPending, zhOk, zhPending } = corpus.set;
    for (const language of LANGUAGES) {
      const want = corpus.all.filter((a) => publishedIn(a, language));
      assert.ok(want.length > 20 && want.length < corpus.all.length, `${language}: ${want.length} of ${corpus.all.length}`);
      const q: ArticleQuery = { limit: 100_000, language, declaredLanguages: DECLARED };
      assert.deepEqual(guids(await corpus.store.listArticles(q)), guids(want), `sqlite ${language}`);
      assert.deepEqual(guids(await memory.listArticles(q)), guids(want), `memory ${language}`);
    }
    const zh = guids(await corpus.store.listArticles({ limit: 100_000, language: 'zh', declaredLanguages: DECLARED }));
    const en = guids(await corpus.store.listArticles({ limit: 100_000, language: 'en', declaredLanguages: DECLARED }));
    // Each way in: detected original, declared original (bulk items have no detected language),
    // accepted translation; and the flagged translation does not count.
    assert.ok(zh.includes(enOk.guid) && en.includes(enOk.guid), 'en original with an accepted zh translation: both');
    assert.ok(en.includes(zhOk.guid) && zh.includes(zhOk.guid), 'zh original with an accepted en translation: both');
    assert.ok(!zh.includes(enFlagged.guid) && en.includes(enFlagged.guid), 'a flagged zh translation does not count');
    assert.ok(!zh.includes(enPending.guid), 'untranslated en item not in zh');
    assert.equal(zhPending.language, null);
    assert.ok(zh.includes(zhPending.guid) && !en.includes(zhPending.guid), 'no detected language: the source declares zh-CN');
    const bulk = corpus.all.filter((a) => a.language === null && a.sourceId === GOOGLE_AI.id);
    assert.ok(bulk.length > 5 && bulk.every((a) => en.includes(a.guid) && !zh.includes(a.guid)), 'declared en');
  });

  it('the language is compared by primary subtag, and null or empty means no filter', async () => {
    const zh = guids(await corpus.store.listArticles({ limit: 100_000, language: 'zh', declaredLanguages: DECLARED }));
    assert.deepEqual(guids(await corpus.store.listArticles({ limit: 100_000, language: 'ZH-cn', declaredLanguages: DECLARED })), zh);
    assert.deepEqual(guids(await corpus.store.listArticles({ limit: 100_000, language: '', declaredLanguages: DECLARED })), guids(corpus.all));
    assert.deepEqual(guids(await corpus.store.listArticles({ limit: 100_000, language: null })), guids(corpus.all));
  });

  it('the declared languages come with the query: undetected items follow the configuration, and with none they are und', async () => {
    // The operator says the Google AI feed is Chinese: its undetected items move to zh.
    const edited = new Map(SOURCES);
    edited.set(GOOGLE_AI.id, { ...GOOGLE_AI, language: 'zh-Hans' });
    const declared = { ...DECLARED, [GOOGLE_AI.id]: 'zh-Hans' };
    for (const language of LANGUAGES) {
      const want = corpus.all.filter((a) => publishedIn(a, language, edited));
      assert.deepEqual(guids(await corpus.store.listArticles({ limit: 100_000, language, declaredLanguages: declared })), guids(want), language);
      assert.deepEqual(guids(await memory.listArticles({ limit: 100_000, language, declaredLanguages: declared })), guids(want), `memory ${language}`);
    }
    // No declaration at all: undetected originals are `und` (item-versions.ts UNDETERMINED).
    const none = new Map([...SOURCES].map(([id, s]) => [id, { ...s, language: null }]));
    const und = corpus.all.filter((a) => publishedIn(a, 'und', none));
    assert.ok(und.length > 50, `${und.length}`);
    assert.deepEqual(guids(await corpus.store.listArticles({ limit: 100_000, language: 'und' })), guids(und));
    assert.deepEqual(guids(await corpus.store.listArticles({ limit: 100_000, language: 'und', declaredLanguages: { [GCLOUD.id]: null, [KR36.id]: '  ' } })), guids(und));
    const zhWithout = corpus.all.filter((a) => publishedIn(a, 'zh', none));
    assert.deepEqual(guids(await corpus.store.listArticles({ limit: 100_000, language: 'zh' })), guids(zhWithout));
  });

  it('combined with the other filters, and paged with cursors: every such item once, no empty page', async () => {
    for (const language of LANGUAGES) {
      const want = corpus.all.filter((a) => publishedIn(a, language));
      const sql = await pageAll((q) => corpus.store.listArticles(q), { language, declaredLanguages: DECLARED }, 7);
      assert.deepEqual(guids(sql), guids(want), `sqlite ${language}`);
      const mem = await pageAll((q) => memory.listArticles(q), { language, declaredLanguages: DECLARED }, 7);
      assert.deepEqual(guids(mem), guids(want), `memory ${language}`);
    }
    const queries: ArticleQuery[] = [
      { limit: 1000, language: 'en', declaredLanguages: DECLARED, sourceIds: [KR36.id] },
      { limit: 1000, language: 'zh', declaredLanguages: DECLARED, sourceIds: [GCLOUD.id, GOOGLE_AI.id] },
      { limit: 1000, language: 'en', declaredLanguages: DECLARED, keywords: ['吴恩达'] },
      { limit: 1000, language: 'zh', declaredLanguages: DECLARED, text: 'Gartner' },
      { limit: 1000, language: 'en', declaredLanguages: DECLARED, text: '芯片' },
    ];
    for (const q of queries) assert.deepEqual(guids(await corpus.store.listArticles(q)), guids(await memory.listArticles(q)), JSON.stringify(q));
    assert.deepEqual(guids(await corpus.store.listArticles(queries[0]!)), [corpus.set.zhOk.guid], 'the one 36氪 item with an en version');
    const zhOfEnglishSources = corpus.all.filter((a) => a.sourceId !== KR36.id && publishedIn(a, 'zh'));
    assert.ok(zhOfEnglishSources.length >= 2);
    assert.deepEqual(guids(await corpus.store.listArticles(queries[1]!)), guids(zhOfEnglishSources), 'the translated English items');
  });
});

/** The store as the backfill sees it, listing only one article (so a run translates that one). */
function oneItemStore(store: SqliteStore, id: string): Store {
  return {
    savePoll: (sourceId, items, st) => store.savePoll(sourceId, items, st),
    saveSourceState: (st) => store.saveSourceState(st),
    getSourceState: (sourceId) => store.getSourceState(sourceId),
    listSourceStates: () => store.listSourceStates(),
    findItem: (sourceId, policy, guid, url) => store.findItem(sourceId, policy, guid, url),
    listArticles: async () => [(await store.getArticle(id))!],
    countArticles: (sourceId) => store.countArticles(sourceId),
    close: async () => undefined,
  };
}

function okZh(title: string): Translation {
  return { title, contentHtml: `<p>${title}</p>`, provider: 'openai', model: 'm', at: '2026-01-02T00:00:00.000Z', status: 'ok', missing: [] };
}

describe('store: the language index follows writes, translations saved later, and is built for old rows by the migration', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => removeDir(dir));

  const inLanguage = async (store: SqliteStore, language: string, declared: Record<string, string | null> = { a: 'en' }): Promise<string[]> =>
    guids(await store.listArticles({ limit: 100, language, declaredLanguages: declared }));

  it('a translation saved after the first indexing puts the item into that view; flagged, it takes it out; a detected language moves it', async () => {
    const store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    try {
      const item = feedItem({ guid: 'g1', title: 'Nvidia ships new chips', publishedAt: '2026-01-01T00:00:00.000Z' });
      await store.savePoll('a', [input('a', item)], state('a'));
      assert.deepEqual(await inLanguage(store, 'en'), ['g1'], 'declared en');
      assert.deepEqual(await inLanguage(store, 'zh'), []);

      // What the backfill saves: the same item with a translation (and the language it assumed).
      const ok = input('a', item, { language: 'en', translations: { zh: okZh('英伟达发布新芯片') } });
      assert.deepEqual(await store.savePoll('a', [ok], state('a')), { new: 0, updated: 1, unchanged: 0 });
      assert.deepEqual(await inLanguage(store, 'zh'), ['g1'], 'in the zh view after the translation was saved');
      assert.deepEqual(await inLanguage(store, 'en'), ['g1']);

      const flagged = input('a', item, { language: 'en', translations: { zh: { ...okZh('英伟达发布新芯片'), status: 'flagged', missing: ['Nvidia'] } } });
      await store.savePoll('a', [flagged], state('a'));
      assert.deepEqual(await inLanguage(store, 'zh'), [], 'a flagged translation does not count');

      // Detection says zh (a mis-declared source): the item is zh whatever the declaration.
      await store.savePoll('a', [input('a', item, { language: 'zh-CN' })], state('a'));
      assert.deepEqual(await inLanguage(store, 'zh'), ['g1']);
      assert.deepEqual(await inLanguage(store, 'en'), [], 'the flagged zh translation kept, no en version');
      const rows = store.database.prepare('SELECT language FROM article_languages ORDER BY language').pluck().all();
      assert.deepEqual(rows, ['zh'], 'one row per language, old rows replaced');

      store.database.prepare("DELETE FROM sources WHERE source_id = 'a'").run();
      assert.equal(store.database.prepare('SELECT count(*) FROM article_languages').pluck().get(), 0, 'deleted with the article');
    } finally {
      await store.close();
    }
  });

  it('the translation backfill (real, with an in-process translator) moves translated items into the zh view; its flagged ones stay out', async () => {
    const clock = new FixedClock('2026-08-24T00:00:00.000Z');
    const corpus = await filterCorpus(clock);
    try {
      const store = corpus.store;
      const gcloud = corpus.all.filter((a) => a.sourceId === GCLOUD.id && Object.keys(a.translations).length === 0);
      assert.ok(gcloud.length >= 6);
      const zhBefore = await store.listArticles({ limit: 100_000, language: 'zh', declaredLanguages: DECLARED });
      assert.ok(gcloud.every((a) => !zhBefore.some((b) => b.id === a.id)), 'untranslated en items are not in zh');

      // A translator that keeps every token, except while `mangling`, when it changes digits:
      // the fidelity guard then flags the translation.
      let mangling = false;
      const translator: Translator = {
        provider: 'openai',
        model: 'in-process',
        async translate(segments: string[], _from: string, to: string): Promise<TranslateResult> {
          const out = segments.map((s) => `[${to}] ${mangling ? s.replace(/\d/g, '#') : s}`);
          return { segments: out, cost: { characters: segments.join('').length, requests: 1 }, provider: 'openai', model: 'in-process' };
        },
      };
      const config = buildConfig({ sources: [], output: { languages: LANGUAGES }, translation: { provider: 'openai', baseUrl: 'http://127.0.0.1:9', model: 'in-process' } }, 'test');
      const deps: EnrichDeps = { config, idf: IdfTable.fromDocuments([]), translator, cache: new MemoryTranslationCache(), clock, logger: silentLogger() };
      // Every other item (among those with a number in their text to change) is mangled.
      const hasNumber = (a: Article): boolean => /\d/.test(`${a.title}\n${htmlToText(a.contentHtml ?? a.feedContentHtml ?? a.summaryHtml ?? '')}`);
      const mangled = new Set(gcloud.filter((a, i) => i % 2 === 1 && hasNumber(a)).map((a) => a.id));
      assert.ok(mangled.size >= 2);
      // The backfill translates the newest untranslated items; it is shown one item per run, so
      // the translator knows which item it translates.
      for (const a of gcloud) {
        mangling = mangled.has(a.id);
        const backfill = new TranslationBackfill(deps, oneItemStore(store, a.id), corpus.sources, { scan: 1, batch: 1 });
        const progress = await backfill.run(1);
        assert.equal(progress.failed, 0);
      }
      const after = await Promise.all(gcloud.map(async (a) => (await store.getArticle(a.id))!));
      const ok = after.filter((a) => a.translations.zh?.status === 'ok');
      const flagged = after.filter((a) => a.translations.zh?.status === 'flagged');
      assert.deepEqual(flagged.map((a) => a.id).sort(), [...mangled].sort(), 'the mangled items were flagged');
      assert.equal(ok.length, gcloud.length - mangled.size, 'the others were translated');

      const zhAfter = guids(await store.listArticles({ limit: 100_000, language: 'zh', declaredLanguages: DECLARED }));
      const all = await store.listArticles({ limit: 100_000 });
      assert.deepEqual(zhAfter, guids(all.filter((a) => publishedIn(a, 'zh'))), 'the zh view is the publisher rule over the stored items');
      for (const a of ok) assert.ok(zhAfter.includes(a.guid), `translated: ${a.title}`);
      for (const a of flagged) assert.ok(!zhAfter.includes(a.guid), `flagged: ${a.title}`);
    } finally {
      await corpus.store.close();
      removeDir(corpus.dir);
    }
  });

  it('a database written before the language index (schema 4) is indexed when opened by this build', async () => {
    const old = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    await old.savePoll('a', [input('a', feedItem({ guid: 'g1', title: 'chips', publishedAt: '2026-01-02T00:00:00.000Z' }), { translations: { zh: okZh('芯片') } })], state('a'));
    await old.savePoll('b', [input('b', feedItem({ guid: 'g2', title: '芯片', publishedAt: '2026-01-01T00:00:00.000Z' }), { language: 'zh' })], state('b'));
    await old.savePoll('a', [input('a', feedItem({ guid: 'g3', title: 'flagged', publishedAt: '2026-01-03T00:00:00.000Z' }), { translations: { zh: { ...okZh('x'), status: 'flagged' } } })], state('a'));
    old.database.exec('DROP INDEX articles_guid_claim; DROP TABLE article_languages;');
    old.database.pragma('user_version = 4');
    assert.equal(MIGRATIONS[4]!.name, 'language index');
    await old.close();
    const store = openSqliteStore({ dataDir: dir, clock: new FixedClock() });
    try {
      assert.deepEqual(await inLanguage(store, 'zh', { a: 'en', b: 'en' }), ['g1', 'g2']);
      assert.deepEqual(await inLanguage(store, 'en', { a: 'en', b: 'en' }), ['g3', 'g1']);
    } finally {
      await store.close();
    }
  });
});
