import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as cheerio from 'cheerio';
import Parser from 'rss-parser';
import { REPO_ROOT } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { pollOnce, startListening, type ServedChild } from './cli-child.js';
import { findSurvivors, findUrlProblems } from './inspect-html.js';
import { HTML_VECTORS, URL_VECTORS } from './vectors.js';
import { articlePage, atomFeed, atomUrlFeed, jsonFeed, jsonUrlFeed, pagesFeed, rssContentFeed, rssDescriptionFeed, rssUrlFeed } from './hostile-feeds.js';

/** Sources of the run: route, builder, whether article pages are fetched, items expected. */
interface HostileSource {
  id: string;
  route: string;
  type: string;
  body: (origin: string) => string;
  extract: { fetchPages: boolean; selector?: string };
  expected: number;
  path: 'feed content' | 'article page' | 'urls';
}

const N = HTML_VECTORS.length;
const SOURCES: HostileSource[] = [
  { id: 'desc', route: '/rss-desc.xml', type: 'application/rss+xml', body: rssDescriptionFeed, extract: { fetchPages: false }, expected: N, path: 'feed content' },
  { id: 'content', route: '/rss-content.xml', type: 'application/rss+xml', body: rssContentFeed, extract: { fetchPages: false }, expected: N, path: 'feed content' },
  { id: 'atom', route: '/atom.xml', type: 'application/atom+xml', body: atomFeed, extract: { fetchPages: false }, expected: N, path: 'feed content' },
  { id: 'json', route: '/feed.json', type: 'application/feed+json', body: jsonFeed, extract: { fetchPages: false }, expected: N, path: 'feed content' },
  { id: 'pages-selector', route: '/pages.xml', type: 'application/rss+xml', body: pagesFeed, extract: { fetchPages: true, selector: '#story' }, expected: N + 1, path: 'article page' },
  { id: 'pages-generic', route: '/pages.xml', type: 'application/rss+xml', body: pagesFeed, extract: { fetchPages: true }, expected: N + 1, path: 'article page' },
  { id: 'url-rss', route: '/urls.xml', type: 'application/rss+xml', body: rssUrlFeed, extract: { fetchPages: false }, expected: URL_VECTORS.length, path: 'urls' },
  { id: 'url-atom', route: '/urls.atom', type: 'application/atom+xml', body: atomUrlFeed, extract: { fetchPages: false }, expected: URL_VECTORS.length, path: 'urls' },
  { id: 'url-json', route: '/urls.json', type: 'application/feed+json', body: jsonUrlFeed, extract: { fetchPages: false }, expected: URL_VECTORS.length, path: 'urls' },
];
const TOTAL = SOURCES.reduce((n, s) => n + s.expected, 0);

/** Element names that would mean markup escaped into the XML document itself. */
const INJECTED = new Set(['script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'base', 'meta', 'svg', 'math', 'img', 'a', 'p', 'div', 'body', 'html', 'template', 'noscript', 'x:script']);

interface JsonItem {
  id: string;
  url?: string;
  external_url?: string;
  title?: string;
  content_html?: string;
  summary?: string;
  image?: string;
  banner_image?: string;
  attachments?: Array<{ url: string }>;
  authors?: Array<{ name?: string; url?: string }>;
  _duofeed: { source: { id: string; siteUrl: string | null }; extraction?: { status: string; reason: string | null } };
}

describe('hostile: filter-evasion vectors through the real CLI, every path, every output format', function () {
  this.timeout(180_000);
  let server: Loopback;
  let served: ServedChild | null = null;
  let base = '';
  const findings: string[] = [];
  const exercised = { 'feed content': 0, 'article page': 0, titles: 0, urls: 0, 'html fragments inspected': 0 };

  const inspect = (where: string, html: string | undefined): void => {
    if (html === undefined || html === '') return;
    exercised['html fragments inspected']++;
    for (const f of findSurvivors(html)) findings.push(`${where}: ${f}`);
  };
  const inspectUrl = (where: string, url: string | undefined | null): void => {
    if (url === undefined || url === null || url === '') return;
    for (const f of findUrlProblems(url)) findings.push(`${where}: ${f}`);
  };

  before(async () => {
    server = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const source = SOURCES.find((s) => s.route === url.pathname);
      if (source) {
        res.writeHead(200, { 'content-type': `${source.type}; charset=utf-8` });
        res.end(source.body(server.origin));
        return;
      }
      const m = /^\/page\/([\w-]+)\.html$/.exec(url.pathname);
      const vector = m?.[1] === 'head' ? 'head' : HTML_VECTORS.find((v) => v.id === m?.[1]);
      if (vector) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(articlePage(vector));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-hostile-'));
    const config = path.join(dir, 'feeds.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        $schema: path.join(REPO_ROOT, 'feeds.config.schema.json'),
        http: { allowPrivateNetworks: true, timeoutMs: 10_000, maxConcurrentPages: 4 },
        output: { title: 'hostile', maxItems: 1000 },
        sources: SOURCES.map((s) => ({ id: s.id, url: `${server.origin}${s.route}?source=${s.id}`, name: `Source ${s.id}`, language: 'en', extract: s.extract })),
      }),
    );
    const results = await pollOnce(config, path.join(dir, 'data'));
    for (const s of SOURCES) {
      const r = results.find((x) => x.sourceId === s.id);
      assert.equal(r?.status, 'ok', `${s.id}: ${r?.errorCode} ${r?.message}`);
      assert.equal(r.counts.new, s.expected, `${s.id} stored every item`);
    }
    served = await startListening('serve', config, path.join(dir, 'data'));
    base = `http://127.0.0.1:${served.port}`;
  });

  after(async () => {
    await served?.stop();
    await server?.close();
  });

  it('JSON Feed: no vector survives in content_html, titles are strings, every URL is plain http(s)', async () => {
    const res = await fetch(`${base}/feed.json`);
    const json = JSON.parse(await res.text()) as { home_page_url?: string; items: JsonItem[] };
    assert.equal(json.items.length, TOTAL, 'no item lost');
    let pageOk = 0;
    const pageFailed: string[] = [];
    for (const it of json.items) {
      const src = SOURCES.find((s) => s.id === it._duofeed.source.id);
      assert.ok(src, it._duofeed.source.id);
      const where = `json ${src.id} ${it.id}`;
      inspect(where, it.content_html);
      assert.equal(typeof (it.title ?? ''), 'string');
      for (const u of [it.url, it.external_url, it.image, it.banner_image, ...(it.attachments ?? []).map((a) => a.url), ...(it.authors ?? []).map((a) => a.url)]) inspectUrl(where, u);
      inspectUrl(`${where} siteUrl`, it._duofeed.source.siteUrl);
      if (src.path === 'article page' && it._duofeed.extraction?.status === 'ok') pageOk++;
      // A NUL byte makes the extractor sniff the page as binary: the feed's teaser is kept instead.
      else if (src.path === 'article page' && !(it.url?.endsWith('/u-js-nul.html') && it._duofeed.extraction?.reason === 'EXTRACT_NOT_HTML')) pageFailed.push(`${src.id} ${it.url}: ${it._duofeed.extraction?.status} ${it._duofeed.extraction?.reason}`);
    }
    // The harmless text around a vector is kept (the sanitizer removes the attack, not the article).
    const byId = new Map(json.items.map((it) => [it.id, it]));
    assert.match(byId.get('json-e-div-mouseover')?.content_html ?? '', /hover me/);
    assert.match(byId.get('desc-c-overlay')?.content_html ?? '', /<a href="https:\/\/evil\.example\/">full-page link<\/a>/);
    const page = json.items.find((it) => it._duofeed.source.id === 'pages-selector' && it.url?.endsWith('/page/e-div-mouseover.html'));
    assert.match(page?.content_html ?? '', /benchmark scores drift[\s\S]*hover me[\s\S]*Independent reviewers/);
    // The page with <base href="javascript:…">, meta refresh, script and style in its head was
    // extracted; its relative link must not have been resolved into a javascript: URL (the
    // inspector checks every href). Note: it stays relative today (src/extract/absolutize.ts
    // accepts a non-http base and then cannot resolve against it).
    const head = json.items.find((it) => it._duofeed.source.id === 'pages-selector' && it.url?.endsWith('/page/head.html'));
    assert.equal(head?._duofeed.extraction?.status, 'ok');
    // Extraction really ran on the hostile pages (the vectors went through the extractor, not around it).
    const pages = SOURCES.filter((s) => s.path === 'article page').reduce((n, s) => n + s.expected, 0);
    process.stdout.write(`      article pages extracted ok: ${pageOk}/${pages}\n`);
    assert.deepEqual(pageFailed, []);
    assert.equal(pageOk, pages - 2);
    assert.deepEqual(findings.splice(0), []);
  });

  it('RSS 2.0: no vector survives in description / content:encoded; titles are text; links, enclosures, thumbnails are http(s)', async () => {
    const body = await (await fetch(`${base}/feed.xml`)).text();
    const parsed = await new Parser().parseString(body); // well-formed, strict parse
    assert.equal(parsed.items.length, TOTAL);
    const $ = cheerio.load(body, { xml: true });
    $('*').each((_, el) => assert.ok(!INJECTED.has((el as { name: string }).name.toLowerCase()), `element <${(el as { name: string }).name}> in RSS`));
    assert.equal($('item').length, TOTAL);
    $('item').each((_, el) => {
      const item = $(el);
      const where = `rss ${item.children('guid').text()}`;
      assert.equal(item.children('title').children().length, 0, `${where}: title holds elements`);
      inspect(where, item.children('description').text());
      inspect(where, item.children('content\\:encoded').text());
      inspectUrl(where, item.children('link').text() || null);
      inspectUrl(where, item.children('enclosure').attr('url'));
      inspectUrl(where, item.children('media\\:thumbnail').attr('url'));
    });
    assert.deepEqual(findings.splice(0), []);
  });

  it('Atom 1.0: no vector survives in summary / content; titles are type="text"; links are http(s)', async () => {
    const body = await (await fetch(`${base}/atom.xml`)).text();
    const parsed = await new Parser().parseString(body);
    assert.equal(parsed.items.length, TOTAL);
    const $ = cheerio.load(body, { xml: true });
    $('*').each((_, el) => assert.ok(!INJECTED.has((el as { name: string }).name.toLowerCase()), `element <${(el as { name: string }).name}> in Atom`));
    $('entry').each((_, el) => {
      const entry = $(el);
      const where = `atom ${entry.children('id').text()}`;
      const title = entry.children('title');
      assert.equal(title.children().length, 0, `${where}: title holds elements`);
      assert.equal(title.attr('type') ?? 'text', 'text', `${where}: title type`);
      for (const part of ['summary', 'content']) {
        const node = entry.children(part);
        if (node.length === 0) continue;
        assert.notEqual(node.attr('type'), 'xhtml', `${where}: ${part} as xhtml would be live markup`);
        inspect(where, node.text());
      }
      entry.find('link').each((_, l) => inspectUrl(where, $(l).attr('href')));
    });
    assert.deepEqual(findings.splice(0), []);
  });

  it('prints how many vectors each path exercised', () => {
    exercised['feed content'] = SOURCES.filter((s) => s.path === 'feed content').length * N;
    exercised['article page'] = SOURCES.filter((s) => s.path === 'article page').reduce((n, s) => n + s.expected, 0);
    // Every vector is the title of one item in each of the four feed-content sources.
    exercised.titles = 4 * N;
    exercised.urls = SOURCES.filter((s) => s.path === 'urls').length * URL_VECTORS.length;
    process.stdout.write(`      ${N} HTML vectors, ${URL_VECTORS.length} URL vectors; exercised per path: ${JSON.stringify(exercised)}\n`);
    assert.ok(N >= 50);
  });
});
