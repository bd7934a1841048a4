/**
 * Worker thread of the peer-suite test: runs one corpus file at a time through the real stages
 * (fetch/decode → parse/parseFeed) and posts back an {@link Outcome}. Running in a worker lets
 * the parent stop a file that hangs (a synchronous loop cannot be timed out in-thread).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
import { DuofeedError } from '../../src/errors.js';
import { decodeBody } from '../../src/fetch/decode.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import type { Outcome, WorkRequest } from './outcome.js';

const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');

process.on('unhandledRejection', (reason) => {
  port.postMessage({ unhandled: String(reason instanceof Error ? (reason.stack ?? reason.message) : reason) });
});

async function run(req: WorkRequest): Promise<Outcome> {
  let bytes = fs.readFileSync(req.abs);
  // A gzip file stands for a body sent with Content-Encoding: gzip, which fetch inflates.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
  const t0 = performance.now();
  let encoding: string | null = null;
  let text: string | null = null;
  try {
    const decoded = decodeBody(bytes, req.contentType, 'feed');
    encoding = decoded.encoding;
    text = decoded.text;
    const feed = await parseFeed(text, { feedUrl: req.feedUrl, timezone: null, maxItems: 10_000 });
    return {
      kind: 'feed',
      ms: performance.now() - t0,
      encoding,
      text: req.wantText ? text : null,
      format: feed.format,
      title: feed.title,
      siteUrl: feed.siteUrl,
      items: feed.items.map((i) => ({
        title: i.title,
        url: i.url,
        guid: i.guid,
        publishedAt: i.publishedAt,
        modifiedAt: i.modifiedAt,
      })),
      warnings: feed.warnings,
    };
  } catch (err) {
    const ms = performance.now() - t0;
    // INTERNAL is the wrapper of an unexpected exception: a bug, not a coded refusal.
    if (err instanceof DuofeedError && err.code !== 'INTERNAL' && encoding !== null && text !== null) {
      return { kind: 'coded', ms, encoding, text: req.wantText ? text : null, code: err.code, message: err.message };
    }
    const message = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
    return { kind: 'crash', ms, encoding, text: req.wantText ? text : null, message };
  }
}

port.on('message', (req: WorkRequest) => {
  run(req).then(
    (outcome) => port.postMessage({ id: req.id, outcome }),
    (err: unknown) => port.postMessage({ id: req.id, outcome: { kind: 'crash', ms: 0, encoding: null, text: null, message: String(err) } }),
  );
});
