import assert from 'node:assert/strict';
import fs from 'node:fs';
import { evaluate } from '../../bench/lib/extraction-metric.js';
import { extractArticle } from '../../src/extract/extract-article.js';
import type { ExtractRules } from '../../src/types.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { benchmarkPages, loadPage, sortedBenchmarkIds } from './benchmark.js';

const RULES: ExtractRules = { selector: null, remove: [], fetchPages: true };

interface Floor {
  floor: { f1: number; precision: number; recall: number };
  reached: { f1: number };
}

/**
 * Quality floor of the generic extractor on a fixed subset of the article-extraction-benchmark,
 * with the benchmark's own metric (bench/lib/extraction-metric.ts). The floor is the value
 * reached when it was committed minus a small margin (test/extract/f1-floor.json); the full
 * 181-page figure beside Readability.js is printed by bench/extract-quality.
 */
describe('extract: F1 floor on a fixed 30-page subset of the article-extraction-benchmark', function () {
  this.timeout(120_000);
  const committed = JSON.parse(fs.readFileSync(`${REPO_ROOT}/test/extract/f1-floor.json`, 'utf8')) as Floor;

  it('F1, precision and recall (shingle metric) stay above the committed floor', () => {
    const ids = sortedBenchmarkIds().slice(0, 30);
    const pages = new Map(benchmarkPages().map((p) => [p.id, p]));
    const truth = new Map<string, string>();
    const ours = new Map<string, string>();
    for (const id of ids) {
      const page = pages.get(id);
      assert.ok(page, id);
      truth.set(id, page.articleBody);
      const ex = extractArticle(loadPage(id).html, { url: page.url, rules: RULES });
      ours.set(id, ex.text ?? '');
    }
    const e = evaluate(truth, ours, { bootstrap: 200, seed: 1 });
    process.stdout.write(
      `      30-page subset: F1 ${e.f1.value.toFixed(4)} (floor ${committed.floor.f1}, reached ${committed.reached.f1}), ` +
        `P ${e.precision.value.toFixed(4)}, R ${e.recall.value.toFixed(4)}\n`,
    );
    assert.equal(ids.length, 30);
    assert.ok(e.f1.value >= committed.floor.f1, `F1 ${e.f1.value} < floor ${committed.floor.f1}`);
    assert.ok(e.precision.value >= committed.floor.precision, `precision ${e.precision.value} < floor ${committed.floor.precision}`);
    assert.ok(e.recall.value >= committed.floor.recall, `recall ${e.recall.value} < floor ${committed.floor.recall}`);
  });
});
