import { DuofeedError } from '../errors.js';
import { BlockedAddressError } from './guarded-lookup.js';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** What was going on when a request failed. */
export interface FailureContext {
  /** URL being requested when it failed. */
  url: string;
  /** The subscribed URL (error context). */
  requestedUrl: string;
  /** True when the stage's own total timeout fired. */
  timedOut: boolean;
  timeoutMs: number;
}

/**
 * Classifies anything a request or body read threw. Errors are looked for along the `cause`
 * chain, since undici and streams wrap the socket's own error.
 * @param err the thrown value
 * @param ctx URL and timeout state
 * @returns the DuofeedError as is; FETCH_PRIVATE_ADDRESS for a refused resolved address;
 *   FETCH_TIMEOUT when the total timeout fired or a socket timed out; FETCH_DNS for resolver
 *   failures; FETCH_NETWORK for everything else (refused, reset, TLS, aborted by the caller)
 */
export function transportError(err: unknown, ctx: FailureContext): DuofeedError {
  if (err instanceof DuofeedError) return err;
  const base = { stage: 'fetch' as const, url: ctx.requestedUrl, cause: err };
  if (ctx.timedOut) {
    return new DuofeedError('FETCH_TIMEOUT', `${ctx.url}: no complete response within ${ctx.timeoutMs} ms`, {
      ...base,
      details: { timeoutMs: ctx.timeoutMs },
    });
  }
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof DuofeedError) return e;
    if (e instanceof BlockedAddressError) {
      return new DuofeedError(
        'FETCH_PRIVATE_ADDRESS',
        `${ctx.url}: refused to connect, ${e.message}; set http.allowPrivateNetworks to allow`,
        { ...base, details: { host: e.host, address: e.address, range: e.range } },
      );
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && DNS_CODES.has(code)) {
      return new DuofeedError('FETCH_DNS', `${ctx.url}: host name could not be resolved (${code})`, {
        ...base,
        details: { code },
      });
    }
    if (code !== undefined && TIMEOUT_CODES.has(code)) {
      return new DuofeedError('FETCH_TIMEOUT', `${ctx.url}: timed out (${code})`, {
        ...base,
        details: { code, timeoutMs: ctx.timeoutMs },
      });
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return new DuofeedError('FETCH_NETWORK', `${ctx.url}: request failed (${code ? `${code}: ` : ''}${message})`, {
    ...base,
    details: { code: code ?? null },
  });
}
