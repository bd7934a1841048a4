import type { DecodedBody } from '../fetch/decode.js';

/** Where decoding met bytes that are not valid in the encoding used. */
export interface InvalidBytes {
  /** Offset in the decoded text of the first U+FFFD that stands for invalid bytes. */
  at: number;
  /**
   * 1-based numbers of the `<outline>` elements (counted like parseOpml: every start tag in
   * document order) whose start tag holds a U+FFFD; empty when all are outside outlines.
   */
  outlines: number[];
  /** True: the bytes were checked strictly and are invalid. False: the encoding has no strict decoder here, so U+FFFD may be a real character. */
  certain: boolean;
}

const OUTLINE_TAG = /<outline\b[^>]*>/gi;

/**
 * Finds bytes an OPML file's declared (or defaulted) encoding cannot read. decodeBody never
 * throws: it turns such bytes into U+FFFD, which would silently become names (and slug ids like
 * `j`) in the config. When the text holds U+FFFD, the bytes are decoded again with a strict
 * WHATWG decoder (`TextDecoder`, `fatal: true`) to tell invalid bytes from a U+FFFD the file
 * really contains.
 * @param bytes the file's bytes
 * @param decoded what decodeBody made of them
 * @returns null when the text is what the file says; else the first U+FFFD and the outlines holding one
 */
export function findInvalidBytes(bytes: Buffer, decoded: DecodedBody): InvalidBytes | null {
  const at = decoded.text.indexOf('\uFFFD');
  if (at === -1) return null;
  let certain = false;
  try {
    new TextDecoder(decoded.encoding, { fatal: true }).decode(bytes);
    return null;
  } catch (e) {
    // RangeError: no strict decoder for this encoding (utf-32); TypeError: invalid bytes.
    certain = !(e instanceof RangeError);
  }
  const outlines: number[] = [];
  let n = 0;
  for (const m of decoded.text.matchAll(OUTLINE_TAG)) {
    n++;
    if (m[0].includes('\uFFFD')) outlines.push(n);
  }
  return { at, outlines, certain };
}
