import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/paths.js';

/** The built CLI (`npm run build` writes it). */
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

const run = promisify(execFile);

/** Environment for a CLI child: no inherited config/data overrides. */
export function cliEnv(level = 'warn'): NodeJS.ProcessEnv {
  return { ...process.env, LOG_LEVEL: level, DATA_DIR: '', DUOFEED_CONFIG: '' };
}

/** One source's line of `poll-once --json`. */
export interface PollLine {
  sourceId: string;
  status: string;
  counts: { new: number; updated: number; unchanged: number };
  items: number;
  extractionFailures: number;
  errorCode: string | null;
  message: string | null;
}

/**
 * Runs `duofeed poll-once --json` to completion.
 * @returns the per-source results
 */
export async function pollOnce(config: string, dataDir: string, extraArgs: string[] = [], nodeArgs: string[] = []): Promise<PollLine[]> {
  const { stdout } = await run(process.execPath, [...nodeArgs, CLI, 'poll-once', '--config', config, '--data-dir', dataDir, '--json'], {
    env: cliEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as { results: PollLine[] }).results;
}

/** A running `serve`/`run` child and the port it listens on. */
export interface ServedChild {
  port: number;
  child: ChildProcess;
  /** stdout so far (pino JSON lines). */
  output(): string;
  /** SIGTERM and wait for exit code 0. */
  stop(): Promise<void>;
}

/**
 * Starts `duofeed <command> --port 0` and waits for the log line that names the port.
 * @param command `serve` or `run`
 */
export async function startListening(command: 'serve' | 'run', config: string, dataDir: string, nodeArgs: string[] = []): Promise<ServedChild> {
  const child = spawn(process.execPath, [...nodeArgs, CLI, command, '--config', config, '--data-dir', dataDir, '--port', '0'], {
    env: cliEnv('info'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errText = '';
  child.stderr!.on('data', (d: Buffer) => (errText += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('"port"')) continue;
        try {
          const rec = JSON.parse(line) as { port?: number };
          if (typeof rec.port === 'number' && rec.port > 0) resolve(rec.port);
        } catch {
          /* partial line */
        }
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`${command} exited with ${code ?? signal}: ${errText}${out.slice(-2000)}`)));
  });
  return {
    port,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${errText}`))));
        child.kill('SIGTERM');
      }),
  };
}
