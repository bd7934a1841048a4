/**
 * A minimal tree over the XML that `feed` (xml-js, compact mode) writes, so the builders can add
 * what feed cannot express (Atom `<source>`, namespaces, exact URLs) without string surgery.
 *
 * The parser accepts only that subset (declaration, elements with double-quoted attributes, text,
 * CDATA) and checks it is well-formed: a raw `<` or a bare `&` in text or an attribute means an
 * encoder missed a path, and is reported rather than published. Untouched parts serialize back
 * byte for byte, except that output marks (see feed-values.ts) are decoded.
 */
import { DuofeedError } from '../errors.js';
import { decodeMarks, markFinal } from './feed-values.js';
import { escapeXmlAttr, escapeXmlText } from './xml-chars.js';

/** Raw text (`text`), CDATA content without delimiters (`cdata`), or other markup kept verbatim. */
export interface XmlLeaf {
  kind: 'text' | 'cdata' | 'markup';
  /** Serialized form with output marks still encoded. */
  raw: string;
}

/** One attribute; `raw` is its escaped value (marks encoded), without quotes. */
export interface XmlAttr {
  name: string;
  raw: string;
}

/** An element; `selfClosing` remembers `<x/>` versus `<x></x>` for an empty one. */
export interface XmlElement {
  kind: 'element';
  name: string;
  attrs: XmlAttr[];
  children: XmlNode[];
  selfClosing: boolean;
}

/** Any node of the tree. */
export type XmlNode = XmlElement | XmlLeaf;

const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*';
const OPEN_TAG = new RegExp(`<(${NAME})((?:\\s+${NAME}="[^"]*")*)\\s*(/?)>`, 'y');
const CLOSE_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
const ATTR = new RegExp(`\\s+(${NAME})="([^"]*)"`, 'g');
// What a conforming writer never leaves in character data: a `<`, or an `&` outside a reference.
const UNESCAPED = /<|&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/;

function malformed(at: number, what: string): DuofeedError {
  return new DuofeedError('INTERNAL', `feed output is not well-formed at offset ${at}: ${what}`, { stage: 'publish', details: { offset: at } });
}

/**
 * Parses a document written by feed/xml-js into a tree.
 * @param xml the serialized document
 * @returns top-level nodes (declaration, whitespace, the root element)
 * @throws DuofeedError INTERNAL when the text is outside the subset or not well-formed (a defect
 *   in the value encoders, never a property of the data)
 */
export function parseXmlTree(xml: string): XmlNode[] {
  const top: XmlNode[] = [];
  const stack: XmlElement[] = [];
  const add = (node: XmlNode): void => {
    (stack.at(-1)?.children ?? top).push(node);
  };
  let pos = 0;
  while (pos < xml.length) {
    if (xml.startsWith('<?', pos)) {
      const end = xml.indexOf('?>', pos);
      if (end < 0) throw malformed(pos, 'unterminated declaration');
      add({ kind: 'markup', raw: xml.slice(pos, end + 2) });
      pos = end + 2;
    } else if (xml.startsWith('<![CDATA[', pos)) {
      const end = xml.indexOf(']]>', pos + 9);
      if (end < 0) throw malformed(pos, 'unterminated CDATA section');
      add({ kind: 'cdata', raw: xml.slice(pos + 9, end) });
      pos = end + 3;
    } else if (xml.startsWith('</', pos)) {
      CLOSE_TAG.lastIndex = pos;
      const m = CLOSE_TAG.exec(xml);
      const open = stack.pop();
      if (m === null || open === undefined || open.name !== m[1]) throw malformed(pos, `unexpected end tag${m ? ` </${m[1]}>` : ''}`);
      pos = CLOSE_TAG.lastIndex;
    } else if (xml[pos] === '<') {
      OPEN_TAG.lastIndex = pos;
      const m = OPEN_TAG.exec(xml);
      if (m === null) throw malformed(pos, 'unreadable start tag');
      const attrs = [...(m[2] ?? '').matchAll(ATTR)].map((a) => ({ name: a[1]!, raw: a[2]! }));
      const bad = attrs.find((a) => UNESCAPED.test(a.raw));
      if (bad !== undefined) throw malformed(pos, `unescaped markup in attribute ${bad.name} of <${m[1]}>`);
      const el: XmlElement = { kind: 'element', name: m[1]!, attrs, children: [], selfClosing: m[3] === '/' };
      add(el);
      if (!el.selfClosing) stack.push(el);
      pos = OPEN_TAG.lastIndex;
    } else {
      const end = xml.indexOf('<', pos);
      const raw = xml.slice(pos, end < 0 ? xml.length : end);
      if (UNESCAPED.test(raw) || raw.includes(']]>')) throw malformed(pos, 'unescaped markup in text');
      add({ kind: 'text', raw });
      pos += raw.length;
    }
  }
  if (stack.length > 0) throw malformed(pos, `unclosed <${stack.at(-1)!.name}>`);
  return top;
}

/**
 * Serializes a tree, decoding output marks (CDATA content with the in-CDATA spelling).
 * @param nodes top-level nodes from {@link parseXmlTree}, possibly edited
 * @returns the XML text
 */
export function serializeXmlTree(nodes: readonly XmlNode[]): string {
  return nodes.map(serializeNode).join('');
}

function serializeNode(node: XmlNode): string {
  if (node.kind === 'cdata') return `<![CDATA[${decodeMarks(node.raw, true)}]]>`;
  if (node.kind !== 'element') return decodeMarks(node.raw, false);
  const open = `<${node.name}${node.attrs.map((a) => ` ${a.name}="${decodeMarks(a.raw, false)}"`).join('')}`;
  if (node.children.length === 0 && node.selfClosing) return `${open}/>`;
  return `${open}>${node.children.map(serializeNode).join('')}</${node.name}>`;
}

/**
 * The root element of a parsed document.
 * @throws DuofeedError INTERNAL when there is none
 */
export function rootElement(nodes: readonly XmlNode[]): XmlElement {
  const root = nodes.find((n): n is XmlElement => n.kind === 'element');
  if (root === undefined) throw malformed(0, 'no root element');
  return root;
}

/**
 * Child elements, optionally only those with a given name.
 * @param el parent
 * @param name qualified name to keep (e.g. `link`, `content:encoded`)
 */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.kind === 'element' && (name === undefined || c.name === name));
}

/**
 * The one child element with this name.
 * @throws DuofeedError INTERNAL when there is not exactly one (feed's output changed shape)
 */
export function onlyChild(el: XmlElement, name: string): XmlElement {
  const found = childElements(el, name);
  if (found.length !== 1) throw malformed(0, `<${el.name}> has ${found.length} <${name}> children, expected 1`);
  return found[0]!;
}

/**
 * An attribute's serialized value (still escaped), or null when absent. Enough to compare with
 * plain ASCII values such as `rel`.
 */
export function rawAttr(el: XmlElement, name: string): string | null {
  return el.attrs.find((a) => a.name === name)?.raw ?? null;
}

/**
 * Sets an attribute (in place when present, else appended), escaping the value.
 * @param value raw value; null removes the attribute
 */
export function setAttr(el: XmlElement, name: string, value: string | null): void {
  const i = el.attrs.findIndex((a) => a.name === name);
  if (value === null) {
    if (i >= 0) el.attrs.splice(i, 1);
    return;
  }
  const attr = { name, raw: markFinal(escapeXmlAttr(value)) };
  if (i >= 0) el.attrs[i] = attr;
  else el.attrs.push(attr);
}

/**
 * Replaces an element's content with one escaped text node.
 * @param value raw text
 */
export function setText(el: XmlElement, value: string): void {
  el.children = [{ kind: 'text', raw: markFinal(escapeXmlText(value)) }];
  el.selfClosing = false;
}

/**
 * A leaf of already-escaped XML (e.g. from `xmlElement`), to insert with {@link appendChild}.
 * @param xml final XML fragment
 */
export function markupNode(xml: string): XmlLeaf {
  return { kind: 'markup', raw: markFinal(xml) };
}

/**
 * A new element with the given children (indentation is added by {@link appendChild}).
 */
export function elementNode(name: string, children: XmlNode[]): XmlElement {
  return { kind: 'element', name, attrs: [], children, selfClosing: false };
}

/** feed serializes with xml-js `spaces: 4`. */
const STEP = '    ';

/**
 * Appends a child after the existing ones, on its own line indented like its siblings; a new
 * element's own children are indented one level further.
 * @param parent element to extend
 * @param child element or markup leaf
 */
export function appendChild(parent: XmlElement, child: XmlNode): void {
  const kids = parent.children;
  const last = kids.at(-1);
  const closing = last?.kind === 'text' && /^\s*$/.test(last.raw) ? last.raw : '\n';
  if (last?.kind === 'text' && /^\s*$/.test(last.raw)) kids.pop();
  const indent = siblingIndent(parent) ?? closing + STEP;
  if (child.kind === 'element') indentChildren(child, indent);
  kids.push({ kind: 'text', raw: indent }, child, { kind: 'text', raw: closing });
  parent.selfClosing = false;
}

function siblingIndent(el: XmlElement): string | null {
  for (let i = 1; i < el.children.length; i++) {
    const ws = el.children[i - 1]!;
    if (el.children[i]!.kind === 'element' && ws.kind === 'text' && /^\n *$/.test(ws.raw)) return ws.raw;
  }
  return null;
}

function indentChildren(el: XmlElement, indent: string): void {
  if (el.children.every((c) => c.kind === 'text')) return;
  const inner = indent + STEP;
  const out: XmlNode[] = [];
  for (const c of el.children) {
    if (c.kind === 'element') indentChildren(c, inner);
    out.push({ kind: 'text', raw: inner }, c);
  }
  out.push({ kind: 'text', raw: indent });
  el.children = out;
}

/**
 * Inserts nodes right after a child element, each on its own line with that child's indentation.
 * @param parent element holding `ref`
 * @param ref existing child element
 * @param nodes leaves (or childless elements) to insert, in order
 * @throws DuofeedError INTERNAL when `ref` is not a child of `parent` (a defect)
 */
export function insertAfter(parent: XmlElement, ref: XmlElement, nodes: readonly XmlNode[]): void {
  const i = parent.children.indexOf(ref);
  if (i < 0) throw malformed(0, `<${ref.name}> is not a child of <${parent.name}>`);
  const before = parent.children[i - 1];
  const indent = before !== undefined && before.kind === 'text' && /^\s*$/.test(before.raw) ? before.raw : '';
  parent.children.splice(i + 1, 0, ...nodes.flatMap((n): XmlNode[] => [{ kind: 'text', raw: indent }, n]));
}

/**
 * Adds an `<?xml-stylesheet type="text/xsl" href="…"?>` processing instruction (W3C "Associating
 * Style Sheets with XML documents") after the XML declaration, or first when there is none.
 * @param nodes top-level nodes of a parsed document
 * @param href stylesheet URL (escaped here)
 */
export function addStylesheetPi(nodes: XmlNode[], href: string): void {
  const pi: XmlLeaf = markupNode(`<?xml-stylesheet type="text/xsl" href="${escapeXmlAttr(href)}"?>`);
  const decl = nodes.findIndex((n) => n.kind === 'markup' && n.raw.startsWith('<?xml '));
  if (decl < 0) nodes.unshift(pi, { kind: 'text', raw: '\n' });
  else nodes.splice(decl + 1, 0, { kind: 'text', raw: '\n' }, pi);
}

/**
 * Removes a child element together with the indentation text right before it.
 * @param parent element holding `child`
 * @param child element to remove
 */
export function removeChild(parent: XmlElement, child: XmlElement): void {
  const i = parent.children.indexOf(child);
  if (i < 0) return;
  const before = parent.children[i - 1];
  const withIndent = before !== undefined && before.kind === 'text' && /^\s*$/.test(before.raw);
  parent.children.splice(withIndent ? i - 1 : i, withIndent ? 2 : 1);
}
