/** The hub as requests need it: the URL without credentials, and the credentials as a header. */
export interface HubEndpoint {
  /** Absolute URL requests go to (user:password removed: fetch refuses URLs carrying them). */
  url: string;
  /** `Basic …` when the configured URL carried user:password, else null. */
  authorization: string | null;
  /** Origin and path only, for logs and messages (no credentials, no query). */
  display: string;
}

/**
 * Splits a configured hub URL into where to send and how to authenticate.
 * @param hubUrl absolute http(s) URL, possibly `https://user:secret@hub.example/`
 * @throws TypeError when `hubUrl` is not an absolute URL
 */
export function hubEndpoint(hubUrl: string): HubEndpoint {
  const u = new URL(hubUrl);
  let authorization: string | null = null;
  if (u.username !== '' || u.password !== '') {
    const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  return { url: u.href, authorization, display: `${u.origin}${u.pathname}` };
}

/** What one publish request came to. */
export type PublishOutcome =
  | { kind: 'accepted'; status: number }
  | { kind: 'status'; status: number; retryAfter: string | null; text: string }
  | { kind: 'timeout'; timeoutMs: number; cause: unknown }
  | { kind: 'network'; message: string; cause: unknown }
  | { kind: 'aborted' };

/** One publish request's settings. */
export interface PublishRequest {
  hub: HubEndpoint;
  userAgent: string;
  /** Whole request, headers and body (ms). */
  timeoutMs: number;
  fetch: typeof fetch;
  /** Aborts the request (shutdown); the outcome is then `aborted`. */
  signal: AbortSignal;
}

/**
 * POSTs one publish notification: `application/x-www-form-urlencoded` body
 * `hub.mode=publish&hub.url=<topic>` (PubSubHubbub 0.3 §7.1, which W3C WebSub leaves to hubs and
 * Google's and Superfeedr's hubs still accept). One `hub.url` per request: 0.3 allows repeating
 * it, but hubs that read a single value would silently drop the others.
 * @param req hub, User-Agent, timeout (ms), fetch and shutdown signal
 * @param topic absolute feed URL that changed
 * @returns `accepted` on any 2xx (hubs usually answer 204), `status` with the Retry-After header
 *   and up to 200 characters of the body otherwise, `timeout`, `network`, or `aborted`; never throws
 */
export async function postPublish(req: PublishRequest, topic: string): Promise<PublishOutcome> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), req.timeoutMs);
  timer.unref();
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': req.userAgent,
  };
  if (req.hub.authorization !== null) headers['authorization'] = req.hub.authorization;
  try {
    const res = await req.fetch(req.hub.url, {
      method: 'POST',
      headers,
      body: new URLSearchParams([
        ['hub.mode', 'publish'],
        ['hub.url', topic],
      ]).toString(),
      signal: AbortSignal.any([req.signal, timeout.signal]),
      // A redirected POST may turn into a GET (301/302); a moved hub is a config fix, so say so.
      redirect: 'manual',
    });
    const text = (await res.text()).trim().slice(0, 200);
    if (res.status >= 200 && res.status < 300) return { kind: 'accepted', status: res.status };
    return { kind: 'status', status: res.status, retryAfter: res.headers.get('retry-after'), text };
  } catch (cause) {
    if (req.signal.aborted) return { kind: 'aborted' };
    if (timeout.signal.aborted) return { kind: 'timeout', timeoutMs: req.timeoutMs, cause };
    const message = cause instanceof Error && cause.cause instanceof Error ? cause.cause.message : cause instanceof Error ? cause.message : String(cause);
    return { kind: 'network', message, cause };
  } finally {
    clearTimeout(timer);
  }
}
