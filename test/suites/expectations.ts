import fs from 'node:fs';
import path from 'node:path';
import type { CorpusFile } from './corpus-files.js';
import { feedparserChecks } from './feedparser-expect.js';

/** Compared fields. Item fields: title, link, date, id; feed fields; document-level ones. */
export type Field = 'title' | 'link' | 'date' | 'id' | 'items' | 'feedTitle' | 'feedLink' | 'encoding' | 'bozo';

/** What a peer expects for one field. */
export type Expected =
  | { type: 'text'; value: string }
  | { type: 'url'; value: string }
  /** An instant; `which` says which of our dates it is compared with. */
  | { type: 'instant'; value: string; which: 'published' | 'updated' | 'either' }
  | { type: 'id'; value: string }
  | { type: 'count'; value: number }
  | { type: 'encoding'; value: string }
  | { type: 'bozo'; value: boolean };

/** One expectation of a peer suite about one input file. */
export interface Check {
  /** Peer suite label (gofeed, gofeed-translator, feed-rs, rss-parser, feedparser, chardet). */
  suite: string;
  field: Field;
  /** Item index, or -1 for feed/document fields. */
  index: number;
  expected: Expected;
}

/** Expectations per input file (corpus-relative path), plus what could not be evaluated. */
export interface ExpectationSet {
  byFile: Map<string, Check[]>;
  /** Per suite: reason → count of expectations not translated (feedparser `Expect:` forms, …). */
  unevaluated: Map<string, Map<string, number>>;
}

type Json = Record<string, unknown>;

function readJson(abs: string): Json | null {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(abs, 'utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter((x): x is Json => x !== null && typeof x === 'object') : [];
}

/** First link whose rel is absent or `alternate` (what an item's link means). */
function alternateHref(links: unknown): string | null {
  for (const l of arr(links)) {
    const rel = str(l.rel);
    if (rel === null || rel === '' || rel === 'alternate') return str(l.href);
  }
  return null;
}

class Collector {
  readonly byFile = new Map<string, Check[]>();
  readonly unevaluated = new Map<string, Map<string, number>>();

  add(file: string, suite: string, field: Field, index: number, expected: Expected | null): void {
    if (expected === null) return;
    if ((expected.type === 'text' || expected.type === 'url' || expected.type === 'id' || expected.type === 'instant') && expected.value.trim() === '') {
      return;
    }
    const list = this.byFile.get(file) ?? [];
    list.push({ suite, field, index, expected });
    this.byFile.set(file, list);
  }

  skip(suite: string, reason: string, n = 1): void {
    const m = this.unevaluated.get(suite) ?? new Map<string, number>();
    m.set(reason, (m.get(reason) ?? 0) + n);
    this.unevaluated.set(suite, m);
  }
}

const text = (v: unknown): Expected | null => (str(v) === null ? null : { type: 'text', value: str(v)! });
const url = (v: unknown): Expected | null => (str(v) === null ? null : { type: 'url', value: str(v)! });
const id = (v: unknown): Expected | null => (str(v) === null ? null : { type: 'id', value: str(v)! });
const instant = (v: unknown, which: 'published' | 'updated' | 'either'): Expected | null =>
  str(v) === null || Number.isNaN(Date.parse(str(v)!)) ? null : { type: 'instant', value: str(v)!, which };

/** gofeed parser level (`testdata/parser/{rss,atom,json}`, `testdata/extensions`): format structs. */
function gofeedParser(c: Collector, input: string, exp: Json): void {
  const S = 'gofeed';
  const isAtom = input.includes('/parser/atom/');
  const isJson = input.endsWith('.json');
  if (isJson) {
    c.add(input, S, 'feedTitle', -1, text(exp.title));
    c.add(input, S, 'feedLink', -1, url(exp.home_page_url));
    const items = arr(exp.items);
    c.add(input, S, 'items', -1, { type: 'count', value: items.length });
    items.forEach((it, i) => {
      c.add(input, S, 'title', i, text(it.title));
      c.add(input, S, 'link', i, url(it.url));
      c.add(input, S, 'id', i, id(it.id));
      c.add(input, S, 'date', i, instant(it.date_published, 'published'));
    });
    return;
  }
  c.add(input, S, 'feedTitle', -1, text(exp.title));
  c.add(input, S, 'feedLink', -1, isAtom ? url(alternateHref(exp.links)) : url(exp.link));
  const items = arr(isAtom ? exp.entries : exp.items);
  c.add(input, S, 'items', -1, { type: 'count', value: items.length });
  items.forEach((it, i) => {
    c.add(input, S, 'title', i, text(it.title));
    if (isAtom) {
      c.add(input, S, 'link', i, url(alternateHref(it.links)));
      c.add(input, S, 'id', i, id(it.id));
      c.add(input, S, 'date', i, instant(it.publishedParsed, 'published') ?? instant(it.updatedParsed, 'updated'));
    } else {
      c.add(input, S, 'link', i, url(it.link));
      const guid = it.guid as Json | undefined;
      c.add(input, S, 'id', i, id(guid && typeof guid === 'object' ? guid.value : null));
      c.add(input, S, 'date', i, instant(it.pubDateParsed, 'published'));
    }
  });
}

/** gofeed translator level (`testdata/translator/*`, `parser/universal`): the universal model. */
function gofeedUniversal(c: Collector, input: string, exp: Json): void {
  const S = 'gofeed-translator';
  c.add(input, S, 'feedTitle', -1, text(exp.title));
  c.add(input, S, 'feedLink', -1, url(exp.link ?? exp.home_page_url));
  const items = arr(exp.items);
  c.add(input, S, 'items', -1, { type: 'count', value: items.length });
  items.forEach((it, i) => {
    c.add(input, S, 'title', i, text(it.title));
    c.add(input, S, 'link', i, url(it.link ?? it.url));
    c.add(input, S, 'id', i, id(it.guid ?? it.id));
    c.add(input, S, 'date', i, instant(it.publishedParsed ?? it.date_published, 'published') ?? instant(it.updatedParsed, 'updated'));
  });
}

/** feed-rs `X.serde.json`. Ids feed-rs synthesizes (a hash, absent from the input) are not compared. */
function feedRs(c: Collector, input: string, exp: Json, source: string): void {
  const S = 'feed-rs';
  const content = (v: unknown): unknown => (v && typeof v === 'object' ? (v as Json).content : null);
  c.add(input, S, 'feedTitle', -1, text(content(exp.title)));
  c.add(input, S, 'feedLink', -1, url(alternateHref(exp.links)));
  const items = arr(exp.entries);
  c.add(input, S, 'items', -1, { type: 'count', value: items.length });
  items.forEach((it, i) => {
    c.add(input, S, 'title', i, text(content(it.title)));
    c.add(input, S, 'link', i, url(alternateHref(it.links)));
    const itemId = str(it.id);
    if (itemId !== null && source.includes(itemId)) c.add(input, S, 'id', i, id(itemId));
    else if (itemId !== null) c.skip(S, 'id synthesized by feed-rs (not in the input)');
    c.add(input, S, 'date', i, instant(it.published, 'published') ?? instant(it.updated, 'updated'));
  });
}

/** rss-parser `test/output/X.json` = `{ feed }`. Its isoDate is whichever date it picked. */
function rssParser(c: Collector, input: string, exp: Json): void {
  const S = 'rss-parser';
  const feed = (exp.feed ?? {}) as Json;
  c.add(input, S, 'feedTitle', -1, text(feed.title));
  c.add(input, S, 'feedLink', -1, url(feed.link));
  const items = arr(feed.items);
  c.add(input, S, 'items', -1, { type: 'count', value: items.length });
  items.forEach((it, i) => {
    c.add(input, S, 'title', i, text(it.title));
    c.add(input, S, 'link', i, url(it.link));
    c.add(input, S, 'id', i, id(it.guid ?? it.id));
    c.add(input, S, 'date', i, instant(it.isoDate, 'either'));
  });
}

/** chardet: the expected encoding is the folder name, without a language suffix. */
function chardetLabel(rel: string): string | null {
  const dir = rel.split('/')[3] ?? '';
  if (dir === 'utf-8-sig') return 'utf-8';
  const m = /^(windows-125\d|iso-8859-\d+)(?:-[a-z]+)?$/.exec(dir);
  return m ? m[1]! : dir || null;
}

/**
 * Collects every expectation the peer suites record about the files that are run: gofeed
 * (parser and translator levels), feed-rs, rss-parser, feedparser `Expect:` comments, chardet
 * folder names. miniflux's only result files are scraper outputs (article extraction), so none
 * apply to feed parsing.
 * @param files the classified corpus files
 * @returns checks per input file and counts of what could not be evaluated
 */
export function collectExpectations(files: CorpusFile[]): ExpectationSet {
  const c = new Collector();
  const rels = new Set(files.map((f) => f.rel));
  const absOf = new Map(files.map((f) => [f.rel, f.abs]));
  for (const f of files) {
    if (f.skip !== null) continue;
    const rel = f.rel;
    const stem = rel.replace(/\.[^./]+$/, '');
    if (rel.startsWith('parser-suites/mmcdole-gofeed/')) {
      const expRel = rel.endsWith('.json') ? `${stem}_expected.json` : `${stem}.json`;
      if (!rels.has(expRel)) continue;
      const exp = readJson(absOf.get(expRel)!);
      if (exp === null) {
        c.skip('gofeed', 'expected file is not a JSON object');
        continue;
      }
      if (rel.includes('/translator/') || rel.includes('/parser/universal/')) gofeedUniversal(c, rel, exp);
      else gofeedParser(c, rel, exp);
    } else if (rel.startsWith('parser-suites/feed-rs/')) {
      const expRel = `${stem}.serde.json`;
      if (!rels.has(expRel)) continue;
      const exp = readJson(absOf.get(expRel)!);
      if (exp !== null) feedRs(c, rel, exp, fs.readFileSync(f.abs, 'latin1'));
    } else if (rel.startsWith('parser-suites/rbren-rss-parser/test/input/')) {
      const expRel = `parser-suites/rbren-rss-parser/test/output/${path.basename(stem)}.json`;
      if (!rels.has(expRel)) continue;
      const exp = readJson(absOf.get(expRel)!);
      if (exp !== null) rssParser(c, rel, exp);
    } else if (rel.startsWith('parser-suites/kurtmckee-feedparser/')) {
      const found = feedparserChecks(fs.readFileSync(f.abs));
      for (const check of found.checks) c.add(rel, 'feedparser', check.field, check.index, check.expected);
      for (const reason of found.unevaluated) c.skip('feedparser', reason);
    } else if (rel.startsWith('parser-suites/chardet/tests/')) {
      const label = chardetLabel(rel);
      if (label !== null) c.add(rel, 'chardet', 'encoding', -1, { type: 'encoding', value: label });
    }
  }
  return { byFile: c.byFile, unevaluated: c.unevaluated };
}
