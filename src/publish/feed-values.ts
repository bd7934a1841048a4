/**
 * Strings handed to the `feed` package (6.0.0), prepared so its XML comes out exact and
 * well-formed, and the decoding that finishes them after serialization.
 *
 * feed serializes with xml-js, which (checked against node_modules/xml-js/lib/js2xml.js 1.6.11):
 * - in CDATA replaces only the first `]]>` (a second one ends the section early, case 36) and
 *   writes CR raw (a parser turns it into LF, XML 1.0 §2.11);
 * - in text first turns every `&amp;` back into `&` before escaping (a literal "&amp;" would read
 *   back as "&"), and writes CR raw;
 * - in attributes escapes only `"` (a raw `&` or `<` makes the document ill-formed; TAB/LF/CR
 *   become spaces under attribute-value normalization);
 * - passes XML-forbidden characters through (case 31).
 *
 * What xml-js cannot write is replaced by a two-character mark: U+FDD0 (a Unicode noncharacter,
 * reserved for internal use, still an XML `Char`) and a digit. A U+FDD0 in the data itself is
 * marked too, so decoding is exact. {@link decodeMarks} turns marks into their XML spelling,
 * which differs inside and outside CDATA.
 */
import { escapeXmlAttr, toXmlChars } from './xml-chars.js';

const MARK = '\uFDD0';
const M = {
  mark: `${MARK}0`,
  cdataEnd: `${MARK}1`,
  cr: `${MARK}2`,
  lt: `${MARK}3`,
  tab: `${MARK}4`,
  lf: `${MARK}5`,
} as const;

// Inside CDATA a `]]>` is split across two sections and CR leaves the section as a reference.
const IN_CDATA: Record<string, string> = { 0: MARK, 1: ']]]]><![CDATA[>', 2: ']]>&#13;<![CDATA[', 3: '<', 4: '\t', 5: '\n' };
// Elsewhere (text, attribute values) character references keep every character exact.
const OUTSIDE_CDATA: Record<string, string> = { 0: MARK, 1: ']]&gt;', 2: '&#13;', 3: '&lt;', 4: '&#9;', 5: '&#10;' };

/** Filtered to XML `Char`, with the data's own U+FDD0 marked (first step of every encoder). */
function base(text: string): string {
  return toXmlChars(text).replaceAll(MARK, M.mark);
}

/**
 * For a value feed writes as CDATA (item titles, summaries, contents).
 * @param text raw text or HTML source
 * @returns the string to hand to feed; exact after {@link decodeMarks}
 */
export function forCdata(text: string): string {
  return base(text).replaceAll(']]>', M.cdataEnd).replaceAll('\r', M.cr);
}

/**
 * For a value feed writes as element text (feed title, guid, category, author name, extension
 * `_text`). `&` is pre-escaped because xml-js un-escapes `&amp;` once before escaping.
 * @param text raw text
 */
export function forText(text: string): string {
  return base(text).replaceAll('\r', M.cr).replaceAll('&', '&amp;');
}

/**
 * For an attribute value feed passes through its own `&`-escaping (Atom category `term`):
 * `&` is left to feed, `"` to xml-js; `<`, TAB, LF and CR are marked.
 * @param text raw attribute value
 */
export function forFeedAttr(text: string): string {
  return base(text).replaceAll('<', M.lt).replaceAll('\t', M.tab).replaceAll('\n', M.lf).replaceAll('\r', M.cr);
}

/**
 * For an attribute value xml-js writes untouched (extension `_attributes`, enclosure type and
 * title): fully escaped here; xml-js's own `"` replacement then finds none.
 * @param text raw attribute value
 */
export function forRawAttr(text: string): string {
  return markFinal(escapeXmlAttr(text));
}

/** Stand-in for a URL `new URL()` rejects; the builders put the stored string back afterwards. */
export const UNPARSEABLE_URL = 'urn:duofeed:unparseable-url';

/**
 * For a URL feed runs through `new URL()` (throws on a relative or malformed URL) and normalizes.
 * The builders restore the exact stored URL in the output, so only parseability matters here.
 * @param url stored URL
 * @returns the filtered URL when `new URL()` accepts it, else {@link UNPARSEABLE_URL}
 */
export function forUrl(url: string): string {
  const filtered = toXmlChars(url);
  return URL.canParse(filtered) ? filtered : UNPARSEABLE_URL;
}

/**
 * Marks the data's own U+FDD0 in text that is already final XML (escaped by our own writers)
 * before it joins feed's output, so {@link decodeMarks} leaves it as it is.
 * @param xml escaped XML text or fragment
 */
export function markFinal(xml: string): string {
  return xml.replaceAll(MARK, M.mark);
}

/**
 * Turns marks into XML: inside a CDATA section's content `]]>` splits the section and CR becomes
 * `]]>&#13;<![CDATA[`; elsewhere marks become character references.
 * @param raw serialized text, attribute value or CDATA content (without its delimiters)
 * @param inCdata whether `raw` is CDATA content
 * @returns the final XML spelling
 * @throws Error when a mark is unknown (a defect in the encoders; callers wrap it as INTERNAL)
 */
export function decodeMarks(raw: string, inCdata: boolean): string {
  if (!raw.includes(MARK)) return raw;
  const table = inCdata ? IN_CDATA : OUTSIDE_CDATA;
  return raw.replace(/\uFDD0([\s\S]?)/g, (all, digit: string) => {
    const out = table[digit];
    if (out === undefined) throw new Error(`unknown output mark ${JSON.stringify(all)}`);
    return out;
  });
}
