import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { silentLogger } from '../../src/logger.js';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { FEED_STYLESHEET_XSL, feedContentTypeFor, feedStylesheetHref } from '../../src/server/feed-stylesheet.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { INDEX_PAGE_CSP } from '../../src/server/index-page.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { AppConfig } from '../../src/types.js';
import { pageStore, type PageStore } from '../browser/page-fixtures.js';
import { kids, only, STRICT_PARSE_TIMEOUT_MS, strictParse } from '../publish/strict-xml.js';
import { requestText as request, type TextReply as Reply } from '../helpers/http-request.js';


// What Chromium 156 sends on a navigation, and what Python's feedparser sends.
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const FEEDPARSER_ACCEPT = 'application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1';

describe('server: feed stylesheet helpers', () => {
  it('feedStylesheetHref is root-relative, under the base URL path when there is one', () => {
    assert.equal(feedStylesheetHref(null), '/feed.xsl');
    assert.equal(feedStylesheetHref(''), '/feed.xsl');
    assert.equal(feedStylesheetHref('https://news.example.com'), '/feed.xsl');
    assert.equal(feedStylesheetHref('https://news.example.com/'), '/feed.xsl');
    assert.equal(feedStylesheetHref('https://example.com/duofeed/'), '/duofeed/feed.xsl');
    assert.equal(feedStylesheetHref('https://example.com/a/b'), '/a/b/feed.xsl');
    assert.equal(feedStylesheetHref('not a url'), '/feed.xsl');
  });

  it('feedContentTypeFor gives browsers application/xml and readers the feed type', () => {
    const rss = 'application/rss+xml; charset=utf-8';
    assert.equal(feedContentTypeFor(BROWSER_ACCEPT, rss), 'application/xml; charset=utf-8');
    assert.equal(feedContentTypeFor('text/html', rss), 'application/xml; charset=utf-8');
    assert.equal(feedContentTypeFor(FEEDPARSER_ACCEPT, rss), rss);
    assert.equal(feedContentTypeFor('*/*', rss), rss);
    assert.equal(feedContentTypeFor(undefined, rss), rss);
    assert.equal(feedContentTypeFor('text/html;q=0, */*', rss), rss);
    assert.equal(feedContentTypeFor('text/html, application/atom+xml', rss), rss, 'a client naming a feed type is a reader');
  });

  it('the stylesheet is well-formed XML, an XSLT 1.0 stylesheet handling RSS items and Atom entries', function () {
    this.timeout(STRICT_PARSE_TIMEOUT_MS);
    const root = strictParse(FEED_STYLESHEET_XSL);
    assert.equal(root.name, 'xsl:stylesheet');
    assert.equal(root.attrs.version, '1.0');
    assert.equal(root.attrs['xmlns:atom'], 'http://www.w3.org/2005/Atom');
    const matches = kids(root, 'xsl:template').map((t) => t.attrs.match).filter(Boolean);
    assert.deepEqual(matches.sort(), ['/', 'atom:entry', 'item']);
    assert.equal(only(root, 'xsl:output').attrs.method, 'html');
    // Output never runs or loads anything: no script, no raw markup, no external document, image or style.
    assert.doesNotMatch(FEED_STYLESHEET_XSL, /<script|disable-output-escaping|document\(|\ssrc=|url\(|@import|href="https?:/);
  });
});

describe('server: GET /, GET /feed.xsl and the stylesheet announced by the feeds (SQLite store)', function () {
  this.timeout(STRICT_PARSE_TIMEOUT_MS);
  let data: PageStore;
  let server: RunningServer;
  let port: number;

  async function serve(config: AppConfig, stylesheet?: null): Promise<RunningServer> {
    const sources = buildSourceInfos(config.sources, await data.store.listSourceStates());
    return startServer(createRequestHandler({ store: data.store, config, sources, logger: silentLogger(), clock: data.clock, feedCache: stylesheet === null ? { stylesheet: null } : undefined }), 0, '127.0.0.1');
  }

  before(async () => {
    data = await pageStore();
    server = await serve(data.config);
    port = server.port;
  });
  after(async () => {
    await server?.close();
    await data?.store.close();
    if (data) rmSync(data.dir, { recursive: true, force: true });
  });

  it('/ answers HTML under a script-free CSP with the stored items and the failing source', async () => {
    const r = await request(port, '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['content-security-policy'], INDEX_PAGE_CSP);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal((r.body.match(/<li class="item"/g) ?? []).length, (await data.store.listArticles({ limit: 100 })).length);
    assert.match(r.body, /FETCH_NETWORK/);
    assert.ok(r.body.includes(`http://127.0.0.1:${port}/feed.xml?lang=en`));
    const head = await request(port, '/', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(r.body)));
  });

  it('/feed.xsl answers the stylesheet as text/xsl, cacheable, with an ETag that revalidates', async () => {
    const r = await request(port, '/feed.xsl');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/xsl; charset=utf-8');
    assert.match(String(r.headers['cache-control']), /^public, max-age=\d+$/);
    assert.equal(r.body, FEED_STYLESHEET_XSL);
    const etag = String(r.headers.etag);
    assert.match(etag, /^"[^"]+"$/);
    const again = await request(port, '/feed.xsl', { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    assert.equal((await request(port, '/feed.xsl', {}, 'HEAD')).body, '');
    assert.equal((await request(port, '/feed.xsl', {}, 'POST')).status, 405);
  });

  for (const path of ['/feed.xml', '/atom.xml', '/feed.xml?lang=zh', '/atom.xml?lang=en']) {
    it(`${path} announces /feed.xsl, stays strict XML, and is application/xml only for a browser`, async () => {
      const reader = await request(port, path, { Accept: FEEDPARSER_ACCEPT });
      assert.equal(reader.status, 200);
      assert.match(String(reader.headers['content-type']), /^application\/(rss|atom)\+xml; charset=utf-8$/);
      assert.equal(reader.headers.vary, 'Accept-Encoding, Accept');
      assert.match(reader.body, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<\?xml-stylesheet type="text\/xsl" href="\/feed\.xsl"\?>\n/);
      strictParse(reader.body);
      const browser = await request(port, path, { Accept: BROWSER_ACCEPT });
      assert.equal(browser.headers['content-type'], 'application/xml; charset=utf-8');
      assert.equal(browser.body, reader.body, 'the same document either way');
      assert.equal((await request(port, path)).headers['content-type'], reader.headers['content-type'], 'no Accept: the feed type');
    });
  }

  it('/feed.json carries no stylesheet and keeps its type for browsers', async () => {
    const r = await request(port, '/feed.json', { Accept: BROWSER_ACCEPT });
    assert.equal(r.headers['content-type'], 'application/feed+json; charset=utf-8');
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.doesNotMatch(r.body, /feed\.xsl/);
  });

  it('a base URL with a path moves the href under it; feedCache.stylesheet null turns it off', async () => {
    const sub = await serve({ ...data.config, output: { ...data.config.output, baseUrl: 'https://example.com/duofeed/' } });
    const off = await serve(data.config, null);
    try {
      assert.match((await request(sub.port, '/atom.xml')).body, /<\?xml-stylesheet type="text\/xsl" href="\/duofeed\/feed\.xsl"\?>/);
      const plain = await request(off.port, '/feed.xml', { Accept: BROWSER_ACCEPT });
      assert.doesNotMatch(plain.body, /xml-stylesheet/);
      assert.equal(plain.headers['content-type'], 'application/rss+xml; charset=utf-8', 'no stylesheet: nothing to render, keep the feed type');
      assert.equal(plain.headers.vary, 'Accept-Encoding');
    } finally {
      await sub.close();
      await off.close();
    }
  });
});
