import type { Logger } from '../logger.js';
import { toDuofeedError } from '../errors.js';
import type { PollResult } from '../pipeline/poll-source.js';
import type { Store } from '../store/store.js';
import type { AppConfig, Clock } from '../types.js';
import { HubNotifier, type HubNotifierOptions, type HubReport } from './hub-notifier.js';
import { changedTopicUrls, type TopicSettings } from './topic-urls.js';

/** What {@link WebSubPublisher} reads and logs with. */
export interface WebSubPublisherDeps {
  /** Read after a translation backfill to learn which sources' items it changed. */
  store: Pick<Store, 'listArticles'>;
  clock: Clock;
  logger: Logger;
  /**
   * Newest articles looked at after a backfill (the backfill translates within its own scan of the
   * newest 500, so the same number finds everything it changed). Default 500.
   */
  scan?: number;
  /** Overrides of the notifier's transport and retry tuning (tests). */
  notifier?: Partial<Omit<HubNotifierOptions, 'hubUrl' | 'clock' | 'logger'>>;
}

/**
 * Decides which feeds changed and hands their topic URLs to a {@link HubNotifier} (WebSub
 * publisher side). Every method returns at once; notifications go out in the background.
 */
export class WebSubPublisher {
  /** Articles updated at or after this instant (UTC ISO) are changes not yet announced by a backfill check. */
  private since: string;
  private lookups: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly log: Logger;

  /**
   * @param notifier where notifications go
   * @param topics public base URL and output languages of the feeds
   * @param deps store, clock, logger
   */
  constructor(
    private readonly notifier: HubNotifier,
    private readonly topics: TopicSettings,
    private readonly deps: WebSubPublisherDeps,
  ) {
    this.since = deps.clock.now().toISOString();
    this.log = deps.logger.child({ stage: 'websub' });
  }

  /**
   * After a poll batch: notifies the merged feeds and the per-source feeds of every source whose
   * poll added or changed items (`status: ok` with new or updated items). Nothing when no item changed.
   * @param results the batch's poll results
   */
  afterPolls(results: readonly PollResult[]): void {
    if (this.closed) return;
    const changed = results.filter((r) => r.status === 'ok' && r.counts.new + r.counts.updated > 0).map((r) => r.sourceId);
    this.notifier.notify(changedTopicUrls(this.topics, changed));
  }

  /**
   * After a translation backfill that changed items: finds the sources of the articles updated
   * since the last such check (one store read, in the background) and notifies their feeds and
   * the merged feeds. Items a poll changed meanwhile are included; announcing them twice is harmless.
   */
  afterBackfill(): void {
    if (this.closed) return;
    this.lookups = this.lookups.then(() => this.notifyStoredChanges());
  }

  /** Resolves when pending store checks are done and every queued notification was delivered or given up. */
  async idle(): Promise<void> {
    await this.lookups;
    await this.notifier.idle();
  }

  /**
   * For one-shot runs: no new notifications; waits for pending store checks, then up to `waitMs`
   * for every topic to be delivered or finally failed, gives up on the rest and stops (see
   * {@link HubNotifier.drain}).
   * @param waitMs longest wait for the hub (ms)
   * @returns delivered and failed topics
   */
  async drain(waitMs: number): Promise<HubReport> {
    this.closed = true;
    await this.lookups;
    return this.notifier.drain(waitMs);
  }

  /** Stops: no new notifications; those queued or on the wire are dropped (see {@link HubNotifier.close}). */
  async close(): Promise<void> {
    this.closed = true;
    await this.lookups;
    await this.notifier.close();
  }

  private async notifyStoredChanges(): Promise<void> {
    if (this.closed) return;
    const checkedAt = this.deps.clock.now().toISOString();
    try {
      const articles = await this.deps.store.listArticles({ limit: this.deps.scan ?? 500 });
      const changed = articles.filter((a) => a.updatedAt >= this.since).map((a) => a.sourceId);
      this.since = checkedAt;
      this.notifier.notify(changedTopicUrls(this.topics, changed));
    } catch (err) {
      const e = toDuofeedError(err, { stage: 'publish' });
      this.log.error({ err: e, code: e.code }, `cannot tell which feeds the translation backfill changed: ${e.message}`);
    }
  }
}

/**
 * The publisher for `output.websubHub`, or null when no hub is configured. Config validation
 * requires `output.baseUrl` with a hub (topic URLs must be the feeds' public self links), so a
 * hub without a base URL (a hand-built config) also gives null.
 * @param config validated config (`output.websubHub`, `output.baseUrl`, `output.languages`,
 *   `http.userAgent`, `http.timeoutMs`)
 * @param deps store, clock, logger and optional notifier overrides
 */
export function createWebSubPublisher(
  config: Pick<AppConfig, 'output' | 'http'>,
  deps: WebSubPublisherDeps,
): WebSubPublisher | null {
  const { websubHub, baseUrl, languages } = config.output;
  if (!websubHub || !baseUrl) return null;
  const notifier = new HubNotifier({
    hubUrl: websubHub,
    userAgent: config.http.userAgent,
    timeoutMs: config.http.timeoutMs,
    clock: deps.clock,
    logger: deps.logger,
    ...deps.notifier,
  });
  return new WebSubPublisher(notifier, { baseUrl: baseUrl.replace(/\/+$/, ''), languages }, deps);
}
