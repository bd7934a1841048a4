import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Content codings the server produces. */
export type Encoding = 'identity' | 'gzip' | 'br';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * Chooses the response coding from Accept-Encoding (RFC 9110 §12.5.3): the highest q-value among
 * br and gzip (x-gzip counts as gzip; `*` covers both); br wins a tie. `q=0` refuses a coding.
 * @param header Accept-Encoding value, undefined when absent (then identity)
 * @returns `br`, `gzip` or `identity`
 */
export function negotiateEncoding(header: string | undefined): Encoding {
  if (header === undefined || header.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.trim().toLowerCase().split(';');
    const name = rawName?.trim() === 'x-gzip' ? 'gzip' : (rawName?.trim() ?? '');
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    if (name !== '' && !Number.isNaN(weight)) q.set(name, Math.max(q.get(name) ?? 0, weight));
  }
  const star = q.get('*');
  const br = q.get('br') ?? star ?? 0;
  const gz = q.get('gzip') ?? star ?? 0;
  if (br <= 0 && gz <= 0) return 'identity';
  return br >= gz ? 'br' : 'gzip';
}

/**
 * Compresses a body (async, off the event loop).
 * @param body bytes to send
 * @param encoding target coding; `identity` returns `body` itself
 * @returns the encoded bytes; rejects only on a zlib failure (a bug)
 */
export async function compressBody(body: Buffer, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzip(body);
  if (encoding === 'br') {
    // Quality 6 is a fraction of the cost of the default 11 for a few percent more bytes; the
    // result is cached per feed build, so this runs once per build and coding.
    return brotli(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
  }
  return body;
}
