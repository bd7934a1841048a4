import type { PollResult } from '../pipeline/poll-source.js';
import type { HubReport } from '../websub/hub-notifier.js';

/**
 * Formats poll results as the `poll-once` table: one line per source with status, new / updated /
 * unchanged counts, extraction failures and the error code and message of a failed source,
 * then a totals line.
 * @param results poll results in config order
 */
export function formatSummary(results: PollResult[]): string {
  const w = Math.max(6, ...results.map((r) => r.sourceId.length));
  const head = `${'source'.padEnd(w)}  ${'status'.padEnd(12)}  ${'new'.padStart(5)}  ${'updated'.padStart(7)}  ${'unchanged'.padStart(9)}  error`;
  const lines = results.map((r) => {
    const error = r.errorCode ? `${r.errorCode}: ${(r.message ?? '').split('\n')[0]}` : r.extractionFailures ? `${r.extractionFailures} page(s) kept feed content` : '';
    return `${r.sourceId.padEnd(w)}  ${r.status.padEnd(12)}  ${String(r.counts.new).padStart(5)}  ${String(r.counts.updated).padStart(7)}  ${String(r.counts.unchanged).padStart(9)}  ${error}`;
  });
  const count = (s: PollResult['status']): number => results.filter((r) => r.status === s).length;
  const total = `${results.length} source(s): ${count('ok')} ok, ${count('not-modified')} not modified, ${count('failed')} failed, ${count('skipped')} skipped`;
  return [head, ...lines, total].join('\n');
}

/**
 * The `poll-once` line about WebSub hub notifications, e.g. `websub: 16 delivered, 2 failed (…)`.
 * @param report delivered and failed topics
 */
export function formatWebSubSummary(report: HubReport): string {
  const line = `websub: ${report.delivered.length} delivered, ${report.failed.length} failed`;
  return report.failed.length === 0 ? line : `${line} (WEBSUB_NOTIFY_FAILED in the log names them; a later run announces them only if their feeds change again)`;
}

/**
 * The `websub` field of `poll-once --json`: counts and the failed topics; null without a hub.
 * @param report delivered and failed topics, or null when no hub is configured
 */
export function webSubSummaryJson(report: HubReport | null): { delivered: number; failed: number; failedTopics: string[] } | null {
  return report && { delivered: report.delivered.length, failed: report.failed.length, failedTopics: report.failed };
}
