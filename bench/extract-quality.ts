/**
 * bench/extract-quality — article-body quality of our extractor beside Readability.js (issue 6,
 * points 1–3).
 *
 * 1. Validates the metric (bench/lib/extraction-metric.ts, the benchmark's evaluate.py): the
 *    ground truth against itself (must be 1.0) and the benchmark's shipped Readability.js output
 *    (`output/readability_js.json`, published F1 0.947).
 * 2. Runs our `extractArticle` (generic route: no site rules) and `@mozilla/readability` 0.6 on
 *    jsdom 29 over the same 181 benchmark pages in this process, and scores both.
 * 3. Text overlap on Mozilla's own test pages: each extractor's article HTML and `expected.html`
 *    turned into text by the same `htmlToText`, scored with the same metric.
 *
 * Run: `npm run build && npx tsc -p tsconfig.test.json && node .test-build/bench/extract-quality.js`
 * Prints a table; writes bench/results/extract-quality.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractArticle } from '../src/extract/extract-article.js';
import { htmlToText } from '../src/extract/html-to-text.js';
import type { ExtractRules } from '../src/types.js';
import { benchmarkPages, groundTruth, loadPage, mozillaTestPages, shippedOutput } from '../test/extract/benchmark.js';
import { REPO_ROOT } from '../test/helpers/paths.js';
import { evaluate, formatEstimate, type Evaluation } from './lib/extraction-metric.js';
import { readabilityExtract } from './lib/readability-baseline.js';

const RULES: ExtractRules = { selector: null, remove: [], fetchPages: true };
const BOOTSTRAP = 1000;
const SEED = 20260601;
/** Readability's own test harness loads every test page at this URL. */
const MOZILLA_URL = 'http://fakehost/test/page.html';

function row(name: string, e: Evaluation): string {
  return `  ${name.padEnd(26)} F1 ${formatEstimate(e.f1)}  P ${formatEstimate(e.precision)}  R ${formatEstimate(e.recall)}  acc ${e.accuracy.toFixed(3)}`;
}

function summary(e: Evaluation): Record<string, unknown> {
  return { pages: e.pages, f1: e.f1, precision: e.precision, recall: e.recall, accuracy: e.accuracy };
}

function main(): void {
  const truth = groundTruth();
  const opts = { bootstrap: BOOTSTRAP, seed: SEED };

  const self = evaluate(truth, truth, opts);
  const shipped = evaluate(truth, shippedOutput('readability_js'), opts);
  process.stdout.write(`metric validation (${truth.size} pages, ${BOOTSTRAP} bootstrap resamples, seed ${SEED}):\n`);
  process.stdout.write(`${row('ground truth vs itself', self)}\n`);
  process.stdout.write(`${row('shipped readability_js', shipped)}   (published: F1 0.947 ± 0.005, P 0.914, R 0.982)\n\n`);

  const ours = new Map<string, string>();
  const theirs = new Map<string, string>();
  let oursMs = 0;
  let theirsMs = 0;
  let oursFailed = 0;
  const theirsErrors: string[] = [];
  for (const page of benchmarkPages()) {
    const { html } = loadPage(page.id);
    let t0 = performance.now();
    const ex = extractArticle(html, { url: page.url, rules: RULES });
    oursMs += performance.now() - t0;
    if (ex.status !== 'ok') oursFailed++;
    ours.set(page.id, ex.text ?? '');
    t0 = performance.now();
    const r = readabilityExtract(html, page.url);
    theirsMs += performance.now() - t0;
    if (r.error) theirsErrors.push(`${page.id.slice(0, 8)}: ${r.error}`);
    theirs.set(page.id, r.text);
  }
  const oursEval = evaluate(truth, ours, opts);
  const theirsEval = evaluate(truth, theirs, opts);
  const ratio = oursEval.f1.value / theirsEval.f1.value;
  process.stdout.write(`same run, ${truth.size} benchmark pages:\n`);
  process.stdout.write(`${row('duofeed extractArticle', oursEval)}   (${oursFailed} pages failed)\n`);
  process.stdout.write(`${row('Readability.js 0.6+jsdom', theirsEval)}   (${theirsErrors.length} pages threw, scored as empty)\n`);
  for (const e of theirsErrors) process.stdout.write(`    threw: ${e}\n`);
  process.stdout.write(`  F1 ratio ours/Readability ${ratio.toFixed(3)}; goal F1 ≥ 0.965: ${oursEval.f1.value >= 0.965 ? 'met' : `missed by ${(0.965 - oursEval.f1.value).toFixed(3)}`}\n`);
  process.stdout.write(`  (single pass, not a speed figure: ours ${(oursMs / 1000).toFixed(1)} s, Readability+jsdom ${(theirsMs / 1000).toFixed(1)} s)\n\n`);

  const moz = mozillaTestPages();
  const mozTruth = new Map<string, string>();
  const mozOurs = new Map<string, string>();
  const mozTheirs = new Map<string, string>();
  for (const page of moz) {
    mozTruth.set(page.name, htmlToText(page.expected));
    const ex = extractArticle(page.source, { url: MOZILLA_URL, rules: RULES });
    mozOurs.set(page.name, ex.text ?? '');
    mozTheirs.set(page.name, htmlToText(readabilityExtract(page.source, MOZILLA_URL).html));
  }
  const mozOursEval = evaluate(mozTruth, mozOurs, opts);
  const mozTheirsEval = evaluate(mozTruth, mozTheirs, opts);
  process.stdout.write(`Mozilla Readability test pages (${moz.length}, text of expected.html, same metric):\n`);
  process.stdout.write(`${row('duofeed extractArticle', mozOursEval)}\n`);
  process.stdout.write(`${row('Readability.js 0.6+jsdom', mozTheirsEval)}\n`);

  const out = {
    generatedBy: 'bench/extract-quality.ts',
    machine: { cpus: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version },
    metric:
      'scrapinghub/article-extraction-benchmark evaluate.py: \\w+ tokens (Unicode, case kept), 4-token shingles, ' +
      'per-page TP/FP/FN normalised to sum 1, mean precision and mean recall over pages, F1 of the means; ' +
      `± = std over ${BOOTSTRAP} seeded bootstrap resamples (seed ${SEED}), ci95 = percentile interval`,
    validation: {
      groundTruthSelf: summary(self),
      shippedReadabilityJs: summary(shipped),
      publishedReadabilityJs: { f1: 0.947, f1Std: 0.005, precision: 0.914, recall: 0.982 },
    },
    benchmark: {
      pages: truth.size,
      ours: { ...summary(oursEval), failedPages: oursFailed },
      readabilityJs: { ...summary(theirsEval), threwOn: theirsErrors },
      f1Ratio: ratio,
      goalF1: 0.965,
    },
    mozillaTestPages: { pages: moz.length, ours: summary(mozOursEval), readabilityJs: summary(mozTheirsEval) },
  };
  const file = path.join(REPO_ROOT, 'bench', 'results', 'extract-quality.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path.relative(REPO_ROOT, file)}\n`);
}

main();
