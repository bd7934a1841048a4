import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Builds the one root logger (pino, JSON lines on stdout). Stages get children of it with
 * `stage`, `sourceId` and `url` bindings; errors go under `err` with their `code`.
 * @param level pino level name (`trace` … `fatal`, or `silent`)
 * @param destination stream to write to; default stdout (fd 1)
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'duofeed' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything (tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
