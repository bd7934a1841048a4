import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Stage } from '../errors.js';
import type { UpsertCounts } from '../types.js';
import { flagKind } from './flag-kind.js';
import type { Metrics, PollOutcome, RequestObservation, TranslationOutcome } from './metrics.js';

/** Options of {@link createPrometheusMetrics}. */
export interface PrometheusOptions {
  /** Registry to register in; default a new one (never prom-client's global default registry). */
  registry?: Registry;
  /** Also collect prom-client's default process and Node.js metrics (`process_*`, `nodejs_*`). Default false. */
  defaultMetrics?: boolean;
  /** Number of stored articles, read at each scrape for `duofeed_stored_items`; absent: no such gauge. */
  storedItems?: () => Promise<number>;
}

/** Metrics kept in a prom-client Registry, plus what `GET /metrics` needs to expose them. */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** `text/plain; version=0.0.4; charset=utf-8` (Prometheus text exposition format 0.0.4). */
  readonly contentType: string;
  /** The registry in the text exposition format. */
  render(): Promise<string>;
}

// Buckets in seconds. Feed and page fetches range from a fast 304 to `http.timeoutMs` (20 s by
// default); extraction is CPU work of milliseconds to a few seconds on hostile pages; HTTP
// answers are mostly cached feeds (sub-millisecond) up to uncached builds.
const FETCH_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];
const EXTRACTION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

// Prometheus label values are snake_case by convention; PollResult says `not-modified`.
const OUTCOME_LABEL: Record<PollOutcome, string> = { ok: 'ok', 'not-modified': 'not_modified', failed: 'failed', skipped: 'skipped' };

/**
 * Builds the service's metrics over one prom-client Registry (one per app, so several apps in one
 * process — tests — never share or double-register series). Metric names follow the Prometheus
 * naming conventions (`duofeed_` prefix, base units: `_seconds`, counters end in `_total`); every
 * label value comes from a bounded set (see metrics.ts). README "Metrics" lists them.
 * @param opts registry, default process metrics, stored-item count
 * @returns a {@link PrometheusMetrics}
 */
export function createPrometheusMetrics(opts: PrometheusOptions = {}): PrometheusMetrics {
  const registry = opts.registry ?? new Registry();
  const registers = [registry];
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });

  const polls = new Counter({
    name: 'duofeed_polls_total',
    help: 'Source polls by how they ended (ok, not_modified, failed, skipped).',
    labelNames: ['source', 'outcome'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'duofeed_errors_total',
    help: 'Errors recorded by polls, extractions, translations and HTTP requests, by stable error code and stage.',
    labelNames: ['code', 'stage'] as const,
    registers,
  });
  const itemsStored = new Counter({
    name: 'duofeed_items_stored_total',
    help: 'Items written by polls, by source and change (new, updated).',
    labelNames: ['source', 'change'] as const,
    registers,
  });
  const fetchDuration = new Histogram({
    name: 'duofeed_fetch_duration_seconds',
    help: 'Time of one fetch (feed document or article page), failures included.',
    labelNames: ['kind'] as const,
    buckets: FETCH_BUCKETS,
    registers,
  });
  const extractionDuration = new Histogram({
    name: 'duofeed_extraction_duration_seconds',
    help: 'Time of one article extraction from a fetched page (no network).',
    buckets: EXTRACTION_BUCKETS,
    registers,
  });
  const translationChars = new Counter({
    name: 'duofeed_translation_characters_total',
    help: 'Characters (Unicode code points) sent to the translation engine, retries and failed calls included.',
    labelNames: ['provider', 'target'] as const,
    registers,
  });
  const translations = new Counter({
    name: 'duofeed_translations_total',
    help: 'Item translations by outcome: ok (published), flagged (failed the fidelity check), failed (engine error).',
    labelNames: ['provider', 'target', 'status'] as const,
    registers,
  });
  const flags = new Counter({
    name: 'duofeed_translation_flags_total',
    help: 'Tokens a flagged translation lost, by kind (number, name, url, markup, added, text).',
    labelNames: ['flag'] as const,
    registers,
  });
  const httpRequests = new Counter({
    name: 'duofeed_http_requests_total',
    help: 'HTTP requests by route template, method and status (499: the client went away first).',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'duofeed_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template and method.',
    labelNames: ['route', 'method'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const storedItems = opts.storedItems;
  if (storedItems) {
    new Gauge({
      name: 'duofeed_stored_items',
      help: 'Articles in the store.',
      registers,
      async collect() {
        this.set(await storedItems());
      },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    pollFinished(sourceId: string, outcome: PollOutcome, counts: UpsertCounts): void {
      polls.inc({ source: sourceId, outcome: OUTCOME_LABEL[outcome] });
      if (counts.new > 0) itemsStored.inc({ source: sourceId, change: 'new' }, counts.new);
      if (counts.updated > 0) itemsStored.inc({ source: sourceId, change: 'updated' }, counts.updated);
    },
    errorRecorded(code: string, stage: Stage): void {
      errors.inc({ code, stage });
    },
    fetchObserved(kind: 'feed' | 'page', seconds: number): void {
      fetchDuration.observe({ kind }, seconds);
    },
    extractionObserved(seconds: number): void {
      extractionDuration.observe(seconds);
    },
    translationCharacters(provider: string, target: string, characters: number): void {
      if (characters > 0) translationChars.inc({ provider, target }, characters);
    },
    translationFinished(o: TranslationOutcome): void {
      translations.inc({ provider: o.provider, target: o.target, status: o.status });
      for (const token of o.missing) flags.inc({ flag: flagKind(token) });
    },
    requestServed(o: RequestObservation): void {
      httpRequests.inc({ route: o.route, method: o.method, status: String(o.status) });
      httpDuration.observe({ route: o.route, method: o.method }, o.seconds);
    },
  };
}
