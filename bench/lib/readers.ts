import { performance } from 'node:perf_hooks';
import { Client } from 'undici';

/** How the readers behave. */
export interface ReaderOptions {
  /** Service origin, `http://127.0.0.1:PORT`. */
  origin: string;
  /** Concurrent readers, each one keep-alive connection and one request at a time. */
  readers: number;
  /** How long the readers run (ms), after the warm-up. */
  durationMs: number;
  /** Warm-up before measuring (ms): readers run, their samples are dropped (cold JIT, first build). */
  warmupMs: number;
  /** Upper bound on requests per reader, whatever the time. */
  maxRequestsPerReader: number;
  /** Per-request time limit (ms): headers and body. */
  requestTimeoutMs: number;
  /** Pause between two requests of one reader (ms); 0 = closed loop. */
  thinkMs: number;
  /** Called once when the warm-up ends (the caller snapshots its counters). */
  onMeasureStart?: () => void;
}

/** One request's outcome. */
export interface Sample {
  /** Wall time from sending to the last body byte (ms). */
  ms: number;
  /** HTTP status, 0 for a network error or timeout. */
  status: number;
  /** The request carried If-None-Match. */
  conditional: boolean;
  path: string;
  /** Accept-Encoding the reader sent (`identity` for none). */
  encoding: string;
  bytes: number;
}

/** Everything the readers saw. */
export interface ReaderRun {
  samples: Sample[];
  /** Up to 10 distinct network error messages, for the report. */
  errorMessages: string[];
  /** Actual wall time of the measured part (ms), warm-up excluded. */
  elapsedMs: number;
  /** Distinct feed versions served (ETags without the coding suffix, over both paths). */
  distinctEtags: number;
}

const PATHS = ['/feed.xml', '/feed.json'] as const;
// Readers differ in what they accept, as real feed readers do; the service caches each coding.
const ENCODINGS = ['gzip', 'br', null] as const;

/**
 * Runs `readers` concurrent reader loops against the service for `warmupMs` + `durationMs`,
 * keeping the samples of requests sent after the warm-up. Reader r asks
 * `/feed.xml` and `/feed.json` in turn, with Accept-Encoding gzip, br or none (r mod 3); every
 * other request per path is conditional (If-None-Match with the last ETag that path returned),
 * so half of the requests are conditional once ETags are known. Each loop ends at the deadline
 * or after `maxRequestsPerReader` requests; each request is bounded by `requestTimeoutMs`.
 * Bodies are drained but not decoded (the client's cost stays small next to the server's).
 * @param opts origin, reader count, duration and bounds (ms)
 * @returns every sample; never rejects for request failures (they are samples with status 0)
 */
export async function runReaders(opts: ReaderOptions): Promise<ReaderRun> {
  const samples: Sample[] = [];
  const errors = new Set<string>();
  const versions = new Set<string>();
  const warmupEnd = performance.now() + opts.warmupMs;
  const deadline = warmupEnd + opts.durationMs;

  const reader = async (r: number): Promise<void> => {
    const client = new Client(opts.origin, {
      keepAliveTimeout: 30_000,
      headersTimeout: opts.requestTimeoutMs,
      bodyTimeout: opts.requestTimeoutMs,
      pipelining: 1,
    });
    const encoding = ENCODINGS[r % ENCODINGS.length] ?? null;
    const etags = new Map<string, string>();
    try {
      for (let k = 0; k < opts.maxRequestsPerReader && performance.now() < deadline; k++) {
        const path = PATHS[k % PATHS.length] as string;
        const etag = etags.get(path);
        const conditional = Math.floor(k / PATHS.length) % 2 === 1 && etag !== undefined;
        const headers: Record<string, string> = { 'user-agent': `duofeed-bench-reader/${r}` };
        if (encoding !== null) headers['accept-encoding'] = encoding;
        if (conditional) headers['if-none-match'] = etag as string;
        const t0 = performance.now();
        let status = 0;
        let bytes = 0;
        try {
          const res = await client.request({ path, method: 'GET', headers, signal: AbortSignal.timeout(opts.requestTimeoutMs) });
          status = res.statusCode;
          for await (const chunk of res.body) bytes += (chunk as Buffer).length;
          const tag = res.headers.etag;
          if (typeof tag === 'string') {
            etags.set(path, tag);
            versions.add(`${path} ${tag.replace(/-(gzip|br)"$/, '"')}`);
          }
        } catch (err) {
          status = 0;
          if (t0 >= warmupEnd && errors.size < 10) errors.add(`${(err as Error).name}: ${(err as Error).message}`);
        }
        if (t0 >= warmupEnd) samples.push({ ms: performance.now() - t0, status, conditional, path, encoding: encoding ?? 'identity', bytes });
        if (opts.thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, opts.thinkMs));
      }
    } finally {
      await client.close().catch(() => client.destroy());
    }
  };

  if (opts.warmupMs <= 0) opts.onMeasureStart?.();
  const mark = setTimeout(() => {
    if (opts.warmupMs > 0) opts.onMeasureStart?.();
  }, opts.warmupMs);
  try {
    await Promise.all(Array.from({ length: opts.readers }, (_, r) => reader(r)));
  } finally {
    clearTimeout(mark);
  }
  return { samples, errorMessages: [...errors], elapsedMs: performance.now() - warmupEnd, distinctEtags: versions.size };
}
