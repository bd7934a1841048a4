import * as cheerio from 'cheerio';

/** Inline HTML elements whose presence marks an RSS title as HTML rather than text. */
const HTML_TAG = /<\/?(?:a|b|i|em|strong|span|br|p|code|sup|sub|small|big|u|s|strike|font|abbr|cite|q|mark|del|ins|img|div)(?:\s[^>]*)?\/?>/i;
const ENTITY_REF = /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/**
 * Collapses runs of whitespace to one space and trims.
 * @param s any text
 * @returns the collapsed text
 */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Plain text of an HTML fragment: tags dropped, entities decoded (WHATWG HTML parsing via cheerio),
 * whitespace collapsed. `<br>` and block boundaries become spaces so words do not run together.
 * @param html HTML fragment
 * @returns plain text
 */
export function htmlToText(html: string): string {
  const spaced = html.replace(/<(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/td|\/th)\b[^>]*>/gi, (tag) => `${tag} `);
  return collapseWhitespace(cheerio.load(spaced, null, false).text());
}

/**
 * Decodes HTML character references only, keeping any `<` as text (for titles that were
 * escaped twice, e.g. `AT&amp;amp;T`).
 * @param s text that may contain references
 * @returns decoded text
 */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return cheerio.load(s.replace(/</g, '&lt;'), null, false).text();
}

/**
 * Plain text of an RSS title, whose content model is undefined by RSS 2.0: treated as HTML only
 * when it holds real inline tags, otherwise as text with stray character references decoded — so
 * `Why </closing-tags> matter` survives (case 08) and `D&D` stays (case 05).
 * @param raw element text (XML-decoded)
 * @returns plain text, whitespace collapsed
 */
export function rssTitleToText(raw: string): string {
  if (HTML_TAG.test(raw)) return htmlToText(raw);
  if (ENTITY_REF.test(raw)) return collapseWhitespace(decodeEntities(raw));
  return collapseWhitespace(raw);
}

/**
 * Escapes plain text as HTML, paragraphs on blank lines and `<br>` on single newlines.
 * @param text plain text (JSON Feed `content_text`, Atom `type="text"` content)
 * @returns an HTML fragment
 */
export function textToHtml(text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraphs = esc
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return paragraphs.map((p) => `<p>${p.replace(/\r?\n/g, '<br>')}</p>`).join('\n');
}
