import fs from 'node:fs';
import path from 'node:path';
import { corpus } from '../helpers/paths.js';

/** Roots walked by the peer-suite test (issue 4, point 2). */
export const SUITE_ROOTS = ['parser-suites', 'feeds'];

/** One file of the corpus, classified. */
export interface CorpusFile {
  /** Absolute path. */
  abs: string;
  /** Path relative to ../shared/corpus, e.g. `parser-suites/feed-rs/fixture/rss2/x.xml`. */
  rel: string;
  /** Suite label: the parser-suites folder name, or `feeds`. */
  suite: string;
  /** Why the file is not run, or null when it is run. */
  skip: string | null;
  /** Content-Type to simulate (kurtmckee `Header:` comment), or null. */
  contentType: string | null;
  /** Document URL handed to parseFeed (base of relative links). */
  feedUrl: string;
}

function walk(dir: string, out: string[]): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The skip reason of a file that is not a feed by nature, decided by path rules for the peers'
 * expected-output files and by content for the rest (HTML pages, OPML, plain text), or null.
 * Content is judged on the first bytes with NULs removed, so UTF-16/32 files are judged too.
 */
function skipReason(rel: string, bytes: Buffer, siblings: Set<string>): string | null {
  const base = path.basename(rel);
  const stem = rel.replace(/\.[^./]+$/, '');
  if (rel.endsWith('.serde.json')) return 'expected output (feed-rs .serde.json)';
  if (/_expected\.json$/.test(rel)) return 'expected output (gofeed _expected.json)';
  if (rel.startsWith('parser-suites/rbren-rss-parser/test/output/')) return 'expected output (rss-parser output/*.json)';
  if (rel.endsWith('.html-result')) return 'expected output (miniflux scraper result)';
  if (rel.startsWith('parser-suites/mmcdole-gofeed/') && rel.endsWith('.json') && siblings.has(`${stem}.xml`)) {
    return 'expected output (gofeed X.json beside X.xml)';
  }
  if (/^README|\.md$/i.test(base)) return 'documentation';
  const head = bytes
    .subarray(0, 4096)
    .toString('latin1')
    .replace(/\0/g, '')
    .replace(/^(?:\xEF\xBB\xBF|\xFE\xFF|\xFF\xFE)/, '');
  const root = /^(?:\s|<\?[^]*?\?>|<!--[^]*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z][\w:.-]*)/i.exec(head)?.[1]?.toLowerCase();
  if (root === 'html' || root === 'head' || root === 'body' || (root === undefined && /^\s*<!DOCTYPE\s+html/i.test(head))) {
    return 'HTML page';
  }
  if (root === 'opml') return 'OPML subscription list';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return null; // gzip: inflated before decoding
  if (root === undefined && !/^\s*[{[<]/.test(head)) return 'plain text (not XML or JSON)';
  return null;
}

/** The simulated Content-Type of a kurtmckee-feedparser case (`Header: Content-type: …`), or null. */
function headerContentType(rel: string, bytes: Buffer): string | null {
  if (!rel.startsWith('parser-suites/kurtmckee-feedparser/')) return null;
  const head = bytes.subarray(0, 2048).toString('latin1').replace(/\0/g, '');
  const m = /^\s*Header:\s*Content-type:\s*(.*?)\s*$/im.exec(head);
  return m ? m[1]! : null;
}

function feedUrlFor(rel: string): string {
  const kurt = /^parser-suites\/kurtmckee-feedparser\/(tests\/.*)$/.exec(rel);
  // feedparser's own harness serves each case at http://127.0.0.1:8097/tests/…; its
  // expectations for document-relative links assume that URI.
  if (kurt) return `http://127.0.0.1:8097/${kurt[1]}`;
  return `https://suite.example/${rel.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Every file under ../shared/corpus/parser-suites and ../shared/corpus/feeds, in a stable order,
 * each classified as run or skipped (with the reason).
 * @returns files with their suite, skip reason, simulated Content-Type and document URL
 */
export function listCorpusFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const root of SUITE_ROOTS) {
    const files = walk(corpus(root), []);
    const rels = new Set(files.map((f) => path.relative(corpus(), f).split(path.sep).join('/')));
    for (const abs of files) {
      const rel = path.relative(corpus(), abs).split(path.sep).join('/');
      const bytes = fs.readFileSync(abs);
      out.push({
        abs,
        rel,
        suite: root === 'feeds' ? 'feeds' : rel.split('/')[1]!,
        skip: skipReason(rel, bytes, rels),
        contentType: headerContentType(rel, bytes),
        feedUrl: feedUrlFor(rel),
      });
    }
  }
  return out;
}
