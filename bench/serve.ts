/**
 * bench/serve — serving throughput (issue 6 point 6): `wrk` (Debian) against our `/feed.xml`
 * (50 bilingual items) and the same with `If-None-Match` (304s), beside `nginx-light` (Debian)
 * serving the very same bytes as a static file on loopback, in the same run.
 *
 * Setup: a data dir filled through `openSqliteStore().savePoll` with real corpus items (parsed
 * and sanitized as a poll does), each with keywords in en and zh and an accepted hand-made zh
 * translation (bench/lib/bilingual-items.ts); the real service `duofeed serve` is started on it
 * as a child process. Its /feed.xml is fetched once; those bytes go to nginx's root. nginx runs
 * with `worker_processes 1` by default (one process, like our one event loop; `--nginx-workers`
 * changes it), access log off, sendfile on. A bare node:http server answering the same bytes from
 * memory gives the Node.js ceiling (context rows). wrk sends no Accept-Encoding, so both answer
 * identity bodies. Rounds alternate ours/nginx; the median round is reported.
 *
 *   npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/serve.js \
 *     [--seconds 10] [--rounds 3] [--connections 32] [--threads 1] [--nginx-workers 1]
 *     [--items 100] [--cpu-prof] [--wait-idle 0] [--out bench/results/serve.json | --out -]
 *
 * Goals: ≥ 0.7× nginx's req/s on full responses, ≥ 0.9× on 304s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'undici';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { bilingualInput, corpusTemplates, okState } from './lib/bilingual-items.js';
import { summarizeProfile } from './lib/profile-summary.js';
import {
  findExecutable,
  finishMachine,
  higherRow,
  machineInfo,
  median,
  missingTool,
  printTable,
  progress,
  repoRoot,
  round2,
  sharedDir,
  tryRun,
  waitForIdle,
  writeResult,
} from './lib/bench-report.js';

const NAME = 'serve';
const GOAL_FULL = 0.7;
const GOAL_304 = 0.9;
const execFileP = promisify(execFile);

/** Fills `dataDir` with `items` bilingual items over 10 sources; returns the config sources. */
async function prepareData(root: string, dataDir: string, items: number): Promise<Array<Record<string, unknown>>> {
  const templates = await corpusTemplates(path.join(sharedDir(root), 'corpus', 'feeds'));
  const clock = { now: () => new Date('2025-06-01T00:00:00Z') };
  const store = openSqliteStore({ dataDir, clock });
  const sources: Array<Record<string, unknown>> = [];
  const perSource = Math.ceil(items / 10);
  let n = 0;
  for (let s = 0; s < 10; s++) {
    const id = `serve-${s}`;
    const feedUrl = `https://news.example/${id}/feed.xml`;
    sources.push({ id, url: feedUrl, name: `Serve source ${s}`, language: 'en' });
    const batch = [];
    for (let k = 0; k < perSource && n < items; k++, n++) batch.push(bilingualInput(id, templates[n % templates.length]!, k * 10 + s, Date.parse('2025-01-01T00:00:00Z')));
    await store.savePoll(id, batch, okState(id, feedUrl, clock.now().toISOString()));
  }
  await store.close();
  return sources;
}

/** Starts `duofeed serve` on port 0 and resolves with its port (from the pino listening line). */
async function startServe(root: string, configPath: string, dataDir: string, profDir: string | null): Promise<{ child: ChildProcess; port: number }> {
  const flags = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  const child = spawn(process.execPath, [...flags, 'dist/cli.js', 'serve', '--config', configPath, '--data-dir', dataDir, '--port', '0'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`duofeed serve did not listen within 30 s: ${stderr.slice(0, 2000)}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`duofeed serve exited (${String(code)}): ${stderr.slice(0, 2000)}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const rec = JSON.parse(line) as { port?: unknown };
        if (typeof rec.port === 'number') {
          clearTimeout(timer);
          resolve(rec.port);
        }
      } catch {
        // not a log line
      }
    });
  });
  return { child, port };
}

/** SIGTERM (the service closes and exits, writing a --cpu-prof profile), SIGKILL after 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

/**
 * A bare node:http server answering from memory with the same bytes, ETag and header set as
 * ours (and 304 on a matching If-None-Match): the ceiling any Node.js server can reach here,
 * which tells the runtime's share of the gap to nginx from duofeed's own.
 */
const BARE_NODE = `
const http = require('node:http');
const fs = require('node:fs');
const body = fs.readFileSync(process.argv[1]);
const etag = process.argv[2];
http.createServer((req, res) => {
  const h = { ETag: etag, 'Cache-Control': 'public, max-age=300', Vary: 'Accept-Encoding', 'Last-Modified': 'Sun, 01 Jun 2025 00:00:00 GMT' };
  if (req.headers['if-none-match'] === etag) { res.writeHead(304, h); res.end(); return; }
  res.writeHead(200, { ...h, 'Content-Type': 'application/rss+xml; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(body.length) });
  res.end(body);
}).listen(0, '127.0.0.1', function () { process.stdout.write(JSON.stringify({ port: this.address().port }) + '\\n'); });
`;

async function startBareNode(bodyFile: string, etag: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', BARE_NODE, bodyFile, etag], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare node server did not listen')), 10_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return { child, port };
}

/** A free loopback TCP port: bind port 0, read it, release it (nginx cannot take port 0). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts nginx in the foreground with a minimal config serving `www/` on 127.0.0.1:port. */
async function startNginx(nginx: string, dir: string, port: number, workers: number): Promise<ChildProcess> {
  const conf = [
    'daemon off;',
    'master_process on;',
    // As root, workers would switch to `nobody`, who cannot read a mkdtemp (0700) folder.
    process.getuid?.() === 0 ? 'user root;' : '',
    `worker_processes ${workers};`,
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    '  sendfile on; tcp_nopush on; tcp_nodelay on;',
    '  keepalive_requests 1000000;',
    `  client_body_temp_path ${path.join(dir, 'tmp')}; proxy_temp_path ${path.join(dir, 'tmp')}; fastcgi_temp_path ${path.join(dir, 'tmp')}; uwsgi_temp_path ${path.join(dir, 'tmp')}; scgi_temp_path ${path.join(dir, 'tmp')};`,
    '  types { application/rss+xml xml; }',
    `  server { listen 127.0.0.1:${port}; root ${path.join(dir, 'www')}; location / { } }`,
    '}',
  ].join('\n');
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(nginx, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await request(`http://127.0.0.1:${port}/feed.xml`);
      await res.body.arrayBuffer();
      if (res.statusCode === 200) return child;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      const log = existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not serve on port ${port}: ${stderr} ${log}`.slice(0, 2000));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface WrkRun {
  requestsPerSecond: number;
  latencyAvg: string;
  non2xx3xx: number;
  socketErrors: string | null;
}

async function runWrk(wrk: string, url: string, p: { seconds: number; connections: number; threads: number; script: string | null }): Promise<WrkRun> {
  const args = [`-t${p.threads}`, `-c${p.connections}`, `-d${p.seconds}s`, '--latency', ...(p.script ? ['-s', p.script] : []), url];
  const { stdout } = await execFileP(wrk, args, { maxBuffer: 1 << 20 });
  const rps = /Requests\/sec:\s*([\d.]+)/.exec(stdout);
  if (!rps) throw new Error(`cannot read wrk's output: ${stdout}`);
  return {
    requestsPerSecond: Number(rps[1]),
    latencyAvg: /Latency\s+(\S+)/.exec(stdout)?.[1] ?? '?',
    non2xx3xx: Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(stdout)?.[1] ?? 0),
    socketErrors: /Socket errors:[^\n]*/.exec(stdout)?.[0] ?? null,
  };
}

/** A wrk Lua script that sends If-None-Match with `etag` (and checks nothing else). */
function conditionalScript(file: string, etag: string): string {
  writeFileSync(file, `wrk.method = "GET"\nwrk.headers["If-None-Match"] = ${JSON.stringify(etag)}\n`);
  return file;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      threads: { type: 'string', default: '1' },
      'nginx-workers': { type: 'string', default: '1' },
      items: { type: 'string', default: '100' },
      'cpu-prof': { type: 'boolean', default: false },
      'wait-idle': { type: 'string', default: '0' },
      out: { type: 'string', default: `bench/results/${NAME}.json` },
    },
    strict: true,
  });
  const p = {
    seconds: Math.max(1, Number(values.seconds)),
    rounds: Math.max(1, Number(values.rounds)),
    connections: Math.max(1, Number(values.connections)),
    threads: Math.max(1, Number(values.threads)),
    nginxWorkers: Math.max(1, Number(values['nginx-workers'])),
    items: Math.max(50, Number(values.items)),
  };
  const root = repoRoot();
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const wrk = findExecutable('wrk');
  if (wrk === null) {
    process.stdout.write(`${missingTool('wrk', 'wrk')}; bench/serve needs wrk and cannot run\n`);
    process.exitCode = 3;
    return;
  }
  const nginx = findExecutable('nginx', ['/usr/sbin', '/usr/local/sbin']);
  if (nginx === null) process.stdout.write(`${missingTool('nginx', 'nginx-light')}\n`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'duofeed-serve-bench-'));
  let ours: ChildProcess | null = null;
  let ng: ChildProcess | null = null;
  let bare: ChildProcess | null = null;
  try {
    const dataDir = path.join(tmp, 'data');
    progress(NAME, `storing ${p.items} bilingual items`);
    const sources = await prepareData(root, dataDir, p.items);
    const configPath = path.join(tmp, 'feeds.config.json');
    writeFileSync(configPath, JSON.stringify({ output: { title: 'duofeed serve bench', baseUrl: 'http://127.0.0.1' }, sources }));
    const profDir = values['cpu-prof'] === true ? mkdtempSync(path.join(os.tmpdir(), 'duofeed-serve-prof-')) : null;
    const started = await startServe(root, configPath, dataDir, profDir);
    ours = started.child;
    const ourUrl = `http://127.0.0.1:${started.port}/feed.xml`;
    const res = await request(ourUrl);
    const body = Buffer.from(await res.body.arrayBuffer());
    const ourEtag = String(res.headers.etag);
    if (res.statusCode !== 200) throw new Error(`our /feed.xml answered ${res.statusCode}`);
    const itemsInFeed = (body.toString('utf8').match(/<item>/g) ?? []).length;
    const zhVersions = (body.toString('utf8').match(/lang="zh"/g) ?? []).length;
    progress(NAME, `our /feed.xml: ${body.length} bytes, ${itemsInFeed} items, ${zhVersions} zh versions, ETag ${ourEtag}`);

    let nginxUrl: string | null = null;
    let nginxEtag: string | null = null;
    if (nginx !== null) {
      mkdirSync(path.join(tmp, 'nginx', 'www'), { recursive: true });
      writeFileSync(path.join(tmp, 'nginx', 'www', 'feed.xml'), body);
      const port = await freePort();
      ng = await startNginx(nginx, path.join(tmp, 'nginx'), port, p.nginxWorkers);
      nginxUrl = `http://127.0.0.1:${port}/feed.xml`;
      const r2 = await request(nginxUrl);
      const b2 = Buffer.from(await r2.body.arrayBuffer());
      if (!b2.equals(body)) throw new Error('nginx does not serve the same bytes');
      nginxEtag = String(r2.headers.etag);
      const r3 = await request(nginxUrl, { headers: { 'if-none-match': nginxEtag } });
      await r3.body.arrayBuffer();
      if (r3.statusCode !== 304) throw new Error(`nginx answered ${r3.statusCode} to If-None-Match`);
    }
    const r4 = await request(ourUrl, { headers: { 'if-none-match': ourEtag } });
    await r4.body.arrayBuffer();
    if (r4.statusCode !== 304) throw new Error(`our /feed.xml answered ${r4.statusCode} to If-None-Match`);

    writeFileSync(path.join(tmp, 'feed.xml'), body);
    const bareStarted = await startBareNode(path.join(tmp, 'feed.xml'), ourEtag);
    bare = bareStarted.child;
    const bareUrl = `http://127.0.0.1:${bareStarted.port}/feed.xml`;
    const ourScript = conditionalScript(path.join(tmp, 'ours-304.lua'), ourEtag);
    const nginxScript = nginxEtag ? conditionalScript(path.join(tmp, 'nginx-304.lua'), nginxEtag) : null;
    const idle = await waitForIdle(Number(values['wait-idle']));
    let machine = machineInfo(idle);
    const wp = { seconds: p.seconds, connections: p.connections, threads: p.threads };
    // Warm-up: JIT, the first build and nginx's open-file state.
    await runWrk(wrk, ourUrl, { ...wp, seconds: 2, script: null });
    if (nginxUrl) await runWrk(wrk, nginxUrl, { ...wp, seconds: 2, script: null });
    const runs = { ours200: [] as WrkRun[], nginx200: [] as WrkRun[], ours304: [] as WrkRun[], nginx304: [] as WrkRun[], bare200: [] as WrkRun[], bare304: [] as WrkRun[] };
    for (let r = 0; r < p.rounds; r++) {
      runs.ours200.push(await runWrk(wrk, ourUrl, { ...wp, script: null }));
      if (nginxUrl) runs.nginx200.push(await runWrk(wrk, nginxUrl, { ...wp, script: null }));
      runs.ours304.push(await runWrk(wrk, ourUrl, { ...wp, script: ourScript }));
      if (nginxUrl && nginxScript) runs.nginx304.push(await runWrk(wrk, nginxUrl, { ...wp, script: nginxScript }));
      runs.bare200.push(await runWrk(wrk, bareUrl, { ...wp, script: null }));
      runs.bare304.push(await runWrk(wrk, bareUrl, { ...wp, script: ourScript }));
      const last = (xs: WrkRun[]): string => (xs.length ? String(Math.round(xs[xs.length - 1]!.requestsPerSecond)) : '—');
      progress(NAME, `round ${r + 1}: 200 ours ${last(runs.ours200)} / nginx ${last(runs.nginx200)} req/s; 304 ours ${last(runs.ours304)} / nginx ${last(runs.nginx304)} req/s`);
    }
    machine = finishMachine(machine);
    if (profDir) {
      await stopChild(ours);
      ours = null;
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        const prof = summarizeProfile(path.join(profDir, file), 25);
        process.stdout.write(`CPU profile of duofeed serve (${prof.totalMs} ms sampled): ${path.join(profDir, file)}\n`);
        for (const f of prof.functions.slice(0, 25)) process.stdout.write(`  ${String(f.ms).padStart(9)} ms  ${f.name}\n`);
      }
    }
    const med = (xs: WrkRun[]): number | null => (xs.length ? median(xs.map((x) => x.requestsPerSecond)) : null);
    const label = `nginx-light ${p.nginxWorkers} worker${p.nginxWorkers > 1 ? 's' : ''}, same bytes`;
    const rows = [
      higherRow(`GET /feed.xml 200 (${Math.round(body.length / 1024)} KB, 50 bilingual items)`, 'req/s', med(runs.ours200), med(runs.nginx200), label, GOAL_FULL),
      higherRow('GET /feed.xml If-None-Match → 304', 'req/s', med(runs.ours304), med(runs.nginx304), label, GOAL_304),
      higherRow('context: bare node:http, same bytes from memory, 200', 'req/s', med(runs.bare200), med(runs.nginx200), label, null),
      higherRow('context: bare node:http, 304', 'req/s', med(runs.bare304), med(runs.nginx304), label, null),
      higherRow('context: duofeed vs bare node:http, 200', 'req/s', med(runs.ours200), med(runs.bare200), 'bare node:http', null),
      higherRow('context: duofeed vs bare node:http, 304', 'req/s', med(runs.ours304), med(runs.bare304), 'bare node:http', null),
    ];
    printTable(`duofeed serving: wrk -t${p.threads} -c${p.connections} -d${p.seconds}s, median of ${p.rounds} rounds`, machine, rows);
    const errs = [...runs.ours200, ...runs.ours304, ...runs.nginx200, ...runs.nginx304].filter((x) => x.non2xx3xx > 0 || x.socketErrors);
    if (errs.length) process.stdout.write(`wrk reported errors: ${JSON.stringify(errs)}\n`);
    writeResult(root, values.out === '-' ? null : (values.out as string), {
      benchmark: 'bench/serve.ts (issue 6 point 6)',
      startedAt: new Date().toISOString(),
      machine,
      params: { ...p, wrk: tryRun(wrk, ['-v'])?.split('\n')[0] ?? 'wrk', nginx: nginx ? (tryRun(nginx, ['-v']) ?? 'nginx') : null, bodyBytes: body.length, itemsInFeed, zhVersions },
      rows,
      details: { runs, ourEtag, nginxEtag, nginxMissing: nginx === null ? missingTool('nginx', 'nginx-light') : null },
    });
  } finally {
    ng?.kill('SIGQUIT');
    bare?.kill('SIGKILL');
    if (ours) await stopChild(ours);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/${NAME} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
