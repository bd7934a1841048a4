import { escapeXmlAttr, escapeXmlText } from './xml-chars.js';

/** Attribute values; null/undefined attributes are left out, in the order given. */
export type XmlAttrs = Record<string, string | number | null | undefined>;

/**
 * One XML element on one line, everything escaped (text and attributes filtered to XML `Char`).
 * Text is entity-escaped rather than CDATA-wrapped, so a `]]>` in content cannot end a section
 * early (case 36).
 * @param name qualified element name (trusted: written by the builders, never from data)
 * @param attrs attribute values
 * @param text element text; null gives an empty element `<name/>`
 * @returns e.g. `<title type="text">D&amp;D</title>`
 */
export function xmlElement(name: string, attrs: XmlAttrs, text: string | null): string {
  const open = `<${name}${xmlAttrs(attrs)}`;
  return text === null ? `${open}/>` : `${open}>${escapeXmlText(text)}</${name}>`;
}

/**
 * Serializes attributes as ` a="v" b="w"` (leading space), skipping null/undefined values.
 * @param attrs attribute values in output order
 */
export function xmlAttrs(attrs: XmlAttrs): string {
  let out = '';
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    out += ` ${key}="${escapeXmlAttr(String(value))}"`;
  }
  return out;
}
