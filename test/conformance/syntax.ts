import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Syntax checks the feed specifications refer to, written from the specs (not from duofeed's
 * code), and a small XML reading helper for the conformance tests.
 */

/** An element as fast-xml-parser gives it with every element in an array: attributes `@_name`, text `#text`. */
export type XmlNode = string | { [key: string]: XmlNode[] | string | undefined };

/**
 * Parses an XML document after checking it is well-formed.
 * @param xml document text
 * @returns the document object: element name → array of nodes
 * @throws Error naming the first well-formedness error (line and column)
 */
export function parseXml(xml: string): Record<string, XmlNode[]> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} at line ${valid.err.line}, column ${valid.err.col}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  const doc = parser.parse(xml) as Record<string, XmlNode[]>;
  // Whitespace between the prolog's processing instructions (the xml-stylesheet one) is XML `Misc`,
  // not content: only the root element may remain at the top.
  const top: unknown = doc['#text'];
  const texts = Array.isArray(top) ? top : [top];
  if (top !== undefined && texts.every((t) => typeof t === 'string' && t.trim() === '')) delete doc['#text'];
  return doc;
}

/** Child elements of `node` named `name` (empty when none). */
export function kids(node: XmlNode, name: string): XmlNode[] {
  if (typeof node === 'string') return [];
  const v = node[name];
  return Array.isArray(v) ? v : [];
}

/** Attribute value, or undefined. */
export function attr(node: XmlNode, name: string): string | undefined {
  if (typeof node === 'string') return undefined;
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** Text content (text and CDATA) of an element. */
export function text(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  const t = node['#text'];
  return typeof t === 'string' ? t : '';
}

/**
 * RFC 3339 §5.6 `date-time` (Atom §3.3 adds: upper-case `T` and `Z`), with a real calendar date.
 * @param s candidate
 */
export function isRfc3339(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (m === null) return false;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || sec > 60) return false;
  // Not Date.parse: it refuses the leap second (`:60`) RFC 3339 allows.
  return m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * RFC 822 §5 date-time as RSS 2.0 uses it (four-digit years allowed, as the RSS spec's own
 * examples do): `Wed, 02 Oct 2002 13:00:00 GMT` or a numeric zone `+0200`; the day name, when
 * present, must be the date's weekday.
 * @param s candidate
 * @returns the instant in ms, or null when `s` is not such a date
 */
export function rfc822Time(s: string): number | null {
  const m = /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|UT|Z|[+-]\d{4})$/.exec(s);
  if (m === null) return null;
  const [, day, d, mon, y, h, mi, sec, zone] = m as unknown as [string, string | undefined, string, string, string, string, string, string | undefined, string];
  const offsetMin = /^[+-]/.test(zone) ? (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) : 0;
  const local = Date.UTC(Number(y), MONTHS.indexOf(mon), Number(d), Number(h), Number(mi), Number(sec ?? 0));
  if (new Date(local).getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) return null;
  if (day !== undefined && DAYS[new Date(local).getUTCDay()] !== day) return null;
  return local - offsetMin * 60_000;
}

/**
 * An absolute IRI (RFC 3987 / RFC 3986 §4.3): a scheme, no whitespace, parseable as a URL.
 * @param s candidate
 */
export function isAbsoluteIri(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(s) && URL.canParse(s);
}

/** An absolute http(s) URL. */
export function isHttpUrl(s: string): boolean {
  return /^https?:\/\/\S+$/.test(s) && URL.canParse(s);
}

/**
 * A well-formed BCP 47 language tag (RFC 5646 §2.1, simplified: subtags of 1–8 letters/digits,
 * a 2–3 letter or 4–8 letter primary subtag), as `xml:lang` (XML 1.0 §2.12) and JSON Feed expect.
 * @param s candidate
 */
export function isLanguageTag(s: string): boolean {
  return /^([A-Za-z]{2,3}|[A-Za-z]{4,8})(-[A-Za-z0-9]{1,8})*$/.test(s);
}

/** A MIME type `type/subtype` (RFC 2045 §5.1 tokens), parameters allowed. */
export function isMimeType(s: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;.*)?$/.test(s);
}
