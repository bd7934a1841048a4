/** How a byte sequence fares when read as UTF-8. */
export interface Utf8Stats {
  /** Well-formed multi-byte sequences (non-ASCII characters). */
  multibyte: number;
  /** Bytes that cannot start or continue a well-formed sequence. */
  invalid: number;
}

/**
 * Counts well-formed multi-byte UTF-8 sequences and invalid bytes (Unicode §3.9, Table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF). Used to tell a UTF-8 body from a
 * single-byte legacy one: text in windows-1252 & co. almost never forms valid multi-byte
 * sequences, while UTF-8 text with any non-ASCII character always does.
 * @param bytes the body
 * @returns counts; `invalid === 0` means the whole input is valid UTF-8
 */
export function utf8Stats(bytes: Uint8Array): Utf8Stats {
  let multibyte = 0;
  let invalid = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      invalid++;
      i++;
      continue;
    }
    let ok = i + need < n;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!;
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c < min || c > max) ok = false;
    }
    if (ok) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { multibyte, invalid };
}
