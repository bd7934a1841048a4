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

const OPTIONS: sanitize.IOptions = {
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
  const clean = sanitize(html, OPTIONS);
  // Re-serialized with parse5 so void elements read `<img …>`/`<source …>` (sanitize-html writes
  // `<img … />` and `<source></source>`), keeping characters as characters.
  return cheerio.load(clean, null, false).html();
}
