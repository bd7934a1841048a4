import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../helpers/paths.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { CLI, cliEnv, pollOnce } from './cli-child.js';
import { xmlEscape } from './hostile-feeds.js';
import { seededRandom as prng } from '../helpers/seeded-random.js';

const KILLS = 5;
const JSON_PER_GEN = 60;
/** Items served by all three sources in generation `gen`. */
const served = (gen: number): number => 2 * itemsOf(gen).length + itemsOf(gen, JSON_PER_GEN).length;
const PROSE =
  'Engineers described how the new inference cluster schedules requests across accelerators, why tail latency fell after the change, and which workloads still see queueing at peak hours. ';

/** Items of one feed in generation `gen`: the list grows each cycle and some titles change. */
function itemsOf(gen: number, per = 4): Array<{ n: number; title: string; date: string }> {
  return Array.from({ length: 6 + per * gen }, (_, n) => ({
    n,
    title: `Item ${n} revision ${(n + gen) % 3 === 0 ? gen : 0}`,
    date: new Date(Date.UTC(2025, 0, 1) + n * 3_600_000).toISOString(),
  }));
}

function rssFeed(origin: string, gen: number): string {
  const items = itemsOf(gen).map(
    (it) =>
      `<item><title>${xmlEscape(it.title)}</title><link>${origin}/page/rss/${it.n}</link><guid isPermaLink="false">rss-${it.n}</guid>` +
      `<pubDate>${new Date(it.date).toUTCString()}</pubDate><description>${xmlEscape(it.title)}</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>r</title><link>${origin}/</link><description>d</description>${items.join('')}</channel></rss>`;
}

function atomFeed(origin: string, gen: number): string {
  const entries = itemsOf(gen).map(
    (it) =>
      `<entry><id>urn:crash:${it.n}</id><title>${xmlEscape(it.title)}</title><link href="${origin}/page/atom/${it.n}"/>` +
      `<updated>${it.date}</updated><content type="html">${xmlEscape(`<p>${it.title}</p>`)}</content></entry>`,
  );
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:crash</id><title>a</title><updated>2025-01-01T00:00:00Z</updated>${entries.join('')}</feed>`;
}

function jsonFeed(gen: number): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'j',
    // Many items without pages: a long store transaction, so some kills land inside a commit.
    items: itemsOf(gen, JSON_PER_GEN).map((it) => ({ id: `json-${it.n}`, title: it.title, content_html: `<p>${it.title}</p><p>${PROSE}</p>`, date_published: it.date })),
  });
}

interface DbSnapshot {
  keys: Set<string>;
  rows: number;
  integrity: string;
}

/** Reads the database of a dead child, read-only. */
function snapshot(dbFile: string): DbSnapshot {
  if (!existsSync(dbFile)) return { keys: new Set(), rows: 0, integrity: 'ok' };
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'").get() !== undefined;
    if (!hasTable) return { keys: new Set(), rows: 0, integrity };
    const all = db.prepare('SELECT source_id AS s, guid AS g FROM articles').all() as Array<{ s: string; g: string }>;
    return { keys: new Set(all.map((r) => `${r.s}\u0000${r.g}`)), rows: all.length, integrity };
  } finally {
    db.close();
  }
}

describe('hostile: crash safety — SIGKILL at random points during polls, then restart', function () {
  this.timeout(120_000);
  let server: Loopback;
  let gen = 0;
  let dir = '';
  /** Resolved by the first request a child makes: the moment its poll really starts. */
  let onFirstRequest: (() => void) | null = null;
  let config = '';

  before(async () => {
    server = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      onFirstRequest?.();
      onFirstRequest = null;
      const send = (type: string, body: string): void => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      };
      if (url.pathname === '/rss.xml') return send('application/rss+xml', rssFeed(server.origin, gen));
      if (url.pathname === '/atom.xml') return send('application/atom+xml', atomFeed(server.origin, gen));
      if (url.pathname === '/feed.json') return send('application/feed+json', jsonFeed(gen));
      if (url.pathname.startsWith('/page/')) {
        // A short delay per page stretches each poll so kills land inside it, mid-transaction included.
        setTimeout(() => send('text/html; charset=utf-8', `<!doctype html><html><body><article><h1>${url.pathname}</h1><p>${PROSE.repeat(4)}</p><p>gen ${gen}</p></article></body></html>`), 15);
        return;
      }
      res.writeHead(404);
      res.end();
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'duofeed-crash-'));
    config = path.join(dir, 'feeds.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        $schema: path.join(REPO_ROOT, 'feeds.config.schema.json'),
        // Every second: `run` finds every source due at start and keeps polling, so a kill of
        // the service lands inside a poll as often as one of `poll-once`.
        schedule: '* * * * * *',
        http: { allowPrivateNetworks: true, timeoutMs: 10_000, maxConcurrentPages: 2 },
        sources: [
          { id: 'rss', url: `${server.origin}/rss.xml`, name: 'R', language: 'en' },
          { id: 'atom', url: `${server.origin}/atom.xml`, name: 'A', language: 'en' },
          { id: 'json', url: `${server.origin}/feed.json`, name: 'J', language: 'en', extract: { fetchPages: false } },
        ],
      }),
    );
  });

  after(async () => {
    await server?.close();
  });

  it('keeps an intact database: integrity ok, nothing lost, no duplicates, next poll ok', async () => {
    const seed = Number(process.env.DUOFEED_CRASH_SEED ?? (Date.now() % 2_147_483_647));
    process.stdout.write(`      crash seed ${seed} (replay with DUOFEED_CRASH_SEED=${seed})\n`);
    const random = prng(seed);
    const dataDir = path.join(dir, 'data');
    const dbFile = path.join(dataDir, 'duofeed.sqlite');

    // A poll's span runs from its first request to the process's exit; kills are spread over
    // the span of the last comparable poll, counted from the child's first request (Node start-up
    // time varies too much on a busy machine to count from the spawn).
    const timedPoll = async (): Promise<{ results: Awaited<ReturnType<typeof pollOnce>>; spanMs: number }> => {
      let started = 0;
      onFirstRequest = () => (started = performance.now());
      const results = await pollOnce(config, dataDir);
      return { results, spanMs: performance.now() - started };
    };
    gen = 1;
    const { results: first, spanMs } = await timedPoll();
    let pollMs = spanMs;
    const undisturbedMs = pollMs;
    let landedAfterCommit = 0;
    for (const r of first) assert.equal(r.status, 'ok', `${r.sourceId}: ${r.errorCode}`);
    let known = snapshot(dbFile);
    assert.equal(known.rows, served(gen));

    const log: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      gen++;
      const command = k % 2 === 0 ? 'poll-once' : 'run';
      const args = command === 'run' ? [CLI, 'run', '--config', config, '--data-dir', dataDir, '--port', '0'] : [CLI, 'poll-once', '--config', config, '--data-dir', dataDir];
      // Spread over the span of the last comparable poll (plus start-up slack for `run`).
      const delay = Math.round(random() * pollMs * 1.2);
      const started = new Promise<void>((resolve) => (onFirstRequest = resolve));
      const child = spawn(process.execPath, args, { env: cliEnv('silent'), stdio: 'ignore' });
      const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
      let how: string;
      try {
        // The guard only stops a hang (a child that never polls); it is not a timing assertion.
        const guard = new Promise<string>((resolve) => setTimeout(() => resolve('no request'), 30_000).unref());
        assert.notEqual(await Promise.race([started.then(() => 'started'), exited, guard]), 'no request', `${command} child made no request`);
        await new Promise((r) => setTimeout(r, delay));
      } finally {
        child.kill('SIGKILL');
        how = await exited;
      }

      const after = snapshot(dbFile);
      if (process.env.DUOFEED_CRASH_TRACE) process.stdout.write(`      kill #${k + 1} done (${how})\n`);
      log.push(`#${k + 1} ${command} gen ${gen} killed ${delay} ms into the poll (${how}): ${known.rows} → ${after.rows} rows`);
      assert.equal(after.integrity, 'ok', `integrity after kill #${k + 1}`);
      for (const key of known.keys) assert.ok(after.keys.has(key), `kill #${k + 1} lost ${key.replace('\u0000', '/')}`);
      assert.equal(after.keys.size, after.rows, `duplicates after kill #${k + 1}`);

      // Restart: the next poll completes for every source and stores everything served.
      if (after.rows > known.rows) landedAfterCommit++;
      const restart = await timedPoll();
      const results = restart.results;
      pollMs = restart.spanMs;
      for (const r of results) assert.equal(r.status, 'ok', `poll after kill #${k + 1}, ${r.sourceId}: ${r.errorCode} ${r.message}`);
      const healed = snapshot(dbFile);
      assert.equal(healed.integrity, 'ok');
      for (const key of after.keys) assert.ok(healed.keys.has(key), `poll after kill #${k + 1} lost ${key.replace('\u0000', '/')}`);
      assert.equal(healed.keys.size, healed.rows, `duplicates after restart #${k + 1}`);
      assert.equal(healed.rows, served(gen), `every served item stored after restart #${k + 1}`);
      known = healed;
    }
    process.stdout.write(`      first poll span ${Math.round(undisturbedMs)} ms; ${landedAfterCommit}/${KILLS} kills landed after at least one source had committed\n      ${log.join('\n      ')}\n`);
  });
});
