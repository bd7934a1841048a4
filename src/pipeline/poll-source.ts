import type { Logger } from '../logger.js';
import { isErrorCode, toDuofeedError } from '../errors.js';
import type { ArticleInput, Clock, Extraction, FeedItem, HttpSettings, SourceConfig, SourceState, UpsertCounts } from '../types.js';
import type { Store } from '../store/store.js';
import { fetchUrl } from '../fetch/fetch-url.js';
import { parseFeedInWorker } from '../parse/parse-in-worker.js';
import { applyIdentityPolicy } from '../parse/identity.js';
import { extractArticle } from '../extract/extract-article.js';
import { backoffUntil } from '../scheduler/backoff.js';
import { compiledCron, nextRunAfter } from '../scheduler/cron-zone.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { SanitizedItems } from './sanitized-items.js';
import { observeRedirect, stateForConfig } from './source-state.js';
import { mapLimit } from './map-limit.js';
import { feedItemHash } from '../store/content-hash.js';
import { noMetrics, type Metrics } from '../metrics/metrics.js';
import { timed, timedSync } from '../metrics/timed.js';

/**
 * The enrich stage's slot (issue 3): receives an item after extraction, returns it with
 * language, keywords and translations filled. The default passes items through unchanged.
 */
export type Enricher = (input: ArticleInput, source: SourceConfig) => Promise<ArticleInput>;

/** What one poll needs from the outside world. */
export interface PollDeps {
  store: Store;
  http: HttpSettings;
  clock: Clock;
  logger: Logger;
  /** Default cron schedule and its zone, for `nextPollAt`. */
  schedule: string;
  scheduleTimezone: string | null;
  enrich?: Enricher;
  /** [0,1) random numbers for backoff jitter. */
  random?: () => number;
  /** Aborts in-flight requests on shutdown. */
  signal?: AbortSignal;
  /**
   * Sanitized feed items remembered across polls; default: one shared by every poll on the same
   * store (see {@link sanitizedItemsFor}).
   */
  sanitizedItems?: SanitizedItems;
  /**
   * Longest stretch of item work (sanitizing, extraction, enrichment) before the poll gives the
   * event loop back to HTTP readers (ms, monotonic time); 0 = after every item. Default
   * {@link DEFAULT_POLL_SLICE_MS}.
   */
  sliceMs?: number;
  /** Fetch and extraction latencies and recorded errors go here; default {@link noMetrics}. */
  metrics?: Metrics;
}

/**
 * Yielding after every item let a saturated server starve polling (one item per event-loop turn
 * per poll); yielding never held readers for a whole feed. A few milliseconds keeps reader
 * latency low and polls moving.
 */
export const DEFAULT_POLL_SLICE_MS = 8;

// One memory of sanitized items per store: polls of one service share it, tests with their own
// store get their own, and it goes away with the store.
const memoByStore = new WeakMap<Store, SanitizedItems>();

/**
 * The sanitized-item memory polls use by default for `store`.
 * @param store the store the polls write to
 */
export function sanitizedItemsFor(store: Store): SanitizedItems {
  let memo = memoByStore.get(store);
  if (memo === undefined) {
    memo = new SanitizedItems();
    memoByStore.set(store, memo);
  }
  return memo;
}

/** Outcome of one source's poll, as `poll-once` prints it. */
export interface PollResult {
  sourceId: string;
  status: 'ok' | 'not-modified' | 'failed' | 'skipped';
  counts: UpsertCounts;
  /** Items in the fetched document (after the per-feed cap). */
  items: number;
  /** Items whose article page could not be extracted (feed content kept). */
  extractionFailures: number;
  errorCode: string | null;
  message: string | null;
  nextPollAt: string | null;
}

const ZERO: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };

function nextScheduled(source: SourceConfig, deps: PollDeps, now: Date): string | null {
  const spec = compiledCron(source.schedule ?? deps.schedule, deps.scheduleTimezone);
  return nextRunAfter(spec, now)?.toISOString() ?? null;
}

/**
 * When a failed source is really polled again: the first scheduled tick at or after its backoff
 * instant (polls happen only on ticks), so `/healthz` shows the true next attempt.
 */
function retryAt(source: SourceConfig, deps: PollDeps, notBefore: Date): string {
  return nextScheduled(source, deps, new Date(notBefore.getTime() - 1000)) ?? notBefore.toISOString();
}

/**
 * HTTP settings for one source: `sources[].allowPrivateNetworks` lets an intranet feed (and its
 * article pages) through the private-address guard without opening it for every source.
 */
function httpFor(source: SourceConfig, deps: PollDeps): PollDeps['http'] {
  return source.allowPrivateNetworks && !deps.http.allowPrivateNetworks ? { ...deps.http, allowPrivateNetworks: true } : deps.http;
}

async function extractFor(item: FeedItem, source: SourceConfig, deps: PollDeps, log: Logger): Promise<Extraction> {
  const metrics = deps.metrics ?? noMetrics;
  if (!source.extract.fetchPages) return { status: 'skipped', method: null, contentHtml: null, text: null, reason: null };
  if (!item.url) {
    metrics.errorRecorded('EXTRACT_NO_LINK', 'extract');
    return { status: 'failed', method: null, contentHtml: null, text: null, reason: 'EXTRACT_NO_LINK' };
  }
  const url = item.url;
  try {
    const page = await timed(
      () => fetchUrl({ url, kind: 'page', etag: null, lastModified: null }, { http: httpFor(source, deps), clock: deps.clock, logger: log, signal: deps.signal }),
      (s) => metrics.fetchObserved('page', s),
    );
    const extraction = timedSync(() => extractArticle(page.text ?? '', { url: page.url, rules: source.extract }), (s) => metrics.extractionObserved(s));
    if (extraction.status !== 'ok') log.info({ url: item.url, reason: extraction.reason }, 'extraction kept feed content');
    if (extraction.status === 'failed' && extraction.reason !== null && isErrorCode(extraction.reason)) metrics.errorRecorded(extraction.reason, 'extract');
    return extraction;
  } catch (err) {
    const e = toDuofeedError(err, { stage: 'extract', url: item.url, sourceId: source.id });
    log.warn({ url: item.url, err: e, code: e.code }, `article page not extracted: ${e.message}`);
    // Page failures after a shutdown abort are ours, not the publisher's.
    if (!deps.signal?.aborted) metrics.errorRecorded(e.code, e.stage);
    return { status: 'failed', method: null, contentHtml: null, text: null, reason: e.code };
  }
}

/**
 * Polls one source: conditional GET of its feed, parse + normalize, extraction of every NEW
 * item's page (known items keep what is stored), enrichment, and one store transaction with the
 * new source state. Never throws for a source's own failures: they are recorded on its state
 * (error count, code, backoff) and returned as `status: 'failed'`.
 * @param source the configured source
 * @param deps store, HTTP settings, clock, logger, schedule
 * @returns the poll's outcome
 * @throws only when the store itself cannot record the failure (STORE_FAILED)
 */
export async function pollSource(source: SourceConfig, deps: PollDeps): Promise<PollResult> {
  const log = deps.logger.child({ stage: 'poll', sourceId: source.id, url: source.url });
  const now = deps.clock.now();
  let state: SourceState = stateForConfig(await deps.store.getSourceState(source.id), source);
  if (state.disabledReason) {
    return {
      sourceId: source.id,
      status: 'skipped',
      counts: ZERO,
      items: 0,
      extractionFailures: 0,
      errorCode: 'SOURCE_DISABLED',
      message: state.disabledReason,
      nextPollAt: null,
    };
  }
  state = { ...state, lastAttemptAt: now.toISOString() };
  try {
    const feedUrl = state.feedUrl;
    const res = await timed(
      () =>
        fetchUrl(
          { url: feedUrl, kind: 'feed', etag: state.etag, lastModified: state.lastModified },
          { http: httpFor(source, deps), clock: deps.clock, logger: log, signal: deps.signal },
        ),
      (s) => deps.metrics?.fetchObserved('feed', s),
    );
    state = observeRedirect(state, res.permanentRedirectTo);
    const success = (s: SourceState): SourceState => ({
      ...s,
      etag: res.etag ?? s.etag,
      lastModified: res.lastModified ?? s.lastModified,
      lastSuccessAt: deps.clock.now().toISOString(),
      errorCount: 0,
      lastErrorCode: null,
      lastErrorMessage: null,
      nextPollAt: nextScheduled(source, deps, deps.clock.now()),
    });
    if (res.notModified) {
      state = success(state);
      await deps.store.saveSourceState(state);
      log.info({ status: 304 }, 'feed not modified');
      return { sourceId: source.id, status: 'not-modified', counts: ZERO, items: 0, extractionFailures: 0, errorCode: null, message: null, nextPollAt: state.nextPollAt };
    }
    // Large documents are parsed in a worker thread: the server and the other sources' polls
    // keep running while a multi-MB feed is parsed (case 23).
    const feed = await parseFeedInWorker(
      res.text ?? '',
      { feedUrl: res.url, timezone: source.timezone, maxItems: deps.http.maxItemsPerFeed, sourceId: source.id },
      { signal: deps.signal },
    );
    for (const w of feed.warnings) log.warn({ feedUrl: res.url }, w);
    // Once a feed's guids proved unreliable it stays keyed by link (case 19): flipping back
    // and forth between keys would create duplicates.
    const policy = state.identityPolicy === 'link' || feed.warnings.some((w) => w.includes('sharing GUID')) ? 'link' : 'guid';
    const items = applyIdentityPolicy(feed.items, policy);
    let extractionFailures = 0;
    const enrich = deps.enrich ?? (async (a: ArticleInput) => a);
    const sanitized = deps.sanitizedItems ?? sanitizedItemsFor(deps.store);
    const sliceMs = deps.sliceMs ?? DEFAULT_POLL_SLICE_MS;
    // Elapsed time only (monotonic), never a date: it decides when to let readers in.
    let sliceStart = performance.now();
    const inputs = await mapLimit(items, deps.http.maxConcurrentPages, async (raw) => {
      // A big feed's sanitizing, extraction and enrichment would otherwise hold HTTP readers
      // back for the whole document.
      if (performance.now() - sliceStart >= sliceMs) {
        await nextTurn();
        sliceStart = performance.now();
      }
      const item = sanitized.get(raw, source);
      const known = await deps.store.findItem(source.id, policy, item.guid, item.canonicalUrl);
      // Pages are fetched for new items and for items whose feed entry changed; a known,
      // unchanged item keeps what is stored (no second request to the publisher).
      const fresh = !known || known.extractionStatus === 'pending' || known.contentHash !== feedItemHash(item);
      const extraction = fresh ? await extractFor(item, source, deps, log) : null;
      if (extraction?.status === 'failed') extractionFailures++;
      return enrich({ sourceId: source.id, item, extraction, language: null, keywords: {}, translations: {} }, source);
    });
    // Stopped mid-poll (shutdown): pages fetched after the abort failed for our own reason, so
    // nothing of this poll is written; the next start polls the source again in full.
    if (deps.signal?.aborted) return aborted(source.id);
    state = success({
      ...state,
      identityPolicy: policy,
      feedTitle: feed.title ?? state.feedTitle,
      siteUrl: feed.siteUrl ?? state.siteUrl,
    });
    const counts = await deps.store.savePoll(source.id, inputs, state);
    log.info({ ...counts, items: items.length, extractionFailures }, 'feed polled');
    return { sourceId: source.id, status: 'ok', counts, items: items.length, extractionFailures, errorCode: null, message: null, nextPollAt: state.nextPollAt };
  } catch (err) {
    if (deps.signal?.aborted) return aborted(source.id);
    const e = toDuofeedError(err, { stage: 'fetch', url: state.feedUrl, sourceId: source.id });
    if (e.code === 'STORE_FAILED') log.error({ err: e, code: e.code }, e.message);
    else log.warn({ err: e, code: e.code }, `poll failed: ${e.message}`);
    deps.metrics?.errorRecorded(e.code, e.stage);
    const errorCount = state.errorCount + 1;
    const retryAfterMs = typeof e.details.retryAfterMs === 'number' ? e.details.retryAfterMs : null;
    state = {
      ...state,
      errorCount,
      lastErrorCode: e.code,
      lastErrorMessage: e.message,
      nextPollAt: retryAt(source, deps, backoffUntil(errorCount, deps.clock.now(), retryAfterMs, deps.random ?? Math.random)),
      disabledReason: e.code === 'FETCH_GONE' ? `feed answered 410 Gone at ${deps.clock.now().toISOString()}: ${e.message}` : state.disabledReason,
    };
    await deps.store.saveSourceState(state);
    return {
      sourceId: source.id,
      status: 'failed',
      counts: ZERO,
      items: 0,
      extractionFailures: 0,
      errorCode: e.code,
      message: e.message,
      nextPollAt: state.nextPollAt,
    };
  }
}

function aborted(sourceId: string): PollResult {
  return {
    sourceId,
    status: 'skipped',
    counts: ZERO,
    items: 0,
    extractionFailures: 0,
    errorCode: 'POLL_ABORTED',
    message: 'the service stopped during the poll; nothing of it was saved',
    nextPollAt: null,
  };
}

/** For callers that must tell "no source could be attempted" apart (poll-once exit code). */
export function noSourceAttempted(results: PollResult[]): boolean {
  return results.length === 0 || results.every((r) => r.status === 'skipped');
}
