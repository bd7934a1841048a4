import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import fs from 'node:fs';
import { encodingForLabel } from '../../src/fetch/charset-labels.js';
import type { Check } from './expectations.js';
import type { ItemView, Outcome } from './outcome.js';

/** Agreement figures: suite → field → counts. */
export type Tally = Record<string, Record<string, { agree: number; total: number }>>;

/** One disagreement, for the printed sample and for investigation. */
export interface Disagreement {
  suite: string;
  field: string;
  file: string;
  index: number;
  expected: string;
  got: string;
}

function norm(s: string): string {
  return s.normalize('NFC').replace(/[\s\u00a0]+/g, ' ').trim();
}

/** The plain text a peer's value stands for when read as HTML (tags dropped, entities decoded). */
function htmlText(s: string): string {
  return cheerio.load(s, null, false).root().text();
}

function sameUrl(ours: string, theirs: string): boolean {
  if (ours === theirs.trim()) return true;
  try {
    // A peer that leaves links relative is compared on the link resolved against ours: the
    // path must match; the base is ours to choose (feed URL, xml:base).
    return new URL(ours).href === new URL(theirs.trim(), ours).href;
  } catch {
    return false;
  }
}

function sameText(ours: string | null, theirs: string): boolean {
  const o = norm(ours ?? '');
  // Our titles are plain text; a peer may keep markup (or entity-escaped markup) in titles.
  return o === norm(theirs) || o === norm(htmlText(theirs)) || o === norm(htmlText(htmlText(theirs)));
}

function item(outcome: Outcome, index: number): ItemView | null {
  return outcome.kind === 'feed' ? (outcome.items[index] ?? null) : null;
}

/** The decoded text the peer's encoding gives, or null when iconv-lite lacks the codec. */
function decodeAs(abs: string, label: string): string | null {
  const name = encodingForLabel(label) ?? label.toLowerCase();
  const codec = { 'x-mac-cyrillic': 'maccyrillic', 'iso-8859-8-i': 'iso-8859-8' }[name] ?? name;
  if (!iconv.encodingExists(codec)) return null;
  return iconv.decode(fs.readFileSync(abs), codec, { stripBOM: true });
}

function sameDecoding(outcome: Outcome, abs: string, label: string): boolean {
  if (outcome.encoding === null || outcome.text === null) return false;
  const expectedName = encodingForLabel(label);
  if (expectedName !== null && expectedName === outcome.encoding) return true;
  const theirs = decodeAs(abs, label);
  if (theirs === null) return false;
  // Same characters is what matters (ascii vs utf-8 vs windows-1252 on ASCII bytes).
  return theirs.replace(/^[\s\uFEFF]+/, '').trimEnd() === outcome.text.replace(/^[\s\uFEFF]+/, '').trimEnd();
}

/**
 * Evaluates one check against our outcome for its file.
 * Normalization (for fairness): whitespace collapsed and NFC on text, peer titles also read as
 * HTML; URLs compared after WHATWG URL parsing (relative peer links resolved against ours);
 * dates compared as instants; encodings compared as decoded text.
 * @returns whether we agree, and our value as printed in a disagreement
 */
export function evaluate(check: Check, outcome: Outcome, abs: string): { agree: boolean; got: string } {
  const e = check.expected;
  const it = check.index >= 0 ? item(outcome, check.index) : null;
  const missing = check.index >= 0 && it === null;
  const failed = outcome.kind === 'feed' ? null : `${outcome.kind}${outcome.kind === 'coded' ? `:${outcome.code}` : ''}`;
  switch (e.type) {
    case 'bozo': {
      const bozo = outcome.kind !== 'feed' || outcome.warnings.length > 0;
      return { agree: bozo === e.value, got: bozo ? `bozo (${failed ?? 'warnings'})` : 'not bozo' };
    }
    case 'encoding':
      return { agree: sameDecoding(outcome, abs, e.value), got: String(outcome.encoding) };
    case 'count': {
      const n = outcome.kind === 'feed' ? outcome.items.length : -1;
      return { agree: n === e.value, got: failed ?? String(n) };
    }
    default:
      break;
  }
  if (failed !== null) return { agree: false, got: failed };
  if (missing) return { agree: false, got: `no item ${check.index}` };
  if (outcome.kind !== 'feed') return { agree: false, got: 'no feed' };
  switch (e.type) {
    case 'text': {
      const ours = check.field === 'feedTitle' ? outcome.title : it!.title;
      return { agree: sameText(ours, e.value), got: JSON.stringify(ours) };
    }
    case 'url': {
      const ours = check.field === 'feedLink' ? outcome.siteUrl : it!.url;
      return { agree: ours !== null && sameUrl(ours, e.value), got: JSON.stringify(ours) };
    }
    case 'id':
      return { agree: it!.guid.trim() === e.value.trim(), got: JSON.stringify(it!.guid) };
    case 'instant': {
      const want = Date.parse(e.value);
      const candidates =
        e.which === 'published'
          ? [it!.publishedAt]
          : e.which === 'updated'
            ? [it!.modifiedAt ?? it!.publishedAt]
            : [it!.publishedAt, it!.modifiedAt];
      const agree = candidates.some((c) => c !== null && Date.parse(c) === want);
      return { agree, got: JSON.stringify(candidates) };
    }
    default:
      return { agree: false, got: 'unhandled' };
  }
}

/** Adds one result to a tally. */
export function count(tally: Tally, suite: string, field: string, agree: boolean): void {
  const s = (tally[suite] ??= {});
  const f = (s[field] ??= { agree: 0, total: 0 });
  f.total++;
  if (agree) f.agree++;
}

/** `gofeed title 97.1% (340/350)` lines, suites and fields sorted. */
export function formatTally(tally: Tally): string[] {
  const lines: string[] = [];
  for (const suite of Object.keys(tally).sort()) {
    for (const field of Object.keys(tally[suite]!).sort()) {
      const { agree, total } = tally[suite]![field]!;
      const pct = total === 0 ? '—' : `${((100 * agree) / total).toFixed(1)}%`;
      lines.push(`${suite} ${field} ${pct} (${agree}/${total})`);
    }
  }
  return lines;
}

/**
 * Compares a tally with the committed baseline.
 * @returns regressions (fewer agreements than the baseline for a suite/field) and improvements
 */
export function compareWithBaseline(tally: Tally, baseline: Tally): { regressions: string[]; improvements: string[] } {
  const regressions: string[] = [];
  const improvements: string[] = [];
  for (const suite of Object.keys(baseline)) {
    for (const field of Object.keys(baseline[suite]!)) {
      const base = baseline[suite]![field]!;
      const now = tally[suite]?.[field] ?? { agree: 0, total: 0 };
      if (now.agree < base.agree) regressions.push(`${suite} ${field}: ${now.agree}/${now.total} agree, baseline ${base.agree}/${base.total}`);
      else if (now.agree > base.agree || now.total !== base.total) {
        improvements.push(`${suite} ${field}: ${now.agree}/${now.total} (baseline ${base.agree}/${base.total})`);
      }
    }
  }
  for (const suite of Object.keys(tally)) {
    for (const field of Object.keys(tally[suite]!)) {
      if (!baseline[suite]?.[field]) improvements.push(`${suite} ${field}: new in this run (${tally[suite]![field]!.agree}/${tally[suite]![field]!.total})`);
    }
  }
  return { regressions, improvements };
}
