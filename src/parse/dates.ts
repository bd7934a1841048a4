/**
 * Feed date parsing that never depends on the host time zone (cases 14, 16, 18, 37).
 *
 * `new Date(str)` reads zone-less strings in the process zone and accepts whatever V8 guesses, so
 * every format is matched here by hand and turned into an instant with `Date.UTC` plus an offset
 * computed from the source's IANA zone through `Intl.DateTimeFormat`.
 */

/** Result of {@link parseFeedDate}. */
export interface ParsedDate {
  /** UTC ISO 8601 (`2024-01-02T03:04:05.000Z`), or null when the value is empty or unusable. */
  iso: string | null;
  /** True when the value had a time of day but no zone, so it was read in `timezone` (or UTC). */
  hadNoZone: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  // German and French abbreviations seen in real feeds that mislabel their locale dates as RFC 822.
  mär: 3, mrz: 3, mai: 5, okt: 10, dez: 12, fév: 2, avr: 4, juil: 7, aoû: 8, déc: 12,
};

/** Zone names RFC 822 defines, plus a few that real feeds use anyway. Offsets in minutes. */
const ZONE_NAMES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600,
  BST: 60, IST: 330, CET: 60, CEST: 120, MET: 60, MEST: 120, MEZ: 60, MESZ: 120, EET: 120, EEST: 180,
  MSK: 180, JST: 540, KST: 540, HKT: 480, SGT: 480, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

const NUM = String.raw`(\d{1,2})`;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?`;
const ZONE = String.raw`(?:\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{4}|[+-]\d{2}|(?:GMT|UTC)[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]{1,5}))?`;

/** `Wed, 01 Jul 15 00:00:00 +0200`, `1 July 2015 0:00 GMT`, with or without weekday/seconds/zone. */
const RFC822 = new RegExp(
  String.raw`^(?:[A-Za-zäéû]{2,9}\.?,?\s*)?${NUM}[\s-]+([A-Za-zäéû]{3,9})\.?[\s-]+(\d{2}|\d{4}),?(?:\s+${TIME}${ZONE})?(?:\s*\(.*\))?$`,
);
/** RFC 3339 / ISO 8601 calendar dates, `T` or space separated, or with slashes. */
const ISO = new RegExp(
  String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]+${TIME}${ZONE})?$`,
);
/** Compact ISO basic format `20240102T030405Z`. */
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?$/;
/** German numeric form `16.02.2018, 07:30 Uhr` (case 18). */
const DOTTED = new RegExp(String.raw`^${NUM}\.${NUM}\.(\d{4}),?(?:\s+${TIME}(?:\s*Uhr)?${ZONE})?$`, 'i');
/** asctime / JavaScript `Date#toString`: `Sun Sep  9 10:30:00 2018`, `Sun Sep 09 2018 10:30:00 GMT+0800 (CST)`. */
const ASCTIME = new RegExp(
  String.raw`^[A-Za-z]{3},?\s+([A-Za-z]{3,9})\s+${NUM}\s+(?:(\d{4})\s+${TIME}|${TIME}\s+(\d{4}))${ZONE}(?:\s*\(.*\))?$`,
);

/**
 * Parses a date string found in a feed into a UTC instant.
 *
 * Accepts RFC 822/2822 (two-digit years per RFC 2822 §4.3: 00–49 → 20xx, 50–99 → 19xx; named
 * zones; `+hh:mm`), RFC 3339 / ISO 8601 (with `T` or space, optional fraction and zone), ISO with
 * slashes (`2018/09/09`), German `DD.MM.YYYY, HH:MM Uhr`, asctime and JavaScript `Date#toString`.
 * A value with a time but no zone is read as wall time in `timezone` (IANA), or UTC when null,
 * and flagged `hadNoZone`. A date-only value means midnight UTC of that day (case 37).
 *
 * @param raw the text of the date element/field; null, empty or whitespace gives `{iso: null}`
 * @param timezone IANA zone of the source (e.g. `Asia/Shanghai`) or null for UTC; an unknown
 *   zone name is treated as UTC
 * @returns `{iso, hadNoZone}`; never throws — an unusable value gives `iso: null`
 */
export function parseFeedDate(raw: string | null | undefined, timezone: string | null): ParsedDate {
  const none: ParsedDate = { iso: null, hadNoZone: false };
  if (raw === null || raw === undefined) return none;
  const s = raw.replace(/\s+/g, ' ').trim();
  if (s === '' || s.length > 100) return none;
  const parts = matchParts(s);
  if (!parts) return none;
  return toInstant(parts, timezone);
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  hasTime: boolean;
  /** Offset from UTC in minutes; null when the value carries no (known) zone. */
  offset: number | null;
}

function matchParts(s: string): DateParts | null {
  let m = ISO.exec(s);
  if (m) return build(m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
  m = ISO_BASIC.exec(s);
  if (m) return build(m[1], m[2], m[3], m[4], m[5], m[6] ?? '00', undefined, m[7]);
  m = RFC822.exec(s);
  if (m) {
    const month = monthNumber(m[2]);
    if (month === null) return null;
    return build(fullYear(m[3]), String(month), m[1], m[4], m[5], m[6], m[7], m[8]);
  }
  m = DOTTED.exec(s);
  if (m) return build(m[3], m[2], m[1], m[4], m[5], m[6], m[7], m[8]);
  m = ASCTIME.exec(s);
  if (m) {
    const month = monthNumber(m[1]);
    if (month === null) return null;
    if (m[3] !== undefined) return build(m[3], String(month), m[2], m[4], m[5], m[6], m[7], m[13]);
    return build(m[12], String(month), m[2], m[8], m[9], m[10], m[11], m[13]);
  }
  return null;
}

function monthNumber(name: string | undefined): number | null {
  if (!name) return null;
  const key = name.toLowerCase();
  return MONTHS[key.slice(0, 3)] ?? MONTHS[key.slice(0, 4)] ?? MONTHS[key] ?? null;
}

function fullYear(y: string | undefined): string | undefined {
  if (y === undefined || y.length !== 2) return y;
  const n = Number(y);
  return String(n < 50 ? 2000 + n : 1900 + n);
}

function build(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  fraction: string | undefined,
  zone: string | undefined,
): DateParts | null {
  const hasTime = hour !== undefined;
  const offset = zone === undefined ? (hasTime ? null : 0) : zoneOffset(zone);
  const p: DateParts = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: hasTime ? Number(hour) : 0,
    minute: hasTime ? Number(minute) : 0,
    // A leap second (:60) is clamped: JavaScript instants have none.
    second: Math.min(59, Number(second ?? 0)),
    ms: fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
    hasTime,
    offset,
  };
  if (!valid(p)) return null;
  return p;
}

function valid(p: DateParts): boolean {
  if (!Number.isInteger(p.year) || p.year < 1000 || p.year > 9999) return false;
  if (p.month < 1 || p.month > 12 || p.day < 1) return false;
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  if (p.day > daysInMonth) return false;
  return p.hour <= 23 && p.minute <= 59;
}

/** Minutes east of UTC for a zone token; null for a name we do not know (read as zone-less). */
function zoneOffset(zone: string): number | null {
  const z = zone.toUpperCase();
  const named = ZONE_NAMES[z];
  if (named !== undefined) return named;
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const h = Number(m[2]);
  const min = Number(m[3] ?? 0);
  if (h > 14 || min > 59) return null;
  return sign * (h * 60 + min);
}

function toInstant(p: DateParts, timezone: string | null): ParsedDate {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms);
  if (p.offset !== null) {
    return { iso: new Date(wall - p.offset * 60_000).toISOString(), hadNoZone: false };
  }
  const t = timezone ? wallTimeInZone(wall, timezone) : wall;
  return { iso: new Date(t).toISOString(), hadNoZone: true };
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  if (!formatters.has(zone)) {
    let f: Intl.DateTimeFormat | null = null;
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return formatters.get(zone) ?? null;
}

/** Offset (ms) of `zone` at instant `t`: what the zone's wall clock shows minus UTC. */
function offsetAt(f: Intl.DateTimeFormat, t: number): number {
  const parts: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const shown = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return shown - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which `zone`'s wall clock shows `wall` (wall time encoded as if it were UTC).
 * Disambiguates like Temporal's "compatible": a repeated hour (fall back) takes the earlier
 * instant, a skipped hour (spring forward) is read with the offset before the gap, i.e. later.
 */
function wallTimeInZone(wall: number, zone: string): number {
  const f = formatterFor(zone);
  if (!f) return wall;
  const a = offsetAt(f, wall - 86_400_000);
  const b = offsetAt(f, wall + 86_400_000);
  const candidates = [wall - a, wall - b].filter((t) => offsetAt(f, t) === wall - t).sort((x, y) => x - y);
  if (candidates.length > 0) return candidates[0] as number;
  return wall - Math.min(a, b);
}
