import { DuofeedError } from '../errors.js';
import { parseTargetUrl } from './target-url.js';

/** Redirect statuses followed (RFC 9110 §15.4); 300/304/305/306 are not redirects to follow. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * True for a status that is followed as a redirect.
 * @param status HTTP status code
 */
export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** The redirect chain of one fetch. */
export class RedirectChain {
  /** URLs requested so far, first the subscribed one. */
  readonly visited: string[];
  /** False once any hop was temporary (302/303/307). */
  private allPermanent = true;

  constructor(
    readonly requestedUrl: string,
    private readonly maxRedirects: number,
  ) {
    this.visited = [requestedUrl];
  }

  /** Redirects followed so far. */
  get hops(): number {
    return this.visited.length - 1;
  }

  /** The URL to store when every hop was permanent (301/308), else null. */
  get permanentTarget(): string | null {
    return this.hops > 0 && this.allPermanent ? (this.visited[this.visited.length - 1] ?? null) : null;
  }

  /**
   * Takes one redirect response and returns the URL to request next. The Location is resolved
   * against the current URL (RFC 9110 §10.2.2, relative references allowed). A loop is reported
   * on the first repeated URL, before the hop limit is reached.
   * @param status the redirect status (301, 302, 303, 307, 308)
   * @param location the Location header value, or null
   * @returns the absolute URL of the next hop
   * @throws DuofeedError FETCH_REDIRECT_NO_LOCATION (`302 without Location`),
   *   FETCH_REDIRECT_LOOP (`redirect loop: /loop-a -> /loop-b -> /loop-a`),
   *   FETCH_TOO_MANY_REDIRECTS (`too many redirects (>5)`, naming the last Location),
   *   FETCH_BAD_URL (Location unparsable or not http/https); all name the subscribed URL
   */
  follow(status: number, location: string | null): string {
    const current = this.visited[this.visited.length - 1]!;
    const ctx = { stage: 'fetch' as const, url: this.requestedUrl };
    if (location === null || location.trim() === '') {
      throw new DuofeedError(
        'FETCH_REDIRECT_NO_LOCATION',
        `${this.requestedUrl}: ${status} without Location${current === this.requestedUrl ? '' : ` at ${current}`}`,
        { ...ctx, details: { status, at: current } },
      );
    }
    let next: string;
    try {
      next = new URL(location.trim(), current).href;
    } catch (err) {
      throw new DuofeedError('FETCH_BAD_URL', `${this.requestedUrl}: redirect to unparsable Location "${location}"`, {
        ...ctx,
        cause: err,
      });
    }
    parseTargetUrl(next, this.requestedUrl);
    if (this.visited.includes(next)) {
      const chain = [...this.visited, next].map((u) => this.show(u)).join(' -> ');
      throw new DuofeedError('FETCH_REDIRECT_LOOP', `${this.requestedUrl}: redirect loop: ${chain}`, {
        ...ctx,
        details: { chain: [...this.visited, next] },
      });
    }
    if (this.hops >= this.maxRedirects) {
      throw new DuofeedError(
        'FETCH_TOO_MANY_REDIRECTS',
        `${this.requestedUrl}: too many redirects (>${this.maxRedirects}), last Location ${next}`,
        { ...ctx, details: { maxRedirects: this.maxRedirects, lastLocation: next, chain: [...this.visited] } },
      );
    }
    if (status !== 301 && status !== 308) this.allPermanent = false;
    this.visited.push(next);
    return next;
  }

  /** Same-origin URLs are shown as path + query, which keeps loop messages readable. */
  private show(url: string): string {
    const u = new URL(url);
    const origin = new URL(this.requestedUrl).origin;
    return u.origin === origin ? `${u.pathname}${u.search}` : url;
  }
}
