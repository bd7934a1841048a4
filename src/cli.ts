#!/usr/bin/env node
import { parseCli, USAGE, type CliOptions } from './cli/args.js';
import { formatSummary, formatWebSubSummary, webSubSummaryJson } from './cli/summary.js';
import { formatImportReport, importReportJson } from './cli/import-report.js';
import { loadConfig, formatProblems } from './config/load-config.js';
import { createApp, startService, stopOnSignals, systemClock } from './main.js';
import { createWebSubPublisher } from './websub/websub-publisher.js';
import { importOpml } from './opml/import-opml.js';
import { noSourceAttempted } from './pipeline/poll-source.js';
import { DuofeedError, toDuofeedError } from './errors.js';
import { VERSION } from './version.js';

function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function validateCommand(opts: CliOptions): Promise<number> {
  try {
    loadConfig(opts.configPath);
    out('ok');
    return 0;
  } catch (e) {
    const d = toDuofeedError(e, { stage: 'config' });
    const problems = d.details.problems as Array<{ path: string; message: string }> | undefined;
    out(problems ? `${opts.configPath}: ${problems.length} problem(s)\n${formatProblems(problems)}` : `${d.code}: ${d.message}`);
    return 1;
  }
}

/** How long `poll-once` waits for WebSub hub notifications before giving up on them (ms). */
const POLL_ONCE_HUB_WAIT_MS = 30_000;
/**
 * Retry tuning for `poll-once`: the service's schedule (6 attempts, backoff up to minutes) cannot
 * finish within the wait, so fewer, shorter retries (at most 0.5+1+2 s of backoff per topic) and
 * more topics at once (18 topics for one changed source and two languages take three rounds).
 */
const POLL_ONCE_NOTIFIER = { maxAttempts: 4, backoffBaseMs: 500, maxBackoffMs: 2000, maxRetryAfterMs: 10_000, concurrency: 6 };

async function pollOnceCommand(opts: CliOptions): Promise<number> {
  // Logs go to stderr here so stdout carries only the summary.
  const app = await createApp({ ...opts, logDestination: process.stderr });
  try {
    const websub = createWebSubPublisher(app.config, { store: app.store, clock: systemClock, logger: app.logger, notifier: POLL_ONCE_NOTIFIER });
    try {
      const results = await app.runner.run(app.config.sources, false);
      websub?.afterPolls(results);
      const before = app.backfill.progress();
      const after = await app.backfill.run();
      if (after.translated + after.flagged > before.translated + before.flagged) websub?.afterBackfill();
      if (!opts.json) out(formatSummary(results));
      // A one-shot run (from an outside scheduler) has no later retry, so it waits for the hub
      // (bounded) and reports what was not delivered rather than exiting with retries pending.
      const report = websub === null ? null : await websub.drain(POLL_ONCE_HUB_WAIT_MS);
      if (opts.json) out(JSON.stringify({ results, websub: webSubSummaryJson(report) }, null, 2));
      else if (report !== null) out(formatWebSubSummary(report));
      return noSourceAttempted(results) ? 2 : 0;
    } finally {
      await websub?.close();
    }
  } finally {
    await app.store.close();
  }
}

async function serveCommand(opts: CliOptions, schedule: boolean): Promise<number> {
  const app = await createApp(opts);
  const running = await startService(app, opts.port, schedule);
  stopOnSignals(running, app.logger);
  return -1; // keeps running until a signal
}

async function healthcheckCommand(opts: CliOptions): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${opts.port}/healthz`, { signal: AbortSignal.timeout(4000) });
    out(`healthz: HTTP ${res.status}`);
    return res.status === 200 ? 0 : 1;
  } catch (e) {
    err(`healthz: ${(e as Error).message}`);
    return 1;
  }
}

/** sysexits(3) codes of import-opml failures; other errors keep main's mapping. */
const IMPORT_EXIT: Partial<Record<string, number>> = { OPML_INVALID: 65, CONFIG_WRITE_FAILED: 73, CONFIG_CONFLICT: 75 };

async function importOpmlCommand(opts: CliOptions): Promise<number> {
  try {
    const report = importOpml({ opmlFile: opts.file!, configFile: opts.configPath, dryRun: opts.dryRun, clock: { now: () => new Date() } });
    out(opts.json ? importReportJson(report) : formatImportReport(report));
    return 0;
  } catch (e) {
    const d = toDuofeedError(e, { stage: 'cli' });
    const exit = IMPORT_EXIT[d.code];
    if (exit === undefined) throw d;
    err(`duofeed: ${d.code}: ${d.message}`);
    return exit;
  }
}

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseCli(process.argv.slice(2), process.env);
  } catch (e) {
    err((e as Error).message);
    process.exit(64);
  }
  if (opts.help) return out(USAGE);
  if (opts.version) return out(VERSION);
  try {
    let code: number;
    if (opts.command === 'validate-config') code = await validateCommand(opts);
    else if (opts.command === 'poll-once') code = await pollOnceCommand(opts);
    else if (opts.command === 'healthcheck') code = await healthcheckCommand(opts);
    else if (opts.command === 'import-opml') code = await importOpmlCommand(opts);
    else code = await serveCommand(opts, opts.command === 'run');
    if (code >= 0) process.exitCode = code;
  } catch (e) {
    const d = toDuofeedError(e, { stage: 'cli' });
    err(`duofeed: ${d.code}: ${d.message}`);
    process.exitCode = d instanceof DuofeedError && d.stage === 'config' ? 78 : 1;
  }
}

void main();
