import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import zlib from 'node:zlib';
import { fetchUrl } from '../../src/fetch/fetch-url.js';
import type { FetchRequest } from '../../src/types.js';
import { FixedClock } from '../helpers/clock.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { caseFile } from '../helpers/paths.js';
import { captureLogger, rejectsWith, settings } from './fetch-helpers.js';

function feedReq(url: string, over: Partial<FetchRequest> = {}): FetchRequest {
  return { url, kind: 'feed', etag: null, lastModified: null, ...over };
}

describe('fetchUrl: conditional GET and request headers', () => {
  let lb: Loopback;
  const seen: http.IncomingHttpHeaders[] = [];
  const body = '<?xml version="1.0"?><rss version="2.0"><channel><title>Cond</title></channel></rss>';
  before(async () => {
    lb = await startLoopback((req, res) => {
      seen.push(req.headers);
      if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Mon, 02 Nov 2026 10:00:00 GMT') {
        res.writeHead(304, { ETag: '"v1"' }).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'application/rss+xml; charset=utf-8',
        ETag: '"v1"',
        'Last-Modified': 'Mon, 02 Nov 2026 10:00:00 GMT',
      });
      res.end(body);
    });
  });
  after(() => lb.close());

  it('returns ETag and Last-Modified, then 304 → notModified with null body', async () => {
    const first = await fetchUrl(feedReq(`${lb.origin}/feed`), { http: settings() });
    assert.equal(first.status, 200);
    assert.equal(first.notModified, false);
    assert.equal(first.etag, '"v1"');
    assert.equal(first.lastModified, 'Mon, 02 Nov 2026 10:00:00 GMT');
    assert.equal(first.contentType, 'application/rss+xml');
    assert.equal(first.text, body);
    assert.equal(first.encoding, 'utf-8');
    assert.equal(first.url, `${lb.origin}/feed`);
    assert.equal(first.requestedUrl, `${lb.origin}/feed`);
    assert.equal(first.permanentRedirectTo, null);

    const second = await fetchUrl(feedReq(`${lb.origin}/feed`, { etag: first.etag, lastModified: first.lastModified }), {
      http: settings(),
    });
    assert.equal(second.status, 304);
    assert.equal(second.notModified, true);
    assert.equal(second.text, null);
    assert.equal(second.bytes, null);
    assert.equal(second.etag, '"v1"');
    assert.equal(second.lastModified, 'Mon, 02 Nov 2026 10:00:00 GMT');
  });

  it('sends User-Agent, Accept per kind and Accept-Encoding', async () => {
    seen.length = 0;
    await fetchUrl(feedReq(`${lb.origin}/feed`), { http: settings() });
    await fetchUrl({ url: `${lb.origin}/page`, kind: 'page', etag: null, lastModified: null }, { http: settings() });
    const [feedH, pageH] = seen;
    assert.equal(feedH?.['user-agent'], 'duofeed-test/1.0 (+https://example.com/bot)');
    assert.equal(feedH?.['accept-encoding'], 'gzip, deflate, br');
    assert.match(String(feedH?.accept), /^application\/rss\+xml, application\/atom\+xml, application\/feed\+json/);
    assert.equal(feedH?.['if-none-match'], undefined);
    assert.match(String(pageH?.accept), /^text\/html/);
  });
});

describe('fetchUrl: Content-Encoding (case 21 and variants)', () => {
  const plain = readFileSync(caseFile('21-gzip-forced', 'feed.xml'));
  const gz = readFileSync(caseFile('21-gzip-forced', 'feed.xml.gz'));
  const ct = { 'Content-Type': 'application/rss+xml; charset=utf-8' };
  let lb: Loopback;
  before(async () => {
    lb = await startLoopback((req, res) => {
      switch (req.url) {
        case '/feed': // ignores Accept-Encoding entirely, as in server.json
          res.writeHead(200, { ...ct, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }).end(gz);
          return;
        case '/feed-mislabeled':
          res.writeHead(200, ct).end(gz);
          return;
        case '/feed-plain':
          res.writeHead(200, ct).end(plain);
          return;
        case '/x-gzip':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'x-gzip' }).end(zlib.gzipSync(plain));
          return;
        case '/deflate-zlib':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'deflate' }).end(zlib.deflateSync(plain));
          return;
        case '/deflate-raw':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'deflate' }).end(zlib.deflateRawSync(plain));
          return;
        case '/br':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'br' }).end(zlib.brotliCompressSync(plain));
          return;
        case '/gzip-then-br':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'gzip, br' }).end(zlib.brotliCompressSync(zlib.gzipSync(plain)));
          return;
        case '/gzip-label-plain-body':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'gzip' }).end(plain);
          return;
        case '/corrupt':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'gzip' }).end(Buffer.concat([gz.subarray(0, 20), Buffer.alloc(40, 7)]));
          return;
        case '/zstd':
          res.writeHead(200, { ...ct, 'Content-Encoding': 'zstd' }).end(plain);
          return;
        default:
          res.writeHead(404).end();
      }
    });
  });
  after(() => lb.close());

  for (const route of ['/feed', '/feed-plain', '/feed-mislabeled', '/x-gzip', '/deflate-zlib', '/deflate-raw', '/br', '/gzip-then-br', '/gzip-label-plain-body']) {
    it(`${route} yields the plain feed`, async () => {
      const r = await fetchUrl(feedReq(`${lb.origin}${route}`), { http: settings() });
      assert.equal(r.text, plain.toString('utf8'));
      assert.ok(r.text?.includes('<title>Compressed Only</title>'));
      assert.ok(r.text?.includes('<title>Hello from a gzipped feed</title>'));
      assert.equal(r.bytes?.length, plain.length);
    });
  }

  it('logs a warning naming the URL for the mislabelled gzip body', async () => {
    const { logger, lines } = captureLogger();
    await fetchUrl(feedReq(`${lb.origin}/feed-mislabeled`), { http: settings(), logger });
    const warning = lines.find((l) => String(l.msg).includes('gzip'));
    assert.ok(warning, 'a warning about gzip was logged');
    assert.equal(warning.level, 40);
    assert.ok(String(warning.msg).includes(`${lb.origin}/feed-mislabeled`));
  });

  it('a corrupt gzip body → FETCH_DECOMPRESS; an unsupported coding too', async () => {
    const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/corrupt`), { http: settings() }), 'FETCH_DECOMPRESS');
    assert.ok(e.message.includes(`${lb.origin}/corrupt`));
    const z = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/zstd`), { http: settings() }), 'FETCH_DECOMPRESS');
    assert.ok(z.message.includes('zstd'));
  });
});

describe('fetchUrl: byte caps (case 23 cap part) and gzip bomb', () => {
  let lb: Loopback;
  const closed: string[] = [];
  const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x41)); // 64 MiB of "A" in ~64 KiB
  before(async () => {
    lb = await startLoopback((req, res) => {
      res.on('close', () => closed.push(req.url ?? ''));
      const url = new URL(req.url ?? '/', 'http://x');
      const n = Number(url.searchParams.get('n') ?? '0');
      switch (url.pathname) {
        case '/announced': // Content-Length over the cap, body never sent in full
          res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': String(n) });
          res.write(Buffer.alloc(100, 0x20));
          return;
        case '/streamed': // chunked: no Content-Length, the count has to catch it
          res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
          for (let i = 0; i < n; i += 256) res.write(Buffer.alloc(Math.min(256, n - i), 0x61));
          res.end();
          return;
        case '/announced-gzip':
          res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) });
          res.end(bomb);
          return;
        case '/bomb':
          res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Encoding': 'gzip' }).end(bomb);
          return;
        case '/bomb-unlabelled':
          res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(bomb);
          return;
        default:
          res.writeHead(404).end();
      }
    });
  });
  after(() => lb.close());

  it('refuses up front when Content-Length announces more than the cap', async () => {
    const url = `${lb.origin}/announced?n=5000`;
    const e = await rejectsWith(fetchUrl(feedReq(url), { http: settings({ maxFeedBytes: 4096 }) }), 'FETCH_TOO_LARGE');
    assert.equal(e.message, `${url}: feed exceeds 4 KiB limit (0 bytes read, Content-Length 5000)`);
    assert.equal(e.url, url);
    assert.equal(e.details.maxBytes, 4096);
  });

  it('refuses up front an encoded body whose Content-Length is over the cap', async () => {
    const url = `${lb.origin}/announced-gzip`;
    const e = await rejectsWith(fetchUrl(feedReq(url), { http: settings({ maxFeedBytes: 4096 }) }), 'FETCH_TOO_LARGE');
    assert.equal(e.message, `${url}: feed exceeds 4 KiB limit (0 bytes read, Content-Length ${bomb.length})`);
  });

  it('stops a streamed body at cap + 1 byte, and accepts exactly the cap', async () => {
    const over = `${lb.origin}/streamed?n=4097`;
    const e = await rejectsWith(fetchUrl(feedReq(over), { http: settings({ maxFeedBytes: 4096 }) }), 'FETCH_TOO_LARGE');
    assert.match(e.message, /: feed exceeds 4 KiB limit \(4097 bytes read\)$/);
    assert.ok(e.message.startsWith(over));
    const ok = await fetchUrl(feedReq(`${lb.origin}/streamed?n=4096`), { http: settings({ maxFeedBytes: 4096 }) });
    assert.equal(ok.bytes?.length, 4096);
  });

  it('pages use maxPageBytes, feeds maxFeedBytes', async () => {
    const url = `${lb.origin}/streamed?n=3000`;
    const http = settings({ maxFeedBytes: 4096, maxPageBytes: 2048 });
    const page = await rejectsWith(fetchUrl({ url, kind: 'page', etag: null, lastModified: null }, { http }), 'FETCH_TOO_LARGE');
    assert.match(page.message, /page exceeds 2 KiB limit/);
    const feed = await fetchUrl(feedReq(url), { http });
    assert.equal(feed.bytes?.length, 3000);
  });

  for (const route of ['/bomb', '/bomb-unlabelled']) {
    it(`a gzip bomb (${route}) stops while inflating at the cap`, async () => {
      const cap = 1024 * 1024;
      const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}${route}`), { http: settings({ maxFeedBytes: cap }) }), 'FETCH_TOO_LARGE');
      assert.match(e.message, /feed exceeds 1 MiB limit \(\d+ bytes read\)/);
      const read = e.details.bytesRead as number;
      assert.ok(read > cap && read <= cap + 64 * 1024, `stopped at ${read}, not after inflating 64 MiB`);
    });
  }
});

describe('fetchUrl: case 23 huge feed against the 10 MiB limit', function () {
  this.timeout(20000);
  let lb: Loopback;
  let big: Buffer;
  const small = '<?xml version="1.0"?><rss version="2.0"><channel><title>Small</title></channel></rss>';
  before(async () => {
    const { execFileSync } = await import('node:child_process');
    big = execFileSync(process.execPath, [caseFile('23-huge-feed', 'generate.mjs')], { maxBuffer: 64 * 1024 * 1024 });
    lb = await startLoopback((req, res) => {
      if (req.url === '/big-feed.xml') {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': String(big.length) }).end(big);
      } else if (req.url === '/big-feed-chunked.xml') {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        for (let i = 0; i < big.length; i += 65536) res.write(big.subarray(i, i + 65536));
        res.end();
      } else res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(small);
    });
  });
  after(() => lb.close());

  const config = JSON.parse(readFileSync(caseFile('23-huge-feed', 'config.json'), 'utf8')) as { limits: { maxFeedBytes: number } };

  it('the generated feed is ~19.8 MB (precondition)', () => {
    assert.ok(big.length > 19_000_000 && big.length < 21_000_000, String(big.length));
    assert.equal(config.limits.maxFeedBytes, 10485760);
  });

  it('refuses the big feed (Content-Length and streamed) and still fetches the small one in the same run', async () => {
    const http = settings({ maxFeedBytes: config.limits.maxFeedBytes });
    const [a, b, c] = await Promise.allSettled([
      fetchUrl(feedReq(`${lb.origin}/big-feed.xml`), { http }),
      fetchUrl(feedReq(`${lb.origin}/big-feed-chunked.xml`), { http }),
      fetchUrl(feedReq(`${lb.origin}/small-feed.xml`), { http }),
    ]);
    assert.equal(a?.status, 'rejected');
    const ea = (a as PromiseRejectedResult).reason as Error & { code: string };
    assert.equal(ea.code, 'FETCH_TOO_LARGE');
    assert.equal(ea.message, `${lb.origin}/big-feed.xml: feed exceeds 10 MiB limit (0 bytes read, Content-Length ${big.length})`);
    assert.equal(b?.status, 'rejected');
    const eb = (b as PromiseRejectedResult).reason as Error & { code: string; details: { bytesRead: number } };
    assert.equal(eb.code, 'FETCH_TOO_LARGE');
    assert.match(eb.message, /^http:\/\/127\.0\.0\.1:\d+\/big-feed-chunked\.xml: feed exceeds 10 MiB limit \(\d+ bytes read\)$/);
    assert.ok(eb.details.bytesRead > 10485760 && eb.details.bytesRead < 10485760 + 65536 * 2);
    assert.equal(c?.status, 'fulfilled');
    assert.equal((c as PromiseFulfilledResult<{ text: string }>).value.text, small);
  });

  it('reads the whole feed when the operator raises the limit to 32 MiB', async () => {
    const r = await fetchUrl(feedReq(`${lb.origin}/big-feed-chunked.xml`), { http: settings({ maxFeedBytes: 32 * 1024 * 1024 }) });
    assert.equal(r.bytes?.length, big.length);
    assert.ok(r.text?.endsWith('</channel>\n</rss>\n'));
  });
});

describe('fetchUrl: total timeout covers headers and body', () => {
  let lb: Loopback;
  const timers = new Set<NodeJS.Timeout>();
  before(async () => {
    lb = await startLoopback((req, res) => {
      if (req.url === '/drip') {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        res.write('<');
        const t = setInterval(() => res.write(' '), 50); // far faster than the budget, never done
        timers.add(t);
        res.on('close', () => {
          clearInterval(t);
          timers.delete(t);
        });
      } else if (req.url === '/silent') {
        // never answers: the headers never come
      }
    });
  });
  after(async () => {
    for (const t of timers) clearInterval(t);
    await lb.close();
  });

  it('a dripping body ends with FETCH_TIMEOUT', async () => {
    const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/drip`), { http: settings({ timeoutMs: 300 }) }), 'FETCH_TIMEOUT');
    assert.equal(e.message, `${lb.origin}/drip: no complete response within 300 ms`);
  });

  it('a server that never sends headers ends with FETCH_TIMEOUT', async () => {
    await rejectsWith(fetchUrl(feedReq(`${lb.origin}/silent`), { http: settings({ timeoutMs: 300 }) }), 'FETCH_TIMEOUT');
  });

  it('an abort from the caller ends the request as FETCH_NETWORK', async () => {
    const ac = new AbortController();
    const p = fetchUrl(feedReq(`${lb.origin}/silent`), { http: settings({ timeoutMs: 5000 }), signal: ac.signal });
    setImmediate(() => ac.abort());
    await rejectsWith(p, 'FETCH_NETWORK');
  });
});

describe('fetchUrl: HTTP error statuses', () => {
  let lb: Loopback;
  const clock = new FixedClock('2026-11-30T12:00:00.000Z');
  before(async () => {
    lb = await startLoopback((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = Number(url.pathname.slice(1));
      const ra = url.searchParams.get('ra');
      res.writeHead(status, ra === null ? {} : { 'Retry-After': ra }).end('error page');
    });
  });
  after(() => lb.close());

  it('410 → FETCH_GONE', async () => {
    const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/410`), { http: settings() }), 'FETCH_GONE');
    assert.ok(e.message.startsWith(`${lb.origin}/410: HTTP 410 Gone`));
    assert.equal(e.details.status, 410);
  });

  it('429 with Retry-After in seconds', async () => {
    const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/429?ra=120`), { http: settings(), clock }), 'FETCH_RATE_LIMITED');
    assert.equal(e.details.retryAfterMs, 120000);
    assert.equal(e.details.status, 429);
    assert.match(e.message, /HTTP 429 Too Many Requests, retry after 120 s$/);
  });

  it('503 with Retry-After as an HTTP-date, relative to the clock', async () => {
    const ra = encodeURIComponent(new Date('2026-11-30T12:05:00.000Z').toUTCString());
    const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/503?ra=${ra}`), { http: settings(), clock }), 'FETCH_RATE_LIMITED');
    assert.equal(e.details.retryAfterMs, 300000);
    assert.equal(e.details.status, 503);
  });

  it('503 without Retry-After still is FETCH_RATE_LIMITED with null delay', async () => {
    const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/503`), { http: settings(), clock }), 'FETCH_RATE_LIMITED');
    assert.equal(e.details.retryAfterMs, null);
  });

  for (const status of [400, 403, 404, 500, 502]) {
    it(`${status} → FETCH_HTTP_STATUS with details.status`, async () => {
      const e = await rejectsWith(fetchUrl(feedReq(`${lb.origin}/${status}`), { http: settings() }), 'FETCH_HTTP_STATUS');
      assert.equal(e.details.status, status);
      assert.ok(e.message.includes(`${lb.origin}/${status}`));
    });
  }
});

describe('fetchUrl: bad URLs and network failures', () => {
  for (const url of ['not a url', '/relative/feed.xml', 'ftp://example.com/feed.xml', 'file:///etc/passwd', 'javascript:alert(1)']) {
    it(`"${url}" → FETCH_BAD_URL`, async () => {
      const e = await rejectsWith(fetchUrl(feedReq(url), { http: settings() }), 'FETCH_BAD_URL');
      assert.ok(e.message.includes(url));
    });
  }

  it('connection refused → FETCH_NETWORK', async () => {
    const lb = await startLoopback((_req, res) => res.end());
    const origin = lb.origin;
    await lb.close();
    const e = await rejectsWith(fetchUrl(feedReq(`${origin}/feed`), { http: settings() }), 'FETCH_NETWORK');
    assert.ok(e.message.includes(`${origin}/feed`));
    assert.ok(e.message.includes('ECONNREFUSED'));
  });

  it('an unresolvable host → FETCH_DNS', async () => {
    const resolve = async (): Promise<never> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND feeds.invalid'), { code: 'ENOTFOUND' });
    };
    const e = await rejectsWith(fetchUrl(feedReq('http://feeds.invalid/rss'), { http: settings(), resolve }), 'FETCH_DNS');
    assert.equal(e.message, 'http://feeds.invalid/rss: host name could not be resolved (ENOTFOUND)');
  });
});

describe('fetchUrl: charset cases served as their response.json says', () => {
  interface CaseResponse {
    status: number;
    headers: Record<string, string>;
    body: string;
  }
  const serve = (name: string): CaseResponse =>
    JSON.parse(readFileSync(caseFile(name, 'response.json'), 'utf8')) as CaseResponse;
  let lb: Loopback;
  before(async () => {
    lb = await startLoopback((req, res) => {
      const name = (req.url ?? '/').slice(1);
      const r = serve(name);
      // Node adds no Content-Type on its own, so case 03 really goes out without one.
      res.writeHead(r.status, r.headers).end(readFileSync(caseFile(name, r.body)));
    });
  });
  after(() => lb.close());

  it('case 01: GBK by the XML declaration behind text/xml', async () => {
    const r = await fetchUrl(feedReq(`${lb.origin}/01-gbk-encoded-feed`), { http: settings() });
    assert.equal(r.contentType, 'text/xml');
    assert.equal(r.encoding, 'gb18030');
    assert.ok(r.text?.includes('<title>示例论坛 十大热门话题</title>'));
    assert.ok(r.text?.includes('今天天气真好，适合出去走走'));
    assert.ok(!r.text?.includes('\uFFFD'));
  });

  it('case 03: no Content-Type at all → UTF-8 from the declaration', async () => {
    const r = await fetchUrl(feedReq(`${lb.origin}/03-no-http-charset-utf8-declared`), { http: settings() });
    assert.equal(r.contentType, null);
    assert.equal(r.encoding, 'utf-8');
    assert.ok(r.text?.includes('The hidden cost of someone\u2019s ad budget'));
    assert.ok(!r.text?.includes('â€'));
  });

  it('logs the charset override naming the URL (finanzen.net-style mislabel)', async () => {
    const { logger, lines } = captureLogger();
    const lb2 = await startLoopback((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=iso-8859-1' }).end(Buffer.from('<rss><title>für</title></rss>', 'utf8'));
    });
    try {
      const r = await fetchUrl(feedReq(`${lb2.origin}/f`), { http: settings(), logger });
      assert.equal(r.text, '<rss><title>für</title></rss>');
      assert.ok(lines.some((l) => String(l.msg).startsWith(`${lb2.origin}/f: declared windows-1252`)));
    } finally {
      await lb2.close();
    }
  });
});
