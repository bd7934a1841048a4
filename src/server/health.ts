import type { Store } from '../store/store.js';
import type { SourceConfig } from '../types.js';

/** One source's line in `/healthz`. */
export interface SourceHealth {
  id: string;
  name: string;
  /** Feed URL in use (the stored one after permanent redirects, else the configured one). */
  feedUrl: string;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  /** Consecutive failures. */
  errorCount: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  nextPollAt: string | null;
  /** Why the source is not polled (disabled in config, or after 410 Gone); null when active. */
  disabledReason: string | null;
  /** Stored articles of the source. */
  items: number;
}

/** Body of `GET /healthz`. */
export interface HealthReport {
  /** The process is up and the store answers (a failing source does not change this). */
  status: 'ok';
  sources: SourceHealth[];
}

/**
 * Builds the health report: one line per configured source, in config order, from its stored
 * state (absent before the first poll: dates null, errorCount 0) and its article count.
 * @param store where the states and articles live
 * @param sources configured sources
 * @returns the report; rejects when the store fails (the handler answers 500)
 */
export async function buildHealthReport(store: Store, sources: readonly SourceConfig[]): Promise<HealthReport> {
  const states = new Map((await store.listSourceStates()).map((s) => [s.sourceId, s] as const));
  const lines: SourceHealth[] = [];
  for (const source of sources) {
    const state = states.get(source.id);
    lines.push({
      id: source.id,
      name: source.name,
      feedUrl: state?.feedUrl || source.url,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      lastAttemptAt: state?.lastAttemptAt ?? null,
      errorCount: state?.errorCount ?? 0,
      lastErrorCode: state?.lastErrorCode ?? null,
      lastErrorMessage: state?.lastErrorMessage ?? null,
      nextPollAt: state?.nextPollAt ?? null,
      disabledReason: state?.disabledReason ?? (source.enabled ? null : 'disabled in config'),
      items: await store.countArticles(source.id),
    });
  }
  return { status: 'ok', sources: lines };
}
