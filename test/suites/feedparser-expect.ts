/**
 * A small translator of Python feedparser's `Expect:` comments (Python boolean expressions over
 * the parse result) into checks on our fields. Handled: conjunctions (`and`), `bozo` / `not bozo`,
 * `PATH == LITERAL` (also chained `PATH == PATH == LITERAL`) where PATH is `feed['title'|'link']`,
 * `entries[N]['title'|'link'|'id'|'guid'|'published_parsed'|'updated_parsed']` (also `.key`
 * attribute access) or `encoding`, and LITERAL is a Python string (u/r prefixes, escapes, `+`
 * concatenation), a 9-tuple time struct (UTC) or None. Everything else is counted, by reason, as
 * not evaluated.
 */
import type { Expected, Field } from './expectations.js';

/** A translated expectation. */
export interface FpCheck {
  field: Field;
  index: number;
  expected: Expected;
}

/** Splits at top-level occurrences of ` and ` / ` or ` (outside strings and brackets). */
function splitTop(expr: string, word: 'and' | 'or'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (depth === 0 && expr.startsWith(` ${word} `, i)) {
      parts.push(expr.slice(start, i));
      start = i + word.length + 2;
      i = start - 1;
    }
  }
  parts.push(expr.slice(start));
  return parts.map((p) => p.trim());
}

function stripParens(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')') && splitTop(t.slice(1, -1), 'and').length >= 1 && balanced(t.slice(1, -1))) {
    t = t.slice(1, -1).trim();
  }
  return t;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Decodes one Python string literal token (with optional u/r/b prefix), or null. */
function pyString(tok: string): string | null {
  const m = /^([uUrRbB]{0,2})(['"])([^]*)\2$/.exec(tok.trim());
  if (!m) return null;
  const raw = /r/i.test(m[1]!);
  const body = m[3]!;
  if (raw) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (_all, e: string) => {
    if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };
    return simple[e] ?? `\\${e}`;
  });
}

type Literal = { kind: 'string'; value: string } | { kind: 'time'; value: string } | { kind: 'none' };

function literal(tok: string): Literal | null {
  const t = tok.trim();
  if (t === 'None') return { kind: 'none' };
  const tuple = /^\((\s*-?\d+\s*(?:,\s*-?\d+\s*){8})\)$/.exec(t);
  if (tuple) {
    const [y, mo, d, h, mi, s] = tuple[1]!.split(',').map((x) => Number(x.trim()));
    return { kind: 'time', value: new Date(Date.UTC(y!, mo! - 1, d, h, mi, s)).toISOString() };
  }
  const pieces = splitPlus(t);
  const strings = pieces.map(pyString);
  if (strings.every((s): s is string => s !== null)) return { kind: 'string', value: strings.join('') };
  return null;
}

function splitPlus(expr: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '+') {
      parts.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(expr.slice(start));
  return parts;
}

type Target = { field: Field; index: number; which?: 'published' | 'updated' } | { unsupported: string };

/** Maps a result path (`entries[0]['title']`, `feed.link`, `encoding`) to one of our fields. */
function target(path: string): Target | null {
  const m = /^(feed|entries\s*\[\s*(\d+)\s*\]|encoding|version|bozo|headers|status|href)((?:\s*\[\s*(?:[uU]?'[^']*'|[uU]?"[^"]*"|-?\d+)\s*\]|\.[A-Za-z_]\w*)*)$/.exec(path.trim());
  if (!m) return null;
  const keys = [...m[3]!.matchAll(/\[\s*(?:[uU]?'([^']*)'|[uU]?"([^"]*)"|(-?\d+))\s*\]|\.([A-Za-z_]\w*)/g)].map((k) => k[1] ?? k[2] ?? k[3] ?? k[4]!);
  const head = m[1]!.startsWith('entries') ? 'entries' : m[1]!;
  const index = m[2] !== undefined ? Number(m[2]) : -1;
  const shape = `${head}${keys.map((k) => (/^-?\d+$/.test(k) ? '[]' : `.${k}`)).join('')}`;
  if (head === 'encoding' && keys.length === 0) return { field: 'encoding', index: -1 };
  // `title_detail['value']` is the title itself.
  if (keys.length === 2 && keys[0] === 'title_detail' && keys[1] === 'value') keys.splice(0, 2, 'title');
  if (head === 'feed' && keys.length === 1) {
    if (keys[0] === 'title') return { field: 'feedTitle', index: -1 };
    if (keys[0] === 'link') return { field: 'feedLink', index: -1 };
  }
  if (head === 'entries' && keys.length === 1) {
    const k = keys[0]!;
    if (k === 'title') return { field: 'title', index };
    if (k === 'link') return { field: 'link', index };
    if (k === 'id' || k === 'guid') return { field: 'id', index };
    if (k === 'published_parsed') return { field: 'date', index, which: 'published' };
    if (k === 'updated_parsed') return { field: 'date', index, which: 'updated' };
  }
  return { unsupported: `not compared: ${shape}` };
}

/**
 * Reads the `Expect:` line of a feedparser test file and translates it.
 * @param bytes the test file (any encoding; the comment is ASCII-compatible or UTF-16/32)
 * @returns translated checks and, per untranslated part, a reason
 */
export function feedparserChecks(bytes: Buffer): { checks: FpCheck[]; unevaluated: string[] } {
  const head = bytes.subarray(0, 8192).toString('utf8').replace(/\0/g, '');
  const line = /^\s*Expect:\s*(.*?)\s*$/m.exec(head)?.[1];
  if (line === undefined) return { checks: [], unevaluated: ['no Expect: line'] };
  const expr = line.replace(/\s*-->.*$/, '').trim();
  const checks: FpCheck[] = [];
  const unevaluated: string[] = [];
  if (splitTop(expr, 'or').length > 1) return { checks, unevaluated: ['expression with `or`'] };
  for (const part of splitTop(expr, 'and')) {
    const p = stripParens(part);
    if (p === 'bozo' || p === 'not bozo') {
      checks.push({ field: 'bozo', index: -1, expected: { type: 'bozo', value: p === 'bozo' } });
      continue;
    }
    if (p === '1' || p === 'True') {
      unevaluated.push('no assertion (crash test; run anyway)');
      continue;
    }
    const sides = p.split(/\s*==\s*(?=(?:[^'"]*['"][^'"]*['"])*[^'"]*$)/);
    const isNone = /^(.*?)\s+is\s+None$/.exec(p);
    const operands = isNone ? [isNone[1]!, 'None'] : sides;
    if (operands.length < 2) {
      unevaluated.push(`form not translated: ${p.replace(/'[^']*'|"[^"]*"/g, 'S').replace(/\d+/g, 'N').slice(0, 40)}`);
      continue;
    }
    const lit = literal(operands[operands.length - 1]!);
    if (lit === null) {
      unevaluated.push('literal not translated (dict, number, call, …)');
      continue;
    }
    for (const path of operands.slice(0, -1)) {
      const t = target(path);
      if (t === null) {
        unevaluated.push(`form not translated: ${path.replace(/'[^']*'|"[^"]*"/g, 'S').replace(/\d+/g, 'N').slice(0, 40)}`);
        continue;
      }
      if ('unsupported' in t) {
        unevaluated.push(t.unsupported);
        continue;
      }
      const expected = expectedFor(t.field, lit, t.which);
      if (expected === null) unevaluated.push(`literal kind does not fit ${t.field}`);
      else checks.push({ field: t.field, index: t.index, expected });
    }
  }
  return { checks, unevaluated };
}

function expectedFor(field: Field, lit: Literal, which?: 'published' | 'updated'): Expected | null {
  if (lit.kind === 'none') return null;
  if (field === 'date') return lit.kind === 'time' ? { type: 'instant', value: lit.value, which: which ?? 'published' } : null;
  if (lit.kind !== 'string') return null;
  switch (field) {
    case 'title':
    case 'feedTitle':
      return { type: 'text', value: lit.value };
    case 'link':
    case 'feedLink':
      return { type: 'url', value: lit.value };
    case 'id':
      return { type: 'id', value: lit.value };
    case 'encoding':
      return { type: 'encoding', value: lit.value };
    default:
      return null;
  }
}
