import { Worker } from 'node:worker_threads';
import { DuofeedError, isErrorCode, type Stage } from '../errors.js';
import type { ParsedFeed } from '../types.js';
import { parseFeed, type ParseFeedOptions } from './parse-feed.js';

/**
 * Documents at least this long (UTF-16 code units ≈ bytes for feeds) are parsed in a worker
 * thread. Parsing is one synchronous run of xml2js, the DOM pass and normalization: about
 * 0.2–0.6 s per MB, so above half a MB it would stall the event loop (HTTP server, other
 * sources' polls) past ~200 ms (case 23). Below it a worker's start-up (~30 ms) costs more than
 * it saves.
 */
export const WORKER_THRESHOLD_CHARS = 512 * 1024;

/**
 * Old-generation heap cap of one parse worker (MB). Parsing the 19.8 MB / 9000-item feed of case
 * 23 peaks well below it; a document that needs more kills only the worker (PARSE_OUT_OF_MEMORY),
 * never the service.
 */
export const PARSE_WORKER_HEAP_MB = 256;

/** Options of {@link parseFeedInWorker} beyond those of parseFeed. */
export interface ParseRunOptions {
  /** Terminates the worker (shutdown); the promise then rejects with the signal's reason wrapped as INTERNAL. */
  signal?: AbortSignal;
  /** Threshold override (chars); 0 sends every document to a worker (tests). */
  inWorkerAboveChars?: number;
  /** Heap cap override (MB). */
  maxHeapMb?: number;
}

type WorkerReply =
  | { ok: true; feed: ParsedFeed }
  | { ok: false; error: { code: string; message: string; stage: Stage; url: string | null; sourceId: string | null; details: Record<string, unknown> } };

/**
 * Parses and normalizes one feed document like {@link parseFeed}, off the main thread when it is
 * large: the event loop stays free while a huge feed is parsed, and the worker's own heap cap
 * bounds its memory. Only the capped result (`opts.maxItems` newest items) is copied back.
 *
 * @param text decoded document
 * @param opts as for parseFeed (feed URL, time zone, item cap, source id)
 * @param run abort signal, threshold (chars) and heap cap (MB) overrides
 * @returns the parsed feed, identical to parseFeed's
 * @throws DuofeedError with parseFeed's codes (PARSE_EMPTY, PARSE_NOT_A_FEED, PARSE_XML,
 *   PARSE_JSON, PARSE_DTD_FORBIDDEN, INTERNAL); PARSE_OUT_OF_MEMORY when the worker exceeds its
 *   heap cap; INTERNAL when the worker cannot start, exits without an answer, or is aborted
 */
export async function parseFeedInWorker(text: string, opts: ParseFeedOptions, run: ParseRunOptions = {}): Promise<ParsedFeed> {
  if (text.length < (run.inWorkerAboveChars ?? WORKER_THRESHOLD_CHARS)) return parseFeed(text, opts);
  const ctx = { stage: 'parse' as const, url: opts.feedUrl, sourceId: opts.sourceId ?? null };
  const heapMb = run.maxHeapMb ?? PARSE_WORKER_HEAP_MB;
  return new Promise<ParsedFeed>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(new URL('./parse-worker.js', import.meta.url), {
      workerData: { text, opts },
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      stdout: false,
      stderr: false,
    });
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      run.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void =>
      settle(() => reject(new DuofeedError('INTERNAL', `Parsing feed ${opts.feedUrl} was aborted (shutdown).`, { ...ctx, cause: run.signal?.reason })));
    if (run.signal?.aborted) return onAbort();
    run.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: WorkerReply) => {
      settle(() => {
        if (reply.ok) return resolve(reply.feed);
        const e = reply.error;
        reject(new DuofeedError(isErrorCode(e.code) ? e.code : 'INTERNAL', e.message, { stage: e.stage, url: e.url, sourceId: e.sourceId, details: e.details }));
      });
    });
    worker.once('error', (err: Error & { code?: string }) => {
      settle(() => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          reject(
            new DuofeedError(
              'PARSE_OUT_OF_MEMORY',
              `Feed ${opts.feedUrl} (${text.length} characters) needed more than the ${heapMb} MB parse heap; lower http.maxFeedBytes or ask the publisher for a shorter feed.`,
              { ...ctx, cause: err, details: { chars: text.length, heapMb } },
            ),
          );
          return;
        }
        reject(new DuofeedError('INTERNAL', `The parse worker for feed ${opts.feedUrl} failed: ${err.message}.`, { ...ctx, cause: err }));
      });
    });
    worker.once('exit', (code) => {
      settle(() => reject(new DuofeedError('INTERNAL', `The parse worker for feed ${opts.feedUrl} exited (code ${code}) without an answer.`, ctx)));
    });
  });
}
