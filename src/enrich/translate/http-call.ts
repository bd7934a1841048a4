import { DuofeedError, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../../types.js';
import { parseRetryAfter } from '../../fetch/retry-after.js';
import type { RequestLimiter } from './limiter.js';

/** How one provider request is made and retried. */
export interface HttpCallSettings {
  provider: string;
  timeoutMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  maxBackoffMs: number;
  maxRetryAfterMs: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  clock: Clock;
  logger: Logger;
  limiter: RequestLimiter;
  userAgent: string;
}

/** A 2xx answer's parsed JSON and how many requests it took. */
export interface HttpCallResult {
  json: unknown;
  requests: number;
  /** Of `requests`, how many were refused with an error status (providers do not bill those). */
  refused: number;
}

/**
 * The provider's own words from an error body: LibreTranslate `{"error": "..."}`, DeepL
 * `{"message": "..."}`, OpenAI `{"error": {"message": "..."}}`, else the start of the text.
 */
function providerMessage(text: string): string {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const e = j['error'];
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object' && typeof (e as Record<string, unknown>)['message'] === 'string') return (e as Record<string, string>)['message'] as string;
    if (typeof j['message'] === 'string') return j['message'];
    if (typeof j['detail'] === 'string') return j['detail'];
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 200);
}

/** Error code of a non-2xx status, and whether it is worth retrying. */
function classify(status: number): { code: ErrorCode; retry: boolean } {
  if (status === 401 || status === 403) return { code: 'TRANSLATE_AUTH', retry: false };
  if (status === 456) return { code: 'TRANSLATE_QUOTA', retry: false };
  if (status === 429) return { code: 'TRANSLATE_RATE_LIMITED', retry: true };
  if (status >= 500 || status === 408) return { code: 'TRANSLATE_HTTP_STATUS', retry: true };
  return { code: 'TRANSLATE_HTTP_STATUS', retry: false };
}

/** The URL without query or credentials, for messages (keys never travel in URLs, but be sure). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * POSTs `body` as JSON to `url` and parses the JSON answer, through the limiter, with a
 * per-request timeout, and retries with exponential backoff (base·2^n, jittered to 50–100 %,
 * capped) after 429, 5xx, 408, timeouts and network failures; a `Retry-After` (seconds or
 * HTTP-date, RFC 9110 §10.2.3) replaces the backoff. 401/403, 456 and other 4xx are not retried.
 * @param url full endpoint URL
 * @param headers extra request headers (authorization)
 * @param body JSON-serializable request body
 * @returns the parsed 2xx JSON, the number of requests made and how many were refused with a status
 * @throws DuofeedError (stage enrich; `details.requests`, `details.refused`, `details.status`):
 *   TRANSLATE_AUTH (401/403), TRANSLATE_QUOTA (456), TRANSLATE_RATE_LIMITED (429 after the
 *   retries, or a Retry-After above maxRetryAfterMs), TRANSLATE_HTTP_STATUS, TRANSLATE_TIMEOUT,
 *   TRANSLATE_NETWORK, TRANSLATE_BAD_RESPONSE (2xx whose body is not JSON)
 */
export async function postJson(
  s: HttpCallSettings,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<HttpCallResult> {
  const where = safeUrl(url);
  const payload = JSON.stringify(body);
  let requests = 0;
  let refused = 0;
  for (let attempt = 0; ; attempt++) {
    let failure: DuofeedError;
    let retryAfterMs: number | null = null;
    let retryable: boolean;
    requests++;
    const outcome = await s.limiter.run(() => attemptOnce(s, url, where, headers, payload));
    if (outcome.kind === 'ok') {
      try {
        return { json: JSON.parse(outcome.text) as unknown, requests, refused };
      } catch (err) {
        throw new DuofeedError('TRANSLATE_BAD_RESPONSE', `${s.provider} at ${where} answered ${outcome.status} with a body that is not JSON`, {
          stage: 'enrich',
          url: where,
          cause: err,
          details: { requests, refused, status: outcome.status, body: outcome.text.slice(0, 200) },
        });
      }
    }
    if (outcome.kind === 'status') {
      refused++;
      const { code, retry } = classify(outcome.status);
      retryable = retry;
      retryAfterMs = parseRetryAfter(outcome.retryAfter, s.clock.now());
      failure = new DuofeedError(
        code,
        `${s.provider} at ${where} answered HTTP ${outcome.status}: ${providerMessage(outcome.text) || 'no message'}`,
        { stage: 'enrich', url: where, details: { requests, refused, status: outcome.status, retryAfterMs } },
      );
    } else {
      retryable = true;
      failure = outcome.error;
      failure.details['requests'] = requests;
      failure.details['refused'] = refused;
    }
    if (!retryable || attempt >= s.maxRetries) throw failure;
    if (retryAfterMs !== null && retryAfterMs > s.maxRetryAfterMs) {
      throw new DuofeedError(
        'TRANSLATE_RATE_LIMITED',
        `${s.provider} at ${where} asks to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After), more than translation.maxRetryAfterMs; giving up for now`,
        { stage: 'enrich', url: where, cause: failure, details: { requests, refused, retryAfterMs } },
      );
    }
    const backoff = Math.min(s.maxBackoffMs, s.backoffBaseMs * 2 ** attempt) * (0.5 + s.random() / 2);
    const waitMs = Math.round(retryAfterMs ?? backoff);
    s.logger.warn({ provider: s.provider, url: where, attempt: attempt + 1, waitMs, err: failure }, 'translation request failed; retrying');
    await s.sleep(waitMs);
  }
}

type Attempt =
  | { kind: 'ok'; status: number; text: string }
  | { kind: 'status'; status: number; text: string; retryAfter: string | null }
  | { kind: 'error'; error: DuofeedError };

async function attemptOnce(
  s: HttpCallSettings,
  url: string,
  where: string,
  headers: Record<string, string>,
  payload: string,
): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, s.timeoutMs);
  try {
    const res = await s.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': s.userAgent, ...headers },
      body: payload,
      signal: controller.signal,
    });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) return { kind: 'ok', status: res.status, text };
    return { kind: 'status', status: res.status, text, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    if (timedOut) {
      return {
        kind: 'error',
        error: new DuofeedError('TRANSLATE_TIMEOUT', `${s.provider} at ${where} did not answer within ${s.timeoutMs} ms`, {
          stage: 'enrich',
          url: where,
          cause: err,
          details: { timeoutMs: s.timeoutMs },
        }),
      };
    }
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    return {
      kind: 'error',
      error: new DuofeedError('TRANSLATE_NETWORK', `${s.provider} at ${where} could not be reached: ${cause}`, {
        stage: 'enrich',
        url: where,
        cause: err,
        details: {},
      }),
    };
  } finally {
    clearTimeout(timer);
  }
}
