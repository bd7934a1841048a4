import assert from 'node:assert/strict';
import { extractArticle } from '../../src/extract/extract-article.js';
import type { ExtractRules } from '../../src/types.js';

const RULES: ExtractRules = { selector: null, remove: [], fetchPages: true };
const URL = 'https://news.example.com/2019/11/story';
const PROSE = '<p>The committee published its findings on Tuesday, and the report runs to several hundred pages of careful analysis. </p>';

function extract(head: string, body: string): string {
  const ex = extractArticle(`<html><head>${head}</head><body>${body}</body></html>`, { url: URL, rules: RULES });
  assert.equal(ex.status, 'ok');
  return ex.text ?? '';
}

describe('extract: article furniture leaves the generic result', () => {
  it('drops a headline repeating the page title, bylines, dates and captions by class, UI labels and credit lines', () => {
    const text = extract(
      '<title>Council approves the new budget | Example News</title><meta property="og:title" content="Council approves the new budget">',
      '<div class="story"><div class="story-head"><h1>Council approves the new budget</h1>' +
        '<div class="byline">By Jane Roe</div><time datetime="2019-11-19">Nov. 19, 2019</time></div>' +
        `<div class="story-body">${PROSE.repeat(3)}<figure><img src="/a.jpg" alt="a"><div class="caption">Council members vote on Monday.</div></figure>` +
        `<p>Advertisement</p><p>Photo: Jane Roe, AP</p>${PROSE.repeat(3)}<p>Updated at 1:23 p.m.</p></div></div>`,
    );
    for (const s of ['Council approves', 'Jane Roe', 'Nov. 19', 'Council members vote', 'Advertisement', 'Photo:', 'Updated at']) {
      assert.ok(!text.includes(s), `${s} in ${text}`);
    }
    assert.ok(text.includes('The committee published its findings'));
  });

  it('keeps a title heading written beside the post paragraphs, and headings that only share words with the title', () => {
    const text = extract(
      '<title>Council approves the new budget</title>',
      `<div class="post"><h1>Council approves the new budget</h1>${PROSE.repeat(3)}<h2>What the budget funds</h2>${PROSE.repeat(3)}</div>`,
    );
    assert.ok(text.startsWith('Council approves the new budget'), text);
    assert.ok(text.includes('What the budget funds'));
  });

  it('drops teaser cards of other articles and link-only lines of 4+ words, keeps short reference links', () => {
    const card = (n: number): string => `<article><a href="/other-${n}"><h3>Another story number ${n} worth a click</h3></a><p>Teaser text ${n}.</p></article>`;
    const text = extract(
      '<title>Story</title>',
      `<div><article class="main">${PROSE.repeat(5)}<p><a href="/read-more">READ MORE: Council budget fight heads to court</a></p>` +
        `<p><a href="https://source.example/report">full report</a></p>${PROSE.repeat(2)}</article><div>${card(1)}${card(2)}${card(3)}</div></div>`,
    );
    assert.ok(!text.includes('Another story'), text);
    assert.ok(!text.includes('READ MORE'), text);
    assert.ok(text.includes('full report'), text);
  });

  it('drops a hidden schema.org copy of the body even though it carries itemprop=articleBody', () => {
    const text = extract(
      '<title>Story</title>',
      `<article><div class="entry-content">${PROSE.repeat(5)}</div></article>` +
        '<div style="display:none" itemscope itemtype="http://schema.org/NewsArticle"><div itemprop="headline">HIDDEN HEADLINE COPY</div>' +
        `<div itemprop="articleBody">${PROSE.repeat(5)}</div></div>`,
    );
    assert.ok(!text.includes('HIDDEN HEADLINE COPY'), text);
    assert.equal(text.split('The committee published').length - 1, 5);
  });

  it('keeps an embedded post (blockquote in a social-media embed wrapper) as quoted content', () => {
    const text = extract(
      '<title>Story</title>',
      `<article><div class="entry-content">${PROSE.repeat(4)}<div class="social-media-embed"><blockquote class="twitter-tweet">` +
        '<p>Quoted words from the embedded post <a href="https://t.co/x">https://t.co/x</a></p>— Someone (@someone) <a href="https://twitter.com/someone/status/1">November 18, 2019</a></blockquote></div>' +
        `${PROSE.repeat(2)}</div></article>`,
    );
    assert.ok(text.includes('Quoted words from the embedded post'), text);
  });
});
