import assert from 'node:assert/strict';
import { sanitizeHtml } from '../../src/extract/sanitize.js';
import { absolutizeHtml } from '../../src/parse/absolutize-html.js';
import { findSurvivors } from './inspect-html.js';
import { HTML_VECTORS } from './vectors.js';

describe('hostile: every filter-evasion vector through sanitizeHtml', () => {
  it(`has at least 50 vectors (${HTML_VECTORS.length}) with unique ids`, () => {
    assert.ok(HTML_VECTORS.length >= 50);
    assert.equal(new Set(HTML_VECTORS.map((v) => v.id)).size, HTML_VECTORS.length);
  });

  it('the inspector itself sees every vector before sanitizing (so a pass means something)', () => {
    // Vectors that are only text (double-escaped markup) or only dangerous for pre-HTML5 parsers
    // (split tag names, NUL in a scheme) are exempt; everything else must be reported dirty.
    const textOnly = new Set(['s-split-nested', 'u-js-nul', 's-double-escaped-text', 'k-cdata', 'k-pi', 'k-conditional', 'k-cdata-end', 'a-title-quote', 'a-alt-close-tag', 'a-backtick', 'a-href-quote-in-url', 'p-meta-utf7']);
    const blind = HTML_VECTORS.filter((v) => !textOnly.has(v.id) && findSurvivors(v.html).length === 0).map((v) => v.id);
    assert.deepEqual(blind, []);
  });

  for (const v of HTML_VECTORS) {
    it(`${v.cls}: ${v.id}`, () => {
      const alone = sanitizeHtml(v.html);
      assert.deepEqual(findSurvivors(alone), [], `${v.id} → ${alone}`);
      // As the pipeline runs it: absolutized against the item URL first, inside prose.
      const inContext = sanitizeHtml(absolutizeHtml(`<p>Lead text.</p>${v.html}<p>Tail text.</p>`, 'https://news.example/post/1'));
      assert.deepEqual(findSurvivors(inContext), [], `${v.id} in context → ${inContext}`);
      // Sanitizing is idempotent on its own output: a second pass finds nothing new to remove.
      assert.equal(sanitizeHtml(alone), alone, `${v.id} is not stable under a second pass`);
    });
  }
});
