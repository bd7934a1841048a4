import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fetchUrl } from '../../src/fetch/fetch-url.js';
import { RedirectChain, isRedirectStatus } from '../../src/fetch/redirects.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { caseFile } from '../helpers/paths.js';
import { rejectsWith, settings } from './fetch-helpers.js';

interface Route {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Case 22's server.json, served as written, with the host-level /.rss redirect rewritten to loopback. */
function loadRoutes(): Record<string, Route> {
  const json = JSON.parse(readFileSync(caseFile('22-redirects', 'server.json'), 'utf8')) as { routes: Record<string, Route> };
  return json.routes;
}

describe('fetchUrl: redirects (case 22)', () => {
  const routes = loadRoutes();
  const feed = readFileSync(caseFile('22-redirects', 'feed.xml'));
  let lb: Loopback;
  let hits: string[] = [];

  before(async () => {
    lb = await startLoopback((req, res) => {
      const path = req.url ?? '/';
      hits.push(path);
      const host = req.headers.host ?? '';
      // The report's host-level move (example.com → www.example.com) becomes 127.0.0.1 → localhost.
      if (path === '/.rss') {
        if (host.startsWith('localhost:')) {
          res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(feed);
        } else {
          res.writeHead(301, { Location: `http://localhost:${host.split(':')[1]}/.rss` }).end();
        }
        return;
      }
      // Own variants beside the case's routes.
      const extra: Record<string, Route> = {
        '/mixed/1': { status: 301, headers: { Location: '/mixed/2' } },
        '/mixed/2': { status: 302, headers: { Location: '/feed.xml' } },
        '/perm/1': { status: 308, headers: { Location: '/perm/2' } },
        '/perm/2': { status: 301, headers: { Location: '../feed.xml?from=perm' } },
        '/to-ftp': { status: 302, headers: { Location: 'ftp://example.com/feed.xml' } },
        '/self': { status: 307, headers: { Location: '/self' } },
        '/feed.xml?from=perm': { status: 200, body: 'feed.xml' },
      };
      const route = extra[path] ?? routes[path];
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      if (route.body === 'feed.xml') {
        res.writeHead(route.status, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(feed);
      } else {
        res.writeHead(route.status, route.headers ?? {}).end();
      }
    });
  });
  after(() => lb.close());
  beforeEach(() => {
    hits = [];
  });

  const req = (path: string) => ({ url: `${lb.origin}${path}`, kind: 'feed' as const, etag: null, lastModified: null });

  for (const [path, permanent] of [
    ['/old/feed', true],
    ['/moved-temporarily', false],
    ['/see-other', false],
    ['/tmp307', false],
    ['/perm308', true],
  ] as const) {
    it(`${path} ends at /feed.xml (Redirect Target / Final destination)${permanent ? ', permanent' : ''}`, async () => {
      const r = await fetchUrl(req(path), { http: settings() });
      assert.equal(r.status, 200);
      assert.equal(r.url, `${lb.origin}/feed.xml`);
      assert.equal(r.requestedUrl, `${lb.origin}${path}`);
      assert.ok(r.text?.includes('<title>Redirect Target</title>'));
      assert.ok(r.text?.includes('<title>Final destination</title>'));
      assert.equal(r.permanentRedirectTo, permanent ? `${lb.origin}/feed.xml` : null);
      assert.deepEqual(hits, [path, '/feed.xml']);
    });
  }

  it('/moved-temporarily: the relative Location "feed.xml" is resolved against the current URL', async () => {
    const r = await fetchUrl(req('/moved-temporarily'), { http: settings() });
    assert.equal(r.url, `${lb.origin}/feed.xml`);
  });

  it('/.rss: a host-level 301 is followed to the new host and reported as permanent', async () => {
    const port = new URL(lb.origin).port;
    const r = await fetchUrl(req('/.rss'), { http: settings() });
    assert.equal(r.url, `http://localhost:${port}/.rss`);
    assert.equal(r.permanentRedirectTo, `http://localhost:${port}/.rss`);
    assert.ok(r.text?.includes('Final destination'));
  });

  it('/loop-a: a loop is reported on the first repeat, naming the subscribed URL', async () => {
    const e = await rejectsWith(fetchUrl(req('/loop-a'), { http: settings() }), 'FETCH_REDIRECT_LOOP');
    assert.equal(e.message, `${lb.origin}/loop-a: redirect loop: /loop-a -> /loop-b -> /loop-a`);
    assert.equal(e.url, `${lb.origin}/loop-a`);
    assert.deepEqual(hits, ['/loop-a', '/loop-b']);
  });

  it('/chain/1: 7 hops exceed 5, naming the subscribed URL and the last Location', async () => {
    const e = await rejectsWith(fetchUrl(req('/chain/1'), { http: settings({ maxRedirects: 5 }) }), 'FETCH_TOO_MANY_REDIRECTS');
    assert.equal(e.message, `${lb.origin}/chain/1: too many redirects (>5), last Location ${lb.origin}/chain/7`);
    assert.deepEqual(hits, ['/chain/1', '/chain/2', '/chain/3', '/chain/4', '/chain/5', '/chain/6']);
  });

  it('/chain/1 is followed to the end when maxRedirects allows 7', async () => {
    const r = await fetchUrl(req('/chain/1'), { http: settings({ maxRedirects: 7 }) });
    assert.equal(r.url, `${lb.origin}/feed.xml`);
    assert.equal(r.permanentRedirectTo, null);
  });

  it('/no-location: "302 without Location" naming the URL', async () => {
    const e = await rejectsWith(fetchUrl(req('/no-location'), { http: settings() }), 'FETCH_REDIRECT_NO_LOCATION');
    assert.equal(e.message, `${lb.origin}/no-location: 302 without Location`);
  });

  it('variant: 301 then 302 is not permanent', async () => {
    const r = await fetchUrl(req('/mixed/1'), { http: settings() });
    assert.equal(r.url, `${lb.origin}/feed.xml`);
    assert.equal(r.permanentRedirectTo, null);
  });

  it('variant: 308 then 301 with a dot-segment Location is permanent to the final URL', async () => {
    const r = await fetchUrl(req('/perm/1'), { http: settings() });
    assert.equal(r.url, `${lb.origin}/feed.xml?from=perm`);
    assert.equal(r.permanentRedirectTo, `${lb.origin}/feed.xml?from=perm`);
  });

  it('variant: a redirect to a non-http scheme is FETCH_BAD_URL; a self-redirect is a loop', async () => {
    const bad = await rejectsWith(fetchUrl(req('/to-ftp'), { http: settings() }), 'FETCH_BAD_URL');
    assert.ok(bad.message.includes('ftp://example.com/feed.xml'));
    const self = await rejectsWith(fetchUrl(req('/self'), { http: settings() }), 'FETCH_REDIRECT_LOOP');
    assert.match(self.message, /redirect loop: \/self -> \/self$/);
  });

  it('variant: maxRedirects 0 refuses the first redirect', async () => {
    await rejectsWith(fetchUrl(req('/old/feed'), { http: settings({ maxRedirects: 0 }) }), 'FETCH_TOO_MANY_REDIRECTS');
  });

  it('a redirect Location naming a metadata address in IPv4-mapped form is normalized and refused by the per-hop check', async () => {
    // End to end this needs a first hop on a public address, which a loopback-only test cannot
    // have; fetchUrl runs this same check on every URL the chain hands back, before connecting.
    const chain = new RedirectChain('http://feeds.example.com/rss', 5);
    const next = chain.follow(302, 'http://[::ffff:169.254.169.254]/latest/meta-data/');
    assert.equal(next, 'http://[::ffff:a9fe:a9fe]/latest/meta-data/');
    const { assertPublicLiteralHost } = await import('../../src/fetch/target-url.js');
    assert.throws(() => assertPublicLiteralHost(new URL(next), 'http://feeds.example.com/rss', false), {
      code: 'FETCH_PRIVATE_ADDRESS',
    });
  });
});

describe('isRedirectStatus', () => {
  it('follows 301/302/303/307/308 only', () => {
    assert.deepEqual(
      [300, 301, 302, 303, 304, 305, 306, 307, 308, 309].filter(isRedirectStatus),
      [301, 302, 303, 307, 308],
    );
  });
});
