/**
 * Entry of the parse worker (see parse-in-worker.ts): parses the document it was started with
 * and posts back either `{ ok: true, feed }` or `{ ok: false, error }` with the error's code,
 * message, stage, url, source id and details as plain data (class instances do not survive
 * structured cloning).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DuofeedError } from '../errors.js';
import { parseFeed, type ParseFeedOptions } from './parse-feed.js';

const { text, opts } = workerData as { text: string; opts: ParseFeedOptions };
const port = parentPort;

try {
  const feed = await parseFeed(text, opts);
  port?.postMessage({ ok: true, feed });
} catch (err) {
  const e =
    err instanceof DuofeedError
      ? err
      : new DuofeedError('INTERNAL', `Parsing feed ${opts.feedUrl} failed unexpectedly: ${String(err)}.`, { stage: 'parse', url: opts.feedUrl, cause: err });
  const error = { code: e.code, message: e.message, stage: e.stage, url: e.url, sourceId: e.sourceId, details: e.details };
  try {
    port?.postMessage({ ok: false, error });
  } catch {
    // Details that cannot be cloned are dropped rather than losing the error itself.
    port?.postMessage({ ok: false, error: { ...error, details: {} } });
  }
}
