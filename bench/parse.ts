/**
 * bench/parse — feed parsing throughput (issue 6 point 5): MB/s of decode → parse → normalize
 * (`decodeBody(bytes, null, 'feed')` then `parseFeed(text, …)`, exactly the pipeline's calls
 * after fetching) over every feed in ../shared/corpus/feeds, beside
 *  - fast-xml-parser 5's raw parse of the same bytes (XML files; JSON files through JSON.parse):
 *    the ceiling, a tree with no feed semantics, no charset handling and no normalization;
 *  - Debian's python3-feedparser (6.x) on the same files: a Python subprocess reads every file,
 *    runs a warm-up pass, then times `feedparser.parse(bytes)` per round itself
 *    (time.perf_counter) and prints the seconds; feedparser also sniffs the charset, sanitizes
 *    HTML and resolves relative URLs, so it is the like-for-like comparison.
 * Each side: warm-up, then rounds; the median round is reported. Our rounds interleave with the
 * fast-xml-parser rounds; the Python rounds run after them (another process).
 * Feeds of 512 KiB or more go to a worker thread in the real pipeline (parse-in-worker.ts); here
 * every feed is parsed in-thread, so the figure is parsing work only, without the worker's cost.
 *
 *   npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/parse.js \
 *     [--rounds 5] [--warmup 2] [--wait-idle 0] [--out bench/results/parse.json | --out -]
 *
 * Goal: ≥ 10× feedparser's MB/s.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { decodeBody } from '../src/fetch/decode.js';
import { parseFeed } from '../src/parse/parse-feed.js';
import { DuofeedError } from '../src/errors.js';
import {
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

const GOAL = 10;
const NAME = 'parse';
/** Debian's interpreter: python3-feedparser installs into its dist-packages, not a pyenv. */
const PYTHON = '/usr/bin/python3';

interface FeedFile {
  rel: string;
  file: string;
  bytes: Buffer;
}

function listFeeds(dir: string): FeedFile[] {
  const out: FeedFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ rel: path.relative(dir, p), file: p, bytes: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

interface OursPass {
  ms: number;
  items: number;
  failures: Record<string, string>;
}

async function oursPass(feeds: readonly FeedFile[]): Promise<OursPass> {
  let items = 0;
  const failures: Record<string, string> = {};
  const t0 = performance.now();
  for (const f of feeds) {
    try {
      const text = decodeBody(f.bytes, null, 'feed').text;
      const feed = await parseFeed(text, { feedUrl: `https://bench.example/${f.rel}`, timezone: null, maxItems: 500 });
      items += feed.items.length;
    } catch (err) {
      failures[f.rel] = err instanceof DuofeedError ? err.code : String(err);
    }
  }
  return { ms: performance.now() - t0, items, failures };
}

const fxp = new XMLParser({ ignoreAttributes: false, processEntities: false });

function fxpPass(feeds: readonly FeedFile[]): { ms: number; failed: number } {
  let failed = 0;
  const t0 = performance.now();
  for (const f of feeds) {
    try {
      if (f.rel.endsWith('.json')) JSON.parse(f.bytes.toString('utf8'));
      else fxp.parse(f.bytes);
    } catch {
      failed++;
    }
  }
  return { ms: performance.now() - t0, failed };
}

const PY_SCRIPT = `
import json, sys, time
import feedparser
files = sys.argv[3:]
rounds, warmup = int(sys.argv[1]), int(sys.argv[2])
data = [open(f, 'rb').read() for f in files]
def one():
    n = 0
    bozo = 0
    t = time.perf_counter()
    for b in data:
        d = feedparser.parse(b)
        n += len(d.entries)
        bozo += 1 if d.bozo else 0
    return time.perf_counter() - t, n, bozo
for _ in range(warmup):
    one()
out = [one() for _ in range(rounds)]
print(json.dumps({"seconds": [o[0] for o in out], "entries": out[0][1], "bozo": out[0][2], "version": feedparser.__version__, "python": sys.version.split()[0]}))
`;

interface PyResult {
  seconds: number[];
  entries: number;
  bozo: number;
  version: string;
  python: string;
}

function feedparserRounds(files: string[], rounds: number, warmup: number): PyResult | { missing: string } {
  if (tryRun(PYTHON, ['-c', 'import feedparser']) === null) return { missing: missingTool(`${PYTHON} with feedparser`, 'python3-feedparser') };
  const out = execFileSync(PYTHON, ['-c', PY_SCRIPT, String(rounds), String(warmup), ...files], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() as string) as PyResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      'wait-idle': { type: 'string', default: '0' },
      out: { type: 'string', default: `bench/results/${NAME}.json` },
    },
    strict: true,
  });
  const rounds = Math.max(1, Number(values.rounds));
  const warmup = Math.max(0, Number(values.warmup));
  const root = repoRoot();
  const feeds = listFeeds(path.join(sharedDir(root), 'corpus', 'feeds'));
  const totalBytes = feeds.reduce((a, f) => a + f.bytes.length, 0);
  const mb = totalBytes / 1048576;
  progress(NAME, `${feeds.length} feeds, ${mb.toFixed(2)} MB; ${warmup} warm-up + ${rounds} rounds per side`);
  const idle = await waitForIdle(Number(values['wait-idle']));
  let machine = machineInfo(idle);

  for (let r = 0; r < warmup; r++) {
    await oursPass(feeds);
    fxpPass(feeds);
  }
  const ours: OursPass[] = [];
  const ceiling: Array<{ ms: number; failed: number }> = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(await oursPass(feeds));
    ceiling.push(fxpPass(feeds));
    progress(NAME, `round ${r + 1}: ours ${Math.round(ours[r]!.ms)} ms, fast-xml-parser ${Math.round(ceiling[r]!.ms)} ms`);
  }
  progress(NAME, 'python3-feedparser rounds');
  const py = feedparserRounds(feeds.map((f) => f.file), rounds, Math.min(warmup, 1));
  machine = finishMachine(machine);

  const oursMBs = mb / (median(ours.map((x) => x.ms)) / 1000);
  const fxpMBs = mb / (median(ceiling.map((x) => x.ms)) / 1000);
  const pyMBs = 'missing' in py ? null : mb / median(py.seconds);
  const rows = [
    higherRow('decode → parse → normalize, MB/s (55 corpus feeds)', 'MB/s', oursMBs, pyMBs, 'python3-feedparser', GOAL),
    higherRow('same, beside the raw-parse ceiling', 'MB/s', oursMBs, fxpMBs, 'fast-xml-parser raw parse', null),
    higherRow('feeds/s', 'feeds/s', feeds.length / (median(ours.map((x) => x.ms)) / 1000), 'missing' in py ? null : feeds.length / median(py.seconds), 'python3-feedparser', null),
  ];
  printTable(`duofeed feed parsing: ${feeds.length} feeds, ${mb.toFixed(2)} MB, median of ${rounds} rounds`, machine, rows);
  const failures = ours[0]!.failures;
  process.stdout.write(
    `items: ours ${ours[0]!.items}${'missing' in py ? '' : `, feedparser ${py.entries} entries (${py.bozo} feeds flagged bozo)`}; ` +
      `feeds we refused: ${Object.keys(failures).length ? JSON.stringify(failures) : 'none'}; fast-xml-parser failures ${ceiling[0]!.failed}\n`,
  );
  if ('missing' in py) process.stdout.write(`${py.missing}\n`);
  writeResult(root, values.out === '-' ? null : (values.out as string), {
    benchmark: 'bench/parse.ts (issue 6 point 5)',
    startedAt: new Date().toISOString(),
    machine,
    params: { feeds: feeds.length, megabytes: round2(mb), rounds, warmup, maxItems: 500 },
    rows,
    details: {
      roundMsOurs: ours.map((x) => round2(x.ms)),
      roundMsFastXmlParser: ceiling.map((x) => round2(x.ms)),
      feedparser: 'missing' in py ? py.missing : { ...py, seconds: py.seconds.map((s) => round2(s * 1000) / 1000) },
      itemsOurs: ours[0]!.items,
      refusedByUs: failures,
      fastXmlParserFailures: ceiling[0]!.failed,
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/${NAME} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
