import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/**
 * What counts as a text block of an article body — shared by the translator (one segment per
 * block) and the interleaved layout (pairs blocks by position), so both always agree.
 */

/** Leaf text blocks. */
export const TEXT_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'figcaption', 'blockquote', 'td', 'th', 'dt', 'dd', 'caption']);
/** Containers that are a block only when they hold loose text and no block inside. */
export const LOOSE_TEXT_CONTAINERS = new Set(['div', 'section', 'article']);
/** Any of these inside a candidate makes it a container, not a leaf. */
export const BLOCK_SELECTOR = [
  ...TEXT_BLOCKS,
  'div', 'section', 'article', 'ul', 'ol', 'dl', 'table', 'thead', 'tbody', 'tr', 'pre', 'figure', 'hr', 'header', 'footer', 'aside', 'nav', 'details', 'summary',
].join(', ');
/** Never translated: text inside these stays as it is. */
export const NEVER_TRANSLATED = 'pre, code, kbd, samp, script, style, svg, math, noscript, template, iframe, object';

const BLOCK_TAGS = new Set(BLOCK_SELECTOR.split(', '));
const RUN_ATTR = 'data-duofeed-run';
const LETTER = /\p{L}/u;

/**
 * Wraps each run of loose inline content (text and inline elements with at least one letter)
 * that sits beside block elements — or at the top level of the fragment, where feed content
 * often has bare text separated by `<br>` — in a `<p data-duofeed-run>`, so it is a text block
 * like a paragraph instead of being skipped.
 * @param $ a loaded fragment (changed in place)
 */
export function wrapLooseRuns($: CheerioAPI): void {
  const parents: Array<{ children: AnyNode[] }> = [$.root()[0] as unknown as { children: AnyNode[] }];
  $('*').each((_, n) => {
    const el = n as Element;
    const tag = el.tagName.toLowerCase();
    if (TEXT_BLOCKS.has(tag) || $(el).is(NEVER_TRANSLATED) || $(el).parents(NEVER_TRANSLATED).length > 0) return;
    if (el.children.some((c) => c.type === 'tag' && BLOCK_TAGS.has((c as Element).tagName.toLowerCase()))) parents.push(el);
  });
  for (const parent of parents) {
    let run: AnyNode[] = [];
    const flush = (): void => {
      const text = run.map((n) => $(n).text()).join('');
      if (run.length > 0 && LETTER.test(text)) $(run).wrapAll(`<p ${RUN_ATTR}=""></p>`);
      run = [];
    };
    for (const child of [...parent.children]) {
      const isBlock = child.type === 'tag' && (BLOCK_TAGS.has((child as Element).tagName.toLowerCase()) || $(child).is(NEVER_TRANSLATED));
      if (isBlock || child.type === 'comment' || child.type === 'directive') flush();
      else run.push(child);
    }
    flush();
  }
}

/**
 * Removes the wrappers of {@link wrapLooseRuns}: `unwrap` keeps only their contents (the
 * translated body keeps the original's shape); otherwise they stay as plain paragraphs.
 */
export function finishLooseRuns($: CheerioAPI, mode: 'unwrap' | 'keep-as-paragraphs'): void {
  $(`p[${RUN_ATTR}]`).each((_, el) => {
    if (mode === 'unwrap') $(el).replaceWith($(el).contents());
    else $(el).removeAttr(RUN_ATTR);
  });
}

/**
 * Leaf text blocks in document order: TEXT_BLOCKS, and div/section/article holding loose text,
 * without a block inside, not inside code/pre/media, with at least one letter.
 * @param $ a loaded fragment (after {@link wrapLooseRuns})
 */
export function leafTextBlocks($: CheerioAPI): Element[] {
  const out: Element[] = [];
  $('*').each((_, node) => {
    const el = node as Element;
    const tag = el.tagName.toLowerCase();
    const loose = LOOSE_TEXT_CONTAINERS.has(tag);
    if (!TEXT_BLOCKS.has(tag) && !loose) return;
    const $el = $(el);
    if ($el.find(BLOCK_SELECTOR).length > 0 || $el.parents(NEVER_TRANSLATED).length > 0) return;
    if (loose && !el.children.some((c) => c.type === 'text' && c.data.trim() !== '')) return;
    if (!LETTER.test($el.text())) return;
    out.push(el);
  });
  return out;
}
