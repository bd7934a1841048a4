/**
 * Escapes text for HTML element content or a double-quoted attribute value (HTML Living Standard
 * §13.1.2.6): `&`, `<`, `>` and `"` become character references; every other character stays.
 * @param text plain text (a title, a keyword, a source name, a URL)
 * @returns HTML-safe text
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
