import { encodingForLabel } from './charset-labels.js';

/** An encoding found at the start of a body, and how many bytes of marker to drop. */
export interface ByteMark {
  encoding: string;
  /** Bytes to skip (the BOM); 0 for a BOM-less byte pattern. */
  skip: number;
}

/**
 * Reads a byte order mark (Unicode §23.8; WHATWG Encoding "BOM sniff", extended with UTF-32).
 * UTF-32LE is tested before UTF-16LE because its BOM starts with the UTF-16LE one.
 * @param bytes the body
 * @returns the encoding and BOM length, or null when there is no BOM
 */
export function sniffBom(bytes: Buffer): ByteMark | null {
  const [a, b, c, d] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', skip: 4 };
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'utf-32le', skip: 4 };
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  return null;
}

/**
 * True when a UTF-8 BOM follows some leading ASCII whitespace (`\n EF BB BF <?xml`): template
 * engines emit this, and the BOM then says the body is UTF-8 even though it is not at offset 0.
 * @param bytes the body
 */
export function hasStrayUtf8Bom(bytes: Buffer): boolean {
  let i = 0;
  while (i < bytes.length && i < 256 && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i > 0 && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf;
}

/**
 * Detects BOM-less UTF-16/UTF-32 XML from the bytes of `<?` (XML 1.0 Appendix F.1): an XML
 * document's first characters are known, so their byte layout reveals the encoding.
 * @param bytes the body
 * @returns the encoding (skip 0) or null when the layout is ASCII-compatible
 */
export function sniffXmlPattern(bytes: Buffer): ByteMark | null {
  const head = bytes.subarray(0, 4).toString('hex');
  if (head === '0000003c') return { encoding: 'utf-32be', skip: 0 };
  if (head === '3c000000') return { encoding: 'utf-32le', skip: 0 };
  if (head === '003c003f') return { encoding: 'utf-16be', skip: 0 };
  if (head === '3c003f00') return { encoding: 'utf-16le', skip: 0 };
  return null;
}

/**
 * Reads `encoding="…"` from an XML declaration at the start of the body (XML 1.0 §4.3.3),
 * tolerating leading whitespace before `<?xml` (seen in real feeds).
 * @param bytes the body (only the first 1024 bytes are looked at; read as ASCII)
 * @returns the raw label, or null when there is no declaration or no encoding in it
 */
export function xmlDeclaredLabel(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 1024).toString('latin1');
  const m = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(head);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/**
 * Finds the charset an HTML page declares in `<meta charset>` or
 * `<meta http-equiv="Content-Type" content="…; charset=…">` (a simplified WHATWG HTML
 * "prescan a byte stream to determine its encoding": comments are skipped, attributes read
 * leniently). Looks at the first 4096 bytes because real pages put long comments or scripts
 * ahead of the meta (miniflux's `*-meta-after-1024.html` cases).
 * @param bytes the page body
 * @returns the raw label, or null when none is declared
 */
export function htmlMetaLabel(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 4096).toString('latin1').replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  const metaRe = /<meta(?=[\s/])([^>]*)>?/gi;
  for (let m = metaRe.exec(head); m !== null; m = metaRe.exec(head)) {
    const attrs = readAttributes(m[1] ?? '');
    const charset = attrs.get('charset');
    if (charset) return charset;
    const content = attrs.get('content');
    if (attrs.get('http-equiv')?.toLowerCase() === 'content-type' && content) {
      const c = /charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))/i.exec(content);
      if (c) return c[1] ?? c[2] ?? c[3] ?? null;
    }
  }
  return null;
}

function readAttributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const name = (m[1] ?? '').toLowerCase();
    // First occurrence wins, as in the HTML tokenizer.
    if (!attrs.has(name)) attrs.set(name, (m[2] ?? m[3] ?? m[4] ?? '').trim());
  }
  return attrs;
}

/**
 * Resolves a label read from inside an ASCII-compatible document (XML declaration, meta).
 * A UTF-16/UTF-32 label there contradicts the bytes it was read from (they were ASCII), so it
 * is taken as UTF-8, as WHATWG HTML does for `<meta charset=utf-16>`.
 * @param label raw label
 * @returns encoding name, or null for an unknown label
 */
export function inDocumentEncoding(label: string | null): string | null {
  if (label === null) return null;
  const name = encodingForLabel(label);
  if (name !== null && /^utf-(16|32)/.test(name)) return 'utf-8';
  return name;
}
