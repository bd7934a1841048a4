/**
 * Output-boundary text hygiene for XML 1.0 (https://www.w3.org/TR/xml/#charsets).
 *
 * Stored text comes from many feeds and parsers that let control characters through (case 06);
 * one such character makes the whole merged feed unreadable (case 31), so every string that
 * leaves the publisher passes through here.
 */

// Not XML 1.0 `Char`: C0 controls except TAB/LF/CR, and U+FFFE/U+FFFF. U+FEFF is a legal Char but
// a byte-order mark inside text is invisible noise that some consumers take for a document start.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFEFF\uFFFE\uFFFF]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Filters a string to XML 1.0 `Char`: forbidden controls, U+FEFF, U+FFFE and U+FFFF are removed;
 * a lone surrogate becomes U+FFFD so the loss stays visible. TAB, LF, CR, astral characters
 * (emoji) and every other character are kept as they are.
 * @param text any JS string
 * @returns a string every conforming XML parser accepts as character data (before escaping)
 */
export function toXmlChars(text: string): string {
  return text.replace(FORBIDDEN, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Escapes text for XML element content: filters to `Char`, then `&`, `<`, `>` become entities.
 * CR becomes `&#13;` because a parser would otherwise normalize it to LF (XML 1.0 §2.11).
 * Non-ASCII characters stay characters (case 29): the documents are UTF-8.
 * @param text raw text (for HTML content: the HTML source, which then travels as escaped text)
 */
export function escapeXmlText(text: string): string {
  return toXmlChars(text).replace(/[&<>\r]/g, (c) => TEXT_ENTITIES[c] ?? c);
}

/**
 * Escapes text for a double-quoted XML attribute value: like {@link escapeXmlText}, plus `"`, and
 * TAB/LF/CR as character references, since attribute-value normalization turns them into spaces
 * (XML 1.0 §3.3.3).
 * @param text raw attribute value
 */
export function escapeXmlAttr(text: string): string {
  return toXmlChars(text).replace(/[&<>"\t\n\r]/g, (c) => ATTR_ENTITIES[c] ?? c);
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_ENTITIES: Record<string, string> = {
  ...TEXT_ENTITIES,
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
};
