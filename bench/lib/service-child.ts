import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Counts of the service's own log lines (pino JSON on stdout). */
export interface LogCounts {
  /** `feed polled` lines: a 200 feed was parsed and stored. */
  polled: number;
  /** `feed not modified` lines (304). */
  notModified: number;
  /** `poll failed: …` lines. */
  pollFailed: number;
  /** `skipped: previous poll still active` lines. */
  skipped: number;
  /** Items reported new / updated by `feed polled` lines. */
  newItems: number;
  updatedItems: number;
  /** Lines at level warn (40) and above, other than poll failures. */
  warnings: number;
  errors: number;
}

/** A running service child. */
export interface ServiceChild {
  pid: number;
  port: number;
  /** A copy of the log counters. */
  counts(): LogCounts;
  /** Up to 10 distinct error/warn messages seen. */
  problems(): string[];
  /** Sends a signal to the child (no-op once it has exited). */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How to start the child. */
export interface ServiceOptions {
  /** Repository root (holds dist/cli.js). */
  root: string;
  configPath: string;
  dataDir: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags: string[];
  /** How long to wait for the listening line (ms). */
  startTimeoutMs: number;
  /** Extra environment for the child (e.g. the loop monitor's file). */
  env?: Record<string, string>;
}

/**
 * Starts `node dist/cli.js run --config … --data-dir … --port 0` as a child process and waits
 * for the pino log line that carries a numeric `port` (the server is listening). Every stdout
 * line is parsed and counted (see {@link LogCounts}); stderr is kept for error reports.
 * @param opts root, config, data dir, node flags, start timeout (ms)
 * @returns the running child; rejects (after killing it) when it exits or does not listen in time
 */
export async function startService(opts: ServiceOptions): Promise<ServiceChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...opts.nodeFlags, 'dist/cli.js', 'run', '--config', opts.configPath, '--data-dir', opts.dataDir, '--port', '0'],
    { cwd: opts.root, env: { ...process.env, ...(opts.env ?? {}), LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const counts: LogCounts = { polled: 0, notModified: 0, pollFailed: 0, skipped: 0, newItems: 0, updatedItems: 0, warnings: 0, errors: 0 };
  const problems = new Set<string>();
  let stderr = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitWaiters: Array<() => void> = [];
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    for (const w of exitWaiters.splice(0)) w();
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    if (stderr.length < 20_000) stderr += d;
  });

  let onPort: ((port: number) => void) | null = null;
  const portPromise = new Promise<number>((resolve) => (onPort = resolve));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const msg = typeof rec.msg === 'string' ? rec.msg : '';
    const level = typeof rec.level === 'number' ? rec.level : 30;
    if (typeof rec.port === 'number' && onPort !== null) {
      onPort(rec.port);
      onPort = null;
    }
    if (msg === 'feed polled') {
      counts.polled++;
      counts.newItems += typeof rec.new === 'number' ? rec.new : 0;
      counts.updatedItems += typeof rec.updated === 'number' ? rec.updated : 0;
    } else if (msg === 'feed not modified') counts.notModified++;
    else if (msg.startsWith('poll failed')) counts.pollFailed++;
    else if (msg.startsWith('skipped: previous poll')) counts.skipped++;
    else if (level >= 50) counts.errors++;
    else if (level >= 40) counts.warnings++;
    if (level >= 40 && problems.size < 10) problems.add(`${String(rec.code ?? '')} ${msg}`.trim());
  });

  const stop = async (graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    if (exited === null) {
      const gone = new Promise<void>((resolve) => exitWaiters.push(resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }
    return exited ?? { code: null, signal: null };
  };

  const failed = new Promise<never>((_, reject) => {
    exitWaiters.push(() => reject(new Error(`service exited before listening (code ${String(child.exitCode)}): ${stderr.slice(0, 2000)}`)));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`service did not log its port within ${opts.startTimeoutMs} ms: ${stderr.slice(0, 2000)}`)), opts.startTimeoutMs);
  });
  failed.catch(() => undefined);
  try {
    const port = await Promise.race([portPromise, failed, timeout]);
    return {
      pid: child.pid as number,
      port,
      counts: () => ({ ...counts }),
      problems: () => [...problems],
      signal: (sig) => {
        if (exited === null) child.kill(sig);
      },
      stop,
    };
  } catch (err) {
    await stop(2000);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
