import assert from 'node:assert/strict';
import { interleaveBlocks } from '../../src/publish/interleave-blocks.js';

describe('publish/interleaveBlocks', () => {
  it('pairs paragraphs and headings after, table cells and captions inside; an image-only paragraph appears once', () => {
    const en =
      '<h3>Mixtral 8x7B</h3><p>Mixtral is a sparse mixture of 8 experts of 7B.</p><p><img src="https://img.example/m.png" alt=""></p>' +
      '<figure><img src="https://img.example/c.png"><figcaption>Benchmark results</figcaption></figure><table><tr><td>Model</td><td>MMLU 70.6%</td></tr></table>';
    const zh =
      '<h3>Mixtral 8x7B 模型</h3><p>Mixtral 是由 8 个 7B 专家组成的稀疏混合模型。</p><p><img src="https://img.example/m.png" alt=""></p>' +
      '<figure><img src="https://img.example/c.png"><figcaption>基准测试结果</figcaption></figure><table><tr><td>模型</td><td>MMLU 70.6%</td></tr></table>';
    const r = interleaveBlocks(zh, [{ lang: 'en', html: en }]);
    assert.ok(r.ok);
    assert.equal(
      r.html,
      '<h3>Mixtral 8x7B 模型</h3><h3 lang="en" class="duofeed-alt">Mixtral 8x7B</h3>' +
        '<p>Mixtral 是由 8 个 7B 专家组成的稀疏混合模型。</p><p lang="en" class="duofeed-alt">Mixtral is a sparse mixture of 8 experts of 7B.</p>' +
        '<p><img src="https://img.example/m.png" alt=""></p>' +
        '<figure><img src="https://img.example/c.png"><figcaption>基准测试结果<br><span lang="en" class="duofeed-alt">Benchmark results</span></figcaption></figure>' +
        '<table><tbody><tr><td>模型<br><span lang="en" class="duofeed-alt">Model</span></td><td>MMLU 70.6%</td></tr></tbody></table>',
    );
  });

  it('refuses (for the stacked fallback) different block counts, a different block at a position, and text outside the blocks', () => {
    assert.deepEqual(interleaveBlocks('<p>一</p><p>二</p>', [{ lang: 'en', html: '<p>One</p>' }]), { ok: false, reason: '2 text blocks in the primary version, 1 in en' });
    assert.deepEqual(interleaveBlocks('<p>一</p><h2>二</h2>', [{ lang: 'en', html: '<p>One</p><p>Two</p>' }]), { ok: false, reason: 'block 2 is <h2> in the primary version, <p> in en' });
    // Loose text beside blocks is a block of its own (as the translator sees it): one side
    // having it and the other not is a different block count, so not paired.
    assert.deepEqual(interleaveBlocks('<p>一</p>', [{ lang: 'en', html: 'Intro text<p>One</p>' }]), { ok: false, reason: '1 text blocks in the primary version, 2 in en' });
    // Text outside the blocks that differs (an image alt cannot differ; a non-letter residue can)
    assert.deepEqual(interleaveBlocks('<p>一</p><figure><img src="a.png"></figure>1', [{ lang: 'en', html: '<p>One</p><figure><img src="a.png"></figure>2' }]), { ok: false, reason: 'the text outside the blocks differs in en' });
    // Identical residue (an untranslated code block) is fine.
    const r = interleaveBlocks('<p>一</p><pre><code>x = 1</code></pre>', [{ lang: 'en', html: '<p>One</p><pre><code>x = 1</code></pre>' }]);
    assert.deepEqual(r, { ok: true, html: '<p>一</p><p lang="en" class="duofeed-alt">One</p><pre><code>x = 1</code></pre>' });
  });

  it('pairs loose feed text (bare text between <br>s) as paragraphs, as the translator translated it', () => {
    const r = interleaveBlocks('[zh] <img src="b.jpg"><br><br>正文。<p>段落。</p>', [{ lang: 'en', html: '<img src="b.jpg"><br><br>Body text.<p>Paragraph.</p>' }]);
    assert.deepEqual(r, {
      ok: true,
      html: '<p>[zh] <img src="b.jpg"><br><br>正文。</p><p lang="en" class="duofeed-alt"><img src="b.jpg"><br><br>Body text.</p><p>段落。</p><p lang="en" class="duofeed-alt">Paragraph.</p>',
    });
  });

  it('pairs list paragraphs (li holding p) by the inner p, and loose-text divs like the translator does', () => {
    const r = interleaveBlocks('<ul><li><p>第一</p></li></ul><div>松散文本</div>', [{ lang: 'en', html: '<ul><li><p>First</p></li></ul><div>Loose text</div>' }]);
    assert.deepEqual(r, {
      ok: true,
      html: '<ul><li><p>第一</p><p lang="en" class="duofeed-alt">First</p></li></ul><div>松散文本</div><div lang="en" class="duofeed-alt">Loose text</div>',
    });
  });
});
