import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { silentLogger } from '../../src/logger.js';
import { buildSourceInfos } from '../../src/publish/source-info.js';
import { createRequestHandler } from '../../src/server/handler.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { SHADOW_IT_ZH, TURING_EN } from '../publish/bilingual-fixtures.js';
import { BROKEN, BROKEN_ERROR, HOSTILE_TITLE, pageStore, type PageStore } from './page-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** What the browser reported while a page loaded. */
interface Visit {
  page: Page;
  status: number;
  contentType: string;
  problems: string[];
}

describe('browser: the index page and the feeds rendered by their XSLT, in headless Chromium', function () {
  this.timeout(120_000);
  let data: PageStore;
  let server: RunningServer;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    // Never skipped: CI installs Debian's chromium; without it this is a failure to fix there.
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium); the page tests drive it through playwright-core and never download a browser`);
    }
    data = await pageStore();
    const { store, config, clock } = data;
    const sources = buildSourceInfos(config.sources, await store.listSourceStates());
    server = await startServer(createRequestHandler({ store, config, sources, logger: silentLogger(), clock }), 0, '127.0.0.1');
    origin = `http://127.0.0.1:${server.port}`;
    // launch() gives the browser a fresh temporary profile of its own and removes it on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'zh-CN' });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await data?.store.close();
    if (data) rmSync(data.dir, { recursive: true, force: true });
  });

  async function visit(pathAndQuery: string): Promise<Visit> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // A failed subresource (say /favicon.ico or the stylesheet) is a console error that may land
    // after `load`: catch its cause directly, from the network side.
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    const response = await page.goto(`${origin}${pathAndQuery}`, { waitUntil: 'load' });
    assert.ok(response, `no response for ${pathAndQuery}`);
    return { page, status: response.status(), contentType: response.headers()['content-type'] ?? '', problems };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(SCREENSHOTS, name);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(existsSync(file), file);
  }

  it('/ loads without console or page errors and shows items in both languages, keywords, health and subscribe links', async () => {
    const { page, status, contentType, problems } = await visit('/');
    try {
      assert.equal(status, 200);
      assert.equal(contentType, 'text/html; charset=utf-8');
      assert.deepEqual(problems, []);
      await screenshot(page, 'index.png');

      // Both language versions of a translated item, each marked with its language.
      assert.equal(await page.locator(`#item-${data.idOf(data.set.enOk)} .title[lang="zh"]`).innerText().then((t) => t.includes(SHADOW_IT_ZH.title)), true);
      assert.equal(await page.locator(`#item-${data.idOf(data.set.enOk)} .title-alt[lang="en"]`).innerText().then((t) => t.includes(data.set.enOk.title)), true);
      assert.equal(await page.locator(`#item-${data.idOf(data.set.zhOk)} .title-alt[lang="en"]`).innerText().then((t) => t.includes(TURING_EN.title)), true);
      assert.equal(await page.locator(`#item-${data.idOf(data.set.enOk)} time`).getAttribute('datetime'), data.set.enOk.publishedAt);
      assert.equal(await page.locator(`#item-${data.idOf(data.set.enOk)} .keywords li[lang="zh"] .kw`).allInnerTexts().then((k) => k.join('|')), '影子 IT|Google Drive|文件同步与共享|Gartner');
      assert.equal(await page.locator('li.item').count(), data.set.all.length + 1);

      // Hostile text stays text: no script element, the title readable as written.
      assert.equal(await page.locator('script').count(), 0);
      assert.equal(await page.locator('li.item img').count(), 0);
      assert.notEqual(await page.title(), 'pwned');
      assert.ok((await page.locator(`#item-${data.idOf(data.hostile)} .title-alt[lang="en"]`).innerText()).includes(HOSTILE_TITLE), 'hostile title shown as text');

      // Health of the failing source.
      const broken = page.locator(`#source-${BROKEN.id}`);
      assert.match(await broken.innerText(), /出错 \/ Failing/);
      assert.ok((await broken.innerText()).includes(BROKEN_ERROR));
      assert.ok((await broken.innerText()).includes('FETCH_NETWORK'));
      assert.equal(await broken.locator('.error strong').innerText(), '3');
      assert.equal(await broken.locator('.next-poll time').getAttribute('datetime'), '2026-08-23T13:45:00.000Z');
      assert.equal(await broken.locator('.last-success time').getAttribute('datetime'), '2026-08-22T09:35:00.000Z');
      assert.match(await page.locator('#source-gcloud .status').innerText(), /正常 \/ OK/);

      // Subscribe links: 3 formats × (merged + zh + en), the OPML list, autodiscovery.
      const feeds = await page.locator('#subscribe a.feed').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      const expected = ['', '?lang=zh', '?lang=en'].flatMap((q) => ['/feed.xml', '/atom.xml', '/feed.json'].map((p) => `${origin}${p}${q}`));
      assert.deepEqual([...feeds].sort(), [...expected].sort());
      assert.equal(await page.locator('a[href$="/sources.opml"]').count(), 1);
      const alternates = await page.locator('link[rel="alternate"]').evaluateAll((ls) => ls.map((l) => `${l.getAttribute('type')} ${(l as HTMLLinkElement).href}`));
      assert.deepEqual(alternates, [`application/rss+xml ${origin}/feed.xml`, `application/atom+xml ${origin}/atom.xml`, `application/feed+json ${origin}/feed.json`]);

      // A phone-sized window: nothing wider than the screen (tables scroll inside their box).
      await page.setViewportSize({ width: 390, height: 800 });
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
      await screenshot(page, 'index-narrow.png');
    } finally {
      await page.close();
    }
  });

  it('every same-origin link and autodiscovery link on / answers 200', async () => {
    const { page } = await visit('/');
    try {
      const hrefs = await page.locator('a[href], link[rel="alternate"]').evaluateAll((els) => els.map((e) => (e as HTMLAnchorElement).href));
      const local = [...new Set(hrefs.filter((h) => new URL(h).origin === origin))];
      const feeds = ['', '?lang=zh', '?lang=en'].flatMap((q) => ['/feed.xml', '/atom.xml', '/feed.json'].map((p) => `${origin}${p}${q}`));
      assert.deepEqual([...local].sort(), [...feeds, `${origin}/sources.opml`, `${origin}/healthz`].sort());
      for (const href of local) {
        const r = await page.request.get(href);
        assert.equal(r.status(), 200, href);
      }
      // Outside links are the items' and sources' own web pages, never script URLs.
      for (const h of hrefs.filter((x) => new URL(x).origin !== origin)) assert.match(h, /^https?:\/\//, h);
    } finally {
      await page.close();
    }
  });

  for (const [feedPath, shot, kind] of [
    ['/feed.xml', 'feed-xml.png', 'RSS 2.0'],
    ['/atom.xml', 'atom-xml.png', 'Atom 1.0'],
    ['/feed.xml?lang=en', 'feed-xml-lang-en.png', 'RSS 2.0'],
  ] as const) {
    it(`${feedPath} opens as a page rendered by /feed.xsl: explanation, feed URL, items as HTML elements, no errors`, async () => {
      const { page, status, contentType, problems } = await visit(feedPath);
      try {
        assert.equal(status, 200);
        assert.equal(contentType, 'application/xml; charset=utf-8', 'a browser gets the feed as generic XML so it runs the stylesheet');
        assert.deepEqual(problems, []);
        await screenshot(page, shot);
        // Rendered: an HTML document (not Chromium's XML tree or plain-text view) built by the XSLT.
        assert.equal(await page.evaluate(() => document.documentElement.namespaceURI), 'http://www.w3.org/1999/xhtml');
        assert.equal(await page.evaluate(() => document.documentElement.localName), 'html');
        assert.equal(await page.locator('#feed-title').innerText(), 'duofeed · AI 双语快讯' + (feedPath.includes('lang=en') ? ' [en]' : ''));
        assert.match((await page.locator('.kind').textContent()) ?? '', new RegExp(kind.replace('.', '\\.')));
        assert.equal(await page.locator('#feed-url').innerText(), `${origin}${feedPath}`);
        assert.match(await page.locator('#how-to-subscribe').innerText(), /复制到你的 RSS 阅读器/);
        assert.match(await page.locator('#how-to-subscribe').innerText(), /Copy this URL into your feed reader/);

        const titles = await page.locator('li.item .item-title').allInnerTexts();
        // As many as the same view holds in JSON Feed (the en view leaves out a zh item with no en version).
        const json = (await (await page.request.get(`${origin}${feedPath.replace('/feed.xml', '/feed.json').replace('/atom.xml', '/feed.json')}`)).json()) as { items: Array<{ title: string }> };
        assert.ok(json.items.length >= data.set.all.length);
        assert.deepEqual(titles, json.items.map((i) => i.title));
        if (feedPath.includes('lang=en')) {
          assert.ok(titles.includes(TURING_EN.title), 'the en view carries the translated title');
        } else {
          assert.ok(titles.includes(SHADOW_IT_ZH.title), 'the merged feed leads with the primary (zh) title');
        }
        // The hostile title is text in an anchor that links to the item.
        assert.equal(await page.locator('script').count(), 0);
        assert.equal(await page.locator('li.item img').count(), 0);
        const hostile = page.locator('li.item a.item-title', { hasText: 'onerror' });
        assert.equal(await hostile.count(), 1);
        assert.equal(await hostile.getAttribute('href'), data.hostile.url);
        assert.match(await page.locator('li.item').first().locator('.source').innerText(), /Broken <Lab> & "Co"/);
        assert.match(await page.locator('li.item').first().locator('.date').innerText(), /^2026-08-22 09:30 UTC$/);
        // The home link leads back to the index page.
        const home = await page.locator('#how-to-subscribe a').evaluate((a) => (a as HTMLAnchorElement).href);
        assert.equal((await page.request.get(home)).status(), 200);
      } finally {
        await page.close();
      }
    });
  }
});
