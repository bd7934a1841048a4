import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as cheerio from 'cheerio';
import { corpus, REPO_ROOT } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { startFakeOpenAI, type FakeTranslatorServer } from '../helpers/fake-translators.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const EN_FEED = corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml');
const ZH_FEED = corpus('feeds', 'peer-aggregator-output', 'rss-gpt-36kr-ai-2023-11.zh.rss2.xml');
const KEY = 'sk-test-not-a-real-key';

type JsonItem = {
  id: string;
  title: string;
  content_html: string;
  language?: string;
  _duofeed: {
    source: { id: string };
    language: string;
    keywords: Record<string, string[]>;
    versions: Record<string, { title: string; content_html: string }>;
    translation: { provider: string | null; model: string | null; at: string | null; status: string; missing: string[] };
  };
};

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', DUOFEED_TEST_KEY: KEY }, timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs `serve` on port 0, fetches the paths, stops it. */
async function serveAndGet(config: string, dataDir: string, paths: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'info', DUOFEED_TEST_KEY: KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"port":(\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  try {
    const out: string[] = [];
    for (const p of paths) out.push(await (await fetch(`http://127.0.0.1:${port}${p}`)).text());
    return out;
  } finally {
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

const countItems = (file: string): number => (readFileSync(file, 'latin1').match(/<item[\s>]/g) ?? []).length;

describe('end to end: bilingual feed from real corpus feeds with a translation engine (loopback OpenAI-compatible)', function () {
  this.timeout(600_000);
  let feeds: Loopback;
  let mt: FakeTranslatorServer;
  let dir: string;

  before(async () => {
    feeds = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const file = req.url === '/en.xml' ? EN_FEED : req.url === '/zh.xml' ? ZH_FEED : null;
      if (!file) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(readFileSync(file));
    });
    mt = await startFakeOpenAI(KEY);
    dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-bilingual-'));
  });
  after(async () => {
    await feeds?.close();
    await mt?.close();
  });

  function config(name: string, extra: Record<string, unknown>): string {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      JSON.stringify({
        http: { allowPrivateNetworks: true },
        output: { maxItems: 500, languages: ['zh', 'en'], layout: 'stacked' },
        sources: [
          { id: 'en-blog', url: `${feeds.origin}/en.xml`, name: 'Google AI Blog', language: 'en', extract: { fetchPages: false } },
          { id: 'zh-36kr', url: `${feeds.origin}/zh.xml`, name: '36氪 AI', language: 'zh-CN', extract: { fetchPages: false } },
        ],
        ...extra,
      }),
    );
    return file;
  }

  const engine = { provider: 'openai', baseUrl: '', model: 'fake-mt-1', apiKeyEnv: 'DUOFEED_TEST_KEY', requestsPerMinute: 6000, concurrency: 4 };

  it('without a provider: items keep their language, status "none", no invented translation', async () => {
    const cfg = config('none.json', {});
    const r = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'data'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [json] = await serveAndGet(cfg, path.join(dir, 'data'), ['/feed.json']);
    const items = (JSON.parse(json!) as { items: JsonItem[] }).items;
    assert.equal(items.length, countItems(EN_FEED) + countItems(ZH_FEED));
    for (const it of items) {
      assert.equal(it._duofeed.translation.status, 'none', it.id);
      assert.equal(Object.keys(it._duofeed.versions).length, 1);
      const own = it._duofeed.source.id === 'en-blog' ? 'en' : 'zh';
      assert.ok(it._duofeed.language.startsWith(own), `${it.id}: ${it._duofeed.language}`);
      assert.ok(it._duofeed.keywords[own]!.length >= 1, `${it.id} has keywords in ${own}`);
    }
    assert.equal(mt.requests.length, 0);
  });

  it('a provider configured later: stored items are backfilled; zh and en versions, keywords and provenance in /feed.json', async () => {
    const cfg = config('openai.json', { translation: { ...engine, baseUrl: mt.origin } });
    const r = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'data'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(mt.requests.length > 0, 'the engine was called');
    assert.ok(mt.requests.every((q) => q.headers.authorization === `Bearer ${KEY}`), 'key from the named env var');
    const [json, zhView, enView, rss] = await serveAndGet(cfg, path.join(dir, 'data'), ['/feed.json', '/feed.json?lang=zh', '/feed.json?lang=en', '/feed.xml']);
    const items = (JSON.parse(json!) as { items: JsonItem[] }).items;
    const translated = items.filter((i) => i._duofeed.translation.status === 'ok');
    assert.ok(translated.length >= 20, `translated ${translated.length}`);
    for (const it of translated) {
      assert.deepEqual(Object.keys(it._duofeed.versions).sort(), ['en', 'zh']);
      assert.ok(it._duofeed.keywords.zh!.length > 0 && it._duofeed.keywords.en!.length > 0, `${it.id} keywords in both languages`);
      assert.equal(it._duofeed.translation.provider, 'openai');
      assert.equal(it._duofeed.translation.model, 'fake-mt-1');
      assert.ok(it._duofeed.translation.at);
      // stacked: zh (primary) first, a divider, then en; the source line last
      const $ = cheerio.load(it.content_html);
      const sections = $('[lang]').map((_, el) => $(el).attr('lang')).get();
      assert.deepEqual(sections.slice(0, 2).map((l) => l.slice(0, 2)), ['zh', 'en'], `${it.id} sections ${sections.join(',')}`);
      assert.ok($('hr').length >= 1);
      assert.match($.text(), /来源 \/ Source:/);
    }
    // every English original got a zh version; every Chinese one an en version
    const en = items.filter((i) => i._duofeed.source.id === 'en-blog');
    assert.ok(en.every((i) => i._duofeed.versions.zh && i._duofeed.translation.status === 'ok'));
    // per-language views carry one language each
    const zhItems = (JSON.parse(zhView!) as { items: JsonItem[] }).items;
    const enItems = (JSON.parse(enView!) as { items: JsonItem[] }).items;
    assert.equal(zhItems.length, items.length);
    assert.ok(zhItems.every((i) => !/<hr/.test(i.content_html)));
    assert.ok(enItems.every((i) => (i.language ?? 'en').startsWith('en')));
    // keywords of both languages are RSS categories
    const $rss = cheerio.load(rss!, { xml: true });
    const firstEn = en[0]!;
    const cats = $rss('item')
      .filter((_, el) => $rss(el).find('link').text() === (JSON.parse(json!) as { items: Array<{ url: string; id: string }> }).items.find((x) => x.id === firstEn.id)!.url)
      .first()
      .find('category')
      .map((_, c) => $rss(c).text())
      .get();
    for (const k of [...firstEn._duofeed.keywords.en!, ...firstEn._duofeed.keywords.zh!]) assert.ok(cats.includes(k), `category ${k}`);

    // a re-poll pays nothing twice (cache + unchanged items)
    const before = mt.requests.length;
    const again = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'data'), '--json']);
    assert.equal(again.code, 0);
    assert.equal(mt.requests.length, before, 'no engine call on an unchanged re-poll');
  });

  it('an engine that changes a number: the item is flagged with the missing token and published in its original language', async () => {
    mt.mode = 'change-number';
    const cfg = config('flag.json', { translation: { ...engine, baseUrl: mt.origin } });
    const fresh = path.join(dir, 'flag-data');
    const r = await cli(['poll-once', '--config', cfg, '--data-dir', fresh, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [json] = await serveAndGet(cfg, fresh, ['/feed.json']);
    const items = (JSON.parse(json!) as { items: JsonItem[] }).items;
    const flagged = items.filter((i) => i._duofeed.translation.status === 'flagged');
    assert.ok(flagged.length > 0, 'some items flagged');
    for (const it of flagged) {
      assert.ok(it._duofeed.translation.missing.length > 0);
      assert.equal(Object.keys(it._duofeed.versions).length, 1, 'original only');
      assert.doesNotMatch(it.content_html, /<hr/);
    }
    mt.mode = 'ok';
  });

  it('run: the background backfill shows its progress in /healthz', async () => {
    // Items stored before the engine was configured are what the backfill translates.
    const stored = await cli(['poll-once', '--config', config('run-none.json', {}), '--data-dir', path.join(dir, 'run-data')]);
    assert.equal(stored.code, 0, stored.stderr);
    const cfg = config('run.json', { schedule: '0 0 1 1 *', translation: { ...engine, baseUrl: mt.origin } });
    const child = spawn(process.execPath, [CLI, 'run', '--config', cfg, '--data-dir', path.join(dir, 'run-data'), '--port', '0'], {
      env: { ...process.env, LOG_LEVEL: 'info', DUOFEED_TEST_KEY: KEY },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
    try {
      let port = 0;
      for (let i = 0; i < 200 && !port; i++) {
        port = Number(/"port":(\d+)/.exec(buf)?.[1] ?? 0);
        if (!port) await new Promise((r) => setTimeout(r, 50));
      }
      type Health = { translation?: { provider: string; translated: number; backlog: number; running: boolean; lastRunAt: string | null } };
      let health: Health = {};
      for (let i = 0; i < 600; i++) {
        health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Health;
        if (health.translation && health.translation.translated > 0 && health.translation.backlog === 0 && !health.translation.running) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(health.translation?.provider, 'openai');
      assert.equal(health.translation?.backlog, 0);
      assert.ok((health.translation?.translated ?? 0) >= countItems(EN_FEED), JSON.stringify(health.translation));
      assert.ok(health.translation?.lastRunAt);
      assert.match(buf, /translation backfill: \d+ item\(s\) done/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
