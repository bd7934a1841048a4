import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { DuofeedError } from '../errors.js';
import { decodeBody, type EncodingSource } from '../fetch/decode.js';
import { findMalformation, lineColumn } from './check-well-formed.js';
import { findInvalidBytes } from './invalid-bytes.js';

/** One `<outline>` of an OPML body that is a feed, or a leaf that cannot be one. */
export interface OpmlOutline {
  /** 1-based position among all `<outline>` elements in document order (folders counted too). */
  index: number;
  /** `xmlUrl`, trimmed; null when absent or blank (the outline is then not a feed). */
  xmlUrl: string | null;
  /** `htmlUrl`, trimmed; null when absent or blank. */
  htmlUrl: string | null;
  /** `text`, else `title`, whitespace collapsed; null when both are blank. */
  text: string | null;
  /** `language`, trimmed; null when absent or blank. */
  language: string | null;
  /** `type` as written (`rss`, `link`, `include` …), or null. */
  type: string | null;
  /** Names of the folder outlines around this one, outermost first (flattened into categories). */
  folders: string[];
}

/** A parsed OPML document. */
export interface OpmlDocument {
  /** The root's `version` attribute (`1.0`, `1.1`, `2.0`), or null when absent. */
  version: string | null;
  /** `<head><title>`, or null. */
  title: string | null;
  /** Feed outlines and feed-less leaves, in document order; folders are not listed. */
  outlines: OpmlOutline[];
  /** Encoding the bytes were read in (WHATWG name, e.g. `utf-8`, `gb18030`). */
  encoding: string;
  /** Decoder remarks worth showing the operator (unknown declared encoding …). */
  warnings: string[];
}

function collapse(value: string | undefined): string | null {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : null;
}

function invalid(label: string, reason: string, cause?: unknown): DuofeedError {
  return new DuofeedError('OPML_INVALID', `OPML file ${label} ${reason}`, { stage: 'cli', url: label, cause });
}

const ENCODING_FROM: Partial<Record<EncodingSource, string>> = {
  bom: 'its byte order mark',
  'byte-pattern': 'its first bytes',
  'xml-declaration': 'its XML declaration',
  default: 'the XML default: no encoding declared',
};

/** `outline 2` / `outlines 2, 5, 9 and 4 more`. */
function outlineList(numbers: number[]): string {
  if (numbers.length === 0) return 'outside any outline';
  const shown = numbers.slice(0, 10).join(', ');
  const more = numbers.length > 10 ? ` and ${numbers.length - 10} more` : '';
  return `in outline${numbers.length > 1 ? 's' : ''} ${shown}${more}`;
}

/** Attribute names folded to lower case: some exporters write `xmlurl` / `XMLURL`. */
function lowerCaseKeys(attribs: Record<string, string>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(attribs)) {
    const key = k.toLowerCase();
    if (out[key] === undefined) out[key] = v;
  }
  return out;
}

function isOutline(el: Element): boolean {
  return el.name.toLowerCase() === 'outline';
}

function elementChildren(node: AnyNode): Element[] {
  const kids = (node as { children?: AnyNode[] }).children ?? [];
  return kids.filter((c): c is Element => c.type === 'tag');
}

/**
 * Refuses what could make a parser fetch or multiply text: an external DTD (XXE) or an internal
 * subset (entity declarations, billion laughs). cheerio never expands such entities, but an OPML
 * subscription list never needs them, so refusing says plainly why nothing was imported. A bare
 * `<!DOCTYPE opml>` is harmless and allowed.
 */
function refuseDtd(text: string, label: string): void {
  const doctype = /<!DOCTYPE\b([^>[]*)(\[)?/i.exec(text);
  if (doctype) {
    if (doctype[2] !== undefined) throw invalid(label, 'declares a DTD internal subset (entities are refused: XXE / entity expansion)');
    if (/\b(?:SYSTEM|PUBLIC)\b/.test(doctype[1] ?? '')) throw invalid(label, 'names an external DTD (refused: XXE; an OPML file needs none)');
  }
  if (/<!ENTITY\b/i.test(text)) throw invalid(label, 'declares entities (refused: XXE / entity expansion)');
}

/**
 * Parses an OPML 1.0 / 1.1 / 2.0 document (http://opml.org/spec2.opml) into its feed outlines.
 *
 * Bytes are decoded like feeds (src/fetch/decode.ts: BOM, then the XML declaration's
 * `encoding`, then UTF-8; GB2312/GBK read as GB18030), then read with cheerio in XML mode, which
 * decodes only XML's predefined and numeric references. Outlines are walked iteratively (deep
 * nesting cannot exhaust the stack): an outline with a non-blank `xmlUrl` is a feed whatever its
 * `type`; an outline without one that has child outlines is a folder whose `text`/`title`
 * becomes a folder name of everything inside; any other leaf is returned with `xmlUrl: null` so
 * the caller can report it. `type="include"` outlines are never followed (no network access).
 *
 * @param bytes the file's bytes (the caller caps the size)
 * @param label file name for messages
 * Two checks come before cheerio, which would otherwise repair both silently: bytes invalid in
 * the encoding used are refused (they would become U+FFFD in names and ids: see
 * findInvalidBytes; only a warning when the encoding has no strict decoder), and so is markup
 * that is not well-formed (findMalformation: an unclosed `<outline>` would swallow the outlines
 * after it into a folder).
 *
 * @returns version, head title, outlines in document order, encoding used, decoder warnings
 * @throws DuofeedError OPML_INVALID when the document is empty, holds bytes invalid in its
 *   encoding (line, column and outlines named), declares a DTD subset or entities or names an
 *   external DTD, is not well-formed (line and column named), has no root element, its root is
 *   not `<opml>`, or it has no `<body>`
 */
export function parseOpml(bytes: Buffer, label: string): OpmlDocument {
  const decoded = decodeBody(bytes, null, 'feed');
  const text = decoded.text;
  if (text.trim() === '') throw invalid(label, 'is empty');
  const warnings = [...decoded.warnings];
  const bad = findInvalidBytes(bytes, decoded);
  if (bad !== null) {
    const { line, column } = lineColumn(text, bad.at);
    const where = `line ${line}, column ${column} (${outlineList(bad.outlines)})`;
    const from = ENCODING_FROM[decoded.source] ?? `decoding signal ${decoded.source}`;
    if (bad.certain) {
      throw invalid(
        label,
        `is not valid ${decoded.encoding} (the encoding from ${from}): the first invalid bytes are at ${where}; save it as UTF-8 or declare the encoding it is really in`,
      );
    }
    warnings.push(`U+FFFD (unreadable character) at ${where}: check those names`);
  }
  refuseDtd(text, label);
  const broken = findMalformation(text);
  if (broken !== null) {
    const { line, column } = lineColumn(text, broken.at);
    throw invalid(label, `is not well-formed XML: line ${line}, column ${column}: ${broken.what}`);
  }
  const $ = cheerio.load(text, { xml: true });
  const root = elementChildren($.root().get(0) as AnyNode)[0];
  if (!root) throw invalid(label, 'is not XML (no root element)');
  if (root.name.toLowerCase() !== 'opml') throw invalid(label, `is not OPML: its root element is <${root.name}>, not <opml>`);
  const head = elementChildren(root).find((c) => c.name.toLowerCase() === 'head');
  const body = elementChildren(root).find((c) => c.name.toLowerCase() === 'body');
  if (!body) throw invalid(label, 'has no <body> element (an OPML document keeps its outlines there)');
  const titleEl = head ? elementChildren(head).find((c) => c.name.toLowerCase() === 'title') : undefined;

  const outlines: OpmlOutline[] = [];
  let index = 0;
  // Pre-order walk with an explicit stack; children pushed in reverse keep document order.
  const stack: Array<{ el: Element; folders: string[] }> = elementChildren(body)
    .filter(isOutline)
    .reverse()
    .map((el) => ({ el, folders: [] }));
  while (stack.length > 0) {
    const { el, folders } = stack.pop()!;
    index++;
    const a = lowerCaseKeys(el.attribs);
    const kids = elementChildren(el).filter(isOutline);
    const name = collapse(a.text) ?? collapse(a.title);
    const xmlUrl = a.xmlurl?.trim() || null;
    if (xmlUrl !== null || kids.length === 0) {
      outlines.push({
        index,
        xmlUrl,
        htmlUrl: a.htmlurl?.trim() || null,
        text: name,
        language: a.language?.trim() || null,
        type: a.type?.trim() || null,
        folders,
      });
    }
    // A feed outline with children is unusual; its children keep the enclosing folders only.
    const inner = xmlUrl === null && name !== null ? [...folders, name] : folders;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ el: kids[i]!, folders: inner });
  }
  return {
    version: lowerCaseKeys(root.attribs).version?.trim() || null,
    title: titleEl ? collapse($(titleEl).text()) : null,
    outlines,
    encoding: decoded.encoding,
    warnings,
  };
}
