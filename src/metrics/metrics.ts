/**
 * What the service reports to its metrics, as one small interface the stages call (the way they
 * get a logger or a clock). Stages never see prom-client: `prometheus-metrics.ts` implements this
 * over one prom-client Registry per app, and {@link noMetrics} (the default) does nothing, so
 * tests and `poll-once` need not care.
 *
 * Every label value passed here must come from a bounded set (source ids from the config, error
 * codes, stages, route templates, HTTP methods and statuses, output languages): raw URLs, paths
 * or query strings never become labels (Prometheus stores one series per label combination).
 */
import type { Stage } from '../errors.js';
import type { UpsertCounts } from '../types.js';

/** How one source's poll ended (PollResult.status of pipeline/poll-source). */
export type PollOutcome = 'ok' | 'not-modified' | 'failed' | 'skipped';

/** One translation of one item into one language, as the fidelity guard judged it. */
export interface TranslationOutcome {
  /** Provider name (`openai`, `deepl`, `libretranslate`). */
  provider: string;
  /** Target language (an output language, e.g. `zh`). */
  target: string;
  /** `ok`: accepted; `flagged`: failed the fidelity check; `failed`: the engine failed (no record). */
  status: 'ok' | 'flagged' | 'failed';
  /** Source tokens the translation lost (flagged only; empty otherwise). */
  missing: readonly string[];
}

/** One answered (or abandoned) HTTP request. */
export interface RequestObservation {
  /** Route template (see route-label.ts), never a raw path. */
  route: string;
  /** HTTP method, folded to a bounded set (see route-label.ts). */
  method: string;
  /** Status sent; 499 when the client went away before an answer. */
  status: number;
  /** Time from the request to the end of the answer (seconds, monotonic). */
  seconds: number;
}

/** The metrics sink every stage may be given. Methods never throw and return nothing. */
export interface Metrics {
  /**
   * One source's poll ended.
   * @param sourceId configured source id
   * @param outcome how it ended
   * @param counts items new / updated / unchanged in the store (zero unless `ok`)
   */
  pollFinished(sourceId: string, outcome: PollOutcome, counts: UpsertCounts): void;
  /**
   * A DuofeedError was recorded (logged, stored on a source, put on an item, or answered).
   * @param code stable error code (errors.ts), or an extraction reason that is one
   * @param stage the error's stage
   */
  errorRecorded(code: string, stage: Stage): void;
  /**
   * One fetch ended, successful or not.
   * @param kind feed document or article page
   * @param seconds elapsed (monotonic)
   */
  fetchObserved(kind: 'feed' | 'page', seconds: number): void;
  /** One article extraction (cheerio, no network) ran; `seconds` elapsed. */
  extractionObserved(seconds: number): void;
  /**
   * Characters sent to a translation engine (retries included), whether the call succeeded or not.
   * @param provider provider name
   * @param target target language as passed to the translator
   * @param characters Unicode code points
   */
  translationCharacters(provider: string, target: string, characters: number): void;
  /** One item's translation into one language ended (see {@link TranslationOutcome}). */
  translationFinished(outcome: TranslationOutcome): void;
  /** One HTTP request was answered or abandoned. */
  requestServed(observation: RequestObservation): void;
}

/** Metrics that record nothing: the default wherever none are passed. */
export const noMetrics: Metrics = {
  pollFinished: () => undefined,
  errorRecorded: () => undefined,
  fetchObserved: () => undefined,
  extractionObserved: () => undefined,
  translationCharacters: () => undefined,
  translationFinished: () => undefined,
  requestServed: () => undefined,
};
