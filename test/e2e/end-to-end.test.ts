import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Parser from 'rss-parser';
import * as cheerio from 'cheerio';
import { corpus, REPO_ROOT } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { tokenRecall } from '../helpers/token-recall.js';
import { E2E_PAGE_IDS } from '../helpers/e2e-pages.js';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Real feeds served by the test server: path → file, content type, expected source id. */
const FEEDS = [
  { id: 'rss2', route: '/google-ai.xml', file: corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml'), type: 'application/rss+xml; charset=utf-8', lang: 'en' },
  { id: 'atom', route: '/verge.atom', file: corpus('feeds', 'ai-tech', 'theverge-frontpage-2017.atom'), type: 'application/atom+xml', lang: 'en' },
  { id: 'rdf', route: '/slashdot.rdf', file: corpus('feeds', 'ai-tech', 'slashdot.rss10-rdf.iso-8859-1.xml'), type: 'application/rdf+xml', lang: 'en' },
  { id: 'json', route: '/journal.json', file: corpus('feeds', 'jsonfeed', 'journal-3960.jsonfeed-1.1.json'), type: 'application/feed+json', lang: 'en' },
  // Legacy Chinese encodings: one announced only in the XML declaration, one in the HTTP header too.
  { id: 'gb2312', route: '/softsea.xml', file: corpus('feeds', 'non-utf8', 'zh-softsea.gb2312.rss2.xml'), type: 'text/xml', lang: 'zh-CN' },
  { id: 'big5', route: '/coolloud.rdf', file: corpus('feeds', 'non-utf8', 'zh-tw-coolloud.big5.rss10-rdf.xml'), type: 'application/xml; charset=big5', lang: 'zh-TW' },
] as const;

const BENCH = corpus('extraction', 'article-extraction-benchmark');
const truth = JSON.parse(readFileSync(path.join(BENCH, 'ground-truth.json'), 'utf8')) as Record<string, { url: string; articleBody: string }>;
const MISSING = ['/articles/missing-1.html', '/articles/missing-2.html'];

function pageCharset(html: Buffer): string {
  const head = html.subarray(0, 4096).toString('latin1');
  const m = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head);
  return (m?.[1] ?? 'utf-8').toLowerCase();
}

function builtFeed(origin: string): string {
  const items = [
    ...E2E_PAGE_IDS.map((id, i) => ({ id, link: `${origin}/articles/${id}.html`, day: i })),
    ...MISSING.map((p, i) => ({ id: `missing-${i + 1}`, link: `${origin}${p}`, day: 20 + i })),
  ];
  const xml = items
    .map(
      (it) => `<item><title>Benchmark article ${it.id}</title><link>${it.link}</link><guid isPermaLink="false">bench-${it.id}</guid>
<pubDate>${new Date(Date.UTC(2024, 0, 1 + it.day)).toUTCString()}</pubDate><description>Teaser for ${it.id} from the feed.</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Benchmark pages</title><link>${origin}/</link><description>built by the test</description>\n${xml}\n</channel></rss>\n`;
}

function countItems(file: string, json: boolean): number {
  const bytes = readFileSync(file);
  if (json) return (JSON.parse(bytes.toString('utf8')) as { items: unknown[] }).items.length;
  const text = bytes.toString('latin1');
  return (text.match(/<item[\s>]/g) ?? []).length + (text.match(/<entry[\s>]/g) ?? []).length;
}

/** Titles of a legacy-encoded feed, decoded independently with WHATWG TextDecoder. */
function expectedTitles(file: string, encoding: string): string[] {
  const text = new TextDecoder(encoding).decode(readFileSync(file));
  const $ = cheerio.load(text, { xml: true });
  return $('item > title')
    .map((_, el) => $(el).text().replace(/[ \t\r\n]+/g, ' ').trim())
    .get();
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('end to end: real feeds and pages through the CLI (poll-once, serve)', function () {
  this.timeout(300_000);
  let feeds: Loopback;
  let dir: string;
  let config: string;
  let served: { port: number; stop(): Promise<void> } | null = null;
  const requests: string[] = [];

  before(async () => {
    feeds = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(url.pathname);
      const feed = FEEDS.find((f) => f.route === url.pathname);
      if (feed) {
        res.writeHead(200, { 'content-type': feed.type });
        res.end(readFileSync(feed.file));
        return;
      }
      if (url.pathname === '/bench.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.end(builtFeed(feeds.origin));
        return;
      }
      const m = /^\/articles\/([\w-]+)\.html$/.exec(url.pathname);
      const id = m?.[1];
      if (id && E2E_PAGE_IDS.includes(id)) {
        const html = gunzipSync(readFileSync(path.join(BENCH, 'html', `${id}.html.gz`)));
        res.writeHead(200, { 'content-type': `text/html; charset=${pageCharset(html)}` });
        res.end(html);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-e2e-'));
    config = path.join(dir, 'feeds.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        $schema: path.join(REPO_ROOT, 'feeds.config.schema.json'),
        http: { allowPrivateNetworks: true, timeoutMs: 10_000 },
        output: { title: 'e2e', maxItems: 1000 },
        sources: [
          // The real feeds link to hosts that are not here: their pages are not fetched.
          ...FEEDS.map((f) => ({ id: f.id, url: `${feeds.origin}${f.route}`, name: `Source ${f.id}`, language: f.lang, extract: { fetchPages: false } })),
          { id: 'bench', url: `${feeds.origin}/bench.xml`, name: 'Benchmark pages', language: 'en' },
        ],
      }),
    );
  });

  after(async () => {
    await served?.stop();
    await feeds?.close();
  });

  const env = (): NodeJS.ProcessEnv => ({ ...process.env, LOG_LEVEL: 'warn', DATA_DIR: '', DUOFEED_CONFIG: '' });

  it('poll-once stores every item of every source, twice without duplicates', async () => {
    const first = await run(process.execPath, [CLI, 'poll-once', '--config', config, '--data-dir', path.join(dir, 'data'), '--json'], { env: env() });
    const r1 = (JSON.parse(first.stdout) as { results: Array<{ sourceId: string; status: string; counts: { new: number; updated: number; unchanged: number }; errorCode: string | null }> }).results;
    for (const r of r1) assert.equal(r.status, 'ok', `${r.sourceId}: ${r.errorCode}`);
    for (const f of FEEDS) {
      assert.equal(r1.find((r) => r.sourceId === f.id)!.counts.new, countItems(f.file, f.id === 'json'), f.id);
    }
    assert.equal(r1.find((r) => r.sourceId === 'bench')!.counts.new, E2E_PAGE_IDS.length + MISSING.length);

    const second = await run(process.execPath, [CLI, 'poll-once', '--config', config, '--data-dir', path.join(dir, 'data'), '--json'], { env: env() });
    const r2 = (JSON.parse(second.stdout) as { results: typeof r1 }).results;
    for (const r of r2) {
      assert.equal(r.counts.new, 0, `${r.sourceId} added items on re-poll`);
      assert.equal(r.counts.updated, 0, `${r.sourceId} changed items on an identical re-poll`);
    }
    // The table form names every source.
    const table = await run(process.execPath, [CLI, 'poll-once', '--config', config, '--data-dir', path.join(dir, 'data')], { env: env() });
    for (const f of FEEDS) assert.match(table.stdout, new RegExp(`^${f.id}\\s+ok\\s+0\\s`, 'm'));
  });

  it('serve publishes RSS, Atom and JSON Feed with every item, attribution, decoded Chinese and extracted bodies', async () => {
    served = await startServe(config, path.join(dir, 'data'));
    const base = `http://127.0.0.1:${served.port}`;
    const jsonRes = await get(`${base}/feed.json`);
    assert.equal(jsonRes.status, 200);
    const json = JSON.parse(jsonRes.body) as {
      items: Array<{ id: string; url: string; title: string; content_html?: string; _duofeed: { source: { id: string; name: string; feedUrl: string; siteUrl: string | null }; extraction?: { status: string; reason: string | null } } }>;
    };
    const total = FEEDS.reduce((n, f) => n + countItems(f.file, f.id === 'json'), 0) + E2E_PAGE_IDS.length + MISSING.length;
    assert.equal(json.items.length, total);
    const bySource = new Map<string, typeof json.items>();
    for (const it of json.items) bySource.set(it._duofeed.source.id, [...(bySource.get(it._duofeed.source.id) ?? []), it]);
    for (const f of FEEDS) assert.equal(bySource.get(f.id)?.length, countItems(f.file, f.id === 'json'), `items of ${f.id}`);

    // attribution on every item
    for (const it of json.items) {
      const s = it._duofeed.source;
      assert.ok(s.name.startsWith('Source ') || s.name === 'Benchmark pages');
      assert.ok(s.feedUrl.startsWith(feeds.origin), s.feedUrl);
      assert.ok(it.url, `item ${it.id} has its original link`);
    }

    // GB2312 / Big5 titles decode to the right Chinese text
    for (const [id, enc] of [
      ['gb2312', 'gb18030'],
      ['big5', 'big5'],
    ] as const) {
      const file = FEEDS.find((f) => f.id === id)!.file;
      const want = expectedTitles(file, enc).sort();
      const got = bySource.get(id)!.map((i) => i.title).sort();
      assert.deepEqual(got, want, `${id} titles`);
      assert.ok(got.every((t) => !t.includes('\uFFFD')), 'no U+FFFD');
      assert.ok(got.some((t) => /[\u4e00-\u9fff]/.test(t)), 'CJK text present');
    }

    // extracted bodies cover the ground truth
    const bench = bySource.get('bench')!;
    const recalls: string[] = [];
    for (const id of E2E_PAGE_IDS) {
      const item = bench.find((i) => i.url === `${feeds.origin}/articles/${id}.html`);
      assert.ok(item, `item for page ${id}`);
      assert.equal(item._duofeed.extraction?.status, 'ok', `extraction of ${id}`);
      const text = cheerio.load(item.content_html ?? '').text();
      const r = tokenRecall(truth[id]!.articleBody, text);
      recalls.push(`${id.slice(0, 8)}:${r.toFixed(3)}`);
      assert.ok(r >= 0.8, `recall ${r.toFixed(3)} for page ${id}`);
    }
    process.stdout.write(`      token recall per page: ${recalls.join(' ')}\n`);

    // pages that 404 keep the feed content and record why
    for (const p of MISSING) {
      const item = bench.find((i) => i.url === `${feeds.origin}${p}`)!;
      assert.equal(item._duofeed.extraction?.status, 'failed');
      assert.equal(item._duofeed.extraction?.reason, 'FETCH_HTTP_STATUS');
      assert.match(item.content_html ?? '', /Teaser for missing-\d from the feed\./);
    }

    // RSS and Atom carry the same items with attribution
    const parser = new Parser();
    const rssRes = await get(`${base}/feed.xml`);
    assert.match(rssRes.headers.get('content-type') ?? '', /^application\/rss\+xml/);
    const rss = await parser.parseString(rssRes.body);
    assert.equal(rss.items.length, total);
    const $rss = cheerio.load(rssRes.body, { xml: true });
    assert.equal($rss('item > source').length, total);
    $rss('item > source').each((_, el) => {
      assert.ok($rss(el).attr('url')?.startsWith(feeds.origin));
      assert.ok($rss(el).text().length > 0);
    });
    const atomRes = await get(`${base}/atom.xml`);
    assert.match(atomRes.headers.get('content-type') ?? '', /^application\/atom\+xml/);
    const atom = await parser.parseString(atomRes.body);
    assert.equal(atom.items.length, total);
    const $atom = cheerio.load(atomRes.body, { xml: true });
    assert.equal($atom('entry > source').length, total);
    assert.equal($atom('entry > source > id').length, total);
    assert.equal($atom('entry > source > title').length, total);

    // conditional GET
    for (const p of ['/feed.xml', '/atom.xml', '/feed.json']) {
      const first = await fetch(`${base}${p}`);
      await first.arrayBuffer();
      const etag = first.headers.get('etag');
      const lastModified = first.headers.get('last-modified');
      assert.ok(etag && lastModified, `${p} validators`);
      const again = await fetch(`${base}${p}`, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304, `${p} If-None-Match`);
      const since = await fetch(`${base}${p}`, { headers: { 'if-modified-since': lastModified } });
      assert.equal(since.status, 304, `${p} If-Modified-Since`);
    }

    const health = JSON.parse((await get(`${base}/healthz`)).body) as { sources: Array<{ id: string; lastSuccessAt: string | null; errorCount: number }> };
    assert.equal(health.sources.length, FEEDS.length + 1);
    for (const s of health.sources) assert.ok(s.lastSuccessAt && s.errorCount === 0, s.id);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    assert.ok(served);
    await served.stop();
    served = null;
  });
});

/** Starts `duofeed serve` on port 0 and reads the port from its log line. */
async function startServe(config: string, dataDir: string): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errText = '';
  child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        try {
          const rec = JSON.parse(line) as { port?: number };
          if (typeof rec.port === 'number' && rec.port > 0) resolve(rec.port);
        } catch {
          /* partial line */
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${errText}${out}`)));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`serve exited with ${code}: ${errText}`))));
        child.kill('SIGTERM');
      }),
  };
}
