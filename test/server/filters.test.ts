import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import * as cheerio from 'cheerio';
import { htmlToText } from '../../src/extract/html-to-text.js';
import { silentLogger } from '../../src/logger.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { articleSortKey } from '../../src/store/article-order.js';
import type { Article } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { GCLOUD, KR36 } from '../publish/bilingual-fixtures.js';
import { STRICT_PARSE_TIMEOUT_MS, strictParse } from '../publish/strict-xml.js';
import { removeDir } from '../store/fixtures.js';
import { filterConfig, filterCorpus, GOOGLE_AI, sourceInfos, type FilterCorpus } from './filter-fixtures.js';
import { request, type Reply } from '../helpers/http-request.js';

const BASE = 'https://news.example.com';


interface JsonFeed {
  title: string;
  feed_url: string;
  next_url?: string;
  items: Array<{ id: string; title: string; _duofeed: { source: { id: string }; originalId: string } }>;
  _duofeed: { links?: Array<{ rel: string; href: string }> };
}

/** The searchable fields (titles and bodies in every language) as plain text, one entry each. */
function textParts(a: Article): string[] {
  const parts = [a.title, a.text ?? htmlToText(a.contentHtml ?? a.feedContentHtml ?? a.summaryHtml ?? '')];
  for (const t of Object.values(a.translations)) parts.push(t.title, htmlToText(t.contentHtml ?? ''));
  return parts.map((p) => p.normalize('NFKC'));
}

function plainText(a: Article): string {
  return textParts(a).join('\n');
}

/**
 * Whether a CJK word occurs in the article as the index sees it: its characters in sequence, with
 * only spaces or punctuation (which are not tokens) between them.
 */
function hasCjkWord(a: Article, word: string): boolean {
  return textParts(a).some((p) => p.replace(/[^\p{L}\p{N}]+/gu, '').includes(word));
}

const path = (href: string): string => href.slice(BASE.length);

describe('server: filters, per-source and per-tag feeds, paging (real SQLite, corpus items in zh and en)', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  let corpus: FilterCorpus;
  let server: RunningServer;
  let capped: RunningServer;
  let port: number;
  /** Stored id → guid (the JSON Feed item id). */
  let guidOf: (a: Article) => string;

  before(async () => {
    corpus = await filterCorpus();
    assert.ok(corpus.all.length > 100, 'the corpus feeds were read');
    const clock = new FixedClock('2026-08-24T00:00:00.000Z');
    const config = filterConfig(corpus.sources, 500);
    server = await startServer(createRequestHandler({ store: corpus.store, config, sources: sourceInfos(config), logger: silentLogger(), clock }), 0, '127.0.0.1');
    const small = filterConfig(corpus.sources, 20);
    capped = await startServer(createRequestHandler({ store: corpus.store, config: small, sources: sourceInfos(small), logger: silentLogger(), clock }), 0, '127.0.0.1');
    port = server.port;
    guidOf = (a) => a.guid;
  });
  after(async () => {
    await server?.close();
    await capped?.close();
    await corpus?.store.close();
    if (corpus) removeDir(corpus.dir);
  });

  async function json(p: string, on = port): Promise<JsonFeed> {
    const r = await request(on, p);
    assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 300)}`);
    return JSON.parse(r.text) as JsonFeed;
  }
  const ids = (feed: JsonFeed): string[] => feed.items.map((i) => i.id);
  const expectIds = (articles: Article[]): string[] => articles.map(guidOf);

  it('the unfiltered feed holds every stored item, newest first', async () => {
    const feed = await json('/feed.json');
    assert.deepEqual(ids(feed), expectIds(corpus.all));
  });

  it('source: one id, several ids repeated or comma-separated (union), in the same order', async () => {
    const only36 = corpus.all.filter((a) => a.sourceId === KR36.id);
    assert.ok(only36.length > 50 && only36.length < corpus.all.length);
    assert.deepEqual(ids(await json(`/feed.json?source=${KR36.id}`)), expectIds(only36));
    const two = corpus.all.filter((a) => a.sourceId === GCLOUD.id || a.sourceId === GOOGLE_AI.id);
    const repeated = await json(`/feed.json?source=${GCLOUD.id}&source=${GOOGLE_AI.id}`);
    const comma = await json(`/feed.json?source=${GOOGLE_AI.id},${GCLOUD.id}`);
    assert.deepEqual(ids(repeated), expectIds(two));
    assert.deepEqual(ids(comma), expectIds(two));
    // One normalized self link for both spellings.
    assert.equal(repeated.feed_url, `${BASE}/feed.json?source=${GCLOUD.id},${GOOGLE_AI.id}`);
    assert.equal(comma.feed_url, repeated.feed_url);
    assert.ok(repeated.items.every((i) => i._duofeed.source.id !== KR36.id));
  });

  it('keyword: a zh and an en keyword find the item carrying it in either language, case-insensitively after NFKC; repeated = all must match', async () => {
    const { zhOk, enOk } = corpus.set;
    assert.deepEqual(ids(await json(`/feed.json?keyword=${encodeURIComponent('吴恩达')}`)), [zhOk.guid]);
    assert.deepEqual(ids(await json(`/feed.json?keyword=${encodeURIComponent('andrew NG')}`)), [zhOk.guid]);
    // 'Google Drive' is a keyword of enOk in both languages; 影子 IT only in zh.
    assert.deepEqual(ids(await json(`/feed.json?keyword=${encodeURIComponent('影子 it')}`)), [enOk.guid]);
    assert.deepEqual(ids(await json(`/feed.json?keyword=${encodeURIComponent('ＧＡＲＴＮＥＲ')}`)), [enOk.guid], 'full-width letters fold by NFKC');
    assert.deepEqual(ids(await json(`/feed.json?keyword=gartner&keyword=${encodeURIComponent('文件同步与共享')}`)), [enOk.guid]);
    assert.deepEqual(ids(await json(`/feed.json?keyword=gartner&keyword=${encodeURIComponent('吴恩达')}`)), [], 'no item carries both');
    assert.deepEqual(ids(await json(`/feed.json?keyword=${encodeURIComponent('模型')}`)), [], 'a word of the text is not a keyword');
  });

  it('q in Chinese: a two-character word inside a title or body is found (模型 inside 大模型, 芯片), and nothing else', async () => {
    for (const word of ['模型', '芯片']) {
      const want = corpus.all.filter((a) => hasCjkWord(a, word));
      assert.ok(want.every((a) => plainText(a).includes(word)), 'in these texts the word is always written as one');
      assert.ok(want.length > 5 && want.length < corpus.all.length, `${word}: ${want.length}`);
      const got = await json(`/feed.json?q=${encodeURIComponent(word)}`);
      assert.deepEqual(ids(got), expectIds(want), word);
    }
    const title = (await json(`/feed.json?q=${encodeURIComponent('芯片')}`)).items.map((i) => i.title);
    assert.ok(title.includes('硅谷VC的新规则：掌握芯片才能坐庄AI初创'), 'word inside a title');
    assert.deepEqual(ids(await json(`/feed.json?q=${encodeURIComponent('量子纠缠')}`)), [], 'absent word');
    const reversed = corpus.all.filter((a) => hasCjkWord(a, '片芯'));
    assert.ok(reversed.length < corpus.all.filter((a) => hasCjkWord(a, '芯片')).length);
    assert.deepEqual(ids(await json(`/feed.json?q=${encodeURIComponent('片芯')}`)), expectIds(reversed), 'characters in the wrong order are not the word');
  });

  it('q in English: a word of the English text, of a translation, and of a Chinese translation of an English post', async () => {
    const gartner = corpus.all.filter((a) => /\bgartner/i.test(plainText(a)));
    assert.ok(gartner.length >= 1 && gartner.length < 10);
    assert.deepEqual(ids(await json('/feed.json?q=Gartner')), expectIds(gartner));
    // Only the hand-made en translation of the 36氪 post says "spectacle".
    assert.deepEqual(ids(await json('/feed.json?q=spectacle')), [corpus.set.zhOk.guid]);
    // 影子 appears in the zh translation of the English shadow-IT post (and in one 36氪 post).
    const shadow = corpus.all.filter((a) => hasCjkWord(a, '影子'));
    assert.ok(shadow.some((a) => a.guid === corpus.set.enOk.guid));
    assert.ok(!textParts(shadow.find((a) => a.guid === corpus.set.enOk.guid)!)[1]!.includes('影子'), 'not in the English original');
    assert.deepEqual(ids(await json(`/feed.json?q=${encodeURIComponent('影子')}`)), expectIds(shadow));
    // Every word must occur.
    assert.deepEqual(ids(await json(`/feed.json?q=${encodeURIComponent('Gartner 影子')}`)), [corpus.set.enOk.guid]);
    assert.deepEqual(ids(await json('/feed.json?q=xylophonist')), []);
  });

  it('filters combine (AND) with lang and each other; other parameters are ignored', async () => {
    const want = corpus.all.filter((a) => a.sourceId === KR36.id && plainText(a).includes('模型'));
    const got = await json(`/feed.json?source=${KR36.id}&q=${encodeURIComponent('模型')}&utm_source=reader&t=1`);
    assert.deepEqual(ids(got), expectIds(want));
    assert.equal(got.feed_url, `${BASE}/feed.json?source=${KR36.id}&q=${encodeURIComponent('模型')}`);
    const zh = await json(`/feed.json?source=${GCLOUD.id}&lang=zh`);
    // The zh view leaves out items with no zh version. These English posts come in their zh
    // translation, so under ids of their own: the guid marked with the language.
    const wantZh = expectIds(corpus.all.filter((a) => a.sourceId === GCLOUD.id && a.translations.zh?.status === 'ok'));
    assert.ok(wantZh.length > 0 && wantZh.every((g) => /^https:[^#]+$/.test(g)), 'fragment-less URL guids');
    assert.deepEqual(zh.items.map((i) => i._duofeed.originalId), wantZh);
    assert.deepEqual(ids(zh), wantZh.map((g) => `${g}#duofeed-lang=zh`));
  });

  it('limit: the newest N; above output.maxItems it is clamped (and the self link says so)', async () => {
    assert.deepEqual(ids(await json('/feed.json?limit=3')), expectIds(corpus.all.slice(0, 3)));
    const small = await json('/feed.json?limit=5', capped.port);
    assert.deepEqual(ids(small), expectIds(corpus.all.slice(0, 5)));
    const clamped = await json('/feed.json?limit=100000', capped.port);
    assert.deepEqual(ids(clamped), expectIds(corpus.all.slice(0, 20)));
    assert.equal(clamped.feed_url, `${BASE}/feed.json?limit=20`);
    assert.deepEqual(ids(await json('/feed.json', capped.port)), expectIds(corpus.all.slice(0, 20)));
  });

  it('paging: following next links through the whole feed gives every item once, ties in date included; prev-archive = next; current = unpaged', async () => {
    const unpaged = ids(await json('/feed.json'));
    const tied = corpus.all.filter((a) => corpus.all.some((b) => b !== a && articleSortKey(a) === articleSortKey(b)));
    assert.ok(tied.length > 20, 'many items share a date');
    let next: string | undefined = '/feed.json?limit=7';
    const seen: string[] = [];
    let pages = 0;
    while (next !== undefined) {
      const page = await json(next);
      pages++;
      assert.ok(page.items.length <= 7 && page.items.length > 0, `page ${pages}`);
      seen.push(...ids(page));
      const links = page._duofeed.links ?? [];
      const prev = links.find((l) => l.rel === 'prev-archive');
      assert.equal(prev?.href, page.next_url, 'prev-archive points where next does');
      if (pages > 1) assert.deepEqual(links.find((l) => l.rel === 'current')?.href, `${BASE}/feed.json?limit=7`);
      else assert.equal(links.find((l) => l.rel === 'current'), undefined, 'the first page is the current feed');
      next = page.next_url === undefined ? undefined : path(page.next_url);
      assert.ok(pages < 100);
    }
    assert.equal(pages, Math.ceil(unpaged.length / 7));
    assert.equal(new Set(seen).size, seen.length, 'no item twice');
    assert.deepEqual(seen, unpaged, 'every item, in the same order');
  });

  it('paging a filtered Atom feed follows <link rel="next"> with the same filters; the documents are well-formed XML', async () => {
    const all = cheerio.load((await request(port, `/atom.xml?source=${KR36.id}`)).text, { xml: true });
    const unpaged = all('entry > id').toArray().map((e) => all(e).text());
    let next: string | undefined = `/atom.xml?source=${KR36.id}&limit=10`;
    const seen: string[] = [];
    let first = true;
    while (next !== undefined) {
      const r = await request(port, next);
      assert.equal(r.status, 200);
      const $ = cheerio.load(r.text, { xml: true });
      seen.push(...$('entry > id').toArray().map((e) => $(e).text()));
      const href = $('feed > link[rel="next"]').attr('href');
      if (href !== undefined) {
        assert.match(href, new RegExp(`^${BASE}/atom\\.xml\\?source=${KR36.id}&limit=10&before=`));
        assert.equal($('feed > link[rel="prev-archive"]').attr('href'), href);
      }
      if (!first) assert.equal($('feed > link[rel="current"]').attr('href'), `${BASE}/atom.xml?source=${KR36.id}&limit=10`);
      if (first) strictParse(r.text);
      first = false;
      next = href === undefined ? undefined : path(href);
    }
    assert.equal(new Set(seen).size, seen.length);
    assert.deepEqual(seen, unpaged);
  });

  it('before: a plain RFC 3339 date-time gives the items strictly older than it', async () => {
    const pivot = articleSortKey(corpus.all[30]!);
    const want = corpus.all.filter((a) => articleSortKey(a) < pivot);
    assert.ok(want.length > 0 && want.length < corpus.all.length - 30);
    assert.deepEqual(ids(await json(`/feed.json?before=${encodeURIComponent(pivot)}`)), expectIds(want));
    // The same instant written with an offset, and with an unencoded '+' (arrives as a space).
    const d = new Date(Date.parse(pivot) + 8 * 3600_000).toISOString().slice(0, 19);
    assert.deepEqual(ids(await json(`/feed.json?before=${encodeURIComponent(`${d}+08:00`)}`)), expectIds(want));
    assert.deepEqual(ids(await json(`/feed.json?before=${d}+08:00`)), expectIds(want));
  });

  it('/sources/{id}/…: only that source, its own self link, Atom id and title', async () => {
    const only = corpus.all.filter((a) => a.sourceId === GCLOUD.id);
    const feed = await json(`/sources/${GCLOUD.id}/feed.json`);
    assert.deepEqual(ids(feed), expectIds(only));
    assert.equal(feed.feed_url, `${BASE}/sources/${GCLOUD.id}/feed.json`);
    assert.match(feed.title, /Google Cloud Blog/);
    const atom = cheerio.load((await request(port, `/sources/${GCLOUD.id}/atom.xml`)).text, { xml: true });
    assert.equal(atom('feed > link[rel="self"]').attr('href'), `${BASE}/sources/${GCLOUD.id}/atom.xml`);
    const rootId = cheerio.load((await request(port, '/atom.xml')).text, { xml: true })('feed > id').first().text();
    assert.notEqual(atom('feed > id').first().text(), rootId, 'a feed of its own');
    assert.match(atom('feed > title').first().text(), /Google Cloud Blog/);
    const rss = cheerio.load((await request(port, `/sources/${KR36.id}/feed.xml?q=${encodeURIComponent('芯片')}&lang=zh`)).text, { xml: true });
    assert.equal(rss('channel > atom\\:link[rel="self"]').attr('href'), `${BASE}/sources/${KR36.id}/feed.xml?q=${encodeURIComponent('芯片')}&lang=zh`);
    assert.equal(rss('item').length, corpus.all.filter((a) => a.sourceId === KR36.id && plainText(a).includes('芯片')).length);
    // source= narrows a per-source feed further.
    assert.deepEqual(ids(await json(`/sources/${GCLOUD.id}/feed.json?source=${KR36.id}`)), []);
  });

  it('/tags/{keyword}/…: percent-decoded keyword, its own self link and title; an unknown tag is an empty feed', async () => {
    const tag = encodeURIComponent('吴恩达');
    const feed = await json(`/tags/${tag}/feed.json`);
    assert.deepEqual(ids(feed), [corpus.set.zhOk.guid]);
    assert.equal(feed.feed_url, `${BASE}/tags/${tag}/feed.json`);
    assert.match(feed.title, /#吴恩达/);
    const rss = cheerio.load((await request(port, `/tags/${tag}/feed.xml`)).text, { xml: true });
    assert.equal(rss('channel > atom\\:link[rel="self"]').attr('href'), `${BASE}/tags/${tag}/feed.xml`);
    assert.equal(rss('item').length, 1);
    // Case and width fold into one canonical feed.
    assert.equal((await json('/tags/Andrew%20NG/feed.json')).feed_url, `${BASE}/tags/andrew%20ng/feed.json`);
    assert.deepEqual(ids(await json('/tags/Andrew%20NG/feed.json')), [corpus.set.zhOk.guid]);
    const none = await json(`/tags/${encodeURIComponent('不存在的标签')}/feed.json`);
    assert.deepEqual(none.items, []);
  });

  it('400 SERVER_BAD_REQUEST naming the parameter for bad values; 404 SERVER_NOT_FOUND naming an unknown source id', async () => {
    const long = 'a'.repeat(201);
    const bad: Array<[string, RegExp]> = [
      ['/feed.xml?limit=abc', /limit .*not a whole number/],
      ['/feed.json?limit=0', /limit is 0 .*a whole number from 1/],
      ['/atom.xml?limit=-3', /limit/],
      ['/feed.xml?limit=2&limit=3', /limit is given 2 times/],
      ['/feed.xml?before=yesterday', /before .*not a date-time/],
      ['/feed.xml?before=2026-02-30T00:00:00Z', /before .*not a date-time/],
      ['/feed.xml?before=2026-08-01T00:00:00Z~bad%20id', /before .*malformed item id/],
      ['/feed.xml?q=', /q is empty/],
      ['/feed.xml?q=%20%20', /q is empty/],
      [`/feed.json?q=${long}`, /q is 201 characters long/],
      ['/feed.json?q=%E2%80%94%21', /q .*no letter or digit/],
      ['/feed.xml?lang=fr', /Unknown language "fr"/],
      ['/feed.xml?keyword=', /keyword is empty/],
      ['/feed.xml?keyword=%E5%A4', /keyword .*malformed percent-encoding/],
      ['/feed.xml?q=%ZZ', /q .*malformed percent-encoding/],
      ['/feed.xml?source=', /source is empty/],
      ['/tags/%E5%A4/feed.xml', /Malformed percent-encoding in the path/],
      ['/sources/%ZZ/atom.xml', /Malformed percent-encoding in the path/],
    ];
    for (const [p, message] of bad) {
      const r = await request(port, p);
      assert.equal(r.status, 400, p);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      const body = JSON.parse(r.text) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'SERVER_BAD_REQUEST', p);
      assert.match(body.error.message, message, p);
    }
    for (const [p, id] of [['/sources/nope/feed.xml', 'nope'], ['/feed.json?source=36kr,nope', 'nope'], ['/tags/x/atom.xml?source=ghost', 'ghost']] as const) {
      const r = await request(port, p);
      assert.equal(r.status, 404, p);
      const body = JSON.parse(r.text) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'SERVER_NOT_FOUND', p);
      assert.ok(body.error.message.includes(`"${id}"`), body.error.message);
    }
    assert.equal((await request(port, '/sources/nope/feed.xml', {}, 'HEAD')).status, 404);
    assert.equal((await request(port, '/sources/gcloud/feed.xml', {}, 'POST')).status, 405);
  });

  it('a filtered and a paged variant: own ETag, 304 on If-None-Match and If-Modified-Since, gzip and br, HEAD', async () => {
    const filtered = `/feed.xml?source=${KR36.id}&q=${encodeURIComponent('模型')}`;
    const first = await json('/feed.json?limit=7');
    const paged = path(first.next_url!);
    const plain = await request(port, '/feed.xml');
    for (const p of [filtered, paged, `/tags/${encodeURIComponent('吴恩达')}/atom.xml`]) {
      const r = await request(port, p);
      assert.equal(r.status, 200, p);
      const etag = String(r.headers.etag);
      assert.notEqual(etag, String(plain.headers.etag), 'its own ETag');
      assert.ok(r.headers['last-modified']);
      assert.equal((await request(port, p, { 'If-None-Match': etag })).status, 304, p);
      assert.equal((await request(port, p, { 'If-Modified-Since': String(r.headers['last-modified']) })).status, 304, p);
      assert.equal((await request(port, p, { 'If-None-Match': String(plain.headers.etag) })).status, 200, 'another variant tag does not match');
      const gz = await request(port, p, { 'Accept-Encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(zlib.gunzipSync(gz.body).toString('utf8'), r.text);
      assert.equal((await request(port, p, { 'If-None-Match': String(gz.headers.etag), 'Accept-Encoding': 'gzip' })).status, 304);
      const br = await request(port, p, { 'Accept-Encoding': 'br' });
      assert.equal(zlib.brotliDecompressSync(br.body).toString('utf8'), r.text);
      const head = await request(port, p, {}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      assert.equal(head.headers.etag, r.headers.etag);
      assert.equal(head.headers['content-length'], String(r.body.length));
    }
  });
});
