import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';
import type { HttpSettings } from '../../src/types.js';
import { DuofeedError, type ErrorCode } from '../../src/errors.js';

/** HTTP settings for tests; loopback is allowed unless a test says otherwise. */
export function settings(over: Partial<HttpSettings> = {}): HttpSettings {
  return {
    timeoutMs: 5000,
    maxFeedBytes: 10 * 1024 * 1024,
    maxPageBytes: 5 * 1024 * 1024,
    maxRedirects: 5,
    userAgent: 'duofeed-test/1.0 (+https://example.com/bot)',
    allowPrivateNetworks: true,
    maxConcurrentSources: 4,
    maxConcurrentPages: 2,
    maxItemsPerFeed: 500,
    ...over,
  };
}

/** A pino logger whose JSON lines land in `lines`. */
export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger('warn', sink), lines };
}

/** Awaits `p`, asserts it rejects with a DuofeedError of `code`, and returns that error. */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode): Promise<DuofeedError> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof DuofeedError)) throw new Error(`expected DuofeedError ${code}, got ${String(err)}`, { cause: err });
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`, { cause: err });
    return err;
  }
  throw new Error(`expected rejection with ${code}, but it resolved`);
}
