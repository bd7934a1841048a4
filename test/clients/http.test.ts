import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { attr, kids, parseXml } from '../conformance/syntax.js';
import { expectedEntries, FIXTURE_NOW, startClientFixture, type ClientFixture } from './fixture.js';
import { rawRequest, type RawReply } from '../helpers/http-request.js';

/**
 * Issue 5 point 2 ("HTTP for readers") over real HTTP against the SQLite-backed fixture, for
 * every format and a language view. test/server/server.test.ts covers the same headers on the
 * merged feeds with the in-memory store and the default max-age (content types, ETag = sha256 of
 * the body, 304 forms, HEAD on /feed.json, gzip/br on /feed.xml, CORS only on /feed.json, hostile
 * Host); test/server/bilingual-views.test.ts the per-view ETags and 304s. What is here: a
 * non-default `output.cacheMaxAgeSeconds`, all formats × views × codings, HEAD with each coding,
 * 304 answers keeping the caching headers, CORS on every JSON variant, and self links equal to the
 * URL the reader used (any Host and port) or to `output.baseUrl` with a path behind a proxy.
 */

const MAX_AGE = 1234;
const FORMATS = [
  ['/feed.xml', 'application/rss+xml; charset=utf-8'],
  ['/atom.xml', 'application/atom+xml; charset=utf-8'],
  ['/feed.json', 'application/feed+json; charset=utf-8'],
] as const;
const VIEWS = [
  ['', null],
  ['?lang=zh', 'zh'],
  ['?lang=en', 'en'],
] as const;

const sha32 = (b: Buffer): string => createHash('sha256').update(b).digest('hex').slice(0, 32);

/** The self link a document declares: Atom/RSS `atom:link rel=self`, JSON Feed `feed_url`. */
function selfLink(target: string, body: Buffer): string | undefined {
  if (target.startsWith('/feed.json')) return (JSON.parse(body.toString('utf8')) as { feed_url?: string }).feed_url;
  const doc = parseXml(body.toString('utf8'));
  const links = doc.feed ? kids(doc.feed[0]!, 'link') : kids(kids(doc.rss![0]!, 'channel')[0]!, 'atom:link');
  const self = links.filter((l) => attr(l, 'rel') === 'self');
  assert.equal(self.length, 1, `${target}: one self link`);
  return attr(self[0]!, 'href');
}

/** Headers a reader's cache relies on, identical on 200, HEAD and 304. */
function cachingHeaders(r: RawReply): Record<string, string | undefined> {
  return { etag: r.headers.etag, 'last-modified': r.headers['last-modified'], 'cache-control': r.headers['cache-control'], vary: r.headers.vary };
}

describe('clients: HTTP for readers (issue 5 point 2) on the SQLite-backed server', function () {
  this.timeout(120_000);
  let f: ClientFixture;
  before(async () => {
    f = await startClientFixture({ cacheMaxAgeSeconds: MAX_AGE });
  });
  after(() => f?.close());

  for (const [path, type] of FORMATS) {
    for (const [query, lang] of VIEWS) {
      const target = `${path}${query}`;
      it(`${target}: media type with charset, strong ETag, Last-Modified, max-age ${MAX_AGE}; 304 on either validator`, async () => {
        const r = await rawRequest(f.origin, target);
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-type'], type);
        assert.equal(r.headers['content-encoding'], undefined);
        assert.equal(r.headers['content-length'], String(r.body.length));
        // Strong (no W/) and a digest of these very bytes.
        assert.equal(r.headers.etag, `"${sha32(r.body)}"`);
        // When the feed's content was last written to the store (RFC 9110 §8.8.2), not the newest
        // item's own date: an older-dated item saved later must still move it.
        const written = Math.max(...expectedEntries(f, lang).map((e) => Date.parse(e.article.updatedAt)));
        assert.equal(r.headers['last-modified'], new Date(Math.min(written, Date.parse(FIXTURE_NOW))).toUTCString());
        assert.equal(r.headers['cache-control'], `public, max-age=${MAX_AGE}`);
        // RSS and Atom go to browsers as application/xml (so the XSLT applies): they vary by Accept too.
        assert.equal(r.headers.vary, path === '/feed.json' ? 'Accept-Encoding' : 'Accept-Encoding, Accept');

        const byTag = await rawRequest(f.origin, target, { 'If-None-Match': String(r.headers.etag) });
        const byDate = await rawRequest(f.origin, target, { 'If-Modified-Since': String(r.headers['last-modified']) });
        for (const nm of [byTag, byDate]) {
          assert.equal(nm.status, 304);
          assert.equal(nm.body.length, 0);
          assert.deepEqual(cachingHeaders(nm), cachingHeaders(r), '304 repeats the caching headers');
        }
        // A changed representation (another ETag, an older date) is sent in full.
        assert.equal((await rawRequest(f.origin, target, { 'If-None-Match': '"0000"' })).status, 200);
        const older = new Date(Date.parse(String(r.headers['last-modified'])) - 1000).toUTCString();
        assert.equal((await rawRequest(f.origin, target, { 'If-Modified-Since': older })).status, 200);
      });

      it(`${target}: gzip and br decode to the identity body; HEAD has GET's headers and Content-Length, no body`, async () => {
        const plain = await rawRequest(f.origin, target);
        for (const [coding, decode] of [
          ['gzip', zlib.gunzipSync],
          ['br', zlib.brotliDecompressSync],
        ] as const) {
          const get = await rawRequest(f.origin, target, { 'Accept-Encoding': coding });
          assert.equal(get.status, 200);
          assert.equal(get.headers['content-encoding'], coding);
          assert.equal(get.headers['content-length'], String(get.body.length));
          assert.ok(get.body.length < plain.body.length, `${coding} is smaller`);
          assert.deepEqual(decode(get.body), plain.body, `${coding} decodes to the identity body`);
          const head = await rawRequest(f.origin, target, { 'Accept-Encoding': coding }, 'HEAD');
          assert.equal(head.status, 200);
          assert.equal(head.body.length, 0);
          const { date: _d1, ...getHeaders } = get.headers;
          const { date: _d2, ...headHeaders } = head.headers;
          assert.deepEqual(headHeaders, getHeaders, `HEAD with ${coding}: the GET headers`);
          // The coding's own ETag revalidates.
          assert.equal((await rawRequest(f.origin, target, { 'Accept-Encoding': coding, 'If-None-Match': String(get.headers.etag) })).status, 304);
        }
        const head = await rawRequest(f.origin, target, {}, 'HEAD');
        assert.equal(head.headers['content-length'], String(plain.body.length));
        assert.equal(head.body.length, 0);
      });
    }
  }

  it('CORS: every JSON Feed variant (GET and HEAD) is readable from any origin', async () => {
    for (const [query] of VIEWS) {
      for (const method of ['GET', 'HEAD']) {
        const r = await rawRequest(f.origin, `/feed.json${query}`, { Origin: 'https://reader.example' }, method);
        assert.equal(r.headers['access-control-allow-origin'], '*', `${method} /feed.json${query}`);
      }
    }
  });

  it('self links are the URL the reader used: host and port from Host, path and query of the request', async () => {
    for (const host of [`127.0.0.1:${f.port}`, 'news.example.org:8443', 'localhost']) {
      for (const [path] of FORMATS) {
        for (const [query] of VIEWS) {
          const target = `${path}${query}`;
          const r = await rawRequest(f.origin, target, { Host: host });
          assert.equal(selfLink(target, r.body), `http://${host}${target}`, `${target} with Host ${host}`);
        }
      }
    }
  });
});

describe('clients: self links behind a reverse proxy (output.baseUrl)', function () {
  this.timeout(60_000);
  const BASE = 'https://feeds.example.com/duofeed/';
  let f: ClientFixture;
  before(async () => {
    f = await startClientFixture({ baseUrl: BASE });
  });
  after(() => f?.close());

  it('every format and view names output.baseUrl (with its path) as self, whatever the Host header', async () => {
    for (const [path] of FORMATS) {
      for (const [query] of VIEWS) {
        const target = `${path}${query}`;
        for (const host of [`127.0.0.1:${f.port}`, 'internal-backend:8080']) {
          const r = await rawRequest(f.origin, target, { Host: host });
          assert.equal(r.status, 200);
          assert.equal(selfLink(target, r.body), `https://feeds.example.com/duofeed${target}`, `${target} via ${host}`);
        }
      }
    }
    const atom = parseXml((await rawRequest(f.origin, '/atom.xml')).body.toString('utf8'));
    const alternate = kids(atom.feed![0]!, 'link').find((l) => attr(l, 'rel') === 'alternate');
    assert.equal(attr(alternate!, 'href'), 'https://feeds.example.com/duofeed/', 'the alternate link is the public page too');
  });
});
