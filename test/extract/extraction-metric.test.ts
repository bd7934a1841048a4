import assert from 'node:assert/strict';
import { aggregate, evaluate, pageCounts, seededRandom, shingles, tokenize } from '../../bench/lib/extraction-metric.js';
import { groundTruth, shippedOutput } from './benchmark.js';

describe('extraction metric (article-extraction-benchmark evaluate.py)', () => {
  it('tokenizes as Python \\w+: letters, digits, underscore; case kept; marks and punctuation split', () => {
    assert.deepEqual(tokenize('Héllo, wörld_1 — 3.14 GPT‿4'), ['Héllo', 'wörld_1', '3', '14', 'GPT', '4']);
    assert.deepEqual(tokenize('中文分词 テスト'), ['中文分词', 'テスト']);
    // U+093F DEVANAGARI VOWEL SIGN I is Mc: Python's \w does not match it.
    assert.deepEqual(tokenize('हिन्दी'), ['ह', 'न', 'द']);
    assert.deepEqual(tokenize('e\u0301'), ['e']);
  });

  it('makes 4-token shingles, one shorter shingle for 1–3 tokens, none for no tokens', () => {
    assert.deepEqual([...shingles('a b c d e').values()], [1, 1]);
    assert.equal(shingles('a b c d e').size, 2);
    assert.equal(shingles('a b').size, 1);
    assert.equal(shingles('  ,. ').size, 0);
    assert.deepEqual([...shingles('x y z w x y z w').values()].reduce((a, b) => a + b, 0), 5);
  });

  it('normalises TP/FP/FN per page to sum 1 and scores pages as evaluate.py does', () => {
    const c = pageCounts('a b c d e f', 'a b c d e f g h');
    // truth shingles 3, pred 5, common 3 → tp 3, fp 2, fn 0 over 5
    assert.deepEqual(c, { tp: 0.6, fp: 0.4, fn: 0 });
    assert.deepEqual(pageCounts('', ''), { tp: 0, fp: 0, fn: 0 });
    const r = aggregate([c, pageCounts('a b c d', '')]);
    // precision over pages that predicted something (1 page: 0.6), recall over both (1 and 0)
    assert.equal(r.precision, 0.6);
    assert.equal(r.recall, 0.5);
    assert.ok(Math.abs(r.f1 - (2 * 0.6 * 0.5) / 1.1) < 1e-12);
  });

  it('bootstrap is seeded: same seed, same interval', () => {
    const truth = new Map([['a', 'one two three four five'], ['b', 'six seven eight nine ten'], ['c', 'x y z w']]);
    const pred = new Map([['a', 'one two three four'], ['b', 'six seven eight nine ten eleven'], ['c', 'q']]);
    assert.deepEqual(evaluate(truth, pred, { seed: 7, bootstrap: 200 }), evaluate(truth, pred, { seed: 7, bootstrap: 200 }));
    const r = seededRandom(1);
    assert.notEqual(r(), r());
  });

  describe('validation on the benchmark', function () {
    this.timeout(120_000);
    const truth = groundTruth();

    it('ground truth scored against itself gives 1.0', () => {
      const e = evaluate(truth, truth, { bootstrap: 100 });
      assert.equal(e.pages, 181);
      assert.equal(e.f1.value, 1);
      assert.equal(e.precision.value, 1);
      assert.equal(e.recall.value, 1);
      assert.equal(e.accuracy, 1);
    });

    it('the shipped Readability.js output reproduces the published F1 0.947 (P 0.914, R 0.982) within ±0.005', () => {
      const e = evaluate(truth, shippedOutput('readability_js'), { bootstrap: 1000, seed: 20260601 });
      process.stdout.write(
        `      shipped readability_js: F1 ${e.f1.value.toFixed(4)} ± ${e.f1.std.toFixed(4)}, P ${e.precision.value.toFixed(4)}, ` +
          `R ${e.recall.value.toFixed(4)} (published 0.947 ± 0.005, 0.914, 0.982)\n`,
      );
      assert.ok(Math.abs(e.f1.value - 0.947) <= 0.005, `F1 ${e.f1.value}`);
      assert.ok(Math.abs(e.precision.value - 0.914) <= 0.005, `P ${e.precision.value}`);
      assert.ok(Math.abs(e.recall.value - 0.982) <= 0.005, `R ${e.recall.value}`);
      // The published "±" is the bootstrap standard deviation.
      assert.ok(Math.abs(e.f1.std - 0.005) <= 0.002, `std ${e.f1.std}`);
      assert.ok(e.f1.ci95[0] < e.f1.value && e.f1.value < e.f1.ci95[1]);
    });
  });
});
