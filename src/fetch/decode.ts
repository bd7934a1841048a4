import iconv from 'iconv-lite';
import { encodingForLabel, isSingleByteEncoding } from './charset-labels.js';
import { parseContentType } from './content-type.js';
import {
  hasStrayUtf8Bom,
  htmlMetaLabel,
  inDocumentEncoding,
  sniffBom,
  sniffXmlPattern,
  xmlDeclaredLabel,
} from './sniff-encoding.js';
import { utf8Stats } from './utf8-stats.js';

/** Which signal decided the encoding. */
export type EncodingSource =
  | 'bom'
  | 'byte-pattern'
  | 'http-charset'
  | 'xml-declaration'
  | 'html-meta'
  | 'default'
  | 'utf8-detected'
  | 'legacy-fallback';

/** A decoded body. */
export interface DecodedBody {
  /** The text, without any byte order mark. */
  text: string;
  /** Encoding name used (WHATWG name, lower case, e.g. `utf-8`, `gb18030`, `windows-1252`). */
  encoding: string;
  /** The signal that chose `encoding`. */
  source: EncodingSource;
  /** Things a careful reader should log (mislabelled charset, stray BOM), without the URL. */
  warnings: string[];
}

/**
 * Turns a body into text, choosing the encoding by the precedence of the WHATWG Encoding
 * Standard / XML 1.0 §4.3.3 + Appendix F / RFC 7303:
 *  1. a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE) — also a UTF-8 BOM after leading
 *     whitespace; for feeds, the BOM-less UTF-16/32 layout of `<?`;
 *  2. the HTTP `charset` parameter, when it names a known encoding;
 *  3. feeds: the XML declaration's `encoding`; pages: `<meta charset>` /
 *     `<meta http-equiv=Content-Type>` in the first 4096 bytes (then an XML declaration);
 *  4. UTF-8 (never windows-1252 for XML, RFC 7303 §3.2).
 * Corrections on top, each reported in `warnings`:
 *  - an HTTP `charset=utf-8` contradicted by bytes that are not UTF-8 gives way to the
 *    document's own declaration (else windows-1252 when most multi-byte sequences are invalid);
 *  - a declared single-byte charset (2.–3.) contradicted by bytes that are valid UTF-8 with
 *    multi-byte sequences is replaced by UTF-8 (real: finanzen.net declares iso-8859-1, sends UTF-8);
 *  - with nothing declared, bytes that are mostly invalid UTF-8 are read as windows-1252 (the
 *    WHATWG legacy default) rather than turned into U+FFFD.
 * Labels map per WHATWG (gb2312/gbk → gb18030, latin1/us-ascii → windows-1252, …). The BOM
 * and leading whitespace + a stray U+FEFF are removed from the text.
 *
 * @param bytes the decompressed body
 * @param contentTypeHeader the response's Content-Type value, or null
 * @param kind 'feed' (XML/JSON rules) or 'page' (HTML rules)
 * @returns text, the encoding used, which signal decided it, warnings. Never throws: bytes
 *   invalid in the chosen encoding become U+FFFD.
 */
export function decodeBody(bytes: Buffer, contentTypeHeader: string | null, kind: 'feed' | 'page'): DecodedBody {
  const warnings: string[] = [];
  let body = bytes;
  let encoding: string | null = null;
  let source: EncodingSource = 'default';

  const bom = sniffBom(bytes) ?? (kind === 'feed' ? sniffXmlPattern(bytes) : null);
  if (bom) {
    encoding = bom.encoding;
    source = bom.skip > 0 ? 'bom' : 'byte-pattern';
    body = bytes.subarray(bom.skip);
  } else if (hasStrayUtf8Bom(bytes)) {
    encoding = 'utf-8';
    source = 'bom';
  }

  if (encoding === null) {
    const httpLabel = parseContentType(contentTypeHeader).charset;
    const fromHttp = httpLabel === null ? null : encodingForLabel(httpLabel);
    if (fromHttp !== null) {
      encoding = fromHttp;
      source = 'http-charset';
    } else if (httpLabel !== null) {
      warnings.push(`unknown charset "${httpLabel}" in Content-Type ignored`);
    }
  }

  if (encoding === null) {
    const metaLabel = kind === 'page' ? htmlMetaLabel(bytes) : null;
    const fromMeta = inDocumentEncoding(metaLabel);
    const declLabel = xmlDeclaredLabel(bytes);
    const fromDecl = inDocumentEncoding(declLabel);
    if (fromMeta !== null) {
      encoding = fromMeta;
      source = 'html-meta';
    } else if (fromDecl !== null) {
      encoding = fromDecl;
      source = 'xml-declaration';
    } else {
      const unknown = metaLabel ?? declLabel;
      if (unknown !== null) warnings.push(`unknown encoding "${unknown}" declared in the document ignored`);
    }
  }

  if (encoding !== null && source !== 'bom' && source !== 'byte-pattern' && isSingleByteEncoding(encoding)) {
    const stats = utf8Stats(body);
    if (stats.invalid === 0 && stats.multibyte > 0) {
      warnings.push(`declared ${encoding} (${source}) but the bytes are UTF-8; decoded as UTF-8`);
      encoding = 'utf-8';
      source = 'utf8-detected';
    }
  } else if (encoding === 'utf-8' && source === 'http-charset') {
    // A server labelling every response utf-8 while the document itself declares a legacy
    // encoding (real: GB2312 feeds behind a default Content-Type): bytes that are not UTF-8
    // follow the in-document declaration instead of turning into U+FFFD.
    const stats = utf8Stats(body);
    if (stats.invalid > 0) {
      const inDoc = inDocumentEncoding(kind === 'page' ? (htmlMetaLabel(bytes) ?? xmlDeclaredLabel(bytes)) : xmlDeclaredLabel(bytes));
      if (inDoc !== null && inDoc !== 'utf-8') {
        warnings.push(`Content-Type says utf-8 but the bytes are not UTF-8; decoded as ${inDoc} as the document declares`);
        encoding = inDoc;
        source = kind === 'page' ? 'html-meta' : 'xml-declaration';
      } else if (stats.invalid >= stats.multibyte) {
        warnings.push('Content-Type says utf-8 but the bytes are not UTF-8; decoded as windows-1252');
        encoding = 'windows-1252';
        source = 'legacy-fallback';
      } else {
        warnings.push(`Content-Type says utf-8 but ${stats.invalid} byte sequence(s) are not UTF-8; replaced with U+FFFD`);
      }
    }
  } else if (encoding === null) {
    const stats = utf8Stats(body);
    encoding = 'utf-8';
    if (stats.invalid > 0 && stats.invalid >= stats.multibyte) {
      warnings.push('no encoding declared and the bytes are not UTF-8; decoded as windows-1252');
      encoding = 'windows-1252';
      source = 'legacy-fallback';
    }
  }

  let text = decodeWith(body, encoding);
  const stray = /^[\t\n\r ]*\uFEFF/.exec(text);
  if (stray) {
    warnings.push('byte order mark after leading whitespace removed');
    text = text.slice(stray[0].length);
  } else if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  return { text, encoding, source, warnings };
}

/** iconv-lite codec names that differ from the WHATWG names. */
const ICONV_NAMES: Record<string, string> = {
  'x-mac-cyrillic': 'maccyrillic',
  'iso-8859-8-i': 'iso-8859-8',
};

function decodeWith(bytes: Buffer, encoding: string): string {
  const codec = ICONV_NAMES[encoding] ?? encoding;
  if (!iconv.encodingExists(codec)) {
    // iconv-lite lacks a few stateful codecs (iso-2022-jp); Node's ICU decoder has them.
    return new TextDecoder(encoding).decode(bytes);
  }
  const text = iconv.decode(bytes, codec, { stripBOM: false });
  if (encoding === 'windows-1252' && text.includes('\uFFFD') && text.length === bytes.length) {
    // WHATWG maps the five bytes windows-1252 leaves undefined (81 8D 8F 90 9D) to the C1
    // controls of the same value; iconv-lite yields U+FFFD for them.
    return text.replace(/\uFFFD/g, (_m, offset: number) => String.fromCharCode(bytes[offset]!));
  }
  return text;
}
