import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { DuofeedError } from '../errors.js';

/** What the body may be, and whose it is (for error messages). */
export interface BodyLimit {
  /** Cap on the decompressed body (bytes). */
  maxBytes: number;
  /** Names the body in messages ("feed exceeds …", "page exceeds …"). */
  kind: 'feed' | 'page';
  /** URL the body came from (named in errors). */
  url: string;
  /** URL the caller asked for (error context), when it differs from `url`. */
  requestedUrl: string;
}

/** A read body. */
export interface ReadBody {
  /** Decompressed bytes, at most `maxBytes`. */
  bytes: Buffer;
  /** Transport oddities worth a log line (mislabelled gzip, …), without the URL. */
  warnings: string[];
}

/**
 * Reads a response body as a stream, undoing its Content-Encoding (gzip / x-gzip, deflate in
 * zlib or raw form, br; RFC 9110 §8.4) whatever the request asked for, and counting the
 * decompressed bytes as they come: the read stops as soon as the count passes the cap, so a
 * gzip bomb never inflates past `maxBytes`. A body without Content-Encoding that starts with
 * the gzip magic bytes (1F 8B) is inflated too (servers that gzip without saying so); a body
 * labelled gzip that is not gzip is taken as it is.
 *
 * @param body the response body stream (undici `body`); it is destroyed on any failure
 * @param contentEncoding the Content-Encoding header value, or null
 * @param announcedLength Content-Length in bytes, or null; refused up front when over the cap
 * @param limit cap and names for messages
 * @returns the bytes and warnings
 * @throws DuofeedError FETCH_TOO_LARGE (`feed exceeds 10 MiB limit (N bytes read)` naming the
 *   URL), FETCH_DECOMPRESS (corrupt or unsupported encoding); stream errors (aborts, resets)
 *   are rethrown as they are for the caller to classify
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | null,
  announcedLength: number | null,
  limit: BodyLimit,
): Promise<ReadBody> {
  const warnings: string[] = [];
  let codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');

  // Also for encoded bodies: only incompressible data grows when compressed, and by far less than
  // 1%, so an encoded body announced over the cap cannot decompress to within it.
  if (announcedLength !== null && announcedLength > limit.maxBytes) {
    // undici's body emits an AbortError when destroyed; nobody else listens any more.
    body.on('error', () => undefined).destroy();
    throw tooLarge(limit, 0, `, Content-Length ${announcedLength}`);
  }

  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  const isGzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (codings.length === 0 && isGzip) {
    warnings.push('body is gzip without a Content-Encoding header; decompressed');
    codings = ['gzip'];
  } else if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip') && head.length > 0 && !isGzip) {
    warnings.push('Content-Encoding says gzip but the body is not gzip; read as is');
    codings = [];
  }

  let decoders: Transform[];
  try {
    // Codings are listed in the order they were applied; undo them last-first.
    decoders = codings.reverse().map((c, i) => decoderFor(c, i === 0 ? head : null, limit));
  } catch (err) {
    await it.return?.();
    throw err;
  }

  async function* source(): AsyncGenerator<Buffer> {
    try {
      if (!first.done) yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      // Ends the download (undici releases the socket) when the sink stops early.
      await it.return?.();
    }
  }

  const chunks: Buffer[] = [];
  let total = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limit.maxBytes) {
        callback(tooLarge(limit, total, ''));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });

  try {
    await pipeline([Readable.from(source()), ...decoders, sink]);
  } catch (err) {
    if (err instanceof DuofeedError) throw err;
    if (decoders.some((d) => d.errored === err)) {
      throw new DuofeedError('FETCH_DECOMPRESS', `${limit.url}: ${codings.join(', ')} body is corrupt (${(err as Error).message})`, {
        stage: 'fetch',
        url: limit.requestedUrl,
        cause: err,
        details: { contentEncoding, bytesRead: total },
      });
    }
    throw err;
  }
  return { bytes: Buffer.concat(chunks, total), warnings };
}

function decoderFor(coding: string, head: Buffer | null, limit: BodyLimit): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      // RFC 9110 says zlib-wrapped, yet many servers send raw deflate: look at the zlib header.
      return head !== null && head.length >= 2 && !isZlibHeader(head) ? zlib.createInflateRaw() : zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new DuofeedError('FETCH_DECOMPRESS', `${limit.url}: unsupported Content-Encoding "${coding}"`, {
        stage: 'fetch',
        url: limit.requestedUrl,
        details: { contentEncoding: coding },
      });
  }
}

function isZlibHeader(head: Buffer): boolean {
  const cmf = head[0]!;
  const flg = head[1]!;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

function tooLarge(limit: BodyLimit, bytesRead: number, extra: string): DuofeedError {
  return new DuofeedError(
    'FETCH_TOO_LARGE',
    `${limit.url}: ${limit.kind} exceeds ${formatBytes(limit.maxBytes)} limit (${bytesRead} bytes read${extra})`,
    { stage: 'fetch', url: limit.requestedUrl, details: { maxBytes: limit.maxBytes, bytesRead } },
  );
}

/**
 * Formats a byte count the way limits are configured: `10 MiB`, `512 KiB`, else `N bytes`.
 * @param n bytes
 */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
