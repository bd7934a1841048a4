import assert from 'node:assert/strict';
import { sanitizeHtml } from '../../src/extract/sanitize.js';

/** [name, dirty input, substrings the output must not contain (lower-cased), substring it must keep]. */
const VECTORS: Array<[string, string, string[], string]> = [
  ['script element', '<p>ok</p><script>alert(1)</script>', ['<script', 'alert'], '<p>ok</p>'],
  ['onerror handler', '<img src="https://x.example/a.png" onerror="alert(1)" alt="a">', ['onerror', 'alert'], '<img src="https://x.example/a.png" alt="a">'],
  ['onclick on a link', '<a href="https://x.example/" onclick="steal()">go</a>', ['onclick', 'steal'], '<a href="https://x.example/">go</a>'],
  ['javascript: href', '<a href="javascript:alert(1)">x</a>', ['javascript', 'href'], '<a>x</a>'],
  ['obfuscated javascript: href', '<a href="  JaVa&#x09;ScRiPt:alert(1)">x</a>', ['javascript', 'script:', 'href'], '<a>x</a>'],
  ['vbscript: href', '<a href="vbscript:msgbox(1)">x</a>', ['vbscript', 'href'], '<a>x</a>'],
  ['data: image src', '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="d">', ['data:', 'src='], '<img alt="d">'],
  ['data: text/html link', '<a href="data:text/html,<script>alert(1)</script>">x</a>', ['data:', '<script'], '<a>x</a>'],
  ['iframe', '<p>t</p><iframe src="https://evil.example/"></iframe>', ['<iframe', 'evil'], '<p>t</p>'],
  ['form and inputs', '<form action="https://evil.example/"><input name="pw"><button>Send</button></form><p>t</p>', ['<form', '<input', '<button', 'evil', 'send'], '<p>t</p>'],
  ['base element', '<base href="https://evil.example/"><p>t</p>', ['<base', 'evil'], '<p>t</p>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example/"><p>t</p>', ['<meta', 'refresh', 'evil'], '<p>t</p>'],
  ['style element and attribute', '<style>body{display:none}</style><p style="position:fixed">t</p>', ['<style', 'display', 'position'], '<p>t</p>'],
  ['svg with onload', '<svg onload="alert(1)"><circle r="1"/></svg><p>t</p>', ['<svg', 'onload', 'alert'], '<p>t</p>'],
  ['object/embed', '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y.swf"><p>t</p>', ['<object', '<embed', 'evil'], '<p>t</p>'],
  ['srcset with javascript candidate', '<img src="https://x.example/a.png" srcset="javascript:alert(1) 1x, https://x.example/b.png 2x" alt="s">', ['javascript'], 'https://x.example/b.png 2x'],
  ['link element', '<link rel="stylesheet" href="https://evil.example/x.css"><p>t</p>', ['<link', 'evil'], '<p>t</p>'],
];

describe('extract: sanitizeHtml', () => {
  for (const [name, dirty, banned, kept] of VECTORS) {
    it(`drops ${name}`, () => {
      const clean = sanitizeHtml(dirty);
      for (const b of banned) assert.ok(!clean.toLowerCase().includes(b), `${name}: "${b}" in ${clean}`);
      assert.ok(clean.includes(kept), `${name}: "${kept}" missing in ${clean}`);
    });
  }

  it('keeps the allowed structure, attributes and mailto links', () => {
    const html =
      '<h2 class="x" id="y">T</h2><figure><img src="https://x.example/a.png" srcset="https://x.example/a.png 1x" alt="a" title="t" width="10" height="20" loading="lazy"><figcaption>c</figcaption></figure>' +
      '<table><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>' +
      '<pre><code>x &lt; y</code></pre><blockquote>q</blockquote><ul><li><em>e</em><strong>s</strong><sub>1</sub><sup>2</sup></li></ul><hr>' +
      '<a href="mailto:a@example.org" target="_blank" rel="nofollow">m</a>';
    assert.equal(
      sanitizeHtml(html),
      '<h2>T</h2><figure><img src="https://x.example/a.png" srcset="https://x.example/a.png 1x" alt="a" title="t" width="10" height="20"><figcaption>c</figcaption></figure>' +
        '<table><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>' +
        '<pre><code>x &lt; y</code></pre><blockquote>q</blockquote><ul><li><em>e</em><strong>s</strong><sub>1</sub><sup>2</sup></li></ul><hr>' +
        '<a href="mailto:a@example.org">m</a>',
    );
  });

  it('keeps non-ASCII as characters (case 29)', () => {
    assert.equal(sanitizeHtml('<p title="ёлка">Привет &amp; 你好</p>'), '<p>Привет &amp; 你好</p>');
  });
});
