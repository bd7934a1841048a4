import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { caseFile, REPO_ROOT } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { startListening, type ServedChild } from './cli-child.js';

const run = promisify(execFile);
const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'huge-feed-probe.js');
const MAX_ITEMS = 500;

/** Peak resident memory of a live process (Linux VmHWM), MB; null elsewhere. */
function peakRssMb(pid: number | undefined): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

interface Health {
  sources: Array<{ id: string; lastSuccessAt: string | null; errorCount: number; lastErrorCode: string | null }>;
}

describe('hostile: case 23 — a 19.8 MB, 9000-item feed with maxFeedBytes raised to 32 MiB', function () {
  this.timeout(600_000);
  let dir = '';
  let bigFile = '';
  let server: Loopback;
  let served: ServedChild | null = null;
  let bigSentAt = 0;
  let smallRequests = 0;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-huge-'));
    bigFile = path.join(dir, 'big-feed.xml');
    // Generated with the case's own generator, into a temp dir (never committed).
    const { stdout } = await run(process.execPath, [caseFile('23-huge-feed', 'generate.mjs')], { maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' });
    writeFileSync(bigFile, stdout);
    server = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/big-feed.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': statSync(bigFile).size });
        res.once('finish', () => (bigSentAt = performance.now()));
        createReadStream(bigFile).pipe(res);
        return;
      }
      if (req.url === '/small-feed.xml') {
        smallRequests++;
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>small</title><link>${server.origin}/</link><description>s</description>` +
            [1, 2, 3].map((n) => `<item><title>Small ${n}</title><link>${server.origin}/small/${n}</link><guid>small-${n}</guid><pubDate>${new Date(Date.UTC(2026, 1, 20, n)).toUTCString()}</pubDate><description>small item ${n}</description></item>`).join('') +
            '</channel></rss>',
        );
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });

  after(async () => {
    await served?.stop();
    await server?.close();
  });

  it('the generated feed is the case input (~19.8 MB, 9000 items)', () => {
    const size = statSync(bigFile).size;
    assert.ok(size > 19_000_000 && size < 21_000_000, `size ${size}`);
    assert.ok(size > 10 * 1024 * 1024, 'above the default 10 MiB cap, so the raised cap is what lets it in');
  });

  it('figures: parse in the main thread vs in the worker (event-loop stall, memory)', async () => {
    const lines: string[] = [];
    for (const mode of ['inline', 'worker']) {
      // The worker route runs under the case's 256 MB heap budget; the in-thread route is only
      // the comparison figure and gets Node's default heap.
      const heap = mode === 'worker' ? ['--max-old-space-size=256'] : [];
      let stdout: string;
      try {
        ({ stdout } = await run(process.execPath, [...heap, PROBE, bigFile, mode, String(MAX_ITEMS)], { maxBuffer: 1024 * 1024 }));
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        assert.fail(`probe ${mode} failed: ${e.message}\n${(e.stderr ?? '').slice(-2000)}`);
      }
      const fig = JSON.parse(stdout) as { items: number; newest: string; maxLoopStallMs: number };
      // Both routes give the same answer: the newest 500 items.
      assert.equal(fig.items, MAX_ITEMS);
      assert.equal(fig.newest, '2026-02-20T00:00:00.000Z');
      lines.push(stdout.trim());
    }
    process.stdout.write(`      ${lines.join('\n      ')}\n`);
  });

  it('run: stores only the newest 500, refreshes the small feed, and answers /healthz while the big feed is parsed', async () => {
    const config = path.join(dir, 'feeds.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        $schema: path.join(REPO_ROOT, 'feeds.config.schema.json'),
        http: { allowPrivateNetworks: true, timeoutMs: 120_000, maxFeedBytes: 32 * 1024 * 1024, maxItemsPerFeed: MAX_ITEMS },
        sources: [
          // The big feed links to research.example.com, which is not here: no page fetching.
          { id: 'big', url: `${server.origin}/big-feed.xml`, name: 'Security Research Archive', language: 'en', extract: { fetchPages: false } },
          { id: 'small', url: `${server.origin}/small-feed.xml`, name: 'Small', language: 'en', extract: { fetchPages: false } },
        ],
      }),
    );
    const dataDir = path.join(dir, 'data');
    // The heap budget of the case, for the service's main thread (the parse worker has its own cap).
    served = await startListening('run', config, dataDir, ['--max-old-space-size=256']);
    const base = `http://127.0.0.1:${served.port}`;

    let answeredWhileBig = 0;
    let maxLatency = 0;
    let health: Health | null = null;
    const deadline = performance.now() + 300_000; // a guard against hanging, not a timing assertion
    while (performance.now() < deadline) {
      const t = performance.now();
      const res = await fetch(`${base}/healthz`);
      health = (await res.json()) as Health;
      const latency = performance.now() - t;
      const big = health.sources.find((s) => s.id === 'big');
      const done = big !== undefined && (big.lastSuccessAt !== null || big.lastErrorCode !== null);
      if (bigSentAt > 0 && t > bigSentAt && !done) {
        answeredWhileBig++;
        maxLatency = Math.max(maxLatency, latency);
      }
      if (done) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const rss = peakRssMb(served.child.pid);
    process.stdout.write(`      /healthz answered ${answeredWhileBig} times between the big feed's last byte and its items being stored; slowest answer ${Math.round(maxLatency)} ms; service peak RSS ${rss ?? 'n/a'} MB\n`);

    const big = health!.sources.find((s) => s.id === 'big')!;
    const small = health!.sources.find((s) => s.id === 'small')!;
    assert.equal(big.lastErrorCode, null, 'the big feed polled without error');
    assert.ok(big.lastSuccessAt);
    assert.ok(small.lastSuccessAt && small.errorCount === 0 && smallRequests >= 1, 'the small feed refreshed in the same run');
    // The event loop was free while the worker parsed: the health endpoint kept answering.
    assert.ok(answeredWhileBig >= 5, `only ${answeredWhileBig} /healthz answers while the big feed was in flight`);

    await served.stop();
    served = null;
    const dbFile = path.join(dataDir, 'duofeed.sqlite');
    assert.ok(existsSync(dbFile));
    const db = new Database(dbFile, { readonly: true });
    try {
      const guids = (db.prepare("SELECT guid FROM articles WHERE source_id = 'big'").all() as Array<{ guid: string }>).map((r) => r.guid);
      assert.equal(guids.length, MAX_ITEMS);
      // Posts are one hour apart, post 0 the newest: the newest 500 are posts 0–499.
      const want = Array.from({ length: MAX_ITEMS }, (_, i) => `https://research.example.com/posts/${i}`).sort();
      assert.deepEqual(guids.sort(), want);
      const smallRows = db.prepare("SELECT count(*) AS n FROM articles WHERE source_id = 'small'").get() as { n: number };
      assert.equal(smallRows.n, 3);
    } finally {
      db.close();
    }
  });
});
