import { parseArgs } from 'node:util';
import { DuofeedError } from '../errors.js';

/** CLI commands (public contract, see README "CLI"). */
export const COMMANDS = ['run', 'serve', 'poll-once', 'validate-config', 'healthcheck', 'import-opml'] as const;
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
  /** poll-once, import-opml: print the summary / report as JSON instead of text. */
  json: boolean;
  /** import-opml: the OPML file to merge (its one positional argument); null for other commands. */
  file: string | null;
  /** import-opml: validate and report what would be added, write nothing. */
  dryRun: boolean;
  help: boolean;
  version: boolean;
}

/** Usage text printed by `--help` and on bad arguments. */
export const USAGE = `Usage: duofeed [run|serve|poll-once|validate-config|healthcheck] [--config PATH] [--data-dir DIR] [--port N]
       duofeed import-opml FILE [--config PATH] [--dry-run] [--json]

Commands:
  run              serve HTTP and poll every source on its schedule (default)
  serve            serve HTTP only (whatever is stored)
  poll-once        poll every enabled source once, print a summary, exit
  validate-config  check the config; print every problem, or "ok"
  healthcheck      ask a running service on --port for /healthz; exit 0 when it answers 200
  import-opml FILE merge an OPML file's feeds into the config (backup kept, duplicates skipped)

Options:
  --config PATH    config file (env DUOFEED_CONFIG; default ./feeds.config.json)
  --data-dir DIR   data folder for the database (env DATA_DIR; default ./data)
  --port N         HTTP port (env PORT; default 8080)
  --json           poll-once, import-opml: print the summary / report as JSON
  --dry-run        import-opml: report what would be added, write nothing
  --help, --version
Environment: LOG_LEVEL (trace|debug|info|warn|error|fatal|silent; default info)
`;

/**
 * Parses argv (without node and script) and the environment into CliOptions.
 * Precedence: flag, then environment variable, then default.
 * @param argv e.g. `['poll-once', '--config', 'x.json']`
 * @param env process environment
 * @throws DuofeedError CLI_USAGE (unknown command or option, bad port, import-opml without exactly one FILE) with the usage text
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
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (cause) {
    throw new DuofeedError('CLI_USAGE', `${(cause as Error).message}\n\n${USAGE}`, { stage: 'cli', cause });
  }
  const { values, positionals } = parsed;
  const command = (positionals[0] ?? 'run') as Command;
  if (!COMMANDS.includes(command)) {
    throw new DuofeedError('CLI_USAGE', `unknown command "${positionals.join(' ')}"\n\n${USAGE}`, { stage: 'cli' });
  }
  const operands = command === 'import-opml' ? 1 : 0;
  const given = Math.max(positionals.length - 1, 0);
  if (given !== operands) {
    const message = operands === 1 ? `import-opml takes exactly one FILE, got ${given}` : `unknown command "${positionals.join(' ')}"`;
    throw new DuofeedError('CLI_USAGE', `${message}\n\n${USAGE}`, { stage: 'cli' });
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
    file: operands === 1 ? (positionals[1] ?? null) : null,
    dryRun: values['dry-run'] ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}
