import { DuofeedError } from '../errors.js';
import { decodeNamedEntity } from './text.js';

/** Output of {@link prepareXml}. */
export interface PreparedXml {
  /** Well-formed-as-far-as-we-can XML text, without DOCTYPE. */
  xml: string;
  /** One line per kind of repair made (for the feed's warning log). */
  warnings: string[];
}

/** The five entities XML itself predefines. */
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/** Characters outside the XML 1.0 `Char` production (keeps TAB, LF, CR), and lone surrogates. */
const FORBIDDEN_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Any `&…` that may be a reference; group 1 = name or `#…` when it ends with `;`. */
const AMP = /&(#[xX][0-9A-Fa-f]+;|#[0-9]+;|[A-Za-z_][\w.-]*;)?/g;
/** Sections whose text is not markup: CDATA, comments, processing instructions. */
const LITERAL_SECTIONS = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)/g;
/** Cap on text added by expanding internal entities (bytes of UTF-16 code units), against entity bombs. */
const MAX_ENTITY_GROWTH = 1_000_000;
const MAX_ENTITY_DECLARATIONS = 64;

/**
 * Pre-parse hygiene for feed XML that has already been decoded to a string (cases 05, 06, 07, 24).
 *
 * - strips a BOM and anything blank before the first `<` (strict parsers reject `\n<?xml`);
 * - removes characters XML 1.0 forbids (C0 controls except TAB/LF/CR, U+FFFE/U+FFFF, lone
 *   surrogates), also when written as numeric character references;
 * - removes the DOCTYPE without ever loading it: an external DTD (PUBLIC/SYSTEM) is ignored with a
 *   warning; entities declared in the internal subset are expanded here — external ones
 *   (SYSTEM/PUBLIC) to the empty string, internal literal ones to their text — so the XML
 *   parser never sees an entity declaration;
 * - completes a last end tag cut off at the end of the document (`…</rss`), and writes `&#X…;` as
 *   `&#x…;`;
 * - turns HTML named references XML lacks (`&nbsp;`, `&eacute;` …) into numeric references, and an
 *   `&` that starts no well-formed reference into `&amp;`. CDATA, comments and PIs are left alone.
 *
 * @param text decoded document text
 * @param feedUrl URL of the document, for messages
 * @returns `{xml, warnings}`
 * @throws DuofeedError PARSE_DTD_FORBIDDEN when the DOCTYPE is unterminated or malformed,
 *   declares parameter entities, more than 64 entities, or entities whose values reference
 *   other entities or would expand the document by more than ~1 MB (entity-expansion bombs)
 */
export function prepareXml(text: string, feedUrl: string): PreparedXml {
  const warnings: string[] = [];
  let xml = text.replace(/^\uFEFF/, '');
  const firstLt = xml.indexOf('<');
  if (firstLt > 0 && xml.slice(0, firstLt).trim() === '') xml = xml.slice(firstLt);

  let removed = 0;
  xml = xml.replace(FORBIDDEN_CHARS, () => {
    removed++;
    return '';
  });

  const dtd = removeDoctype(xml, feedUrl, warnings);
  xml = dtd.xml;

  const repaired = repairReferences(xml, dtd.entities, feedUrl);
  xml = repaired.xml;
  removed += repaired.forbiddenRefs;
  if (removed > 0) warnings.push(`removed ${removed} character(s) not allowed in XML 1.0`);
  if (repaired.htmlEntities.size > 0) {
    warnings.push(`mapped HTML named entities XML does not define: ${[...repaired.htmlEntities].sort().join(', ')}`);
  }
  if (repaired.bareAmps > 0) {
    warnings.push(
      `recovered from ${repaired.bareAmps} unescaped \`&\` (first at line ${repaired.firstBareAmpLine})`,
    );
  }
  // A document cut off inside its last end tag (`…</rss` at EOF) loses nothing if the `>` is added.
  if (/<\/[A-Za-z_][\w:.-]*\s*$/.test(xml)) {
    xml = `${xml.trimEnd()}>`;
    warnings.push('completed the end tag cut off at the end of the document');
  }
  return { xml, warnings };
}

interface DoctypeResult {
  xml: string;
  /** Replacement text of each declared general entity ('' for external ones). */
  entities: Map<string, string>;
}

function removeDoctype(xml: string, feedUrl: string, warnings: string[]): DoctypeResult {
  const entities = new Map<string, string>();
  const rootStart = xml.search(/<[A-Za-z_]/);
  const start = xml.search(/<!DOCTYPE/i);
  if (start < 0 || (rootStart >= 0 && start > rootStart)) return { xml, entities };
  const end = doctypeEnd(xml, start);
  if (end < 0) {
    throw forbidden(feedUrl, 'its DOCTYPE declaration is not terminated');
  }
  const decl = xml.slice(start, end);
  const subsetStart = decl.indexOf('[');
  const head = subsetStart >= 0 ? decl.slice(0, subsetStart) : decl;
  const external = /\b(?:SYSTEM|PUBLIC)\b/.exec(head);
  if (external) {
    const ids = head.match(/"[^"]*"|'[^']*'/g) ?? [];
    warnings.push(`ignored the external DTD ${ids.join(' ')} (never loaded)`);
  }
  if (subsetStart >= 0) {
    const subset = decl.slice(subsetStart + 1, decl.lastIndexOf(']'));
    readEntities(subset, feedUrl, entities, warnings);
  }
  // Newlines are kept so that parser errors still report the document's own line numbers.
  const keptLines = '\n'.repeat((decl.match(/\n/g) ?? []).length);
  return { xml: xml.slice(0, start) + keptLines + xml.slice(end), entities };
}

/** Index just past the DOCTYPE's closing `>`, honouring quotes and the `[...]` subset; -1 if none. */
function doctypeEnd(xml: string, start: number): number {
  let quote: string | null = null;
  let inSubset = false;
  for (let i = start + 2; i < xml.length; i++) {
    const ch = xml[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (inSubset && xml.startsWith('<!--', i)) {
      const close = xml.indexOf('-->', i + 4);
      if (close < 0) return -1;
      i = close + 2;
    } else if (ch === '[') {
      inSubset = true;
    } else if (ch === ']') {
      inSubset = false;
    } else if (ch === '>' && !inSubset) {
      return i + 1;
    }
  }
  return -1;
}

const ENTITY_DECL =
  /<!ENTITY\s+(%\s+)?([^\s%"'<>]+)\s+(?:(SYSTEM|PUBLIC)\s+("[^"]*"|'[^']*')(?:\s+("[^"]*"|'[^']*'))?(?:\s+NDATA\s+\S+)?|("[^"]*"|'[^']*'))\s*>/g;

function readEntities(subset: string, feedUrl: string, entities: Map<string, string>, warnings: string[]): void {
  const body = subset.replace(/<!--[\s\S]*?-->/g, '');
  const declared = (body.match(/<!ENTITY/g) ?? []).length;
  if (declared > MAX_ENTITY_DECLARATIONS) {
    throw forbidden(feedUrl, `its DOCTYPE declares ${declared} entities`);
  }
  const external: string[] = [];
  let matched = 0;
  for (const m of body.matchAll(ENTITY_DECL)) {
    matched++;
    const name = m[2] ?? '';
    if (m[1]) throw forbidden(feedUrl, `its DOCTYPE declares the parameter entity %${name}`);
    if (m[3]) {
      external.push(name);
      if (!entities.has(name)) entities.set(name, '');
      continue;
    }
    const value = (m[6] ?? '').slice(1, -1);
    if (/&(?!#[xX][0-9A-Fa-f]+;|#[0-9]+;)|%/.test(value)) {
      throw forbidden(feedUrl, `the entity ${name} refers to other entities (possible expansion bomb)`);
    }
    if (!entities.has(name)) entities.set(name, value.replace(/</g, '&lt;'));
  }
  if (matched !== declared) throw forbidden(feedUrl, 'its DOCTYPE has a malformed entity declaration');
  if (external.length > 0) {
    warnings.push(`external entities expanded to empty text (never loaded): ${external.join(', ')}`);
  }
  const internal = [...entities.keys()].filter((n) => !external.includes(n));
  if (internal.length > 0) warnings.push(`expanded internal entities: ${internal.join(', ')}`);
}

function forbidden(feedUrl: string, reason: string): DuofeedError {
  return new DuofeedError('PARSE_DTD_FORBIDDEN', `Feed ${feedUrl} was refused: ${reason}.`, {
    stage: 'parse',
    url: feedUrl,
  });
}

interface RepairResult {
  xml: string;
  forbiddenRefs: number;
  bareAmps: number;
  firstBareAmpLine: number;
  htmlEntities: Set<string>;
}

function repairReferences(xml: string, declared: Map<string, string>, feedUrl: string): RepairResult {
  const result: RepairResult = { xml: '', forbiddenRefs: 0, bareAmps: 0, firstBareAmpLine: 0, htmlEntities: new Set() };
  let growth = 0;
  const out: string[] = [];
  let last = 0;
  const fixMarkup = (segment: string, offset: number): string =>
    segment.replace(AMP, (whole: string, ref: string | undefined, at: number) => {
      if (ref === undefined) {
        if (result.bareAmps++ === 0) result.firstBareAmpLine = lineAt(xml, offset + at);
        return '&amp;';
      }
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2, -1), 16) : parseInt(ref.slice(1, -1), 10);
        // XML spells hex references `&#x…;` only; `&#X41;` is a common HTML-ism.
        if (isXmlChar(code)) return ref[1] === 'X' ? `&#x${ref.slice(2)}` : whole;
        result.forbiddenRefs++;
        return '';
      }
      const name = ref.slice(0, -1);
      if (XML_ENTITIES.has(name)) return whole;
      const value = declared.get(name);
      if (value !== undefined) {
        growth += value.length;
        if (growth > MAX_ENTITY_GROWTH) throw new RangeError('entity expansion limit');
        return value;
      }
      const decoded = decodeNamedEntity(name);
      if (decoded !== null) {
        result.htmlEntities.add(name);
        return [...decoded].map((ch) => `&#x${(ch.codePointAt(0) ?? 0).toString(16)};`).join('');
      }
      if (result.bareAmps++ === 0) result.firstBareAmpLine = lineAt(xml, offset + at);
      return `&amp;${ref}`;
    });
  try {
    for (const m of xml.matchAll(LITERAL_SECTIONS)) {
      const index = m.index ?? 0;
      out.push(fixMarkup(xml.slice(last, index), last), m[0]);
      last = index + m[0].length;
    }
    out.push(fixMarkup(xml.slice(last), last));
  } catch (err) {
    if (err instanceof RangeError) {
      throw forbidden(feedUrl, 'its entities expand beyond the size limit');
    }
    throw err;
  }
  result.xml = out.join('');
  return result;
}

function isXmlChar(code: number): boolean {
  if (!Number.isFinite(code)) return false;
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20) return false;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (code === 0xfffe || code === 0xffff) return false;
  return code <= 0x10ffff;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
