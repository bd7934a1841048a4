import { parse as parseCron } from 'node-cron';

/** Wall-clock fields of an instant in a zone. */
interface WallClock {
  second: number;
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
  daysInMonth: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/**
 * Reads the wall clock of `instant` in `timeZone` from the tz database (Intl), never from the
 * host zone, so the host's `TZ` cannot shift a schedule (case 38, node-cron #174).
 */
function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  return {
    second: Number(parts.second),
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    day: Number(parts.day),
    month,
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

/** A compiled cron expression (node-cron syntax: 5 or 6 fields, names, ranges, steps, `L`). */
export interface CronSpec {
  expression: string;
  timeZone: string;
  /** Seconds of the minute the expression fires at (`[0]` for 5-field expressions). */
  seconds: readonly number[];
  matches(instant: Date): boolean;
}

function dayMatches(list: (number | string)[], wc: WallClock): boolean {
  return list.some((v) => (v === 'L' ? wc.day === wc.daysInMonth : v === wc.day));
}

/**
 * Compiles `expression` for `timeZone`.
 * @param expression cron expression as node-cron accepts it
 * @param timeZone IANA zone; null means UTC
 * @throws Error from node-cron when the expression is invalid (config validation catches it first)
 */
export function compileCron(expression: string, timeZone: string | null): CronSpec {
  const f = parseCron(expression);
  const zone = timeZone ?? 'UTC';
  const seconds = new Set(f.second);
  const minutes = new Set(f.minute);
  const hours = new Set(f.hour);
  const months = new Set(f.month);
  const weekdays = new Set(f.dayOfWeek.map((d) => (d === 7 ? 0 : d)));
  const domRestricted = f.dayOfMonth.length < 31;
  const dowRestricted = weekdays.size < 7;
  return {
    expression,
    timeZone: zone,
    seconds: [...f.second],
    matches(instant: Date): boolean {
      const wc = wallClock(instant, zone);
      if (!seconds.has(wc.second) || !minutes.has(wc.minute) || !hours.has(wc.hour) || !months.has(wc.month)) return false;
      const dom = dayMatches(f.dayOfMonth, wc);
      const dow = weekdays.has(wc.weekday);
      // Vixie cron: when both day fields are restricted, either one may match.
      if (domRestricted && dowRestricted) return dom || dow;
      return dom && dow;
    },
  };
}

// Every poll asks for its source's next run; compiling the same few expressions again each time
// was measurable with hundreds of sources. Bounded so a config reload with new expressions
// cannot grow it without limit.
const compiled = new Map<string, CronSpec>();
const MAX_COMPILED = 256;

/**
 * {@link compileCron}, memoized per expression and zone (a compiled spec is immutable, so one
 * instance serves every caller).
 * @param expression cron expression as node-cron accepts it
 * @param timeZone IANA zone; null means UTC
 * @throws Error from node-cron when the expression is invalid (nothing is cached then)
 */
export function compiledCron(expression: string, timeZone: string | null): CronSpec {
  const key = `${timeZone ?? 'UTC'}\u0000${expression}`;
  let spec = compiled.get(key);
  if (spec === undefined) {
    spec = compileCron(expression, timeZone);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, spec);
  }
  return spec;
}

/**
 * The first instant strictly after `after` (whole seconds/minutes) at which `spec` fires.
 * Steps minute by minute (second by second for 6-field expressions that list seconds other than 0).
 * @param spec compiled expression
 * @param after reference instant
 * @param horizonMs how far to look (ms); default 8 days
 * @returns the instant, or null when none falls within the horizon
 */
export function nextRunAfter(spec: CronSpec, after: Date, horizonMs = 8 * 24 * 3600_000): Date | null {
  const end = after.getTime() + horizonMs;
  // Start at the next whole second, then try every second of the first partial minute;
  // after that, whole minutes plus each second the expression allows.
  let t = Math.floor(after.getTime() / 1000) * 1000 + 1000;
  while (t <= end && t % 60_000 !== 0) {
    if (spec.matches(new Date(t))) return new Date(t);
    t += 1000;
  }
  for (; t <= end; t += 60_000) {
    for (const s of spec.seconds) {
      const c = new Date(t + s * 1000);
      if (spec.matches(c)) return c;
    }
  }
  return null;
}
