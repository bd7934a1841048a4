import assert from 'node:assert/strict';
import { extractArticle } from '../../src/extract/extract-article.js';
import { textLength } from '../../src/extract/text-stats.js';
import type { ExtractRules } from '../../src/types.js';

const URL = 'https://blog.example.com/2024/05/post/';
const PROSE = 'Readers came for this paragraph, which carries the article itself, with commas, clauses, and detail. ';

function rules(partial: Partial<ExtractRules> = {}): ExtractRules {
  return { selector: null, remove: [], fetchPages: true, ...partial };
}

/** A page where the generic scorer would prefer the long `.story` block over the short `.teaser`. */
const PAGE =
  '<html><head><title>t</title></head><body>' +
  `<div class="teaser"><p>${PROSE.repeat(3)}</p><div class="ad-box">Buy now</div></div>` +
  `<div class="story"><p>${PROSE.repeat(8)}</p><p>${PROSE.repeat(8)}</p></div>` +
  '</body></html>';

describe('extract: extractArticle routes and failures', () => {
  it('uses rules.selector first when it matches enough text (method "selector")', () => {
    const ex = extractArticle(PAGE, { url: URL, rules: rules({ selector: '.teaser', remove: ['.ad-box'] }) });
    assert.equal(ex.status, 'ok');
    assert.equal(ex.method, 'selector');
    assert.equal(ex.reason, null);
    assert.equal(ex.text, PROSE.repeat(3).trim());
    assert.ok(!ex.contentHtml?.includes('Buy now'), 'rules.remove applies before the selector');
  });

  it('without a selector the generic scorer picks the main block', () => {
    const ex = extractArticle(PAGE, { url: URL, rules: rules() });
    assert.equal(ex.method, 'generic');
    assert.ok(textLength(ex.text ?? '') >= PROSE.length * 16 - 5);
  });

  it('falls back to generic when the selector matches too little, nothing, or is invalid', () => {
    for (const selector of ['.teaser .ad-box', '.missing', 'div[[[']) {
      const ex = extractArticle(PAGE, { url: URL, rules: rules({ selector }) });
      assert.equal(ex.status, 'ok', selector);
      assert.equal(ex.method, 'generic', selector);
    }
  });

  it('multiple selector matches are joined in document order', () => {
    const ex = extractArticle(PAGE, { url: URL, rules: rules({ selector: '.teaser p, .story p' }) });
    assert.equal(ex.method, 'selector');
    assert.equal(ex.text?.split('\n').length, 3);
  });

  it('too little text → failed EXTRACT_TOO_LITTLE_TEXT (default 200, settable)', () => {
    const short = `<html><body><article><p>${'x'.repeat(150)} short.</p></article></body></html>`;
    const ex = extractArticle(short, { url: URL, rules: rules() });
    assert.deepEqual(ex, { status: 'failed', method: null, contentHtml: null, text: null, reason: 'EXTRACT_TOO_LITTLE_TEXT' });
    assert.equal(extractArticle(short, { url: URL, rules: rules(), minTextChars: 100 }).status, 'ok');
  });

  it('CJK characters count double toward minTextChars (a 120-character Chinese article passes 200)', () => {
    const zh = '人工智能模型在今年取得了显著进展，研究人员发布了新的开源模型。'.repeat(4);
    assert.equal(textLength(zh), zh.length * 2);
    assert.ok(zh.length < 200, "the raw length alone would fail the default threshold");
    const ex = extractArticle(`<html><body><article><p>${zh}</p></article></body></html>`, { url: URL, rules: rules() });
    assert.equal(ex.status, 'ok');
    assert.equal(textLength('a b\u00a0c'), 5);
    assert.equal(textLength('𠀀'), 2, 'astral ideograph is one character');
  });

  it('non-HTML input → failed EXTRACT_NOT_HTML', () => {
    for (const input of ['', '   ', '{"title":"json"}', '%PDF-1.7 binary', 'plain text without any tags at all', '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', 'GIF89a\x00\x01\x02']) {
      assert.equal(extractArticle(input, { url: URL, rules: rules() }).reason, 'EXTRACT_NOT_HTML', JSON.stringify(input));
    }
  });

  it('never throws on broken HTML or a bad URL', () => {
    const broken = `<html><body><div><p>${PROSE.repeat(5)}<table><tr><td><p>unclosed <b><i>${PROSE.repeat(3)}</div></table>`;
    const ex = extractArticle(broken, { url: URL, rules: rules() });
    assert.equal(ex.status, 'ok');
    const bad = extractArticle(`<html><body><article><p>${PROSE.repeat(4)}<a href="x">x</a></p></article></body></html>`, { url: 'not a url', rules: rules() });
    assert.equal(bad.status, 'ok');
  });

  it('drops nav, aside, header/footer outside the article, share bars, related links, cookie banners and hidden elements', () => {
    const page =
      '<html><body><header>SITEHEADER</header><nav>NAVLINKS</nav>' +
      '<div id="cookie-banner">COOKIES we use</div>' +
      `<article><header><h1>Kept title</h1></header><p>${PROSE.repeat(4)}</p>` +
      '<div class="share-buttons"><a href="/s">SHARE</a></div><div hidden>HIDDEN1</div><div aria-hidden="true">HIDDEN2</div>' +
      `<p style="display: none">HIDDEN3</p><p>${PROSE.repeat(3)}</p><footer>Article footer kept</footer></article>` +
      '<aside>ASIDE</aside><div class="related-posts"><a href="/1">RELATED one</a><a href="/2">RELATED two</a></div>' +
      '<form><input name="q">FORMTEXT</form><footer>SITEFOOTER</footer></body></html>';
    const ex = extractArticle(page, { url: URL, rules: rules() });
    assert.equal(ex.status, 'ok');
    for (const s of ['SITEHEADER', 'NAVLINKS', 'COOKIES', 'SHARE', 'HIDDEN1', 'HIDDEN2', 'HIDDEN3', 'ASIDE', 'RELATED', 'FORMTEXT', 'SITEFOOTER']) {
      assert.ok(!ex.text?.includes(s), s);
    }
    assert.ok(ex.text?.includes('Kept title'));
    assert.ok(ex.text?.includes('Article footer kept'));
  });

  it('keeps headings, lists, tables, figures with captions, blockquotes and code', () => {
    const page =
      `<html><body><div class="post-content"><p>${PROSE.repeat(4)}</p><h2>Sub heading</h2><ul><li>item one</li><li>item two</li></ul>` +
      '<table><tr><th>k</th></tr><tr><td>v</td></tr></table><figure><img src="/f.png" alt="f"><figcaption>Caption text</figcaption></figure>' +
      `<blockquote>Quoted words</blockquote><pre><code>const x = 1;</code></pre><p>${PROSE.repeat(3)}</p></div></body></html>`;
    const ex = extractArticle(page, { url: URL, rules: rules() });
    const body = ex.contentHtml ?? '';
    for (const s of ['<h2>Sub heading</h2>', '<li>item one</li>', '<th>k</th>', '<td>v</td>', '<img src="https://blog.example.com/f.png" alt="f">', '<figcaption>Caption text</figcaption>', '<blockquote>Quoted words</blockquote>', '<pre><code>const x = 1;</code></pre>']) {
      assert.ok(body.includes(s), `${s} in ${body}`);
    }
  });
});
