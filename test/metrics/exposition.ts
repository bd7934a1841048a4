/**
 * A small reader of the Prometheus text exposition format 0.0.4, written for the tests from the
 * format's description (one sample per line: `name{label="value",…} value`, label values with
 * `\\`, `\"` and `\n` escapes; `# HELP` / `# TYPE` comment lines), independent of prom-client.
 */

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: samples plus each family's declared type. */
export interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(text.slice(i));
    if (!m) throw new Error(`bad label at ${i} in: ${line}`);
    i += m[0].length;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[i + 1];
        value += n === 'n' ? '\n' : (n ?? '');
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    i++;
    labels[m[1] as string] = value;
    if (text[i] === ',') i++;
  }
  return labels;
}

/**
 * Parses exposition text.
 * @throws Error on a line that is neither a comment nor a well-formed sample
 */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const t = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (t) types.set(t[1] as string, t[2] as string);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const raw = (m[3] as string).toLowerCase();
    // Values are Go ParseFloat syntax: NaN and Inf in any letter case (prom-client writes `Nan`).
    const value = raw === '+inf' || raw === 'inf' ? Infinity : raw === '-inf' ? -Infinity : raw === 'nan' ? NaN : Number(raw);
    if (Number.isNaN(value) && raw !== 'nan') throw new Error(`bad value in: ${line}`);
    samples.push({ name: m[1] as string, labels: m[2] ? parseLabels(m[2], line) : {}, value });
  }
  return { samples, types };
}

/** Samples of `name` as `labels-key → value`, the key being the labels sorted, `k=v` joined by `,`. */
export function series(exp: Exposition, name: string, omit: readonly string[] = []): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of exp.samples) {
    if (s.name !== name) continue;
    out.set(labelKey(s.labels, omit), s.value);
  }
  return out;
}

/** The key {@link series} uses for a label set. */
export function labelKey(labels: Record<string, string>, omit: readonly string[] = []): string {
  return Object.keys(labels)
    .filter((k) => !omit.includes(k))
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}
