import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import { MAX_INPUT_NESTING, MAX_NESTING, maxNestingDepth, sanitizeHtml } from '../../src/extract/sanitize.js';
import { extractArticle } from '../../src/extract/extract-article.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { MAX_TITLE_CHARS } from '../../src/parse/normalize.js';
import { detectLanguage } from '../../src/enrich/language/detect-language.js';

function depthOf(html: string): number {
  const $ = cheerio.load(html, null, false);
  let max = 0;
  $('*').each((_, el) => {
    max = Math.max(max, $(el).parents().length + 1);
  });
  return max;
}

describe('hostile: deep nesting and huge titles (found by an attacker run)', () => {
  it('maxNestingDepth counts open elements in one scan: void and self-closing tags do not nest, closes pop', () => {
    assert.equal(maxNestingDepth('<p>a<b>b</b><br><img src=x><i/></p>'), 2);
    assert.equal(maxNestingDepth('<div><div><div>x</div></div></div><div>y</div>'), 3);
    assert.equal(maxNestingDepth('<div><div><div>unclosed'), 3);
    assert.equal(maxNestingDepth('a < b and c > d, 1<2'), 0);
    assert.equal(maxNestingDepth('<a<a<a<a>'), 1);
  });

  it('sanitized HTML is never nested deeper than MAX_NESTING; its text stays', () => {
    const out = sanitizeHtml(`${'<div>'.repeat(300)}deep text${'</div>'.repeat(300)}<p>after</p>`);
    assert.ok(depthOf(out) <= MAX_NESTING, `depth ${depthOf(out)}`);
    assert.match(out, /deep text/);
    assert.match(out, /after/);
  });

  it('a body nested beyond MAX_INPUT_NESTING is kept as escaped text only (no stack overflow)', () => {
    for (const tag of ['div', 'b', 'span']) {
      const out = sanitizeHtml(`${`<${tag}>`.repeat(100_000)}hi <script>x</script> &amp; more`);
      assert.equal(out.includes('<'), false, tag);
      assert.match(out, /hi/);
    }
    assert.ok(MAX_INPUT_NESTING >= 1000);
  });

  it('an article page nested absurdly deep is refused with EXTRACT_TOO_DEEP (feed content kept)', () => {
    const page = `<html><body><article>${'<div>'.repeat(50_000)}${'<p>text '.repeat(50)}</article></body></html>`;
    const r = extractArticle(page, { url: 'https://news.example.com/a', rules: { selector: null, remove: [], fetchPages: true } });
    assert.deepEqual([r.status, r.reason], ['failed', 'EXTRACT_TOO_DEEP']);
  });

  it(`titles are capped at ${MAX_TITLE_CHARS} characters; language detection on a 100k-character title returns`, async () => {
    const title = 'T'.repeat(100_000);
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>c</title><link>https://a.example/</link><description>d</description><item><title>${title}</title><link>https://a.example/1</link></item><item><title>${'中'.repeat(5000)}</title><link>https://a.example/2</link></item></channel></rss>`;
    const feed = await parseFeed(xml, { feedUrl: 'https://a.example/feed', timezone: null, maxItems: 10 });
    for (const item of feed.items) {
      assert.ok([...item.title].length <= MAX_TITLE_CHARS, `${[...item.title].length}`);
      assert.ok(item.title.endsWith('…'));
    }
    assert.equal(detectLanguage({ title, text: '', declared: 'en' }).tag, 'en');
    assert.equal(detectLanguage({ title: 'a-'.repeat(50_000), text: 'x@y', declared: 'en' }).tag, 'en');
  });
});
