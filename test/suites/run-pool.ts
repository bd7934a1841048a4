import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Outcome, WorkRequest } from './outcome.js';

/** Options of {@link runAll}. */
export interface PoolOptions {
  /** Worker threads (default: available cores, at most 2: the CI machine's size). */
  workers?: number;
  /** A file still running after this long is a hang: its worker is ended and replaced (ms). */
  hangMs: number;
}

/** Results of {@link runAll}: one outcome per request (same order) and unhandled rejections seen. */
export interface PoolResult {
  outcomes: Outcome[];
  unhandled: string[];
}

/**
 * Runs every request in a small pool of parse workers (test/suites/parse-worker.ts). A file that
 * takes longer than `hangMs` is recorded as `hang` and its worker terminated and replaced, so
 * one runaway input cannot stall the run; a worker that dies records `crash` for its file.
 * @param requests files to run
 * @returns outcomes in request order, plus any unhandled rejection reported by a worker
 */
export async function runAll(requests: WorkRequest[], opts: PoolOptions): Promise<PoolResult> {
  const size = Math.max(1, Math.min(opts.workers ?? Math.min(2, os.availableParallelism()), requests.length));
  const outcomes: Outcome[] = new Array<Outcome>(requests.length);
  const unhandled: string[] = [];
  let next = 0;
  const workerUrl = new URL('./parse-worker.js', import.meta.url);

  const lane = async (): Promise<void> => {
    let worker: Worker | null = null;
    const fresh = (): Worker => {
      const w = new Worker(workerUrl);
      w.on('message', (m: { unhandled?: string }) => {
        if (m.unhandled !== undefined) unhandled.push(m.unhandled);
      });
      return w;
    };
    while (next < requests.length) {
      const index = next++;
      const req = requests[index]!;
      worker ??= fresh();
      const w = worker;
      outcomes[index] = await new Promise<Outcome>((resolve) => {
        const started = Date.now();
        const done = (o: Outcome): void => {
          clearTimeout(timer);
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
          resolve(o);
        };
        const onMessage = (m: { id?: number; outcome?: Outcome }): void => {
          if (m.id === req.id && m.outcome) done(m.outcome);
        };
        const onError = (err: Error): void => {
          worker = null;
          done({ kind: 'crash', ms: Date.now() - started, encoding: null, text: null, message: `worker error: ${err.stack ?? err.message}` });
        };
        const onExit = (code: number): void => {
          worker = null;
          done({ kind: 'crash', ms: Date.now() - started, encoding: null, text: null, message: `worker exited with ${code}` });
        };
        const timer = setTimeout(() => {
          worker = null;
          void w.terminate();
          done({ kind: 'hang', ms: Date.now() - started, encoding: null, text: null, message: `no result after ${opts.hangMs} ms` });
        }, opts.hangMs);
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        w.postMessage(req);
      });
    }
    if (worker) await (worker as Worker).terminate();
  };
  await Promise.all(Array.from({ length: size }, () => lane()));
  return { outcomes, unhandled };
}
