/**
 * Issue 4, point 2: every feed file of the peers' parser suites (../shared/corpus/parser-suites)
 * and of ../shared/corpus/feeds goes through the real decode → parse → normalize. No file may
 * crash, hang (> HANG_MS in one file) or leave an unhandled rejection; each must yield a feed or
 * a coded DuofeedError. Where a suite records expected values, our titles, links, dates and ids
 * are compared with them and the agreement per suite and field may not fall below
 * test/suites/baseline.json.
 *
 * DUOFEED_UPDATE_BASELINE=1 rewrites the baseline from this run; DUOFEED_SUITES_REPORT=FILE
 * writes every disagreement as JSON (for investigation).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../helpers/paths.js';
import { compareWithBaseline, count, evaluate, formatTally, type Disagreement, type Tally } from './agreement.js';
import { listCorpusFiles, type CorpusFile } from './corpus-files.js';
import { collectExpectations, type ExpectationSet } from './expectations.js';
import type { Outcome } from './outcome.js';
import { runAll } from './run-pool.js';

/** A file still running after this long counts as a hang (a guard, not a speed assertion). */
const HANG_MS = 10_000;
const BASELINE = path.join(REPO_ROOT, 'test', 'suites', 'baseline.json');

describe('peer parser suites: every corpus feed through decode → parse → normalize', function () {
  this.timeout(600_000);
  let files: CorpusFile[] = [];
  let run: CorpusFile[] = [];
  let outcomes: Outcome[] = [];
  let unhandled: string[] = [];
  let expectations: ExpectationSet;
  const tally: Tally = {};
  const disagreements: Disagreement[] = [];

  before(async () => {
    const t0 = performance.now();
    files = listCorpusFiles();
    run = files.filter((f) => f.skip === null);
    expectations = collectExpectations(files);
    const wantText = (rel: string): boolean => (expectations.byFile.get(rel) ?? []).some((c) => c.field === 'encoding');
    const result = await runAll(
      run.map((f, id) => ({ id, abs: f.abs, contentType: f.contentType, feedUrl: f.feedUrl, wantText: wantText(f.rel) })),
      { hangMs: HANG_MS },
    );
    outcomes = result.outcomes;
    unhandled = result.unhandled;
    run.forEach((f, i) => {
      for (const check of expectations.byFile.get(f.rel) ?? []) {
        const r = evaluate(check, outcomes[i]!, f.abs);
        count(tally, check.suite, check.field, r.agree);
        if (!r.agree) {
          const e = check.expected;
          disagreements.push({ suite: check.suite, field: check.field, file: f.rel, index: check.index, expected: JSON.stringify(e.value), got: r.got });
        }
      }
    });
    const slowest = run
      .map((f, i) => ({ rel: f.rel, ms: outcomes[i]!.ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((s) => `${s.rel} ${s.ms.toFixed(0)} ms`);
    console.log(`      ${run.length} files run in ${((performance.now() - t0) / 1000).toFixed(1)} s; slowest: ${slowest.join('; ')}`);
    if (process.env.DUOFEED_SUITES_REPORT) {
      fs.writeFileSync(process.env.DUOFEED_SUITES_REPORT, JSON.stringify({ tally, disagreements }, null, 1));
    }
  });

  it('skips only files that are not feeds by nature, and says how many and why', () => {
    const reasons = new Map<string, number>();
    for (const f of files) if (f.skip !== null) reasons.set(f.skip, (reasons.get(f.skip) ?? 0) + 1);
    console.log(`      ${files.length} files: ${run.length} run, ${files.length - run.length} skipped`);
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`        skipped ${n}: ${reason}`);
    const allowed = /^(expected output|HTML page|OPML|plain text|documentation)/;
    for (const f of files) if (f.skip !== null) assert.match(f.skip, allowed, f.rel);
    // Every suite contributes inputs, and the real feeds are never skipped.
    const suites = new Set(run.map((f) => f.suite));
    for (const s of ['feeds', 'kurtmckee-feedparser', 'mmcdole-gofeed', 'feed-rs', 'rbren-rss-parser', 'chardet', 'miniflux-v2']) {
      assert.ok(suites.has(s), `no file of ${s} was run`);
    }
    assert.deepEqual(files.filter((f) => f.suite === 'feeds' && f.skip !== null).map((f) => f.rel), []);
  });

  it('no crash, no hang, no unhandled rejection: each file yields a feed or a coded DuofeedError', () => {
    const bad = run
      .map((f, i) => ({ f, o: outcomes[i]! }))
      .filter(({ o }) => o === undefined || o.kind === 'crash' || o.kind === 'hang')
      .map(({ f, o }) => `${f.rel}: ${o?.kind ?? 'no outcome'} ${o && 'message' in o ? o.message.split('\n').slice(0, 3).join(' | ') : ''}`);
    const kinds = new Map<string, number>();
    for (const o of outcomes) {
      const k = o.kind === 'coded' ? `coded ${o.code}` : o.kind === 'feed' ? (o.items.length > 0 ? 'feed with items' : 'feed without items') : o.kind;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    console.log(`      outcomes: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    assert.deepEqual(unhandled, [], 'unhandled rejections');
    assert.deepEqual(bad, [], `${bad.length} file(s) crashed or hung`);
  });

  it('agrees with the peers’ expected values at least as often as test/suites/baseline.json records', () => {
    console.log('      agreement per suite and field:');
    for (const line of formatTally(tally)) console.log(`        ${line}`);
    for (const [suite, reasons] of expectations.unevaluated) {
      const total = [...reasons.values()].reduce((a, b) => a + b, 0);
      const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([r, n]) => `${r} ${n}`);
      console.log(`      ${suite}: ${total} expectation(s) not evaluated — ${top.join('; ')}`);
    }
    if (process.env.DUOFEED_UPDATE_BASELINE === '1') {
      fs.writeFileSync(BASELINE, `${JSON.stringify(tally, null, 2)}\n`);
      console.log(`      baseline written to ${BASELINE}`);
      return;
    }
    const baseline = JSON.parse(fs.readFileSync(BASELINE, 'utf8')) as Tally;
    const { regressions, improvements } = compareWithBaseline(tally, baseline);
    if (improvements.length > 0) {
      console.log('      NOTE: better than the baseline; update it with DUOFEED_UPDATE_BASELINE=1:');
      for (const line of improvements) console.log(`        ${line}`);
    }
    if (regressions.length > 0) {
      const sample = disagreements.slice(0, 15).map((d) => `${d.suite} ${d.field} ${d.file}#${d.index}: expected ${d.expected}, got ${d.got}`);
      assert.fail(`agreement regressed:\n${regressions.join('\n')}\nsome disagreements:\n${sample.join('\n')}`);
    }
  });
});
