import assert from 'node:assert/strict';
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { extractArticle } from '../../src/extract/extract-article.js';
import type { ExtractRules } from '../../src/types.js';
import { corpus } from '../helpers/paths.js';
import { benchmarkPages, loadPage, recallPrecision, sniffCharset } from './benchmark.js';

const RULES: ExtractRules = { selector: null, remove: [], fetchPages: true };

/** Pages (id prefixes) that must each reach recall ≥ 0.8; the end-to-end test relies on such pages. */
const SPOT_CHECKS = [
  '04a6711c', '08f79376', '0d461229', '0ec95c72', '14cc2a0c', '1ace8c85', '1ee91d1f', '232a43fb',
  '291a8bf3', '39d5c43b', '3c6d3381', '3d8f3404', '57b4dafd', '5fa5679d', '785affa2', '7bb1ca90',
  '06e5123e', '92101975', '851498a2', '9cb8224b',
];

describe('extract: article-extraction-benchmark (181 real pages)', () => {
  const results = new Map<string, { recall: number; precision: number; status: string; method: string | null }>();

  before(function () {
    this.timeout(180_000);
    for (const page of benchmarkPages()) {
      const { html } = loadPage(page.id);
      const ex = extractArticle(html, { url: page.url, rules: RULES });
      results.set(page.id, { ...recallPrecision(page.articleBody, ex.text ?? ''), status: ex.status, method: ex.method });
    }
  });

  it('covers all 181 pages', () => {
    assert.equal(results.size, 181);
  });

  it('mean recall ≥ 0.9, ≥ 170 pages with recall ≥ 0.8, mean precision ≥ 0.85', () => {
    const all = [...results.values()];
    const meanRecall = all.reduce((s, r) => s + r.recall, 0) / all.length;
    const meanPrecision = all.reduce((s, r) => s + r.precision, 0) / all.length;
    const good = all.filter((r) => r.recall >= 0.8).length;
    process.stdout.write(
      `      benchmark: mean recall ${meanRecall.toFixed(4)}, mean precision ${meanPrecision.toFixed(4)}, ` +
        `${good}/${all.length} pages with recall ≥ 0.8, ${all.filter((r) => r.status === 'ok').length} ok\n`,
    );
    assert.ok(meanRecall >= 0.9, `mean recall ${meanRecall}`);
    assert.ok(good >= 170, `${good} pages with recall ≥ 0.8`);
    assert.ok(meanPrecision >= 0.85, `mean precision ${meanPrecision}`);
  });

  for (const prefix of SPOT_CHECKS) {
    it(`page ${prefix}… is extracted (generic) with recall ≥ 0.8`, () => {
      const id = [...results.keys()].find((k) => k.startsWith(prefix));
      assert.ok(id, `no page ${prefix}`);
      const r = results.get(id);
      assert.equal(r?.status, 'ok');
      assert.equal(r?.method, 'generic');
      assert.ok((r?.recall ?? 0) >= 0.8, `${prefix}: recall ${r?.recall}`);
    });
  }
});

describe('extract: GB2312 article page (misc-article-html/feeder-gb2312-qqyewu.html)', () => {
  it('decodes as gb18030 and extracts the Chinese body text', () => {
    const bytes = fs.readFileSync(corpus('extraction', 'misc-article-html', 'feeder-gb2312-qqyewu.html'));
    assert.equal(sniffCharset(bytes), 'gb18030');
    const html = iconv.decode(bytes, 'gb18030');
    const ex = extractArticle(html, { url: 'http://www.qqyewu.com/article/ds/2025/20250209201916.html', rules: RULES });
    assert.equal(ex.status, 'ok');
    assert.ok(ex.text?.includes('春光食品黄灯笼辣椒酱100g*2'), ex.text?.slice(0, 200));
    assert.ok(ex.text?.includes('现在每天推的东西都是不同的'));
    // Navigation labels are not article text.
    assert.ok(!ex.text?.includes('QQ教程'));
    assert.ok(!/&#x/.test(ex.contentHtml ?? ''));
  });
});
