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
  // ASCII whitespace only: a no-break space in a title is the author's (case 07).
  return s.replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * Plain text of an HTML fragment: tags dropped (with the contents of script, style and template),
 * entities decoded (WHATWG HTML parsing via cheerio), whitespace collapsed. `<br>` and block boundaries become spaces so words do not run together.
 * @param html HTML fragment
 * @returns plain text
 */
export function htmlToText(html: string): string {
  const spaced = html.replace(/<(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/td|\/th)\b[^>]*>/gi, (tag) => `${tag} `);
  const $ = cheerio.load(spaced, null, false);
  // Script and style bodies are code, never words of the title or summary (feedparser's
  // sanitize cases: `safe<script>location.href=…</script> description`).
  $('script, style, template').remove();
  return collapseWhitespace($.root().text());
}

/**
 * Decodes complete HTML character references only (`&name;`, `&#NN;`, `&#xHH;`), keeping any `<`
 * as text and never legacy prefixes (`&notaname;` stays), for titles escaped twice
 * (`AT&amp;amp;T`).
 * @param s text that may contain references
 * @returns decoded text
 */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[xX][0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return decodeNamedEntity(ref) ?? whole;
  });
}

const entityCache = new Map<string, string | null>();

/**
 * Text of an HTML5 named character reference (WHATWG table, through cheerio's parser).
 * @param name reference name without `&` and `;`, e.g. `eacute`
 * @returns its characters, or null when the name is not in the table
 */
export function decodeNamedEntity(name: string): string | null {
  const cached = entityCache.get(name);
  if (cached !== undefined) return cached;
  const ref = `&${name};`;
  const text = name.length > 40 ? ref : cheerio.load(ref, null, false).text();
  // parse5 also matches legacy prefixes (`&notit;` → `¬it;`): only a whole-name match counts.
  const value = text === ref || text === '' || text.includes(';') || [...text].length > 2 ? null : text;
  entityCache.set(name, value);
  return value;
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
