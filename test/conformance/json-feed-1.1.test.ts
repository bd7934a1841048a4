import assert from 'node:assert/strict';
import { entryUpdated, expectedEntries, startClientFixture, type ClientFixture } from '../clients/fixture.js';
import { rawRequest } from '../helpers/http-request.js';
import { isAbsoluteIri, isHttpUrl, isLanguageTag, isMimeType, isRfc3339 } from './syntax.js';

type Json = Record<string, unknown>;

// Top-level and item keys JSON Feed 1.1 defines (jsonfeed.org/version/1.1); any other key must be
// an extension, i.e. start with an underscore.
const FEED_KEYS = new Set(['version', 'title', 'home_page_url', 'feed_url', 'description', 'user_comment', 'next_url', 'icon', 'favicon', 'authors', 'author', 'language', 'expired', 'hubs', 'items']);
const ITEM_KEYS = new Set(['id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image', 'date_published', 'date_modified', 'authors', 'author', 'tags', 'language', 'attachments']);

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function checkOptionalString(o: Json, key: string, where: string, check?: (s: string) => boolean): void {
  if (!(key in o)) return;
  assert.ok(isString(o[key]), `${where}: ${key} is a string`);
  if (check) assert.ok(check(o[key]), `${where}: ${key} "${o[key]}"`);
}

function checkExtensions(o: Json, known: Set<string>, where: string): void {
  for (const k of Object.keys(o)) assert.ok(known.has(k) || k.startsWith('_'), `${where}: "${k}" is neither a JSON Feed 1.1 key nor an _extension`);
}

/** 1.1 `authors`: an array of objects each with at least one of name, url, avatar (strings). */
function checkAuthors(o: Json, where: string): void {
  // 1.1 deprecates the singular `author`; a 1.1 feed publishes `authors`.
  assert.ok(!('author' in o), `${where}: deprecated "author" instead of "authors"`);
  if (!('authors' in o)) return;
  const list = o.authors;
  assert.ok(Array.isArray(list) && list.length > 0, `${where}: authors is a non-empty array`);
  for (const a of list as Json[]) {
    assert.ok(a !== null && typeof a === 'object', `${where}: author is an object`);
    assert.ok(['name', 'url', 'avatar'].some((k) => isString(a[k]) && a[k] !== ''), `${where}: author has name, url or avatar`);
    checkOptionalString(a, 'url', where, isAbsoluteIri);
    checkOptionalString(a, 'avatar', where, isAbsoluteIri);
  }
}

/**
 * Checks one document against JSON Feed 1.1: version URL, required title and items, each item's
 * string id and content_html or content_text, RFC 3339 dates, authors, attachments, extensions.
 * @returns the items
 */
function checkJsonFeed(body: string, selfUrl: string, viewLang: string | null): Json[] {
  const feed = JSON.parse(body) as Json;
  assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  assert.ok(isString(feed.title) && feed.title.trim() !== '', 'title required');
  checkExtensions(feed, FEED_KEYS, 'feed');
  checkOptionalString(feed, 'home_page_url', 'feed', isHttpUrl);
  checkOptionalString(feed, 'feed_url', 'feed', isHttpUrl);
  assert.equal(feed.feed_url, selfUrl, 'feed_url is the URL the document was fetched from');
  for (const k of ['description', 'user_comment']) checkOptionalString(feed, k, 'feed');
  for (const k of ['next_url', 'icon', 'favicon']) checkOptionalString(feed, k, 'feed', isAbsoluteIri);
  checkOptionalString(feed, 'language', 'feed', isLanguageTag);
  if (viewLang !== null) assert.equal(String(feed.language).split('-')[0], viewLang, 'feed language of the view');
  if ('expired' in feed) assert.equal(typeof feed.expired, 'boolean');
  checkAuthors(feed, 'feed');
  if ('hubs' in feed) {
    assert.ok(Array.isArray(feed.hubs));
    for (const h of feed.hubs as Json[]) assert.ok(isString(h.type) && isString(h.url) && isHttpUrl(h.url), 'hub type and url');
  }

  assert.ok(Array.isArray(feed.items), 'items is an array');
  const items = feed.items as Json[];
  const ids = new Set<string>();
  for (const [i, item] of items.entries()) {
    const where = `item #${i}`;
    checkExtensions(item, ITEM_KEYS, where);
    // "id (required, string)": numbers must be written as strings.
    assert.ok(isString(item.id) && item.id !== '', `${where}: id is a non-empty string`);
    assert.ok(!ids.has(item.id), `${where}: id ${item.id} repeated`);
    ids.add(item.id);
    assert.ok(isString(item.content_html) || isString(item.content_text), `${where}: content_html or content_text`);
    checkOptionalString(item, 'content_html', where);
    checkOptionalString(item, 'content_text', where);
    for (const k of ['url', 'external_url']) checkOptionalString(item, k, where, isHttpUrl);
    for (const k of ['image', 'banner_image']) checkOptionalString(item, k, where, isAbsoluteIri);
    for (const k of ['title', 'summary']) checkOptionalString(item, k, where);
    for (const k of ['date_published', 'date_modified']) checkOptionalString(item, k, where, isRfc3339);
    checkOptionalString(item, 'language', where, isLanguageTag);
    if (viewLang !== null) assert.equal(String(item.language ?? feed.language).split('-')[0], viewLang, `${where}: in the view's language`);
    checkAuthors(item, where);
    if ('tags' in item) assert.ok(Array.isArray(item.tags) && (item.tags as unknown[]).every((t) => isString(t) && t !== ''), `${where}: tags are strings`);
    if ('attachments' in item) {
      assert.ok(Array.isArray(item.attachments), `${where}: attachments is an array`);
      for (const a of item.attachments as Json[]) {
        assert.ok(isString(a.url) && isAbsoluteIri(a.url), `${where}: attachment url`);
        assert.ok(isString(a.mime_type) && isMimeType(a.mime_type), `${where}: attachment mime_type`);
        for (const k of ['size_in_bytes', 'duration_in_seconds']) if (k in a) assert.ok(typeof a[k] === 'number' && (a[k] as number) >= 0, `${where}: attachment ${k}`);
      }
    }
  }
  return items;
}

describe('conformance: /feed.json meets JSON Feed 1.1', function () {
  this.timeout(60_000);
  let f: ClientFixture;
  before(async () => {
    f = await startClientFixture();
  });
  after(() => f?.close());

  for (const [target, lang] of [
    ['/feed.json', null],
    ['/feed.json?lang=zh', 'zh'],
    ['/feed.json?lang=en', 'en'],
  ] as const) {
    it(`${target}: version URL, title, items with string ids and content, RFC 3339 dates, authors`, async () => {
      const r = await rawRequest(f.origin, target);
      assert.equal(r.status, 200);
      const items = checkJsonFeed(r.body.toString('utf8'), `${f.origin}${target}`, lang);
      const expected = expectedEntries(f, lang);
      assert.equal(items.length, expected.length);
      for (const [i, want] of expected.entries()) {
        const item = items[i]!;
        assert.equal(item.title, want.title, `#${i} title`);
        assert.equal(item.url, want.link, `#${i} url`);
        assert.equal(Date.parse(String(item.date_published)), Date.parse(want.article.publishedAt!), `#${i} date_published`);
        assert.equal(Date.parse(String(item.date_modified)), Date.parse(entryUpdated(want.article)), `#${i} date_modified`);
        assert.deepEqual(item.authors, want.article.author === null ? undefined : [{ name: want.article.author }], `#${i} authors`);
      }
    });
  }

  it('the checker rejects documents that break JSON Feed 1.1 (so the checks above can fail)', async () => {
    const good = JSON.parse((await rawRequest(f.origin, '/feed.json')).body.toString('utf8')) as Json;
    const self = `${f.origin}/feed.json`;
    const items = (): Json[] => structuredClone(good.items) as Json[];
    const withItem0 = (over: Json, drop: string[] = []): Json => {
      const list = items();
      list[0] = { ...list[0], ...over };
      for (const k of drop) delete list[0]![k];
      return { ...good, items: list };
    };
    const authored = (good.items as Json[]).findIndex((i) => 'authors' in i);
    assert.ok(authored >= 0, 'the fixture has an item with authors');
    const broken: Array<[string, Json, RegExp]> = [
      ['1.0 version URL', { ...good, version: 'https://jsonfeed.org/version/1' }, /version\/1\.1/],
      ['no title', { ...good, title: undefined }, /title required/],
      ['numeric id', withItem0({ id: 42 }), /id is a non-empty string/],
      ['no content', withItem0({}, ['content_html', 'content_text']), /content_html or content_text/],
      ['date without zone', withItem0({ date_published: '2023-11-01T23:49:16' }), /date_published/],
      ['singular author', withItem0({ author: { name: 'X' } }), /deprecated "author"/],
      ['unknown key', withItem0({ summary_html: '<p>x</p>' }), /neither a JSON Feed 1.1 key/],
    ];
    for (const [what, doc, reason] of broken) {
      assert.throws(() => checkJsonFeed(JSON.stringify(doc), self, null), { name: 'AssertionError', message: reason }, what);
    }
  });
});
