import * as cheerio from 'cheerio';
import sanitize from 'sanitize-html';

/**
 * Allowlist of the stored/republished article HTML: text structure, links, images (with
 * `<picture>`/`<source>` so responsive images survive, case 26), figures, tables, code, quotes,
 * lists and headings. Everything executable or page-level (script, style, iframe, object, form
 * controls, base, meta, link, svg) is dropped.
 */
const ALLOWED_TAGS = [
  'p', 'div', 'span', 'section', 'article', 'br', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'a', 'img', 'picture', 'source', 'figure', 'figcaption',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'pre', 'code', 'kbd', 'samp', 'var', 'blockquote', 'q', 'cite', 'abbr', 'time', 'mark', 'small',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup',
];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  // lang/dir keep mixed-script articles readable (case 29: `<p lang="zh">`).
  '*': ['lang', 'dir'],
  a: ['href', 'title'],
  img: ['src', 'srcset', 'alt', 'title', 'width', 'height'],
  source: ['srcset', 'type', 'media', 'sizes'],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  blockquote: ['cite'],
  q: ['cite'],
  time: ['datetime'],
  abbr: ['title'],
};

/** Deepest element nesting kept in sanitized HTML. */
export const MAX_NESTING = 64;
/** Input nested deeper than this is reduced to its text before sanitizing. */
export const MAX_INPUT_NESTING = 2000;

const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Deepest element nesting in an HTML string, by one linear scan of its tags (no parse: the point
 * is to be cheap on hostile input). Unclosed tags count as open to the end.
 * @param html HTML text
 * @returns the maximum depth reached
 */
export function maxNestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  let i = html.indexOf('<');
  while (i !== -1 && i < html.length - 1) {
    const closing = html[i + 1] === '/';
    const start = closing ? i + 2 : i + 1;
    let j = start;
    while (j < html.length && /[A-Za-z0-9-]/.test(html[j] as string)) j++;
    const end = html.indexOf('>', j);
    if (end === -1) break;
    if (j > start) {
      const name = html.slice(start, j).toLowerCase();
      if (closing) depth = Math.max(0, depth - 1);
      else if (!VOID_TAGS.has(name) && html[end - 1] !== '/') max = Math.max(max, ++depth);
    }
    i = html.indexOf('<', end + 1);
  }
  return max;
}

function tagsStripped(html: string): string {
  // Text only, without building a tree (linear: each scan stops at the next < or >).
  return html.replace(/<[^<>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}

function escapeText(text: string): string {
  return text.replace(/&(?![#a-zA-Z0-9]+;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const OPTIONS: sanitize.IOptions = {
  // Elements nested deeper than this are dropped (their text kept): a hostile body of 40,000
  // nested <div>s would otherwise cost the HTML parsers seconds and overflow the stack.
  nestingLimit: MAX_NESTING,
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: ['http', 'https', 'mailto'],
  // Images load without a click: no data:/blob:/mailto: sources, only web URLs.
  allowedSchemesByTag: { img: ['http', 'https'], source: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  // URLs are absolute by now (absolutize runs first); a leftover `//host` would follow the
  // reader's scheme, which is fine for http(s) pages.
  allowProtocolRelative: true,
  disallowedTagsMode: 'discard',
  // Contents of these are code or widget text, never article prose.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'iframe', 'object', 'svg', 'math', 'select', 'button', 'head'],
  parseStyleAttributes: false,
  enforceHtmlBoundary: false,
};

/**
 * Sanitizes HTML for storage and republishing (last step of extraction; the pipeline also runs
 * it over feed-supplied HTML). Allowlist-based (sanitize-html): keeps text structure, `a[href,title]`,
 * `img[src,srcset,alt,title,width,height]`, `picture`/`source[srcset,type,media,sizes]`,
 * figure/figcaption, tables, pre/code, blockquote, lists, h1–h6, inline emphasis; `lang`/`dir`
 * everywhere. Drops scripts, styles, event handlers, iframes, forms, base, meta and every other
 * attribute; link schemes limited to http/https/mailto (images: http/https only), so
 * `javascript:`/`data:`/`vbscript:` URLs disappear. Characters stay characters (UTF-8), only
 * `& < > "` are escaped (case 29); output is HTML5 serialization (void elements as `<img …>`).
 * @param html untrusted HTML fragment
 * @returns safe HTML fragment ('' for empty input). Never throws.
 */
export function sanitizeHtml(html: string): string {
  // sanitize-html's nestingLimit keeps the output shallow, but its own cost still grows faster
  // than linearly with nesting depth; a body nested absurdly deep is hostile or broken, and is
  // kept as its text only.
  const clean = maxNestingDepth(html) > MAX_INPUT_NESTING ? escapeText(tagsStripped(html)) : sanitize(html, OPTIONS);
  // Re-serialized with parse5 so void elements read `<img …>`/`<source …>` (sanitize-html writes
  // `<img … />` and `<source></source>`), keeping characters as characters.
  return cheerio.load(clean, null, false).html();
}
