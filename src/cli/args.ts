import { parseArgs } from 'node:util';
import { DuofeedError } from '../errors.js';

/** CLI commands (public contract, see README "CLI"). */
export const COMMANDS = ['run', 'serve', 'poll-once', 'validate-config', 'healthcheck'] as const;
export type Command = (typeof COMMANDS)[number];

/** pino's level names. */
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Resolved invocation. */
export interface CliOptions {
  command: Command;
  configPath: string;
  dataDir: string;
  port: number;
  logLevel: string;
  /** poll-once: print the summary as JSON instead of a table. */
  json: boolean;
  help: boolean;
  version: boolean;
}

/** Usage text printed by `--help` and on bad arguments. */
export const USAGE = `Usage: duofeed [run|serve|poll-once|validate-config|healthcheck] [--config PATH] [--data-dir DIR] [--port N]

Commands:
  run              serve HTTP and poll every source on its schedule (default)
  serve            serve HTTP only (whatever is stored)
  poll-once        poll every enabled source once, print a summary, exit
  validate-config  check the config; print every problem, or "ok"
  healthcheck      ask a running service on --port for /healthz; exit 0 when it answers 200

Options:
  --config PATH    config file (env DUOFEED_CONFIG; default ./feeds.config.json)
  --data-dir DIR   data folder for the database (env DATA_DIR; default ./data)
  --port N         HTTP port (env PORT; default 8080)
  --json           poll-once: print the summary as JSON
  --help, --version
Environment: LOG_LEVEL (trace|debug|info|warn|error|fatal|silent; default info)
`;

/**
 * Parses argv (without node and script) and the environment into CliOptions.
 * Precedence: flag, then environment variable, then default.
 * @param argv e.g. `['poll-once', '--config', 'x.json']`
 * @param env process environment
 * @throws DuofeedError CLI_USAGE (unknown command or option, bad port) with the usage text
 */
export function parseCli(argv: string[], env: Record<string, string | undefined>): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (cause) {
    throw new DuofeedError('CLI_USAGE', `${(cause as Error).message}\n\n${USAGE}`, { stage: 'cli', cause });
  }
  const { values, positionals } = parsed;
  const command = (positionals[0] ?? 'run') as Command;
  if (!COMMANDS.includes(command) || positionals.length > 1) {
    throw new DuofeedError('CLI_USAGE', `unknown command "${positionals.join(' ')}"\n\n${USAGE}`, { stage: 'cli' });
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new DuofeedError('CLI_USAGE', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`, { stage: 'cli' });
  }
  const portText = values.port ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    const from = values.port !== undefined ? '--port' : 'PORT';
    throw new DuofeedError('CLI_USAGE', `${from} must be a whole number 0–65535, got "${portText}"`, { stage: 'cli' });
  }
  return {
    command,
    configPath: values.config ?? env.DUOFEED_CONFIG ?? './feeds.config.json',
    dataDir: values['data-dir'] ?? env.DATA_DIR ?? './data',
    port,
    logLevel,
    json: values.json ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}
