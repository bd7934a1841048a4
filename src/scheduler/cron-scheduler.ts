import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { AppConfig, SourceConfig } from '../types.js';
import type { PollRunner } from './poll-runner.js';

/** A running schedule. */
export interface CronScheduler {
  /** Stops every cron task; polls already running are left to PollRunner.drain(). */
  stop(): Promise<void>;
}

/**
 * The thin node-cron shell: one task per distinct schedule; each tick polls that schedule's
 * sources that are due (backoff respected) through the runner. Also polls once at start so a
 * new deployment does not wait for the first tick.
 * @param config frozen config (schedules, zone)
 * @param runner poll runner
 * @param logger root logger
 * @param pollAtStart poll due sources right away
 */
export function startCronScheduler(config: AppConfig, runner: PollRunner, logger: Logger, pollAtStart = true): CronScheduler {
  const groups = new Map<string, SourceConfig[]>();
  for (const s of config.sources) {
    if (!s.enabled) continue;
    const expr = s.schedule ?? config.schedule;
    groups.set(expr, [...(groups.get(expr) ?? []), s]);
  }
  const tasks: ScheduledTask[] = [];
  const log = logger.child({ stage: 'scheduler' });
  for (const [expr, sources] of groups) {
    const tick = async (): Promise<void> => {
      try {
        await runner.run(sources, true);
      } catch (err) {
        log.error({ err, code: 'INTERNAL', schedule: expr }, 'scheduled poll failed');
      }
    };
    const task = createTask(expr, tick, {
      timezone: config.scheduleTimezone ?? 'UTC',
      name: `poll ${expr}`,
      noOverlap: false,
    });
    task.start();
    tasks.push(task);
    log.info({ schedule: expr, sources: sources.map((s) => s.id), next: task.getNextRun()?.toISOString() ?? null }, 'schedule started');
  }
  if (pollAtStart) void runner.run(config.sources, true).catch((err) => log.error({ err, code: 'INTERNAL' }, 'initial poll failed'));
  return {
    async stop(): Promise<void> {
      for (const t of tasks) {
        await t.stop();
        await t.destroy();
      }
    },
  };
}
