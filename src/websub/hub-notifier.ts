import { DuofeedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../types.js';
import { parseRetryAfter } from '../fetch/retry-after.js';
import { hubEndpoint, postPublish, type PublishOutcome } from './post-publish.js';

/** How {@link HubNotifier} reaches the hub and retries. */
export interface HubNotifierOptions {
  /** `output.websubHub`; user:password in it is sent as HTTP Basic auth, never in logs. */
  hubUrl: string;
  /** `http.userAgent`. */
  userAgent: string;
  /** Time for one request, headers and body (ms); `http.timeoutMs`. */
  timeoutMs: number;
  clock: Clock;
  logger: Logger;
  /** Requests per topic before giving up (first try included). Default 6. */
  maxAttempts?: number;
  /** First backoff (ms), doubled per retry, jittered to 50–100 %. Default 2000. */
  backoffBaseMs?: number;
  /** Longest backoff (ms). Default 300 000 (5 min). */
  maxBackoffMs?: number;
  /** A Retry-After longer than this (ms) ends the retries at once. Default 3 600 000 (1 h). */
  maxRetryAfterMs?: number;
  /** Topics notified at the same time. Default 2. */
  concurrency?: number;
  /** Default: the global fetch (undici). */
  fetch?: typeof fetch;
  /** Waits `ms`, resolving early when `signal` aborts. Default: an unref'd timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** [0,1) numbers for backoff jitter. Default Math.random. */
  random?: () => number;
}

/** What became of the topics handed to a {@link HubNotifier}: each topic's latest outcome. */
export interface HubReport {
  /** Topics the hub accepted (2xx), absolute URLs, sorted. */
  delivered: string[];
  /** Topics given up on (WEBSUB_NOTIFY_FAILED logged for each), absolute URLs, sorted. */
  failed: string[];
}

interface Delivery {
  topic: string;
  /** A request for this topic is on the wire. */
  sending: boolean;
  /** The topic changed again while a request was on the wire: notify once more afterwards. */
  again: boolean;
}

/** Default backoff sleep: an unref'd timer (a retry never keeps the process alive), cut short by `signal`. */
function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Sends WebSub publish notifications (`hub.mode=publish`, one `hub.url` per request; see
 * {@link postPublish}) in the background. `notify` never waits and never throws: topics are queued
 * and sent by at most `concurrency` deliveries. A delivery retries network failures, timeouts, 408,
 * 429 and 5xx with exponential backoff (base·2^n, jittered, capped), a `Retry-After` (seconds or
 * HTTP-date, RFC 9110 §10.2.3) replacing the backoff; other 4xx are final. After the last attempt
 * the failure is logged with code WEBSUB_NOTIFY_FAILED and the topic dropped (the next change
 * notifies again).
 *
 * Coalescing: a topic already queued or waiting between attempts is not queued twice (its next
 * request already announces the newer content); a topic notified while its request is on the wire
 * is sent once more afterwards, because the hub may have fetched the feed before the change.
 *
 * The hub is a configured, trusted URL like a translation engine's, so it is reached with the
 * plain global fetch (undici) and not through the private-address guard used for sources.
 */
export class HubNotifier {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Map<string, Delivery>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  private idleWaiters: Array<() => void> = [];
  /** Latest outcome per topic; a later success clears an earlier failure and the other way round. */
  private readonly outcomes = new Map<string, 'delivered' | 'failed'>();
  private readonly hub: ReturnType<typeof hubEndpoint>;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly concurrency: number;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly log: Logger;

  /**
   * @param opts hub URL, HTTP settings, clock, logger and retry tuning
   * @throws TypeError when `opts.hubUrl` is not an absolute URL (config validation prevents it)
   */
  constructor(private readonly opts: HubNotifierOptions) {
    this.hub = hubEndpoint(opts.hubUrl);
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 6);
    this.backoffBaseMs = opts.backoffBaseMs ?? 2000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 300_000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 3_600_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.fetchFn = opts.fetch ?? globalThis.fetch;
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.log = opts.logger.child({ stage: 'websub', hub: this.hub.display });
  }

  /**
   * Queues publish notifications for `topics` (absolute feed URLs) and returns at once.
   * Ignored after {@link close}.
   */
  notify(topics: Iterable<string>): void {
    if (this.closing.signal.aborted) return;
    for (const topic of topics) {
      if (this.queued.has(topic)) continue;
      const delivery = this.active.get(topic);
      if (delivery) {
        if (delivery.sending) delivery.again = true;
        continue;
      }
      this.queued.add(topic);
      this.queue.push(topic);
    }
    this.pump();
  }

  /** Topics queued or being delivered. */
  pending(): number {
    return this.queue.length + this.active.size;
  }

  /** Resolves when nothing is queued or being delivered (tests; `poll-once`-style callers). */
  idle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Each notified topic's latest outcome so far (topics still pending are in neither list). */
  report(): HubReport {
    const pick = (o: 'delivered' | 'failed') => [...this.outcomes].filter(([, v]) => v === o).map(([t]) => t).sort();
    return { delivered: pick('delivered'), failed: pick('failed') };
  }

  /**
   * For one-shot callers (`poll-once`): waits until every topic was delivered or finally failed,
   * at most `waitMs`, then gives up on what is left (logging WEBSUB_NOTIFY_FAILED with those
   * topics), stops like {@link close} and returns the {@link report}. The wait timer is not
   * unref'd on purpose: it keeps the process alive through backoff waits, whose timers are.
   * @param waitMs longest wait (ms)
   */
  async drain(waitMs: number): Promise<HubReport> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    const left = [...new Set([...this.active.keys(), ...this.queue])].sort();
    if (left.length > 0 && !this.closing.signal.aborted) {
      for (const topic of left) this.outcomes.set(topic, 'failed');
      const err = new DuofeedError(
        'WEBSUB_NOTIFY_FAILED',
        `WebSub hub ${this.hub.display} did not accept ${left.length} publish notification(s) within ${waitMs >= 1000 ? `${Math.round(waitMs / 1000)} s` : `${waitMs} ms`}; giving up on them`,
        { stage: 'publish', details: { hub: this.hub.display, waitMs, topics: left } },
      );
      this.log.error({ err, code: err.code, topics: left }, err.message);
      // Counted above: close() must not report them again as dropped at shutdown.
      this.queue.length = 0;
      this.queued.clear();
      this.closing.abort();
    }
    await this.close();
    return this.report();
  }

  /**
   * Stops at once: drops queued topics, aborts requests on the wire and backoff waits, and
   * resolves when every delivery has returned (promptly, whatever the hub does).
   */
  async close(): Promise<void> {
    if (!this.closing.signal.aborted) {
      const dropped = this.pending();
      this.queue.length = 0;
      this.queued.clear();
      this.closing.abort();
      if (dropped > 0) this.log.info({ dropped }, `${dropped} WebSub notification(s) not sent: shutting down`);
    }
    await Promise.allSettled([...this.tasks]);
    this.settle();
  }

  private pump(): void {
    while (!this.closing.signal.aborted && this.active.size < this.concurrency && this.queue.length > 0) {
      const topic = this.queue.shift()!;
      this.queued.delete(topic);
      const delivery: Delivery = { topic, sending: false, again: false };
      this.active.set(topic, delivery);
      const task: Promise<void> = this.deliver(delivery)
        .catch((err: unknown) => this.log.error({ err, code: 'INTERNAL', topic }, 'WebSub delivery failed unexpectedly'))
        .finally(() => {
          this.active.delete(topic);
          this.tasks.delete(task);
          if (delivery.again && !this.closing.signal.aborted && !this.queued.has(topic)) {
            this.queued.add(topic);
            this.queue.push(topic);
          }
          this.pump();
          this.settle();
        });
      this.tasks.add(task);
    }
  }

  private settle(): void {
    if (this.pending() > 0 && !this.closing.signal.aborted) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async deliver(d: Delivery): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.closing.signal.aborted) return;
      d.sending = true;
      // A retry is sent after any change seen during the failed attempt, so it covers that change.
      d.again = false;
      const outcome = await postPublish(
        { hub: this.hub, userAgent: this.opts.userAgent, timeoutMs: this.opts.timeoutMs, fetch: this.fetchFn, signal: this.closing.signal },
        d.topic,
      );
      d.sending = false;
      if (outcome.kind === 'accepted') {
        this.outcomes.set(d.topic, 'delivered');
        this.log.debug({ topic: d.topic, status: outcome.status, attempts: attempt }, 'WebSub hub accepted the publish notification');
        return;
      }
      if (outcome.kind === 'aborted') return;
      const retryable = outcome.kind !== 'status' || outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
      const retryAfterMs = outcome.kind === 'status' ? parseRetryAfter(outcome.retryAfter, this.opts.clock.now()) : null;
      const tooLong = retryAfterMs !== null && retryAfterMs > this.maxRetryAfterMs;
      if (!retryable || attempt >= this.maxAttempts || tooLong) {
        this.fail(d.topic, outcome, attempt, tooLong ? retryAfterMs : null);
        return;
      }
      const backoff = Math.min(this.maxBackoffMs, this.backoffBaseMs * 2 ** (attempt - 1)) * (0.5 + this.random() / 2);
      const waitMs = Math.round(retryAfterMs ?? backoff);
      this.log.warn({ topic: d.topic, attempt, waitMs, reason: describe(outcome) }, 'WebSub publish notification failed; retrying');
      await this.sleep(waitMs, this.closing.signal);
    }
  }

  private fail(topic: string, outcome: Exclude<PublishOutcome, { kind: 'accepted' | 'aborted' }>, attempts: number, retryAfterMs: number | null): void {
    this.outcomes.set(topic, 'failed');
    const why = retryAfterMs !== null ? `${describe(outcome)} and asks to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After)` : describe(outcome);
    const err = new DuofeedError(
      'WEBSUB_NOTIFY_FAILED',
      `WebSub hub ${this.hub.display} did not accept the publish notification for ${topic} after ${attempts} attempt(s): ${why}`,
      {
        stage: 'publish',
        url: topic,
        cause: outcome.kind === 'status' ? undefined : outcome.cause,
        details: { hub: this.hub.display, attempts, status: outcome.kind === 'status' ? outcome.status : null },
      },
    );
    this.log.error({ err, code: err.code, topic, attempts }, err.message);
  }
}

function describe(outcome: Exclude<PublishOutcome, { kind: 'accepted' | 'aborted' }>): string {
  if (outcome.kind === 'status') return `it answered HTTP ${outcome.status}${outcome.text ? ` (${outcome.text})` : ''}`;
  if (outcome.kind === 'timeout') return `no answer within ${outcome.timeoutMs} ms`;
  return `it could not be reached (${outcome.message})`;
}
