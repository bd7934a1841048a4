import path from 'node:path';
import type { Logger } from './logger.js';
import { createLogger } from './logger.js';
import { loadConfig } from './config/load-config.js';
import { openSqliteStore } from './store/sqlite/open-sqlite-store.js';
import type { Store } from './store/store.js';
import type { AppConfig, Clock } from './types.js';
import { PollRunner } from './scheduler/poll-runner.js';
import { startCronScheduler, type CronScheduler } from './scheduler/cron-scheduler.js';
import type { PollResult } from './pipeline/poll-source.js';
import { createRequestHandler } from './server/handler.js';
import { startServer } from './server/start-server.js';
import { buildSourceInfos } from './publish/source-info.js';
import { toDuofeedError } from './errors.js';
import { createEnricher, type EnrichDeps } from './enrich/enrich-item.js';
import { TranslationBackfill } from './enrich/backfill.js';
import { IdfTable } from './enrich/keywords/idf-table.js';
import { createTranslator } from './enrich/translate/create-translator.js';
import { SqliteSpendLedger, SqliteTranslationCache } from './store/sqlite/translation-cache.js';
import { buildHealthReport } from './server/health.js';
import { createWebSubPublisher, type WebSubPublisher } from './websub/websub-publisher.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './metrics/prometheus-metrics.js';
import { meteredTranslator } from './metrics/metered-translator.js';
import { observeRequests } from './metrics/observe-requests.js';

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** What the composition root needs to start. */
export interface AppOptions {
  configPath: string;
  dataDir: string;
  port: number;
  logLevel: string;
  /** Where logs go; default stdout. */
  logDestination?: NodeJS.WritableStream;
}

/** A wired application (one per process). */
export interface App {
  config: AppConfig;
  store: Store;
  logger: Logger;
  runner: PollRunner;
  /** Translates stored items that lack a translation (no-op without a provider). */
  backfill: TranslationBackfill;
  abort: AbortController;
  /** Stops the translation backfill (no new engine request). */
  translationAbort: AbortController;
  /** This app's metrics (its own prom-client Registry), served at `GET /metrics`. */
  metrics: PrometheusMetrics;
}

/**
 * The configured translation engine, or null. A missing API key is logged with its code and the
 * service runs on without translation (items stay `pending`): serving what is stored must not
 * depend on an engine's key.
 */
function translatorOrNull(config: AppConfig, store: ReturnType<typeof openSqliteStore>, logger: Logger) {
  try {
    return createTranslator(config.translation, {
      env: process.env,
      clock: systemClock,
      logger: logger.child({ stage: 'translate' }),
      ledger: new SqliteSpendLedger(store.database),
      userAgent: config.http.userAgent,
    });
  } catch (err) {
    const e = toDuofeedError(err, { stage: 'enrich' });
    logger.error({ err: e, code: e.code }, `translation disabled: ${e.message}`);
    return null;
  }
}

/** Articles read at start to seed keyword document frequencies. */
const IDF_SEED_ARTICLES = 5000;

/**
 * Builds the real clock, logger, config, store and poll runner (the one place that does).
 * @throws DuofeedError CONFIG_NOT_FOUND / CONFIG_SYNTAX / CONFIG_INVALID before anything starts;
 *   STORE_FAILED when the database cannot be opened
 */
export async function createApp(opts: AppOptions): Promise<App> {
  const logger = createLogger(opts.logLevel, opts.logDestination);
  const config = loadConfig(opts.configPath);
  const store = openSqliteStore({ dataDir: path.resolve(opts.dataDir), clock: systemClock, logger });
  const abort = new AbortController();
  // Translation stops at once on shutdown (cached segments are kept); polls get a grace period.
  const translationAbort = new AbortController();
  const stored = await store.listArticles({ limit: IDF_SEED_ARTICLES });
  // One registry per app, never prom-client's global one: several apps (tests) in one process.
  const metrics = createPrometheusMetrics({ defaultMetrics: true, storedItems: () => store.countArticles() });
  const translator = translatorOrNull(config, store, logger);
  const enrichDeps: EnrichDeps = {
    config,
    idf: IdfTable.fromDocuments(stored.map((a) => ({ language: a.language ?? 'und', title: a.title, text: a.text ?? '' }))),
    translator: translator && meteredTranslator(translator, metrics),
    cache: new SqliteTranslationCache(store.database, systemClock),
    clock: systemClock,
    logger,
    signal: translationAbort.signal,
    metrics,
  };
  if (config.translation.provider === 'none') logger.info('no translation provider configured: items are published in their original language');
  const runner = new PollRunner(
    {
      store,
      http: config.http,
      clock: systemClock,
      logger,
      schedule: config.schedule,
      scheduleTimezone: config.scheduleTimezone,
      signal: abort.signal,
      enrich: createEnricher(enrichDeps),
      metrics,
    },
    systemClock,
    logger,
  );
  const backfill = new TranslationBackfill(enrichDeps, store, config.sources);
  return { config, store, logger, runner, backfill, abort, translationAbort, metrics };
}


/** A started HTTP server plus (in `run`) the schedule. */
export interface Running {
  port: number;
  /** Notifies `output.websubHub` after changes; null without a hub. */
  websub: WebSubPublisher | null;
  /** Graceful stop: schedule first, then in-flight polls (bounded), then server and database. */
  stop(): Promise<void>;
}

/**
 * Starts serving HTTP (and, with `schedule`, polling on the cron schedule).
 * @param app wired app
 * @param port TCP port (0 = any free one)
 * @param schedule also start the node-cron schedule
 */
export async function startService(app: App, port: number, schedule: boolean): Promise<Running> {
  const { config, store, logger, runner } = app;
  const handler = createRequestHandler({
    store,
    config,
    sources: buildSourceInfos(config.sources, await store.listSourceStates()),
    logger,
    clock: systemClock,
    health: async () => ({ ...(await buildHealthReport(store, config.sources)), translation: app.backfill.progress() }),
    metrics: app.metrics,
  });
  const websub = createWebSubPublisher(config, { store, clock: systemClock, logger });
  runner.afterPolls((results: PollResult[]) => {
    if (results.some((r) => r.status === 'ok')) handler.invalidate();
    websub?.afterPolls(results);
    const before = app.backfill.progress();
    // Untranslated items are translated in the background after each poll cycle.
    void app.backfill.run().then((p) => {
      if (p.translated + p.flagged > 0) handler.invalidate();
      if (p.translated + p.flagged > before.translated + before.flagged) websub?.afterBackfill();
    });
  });
  const server = await startServer(observeRequests(handler, app.metrics), port, '0.0.0.0');
  logger.info({ port: server.port }, `serving on http://0.0.0.0:${server.port}/ (/ page, feed.xml, atom.xml, feed.json, healthz)`);
  let cron: CronScheduler | null = null;
  if (schedule) cron = startCronScheduler(config, runner, logger);
  let stopped = false;
  return {
    port: server.port,
    websub,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await cron?.stop();
      app.translationAbort.abort();
      // In-flight polls get a moment to commit; after that their requests are aborted and their
      // transaction (not yet begun, or rolled back by SQLite) leaves the database consistent.
      const drained = await Promise.race([runner.drain().then(() => true), delay(10_000).then(() => false)]);
      if (!drained) app.abort.abort();
      await runner.drain();
      await app.backfill.drain();
      // Pending hub notifications are dropped, never waited for.
      await websub?.close();
      await server.close();
      await store.close();
      logger.info('stopped');
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Stops `running` on SIGTERM/SIGINT and exits 0 (1 when stopping itself fails).
 * @param running the started service
 * @param logger for the shutdown lines
 */
export function stopOnSignals(running: Running, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        const e = toDuofeedError(err, { stage: 'cli' });
        logger.error({ err: e, code: e.code }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
