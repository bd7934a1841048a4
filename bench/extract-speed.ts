/**
 * bench/extract-speed — article extraction speed (issue 6 point 4): pages/s of our cheerio
 * `extractArticle` beside Mozilla's Readability.js 0.6 on jsdom 29, on the same 181 pages of the
 * article-extraction benchmark, in the same process. Each round runs both on each page back to
 * back (the order alternating per page, so other jobs' load falls on both alike), after warm-up
 * rounds; the median round is reported.
 * jsdom's `new JSDOM(html, {url})` and `window.close()` are inside the timing: a reader using
 * Readability pays them. Pages are gunzipped and decoded (decodeBody, 'page') before timing,
 * once, for both sides alike.
 *
 *   npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/extract-speed.js \
 *     [--rounds 3] [--warmup 1] [--wait-idle 0] [--out bench/results/extract-speed.json | --out -]
 *
 * Goal: ≥ 5× Readability.js + jsdom.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { extractArticle } from '../src/extract/extract-article.js';
import { decodeBody } from '../src/fetch/decode.js';
import {
  finishMachine,
  higherRow,
  machineInfo,
  median,
  printTable,
  progress,
  repoRoot,
  round2,
  sharedDir,
  waitForIdle,
  writeResult,
} from './lib/bench-report.js';

const GOAL = 5;
const NAME = 'extract-speed';

interface Page {
  id: string;
  url: string;
  html: string;
  bytes: number;
}

function loadPages(shared: string): Page[] {
  const dir = path.join(shared, 'corpus', 'extraction', 'article-extraction-benchmark');
  const truth = JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<string, { url?: string }>;
  const files = readdirSync(path.join(dir, 'html')).filter((f) => f.endsWith('.html.gz')).sort();
  return files.map((f) => {
    const id = f.replace(/\.html\.gz$/, '');
    const bytes = gunzipSync(readFileSync(path.join(dir, 'html', f)));
    return { id, url: truth[id]?.url ?? `https://example.com/${id}`, html: decodeBody(bytes, null, 'page').text, bytes: bytes.length };
  });
}

const RULES = { selector: null, remove: [], fetchPages: true };

/** Our extractor on one page: true when it gave an article. */
function ourPage(p: Page): boolean {
  return extractArticle(p.html, { url: p.url, rules: RULES }).status === 'ok';
}

// jsdom reports CSS it cannot parse on its console: a silent console keeps the output clean and
// costs nothing a reader would not also switch off.
const virtualConsole = new VirtualConsole();

/** Readability.js + jsdom on one page: parse into a DOM, run Readability, close the window. */
function readabilityPage(p: Page): 'ok' | 'empty' | 'threw' {
  let dom: JSDOM | null = null;
  try {
    dom = new JSDOM(p.html, { url: p.url, virtualConsole });
    const article = new Readability(dom.window.document).parse();
    return article !== null && (article.textContent ?? '').trim() !== '' ? 'ok' : 'empty';
  } catch {
    // jsdom 29's CSS parser (css-tree) throws on some pages' styles; a reader would catch it and
    // show the page as is, so the page counts as done without an article.
    return 'threw';
  } finally {
    dom?.window.close();
  }
}

interface RoundResult {
  oursMs: number;
  theirsMs: number;
  oursOk: number;
  theirsOk: number;
  theirsThrew: number;
}

/**
 * One round: every page through both extractors, back to back, the order alternating per page,
 * so load from other jobs on a shared machine falls on both sides alike.
 */
function runRound(pages: readonly Page[], round: number): RoundResult {
  const r: RoundResult = { oursMs: 0, theirsMs: 0, oursOk: 0, theirsOk: 0, theirsThrew: 0 };
  const ours = (p: Page): void => {
    const t0 = performance.now();
    const ok = ourPage(p);
    r.oursMs += performance.now() - t0;
    if (ok) r.oursOk++;
  };
  const theirs = (p: Page): void => {
    const t0 = performance.now();
    const out = readabilityPage(p);
    r.theirsMs += performance.now() - t0;
    if (out === 'ok') r.theirsOk++;
    if (out === 'threw') r.theirsThrew++;
  };
  pages.forEach((p, i) => {
    if ((i + round) % 2 === 0) {
      ours(p);
      theirs(p);
    } else {
      theirs(p);
      ours(p);
    }
  });
  return r;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      'wait-idle': { type: 'string', default: '0' },
      out: { type: 'string', default: `bench/results/${NAME}.json` },
    },
    strict: true,
  });
  const rounds = Math.max(1, Number(values.rounds));
  const warmup = Math.max(0, Number(values.warmup));
  const root = repoRoot();
  const pages = loadPages(sharedDir(root));
  const totalBytes = pages.reduce((a, p) => a + p.bytes, 0);
  progress(NAME, `${pages.length} pages, ${(totalBytes / 1048576).toFixed(1)} MB of HTML; ${warmup} warm-up + ${rounds} measured rounds`);
  const idle = await waitForIdle(Number(values['wait-idle']));
  let machine = machineInfo(idle);

  for (let r = 0; r < warmup; r++) {
    runRound(pages, r);
    progress(NAME, `warm-up round ${r + 1} done`);
  }
  const results: RoundResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const res = runRound(pages, r);
    results.push(res);
    progress(NAME, `round ${r + 1}: ours ${Math.round(res.oursMs)} ms, Readability.js + jsdom ${Math.round(res.theirsMs)} ms`);
  }
  machine = finishMachine(machine);

  const pps = (ms: number): number => pages.length / (ms / 1000);
  const oursPps = median(results.map((x) => pps(x.oursMs)));
  const theirsPps = median(results.map((x) => pps(x.theirsMs)));
  const first = results[0]!;
  const mbps = (p: number): number => (p * totalBytes) / pages.length / 1048576;
  const rows = [
    higherRow('extraction, pages/s (181 benchmark pages)', 'pages/s', oursPps, theirsPps, 'Readability.js 0.6 + jsdom 29', GOAL),
    higherRow('extraction, MB of HTML/s', 'MB/s', mbps(oursPps), mbps(theirsPps), 'Readability.js 0.6 + jsdom 29', null),
    higherRow('mean ms per page (lower is better)', 'ms', 1000 / oursPps, 1000 / theirsPps, 'Readability.js 0.6 + jsdom 29', null),
  ];
  // The ms row is lower-is-better: its ratio is theirs/ours, like the others' ours/theirs.
  const msRow = rows[2]!;
  msRow.ratio = msRow.ours !== null && msRow.theirs !== null ? round2(msRow.theirs / msRow.ours) : null;

  printTable(`duofeed extraction speed: median of ${rounds} rounds after ${warmup} warm-up`, machine, rows);
  process.stdout.write(
    `pages with an article: ours ${first.oursOk}/${pages.length}, Readability.js ${first.theirsOk}/${pages.length} (${first.theirsThrew} threw inside jsdom); ` +
      `round ms ours [${results.map((x) => Math.round(x.oursMs)).join(', ')}], Readability.js [${results.map((x) => Math.round(x.theirsMs)).join(', ')}]\n`,
  );
  writeResult(root, values.out === '-' ? null : (values.out as string), {
    benchmark: 'bench/extract-speed.ts (issue 6 point 4)',
    startedAt: new Date().toISOString(),
    machine,
    params: { pages: pages.length, htmlMB: round2(totalBytes / 1048576), rounds, warmup },
    rows,
    details: {
      roundMsOurs: results.map((x) => round2(x.oursMs)),
      roundMsReadability: results.map((x) => round2(x.theirsMs)),
      pagesWithArticle: { ours: first.oursOk, readability: first.theirsOk },
      readabilityPagesThatThrew: first.theirsThrew,
      timing: 'per page, both sides back to back, order alternating per page; sums per round; median round',
      readabilitySetup: 'new JSDOM(html, {url, virtualConsole}) + new Readability(document).parse() + window.close(), all timed',
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/${NAME} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
