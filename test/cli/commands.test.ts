import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REPO_ROOT, corpus } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { startRecordingHub } from '../websub/recording-hub.js';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function writeConfig(dir: string, cfg: unknown): string {
  const file = path.join(dir, 'feeds.config.json');
  writeFileSync(file, JSON.stringify(cfg));
  return file;
}

/** Runs the CLI without blocking this process (the loopback server lives here). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

describe('cli: commands as a user runs them', function () {
  this.timeout(60_000);
  let feeds: Loopback;
  let dir: string;

  before(async () => {
    feeds = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/feed.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(readFileSync(corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml')));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-cli-'));
  });
  after(async () => feeds.close());

  it('validate-config prints ok for the shipped config and every problem with its path for a bad one', async () => {
    const ok = await cli(['validate-config', '--config', path.join(REPO_ROOT, 'feeds.config.json')]);
    assert.equal(ok.status, 0);
    assert.equal(ok.stdout.trim(), 'ok');
    const bad = writeConfig(dir, { sources: [{ id: 'x', url: 'not a url', name: 'x', language: 'en', colour: 1 }], output: { maxItems: -1 } });
    const r = await cli(['validate-config', '--config', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /\/sources\/0\/url: /);
    assert.match(r.stdout, /\/sources\/0\/colour: unknown key "colour"/);
    assert.match(r.stdout, /\/output\/maxItems: /);
  });

  it('run refuses an invalid config before anything starts (exit 78, nothing created)', async () => {
    const bad = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-bad-')), { sources: [], bogus: true });
    const dataDir = path.join(dir, 'never-created');
    const r = await cli(['run', '--config', bad, '--data-dir', dataDir, '--port', '0']);
    assert.equal(r.status, 78);
    assert.match(r.stderr, /CONFIG_INVALID/);
    assert.match(r.stderr, /\/bogus: unknown key "bogus"/);
    assert.equal(existsSync(dataDir), false);
  });

  it('poll-once exits 2 when no source could be attempted, 0 when some failed', async () => {
    const none = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-none-')), {
      sources: [{ id: 'off', url: `${feeds.origin}/feed.xml`, name: 'Off', language: 'en', enabled: false }],
    });
    assert.equal((await cli(['poll-once', '--config', none, '--data-dir', path.join(dir, 'd1')])).status, 2);
    const some = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-some-')), {
      http: { allowPrivateNetworks: true },
      sources: [
        { id: 'bad', url: `${feeds.origin}/nope.xml`, name: 'Bad', language: 'en' },
        { id: 'good', url: `${feeds.origin}/feed.xml`, name: 'Good', language: 'en', extract: { fetchPages: false } },
      ],
    });
    const r = await cli(['poll-once', '--config', some, '--data-dir', path.join(dir, 'd2')]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^bad\s+failed\s+0\s+0\s+0\s+FETCH_HTTP_STATUS: /m);
    assert.match(r.stdout, /2 source\(s\): 1 ok, 0 not modified, 1 failed, 0 skipped/);
  });

  it('poll-once notifies output.websubHub for the feeds it changed, and a second unchanged run notifies nothing', async () => {
    const hub = await startRecordingHub();
    try {
      const cfg = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-hub-')), {
        http: { allowPrivateNetworks: true },
        output: { baseUrl: 'https://news.example.com', websubHub: hub.url, languages: ['zh', 'en'] },
        sources: [{ id: 'good', url: `${feeds.origin}/feed.xml`, name: 'Good', language: 'en', extract: { fetchPages: false } }],
      });
      const data = path.join(dir, 'd-hub');
      const first = await cli(['poll-once', '--config', cfg, '--data-dir', data]);
      assert.equal(first.status, 0, first.stderr);
      const urls = hub.requests.flatMap((r) => r.urls).sort();
      const expected: string[] = [];
      for (const prefix of ['', '/sources/good']) {
        for (const file of ['/feed.xml', '/atom.xml', '/feed.json']) {
          for (const query of ['', '?lang=zh', '?lang=en']) expected.push(`https://news.example.com${prefix}${file}${query}`);
        }
      }
      assert.deepEqual(urls, expected.sort());
      assert.ok(hub.requests.every((r) => r.mode === 'publish' && r.method === 'POST'));
      const second = await cli(['poll-once', '--config', cfg, '--data-dir', data]);
      assert.equal(second.status, 0, second.stderr);
      assert.equal(hub.requests.length, expected.length, 'nothing changed, so nothing is announced');
    } finally {
      await hub.close();
    }
  });

  it('poll-once with a hub answering 500: retries every topic, then reports each one not delivered (log, summary, JSON)', async () => {
    const hub = await startRecordingHub(() => ({ status: 500 }));
    try {
      const cfg = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-hub500-')), {
        http: { allowPrivateNetworks: true },
        output: { baseUrl: 'https://news.example.com', websubHub: hub.url, languages: ['en'] },
        sources: [{ id: 'good', url: `${feeds.origin}/feed.xml`, name: 'Good', language: 'en', extract: { fetchPages: false } }],
      });
      const r = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'd-hub500')]);
      assert.equal(r.status, 0, r.stderr);
      const topics: string[] = [];
      for (const prefix of ['', '/sources/good']) {
        for (const file of ['/feed.xml', '/atom.xml', '/feed.json']) {
          for (const query of ['', '?lang=en']) topics.push(`https://news.example.com${prefix}${file}${query}`);
        }
      }
      // Every topic was tried more than once (retried), none was left untried.
      const tries = new Map<string, number>();
      for (const u of hub.requests.flatMap((q) => q.urls)) tries.set(u, (tries.get(u) ?? 0) + 1);
      assert.deepEqual([...tries.keys()].sort(), [...topics].sort());
      assert.ok([...tries.values()].every((n) => n > 1), `attempts per topic: ${[...tries.values()].join(',')}`);
      // Each topic's final failure is logged with WEBSUB_NOTIFY_FAILED and names the topic.
      const failed = r.stderr.split('\n').filter((l) => l.includes('"WEBSUB_NOTIFY_FAILED"')).map((l) => JSON.parse(l) as { topic?: string; topics?: string[] });
      const failedTopics = failed.flatMap((l) => l.topics ?? (l.topic ? [l.topic] : []));
      assert.deepEqual([...new Set(failedTopics)].sort(), [...topics].sort());
      assert.match(r.stdout, new RegExp(`^websub: 0 delivered, ${topics.length} failed`, 'm'));
      assert.match(r.stdout, /^good\s+ok\s+/m, 'the source table is still printed');

      const json = await cli(['poll-once', '--json', '--config', cfg, '--data-dir', path.join(dir, 'd-hub500-json')]);
      assert.equal(json.status, 0, json.stderr);
      const parsed = JSON.parse(json.stdout) as { results: unknown[]; websub: { delivered: number; failed: number; failedTopics: string[] } };
      assert.equal(parsed.results.length, 1);
      assert.equal(parsed.websub.delivered, 0);
      assert.equal(parsed.websub.failed, topics.length);
      assert.deepEqual([...parsed.websub.failedTopics].sort(), [...topics].sort());
    } finally {
      await hub.close();
    }
  });

  it('poll-once with a hub answering 500 twice then 204: delivers every topic and says so', async () => {
    const hub = await startRecordingHub((n) => (n < 2 ? { status: 500 } : { status: 204 }));
    try {
      const cfg = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-hubflaky-')), {
        http: { allowPrivateNetworks: true },
        output: { baseUrl: 'https://news.example.com', websubHub: hub.url, languages: ['zh', 'en'] },
        sources: [{ id: 'good', url: `${feeds.origin}/feed.xml`, name: 'Good', language: 'en', extract: { fetchPages: false } }],
      });
      const r = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'd-hubflaky')]);
      assert.equal(r.status, 0, r.stderr);
      const urls = new Set(hub.requests.flatMap((q) => q.urls));
      assert.equal(urls.size, 18);
      assert.equal(hub.requests.length, 20, 'the two refused topics were retried once each');
      assert.match(r.stdout, /^websub: 18 delivered, 0 failed$/m);
      assert.doesNotMatch(r.stderr, /WEBSUB_NOTIFY_FAILED/);
    } finally {
      await hub.close();
    }
  });

  it('without allowPrivateNetworks a loopback feed is refused with FETCH_PRIVATE_ADDRESS', async () => {
    const cfg = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-guard-')), {
      sources: [{ id: 'local', url: `${feeds.origin}/feed.xml`, name: 'Local', language: 'en' }],
    });
    const r = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'd3')]);
    assert.match(r.stdout, /^local\s+failed .*FETCH_PRIVATE_ADDRESS/m);
  });

  it('run polls at start, serves, logs per source with its code and stops on SIGINT with exit 0', async () => {
    const cfg = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-run-')), {
      schedule: '0 0 1 1 *',
      http: { allowPrivateNetworks: true },
      sources: [
        { id: 'blog', url: `${feeds.origin}/feed.xml`, name: 'Blog', language: 'en', extract: { fetchPages: false } },
        { id: 'dead', url: `${feeds.origin}/dead.xml`, name: 'Dead', language: 'en' },
      ],
    });
    const child = spawn(process.execPath, [CLI, 'run', '--config', cfg, '--data-dir', path.join(dir, 'run'), '--port', '0'], {
      env: { ...process.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Array<Record<string, unknown>> = [];
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = async (pred: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(pred(), what);
    };
    await waitFor(() => lines.some((l) => typeof l.port === 'number'), 'listening line');
    const port = lines.find((l) => typeof l.port === 'number')!.port as number;
    await waitFor(() => lines.some((l) => l.sourceId === 'blog' && l.msg === 'feed polled'), 'blog polled at start');
    await waitFor(() => lines.some((l) => l.sourceId === 'dead' && (l.err as { code?: string } | undefined)?.code === 'FETCH_HTTP_STATUS'), 'dead source logged with code');
    const deadLine = lines.find((l) => l.sourceId === 'dead' && l.err)!;
    assert.equal(deadLine.url, `${feeds.origin}/dead.xml`);
    assert.equal(deadLine.code, 'FETCH_HTTP_STATUS');
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { sources: Array<{ id: string; errorCount: number; lastErrorCode: string | null; nextPollAt: string | null }> };
    const dead = health.sources.find((s) => s.id === 'dead')!;
    assert.equal(dead.errorCount, 1);
    assert.equal(dead.lastErrorCode, 'FETCH_HTTP_STATUS');
    assert.ok(dead.nextPollAt);
    const feed = await (await fetch(`http://127.0.0.1:${port}/feed.json`)).json() as { items: unknown[] };
    assert.equal(feed.items.length, 10);
    assert.ok(lines.some((l) => l.msg === 'schedule started' && l.stage === 'scheduler'));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.ok(lines.some((l) => l.msg === 'stopped'));
  });

  it('LOG_LEVEL=error silences info lines', async () => {
    const cfg = writeConfig(mkdtempSync(path.join(os.tmpdir(), 'duofeed-quiet-')), {
      http: { allowPrivateNetworks: true },
      sources: [{ id: 'blog', url: `${feeds.origin}/feed.xml`, name: 'Blog', language: 'en', extract: { fetchPages: false } }],
    });
    const loud = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'l1')], { LOG_LEVEL: 'info' });
    assert.match(loud.stderr, /"msg":"feed polled"/);
    const quiet = await cli(['poll-once', '--config', cfg, '--data-dir', path.join(dir, 'l2')], { LOG_LEVEL: 'error' });
    assert.equal(quiet.stderr.trim(), '');
  });
});
