import fs from 'node:fs';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { corpus } from '../helpers/paths.js';

/** One page of the scrapinghub article-extraction-benchmark. */
export interface BenchmarkPage {
  id: string;
  url: string;
  articleBody: string;
}

const DIR = corpus('extraction', 'article-extraction-benchmark');

/** Every page of ground-truth.json, in file order. */
export function benchmarkPages(): BenchmarkPage[] {
  const truth = JSON.parse(fs.readFileSync(`${DIR}/ground-truth.json`, 'utf8')) as Record<string, { url: string; articleBody: string }>;
  return Object.entries(truth).map(([id, v]) => ({ id, url: v.url, articleBody: v.articleBody }));
}

/** Charset named by a `<meta charset>` / `<meta http-equiv content-type>` in the first 4 KiB, else utf-8. */
export function sniffCharset(bytes: Buffer): string {
  const head = bytes.subarray(0, 4096).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)/i.exec(head);
  const label = m?.[1]?.toLowerCase() ?? 'utf-8';
  // WHATWG Encoding: gb2312/gbk labels decode as gb18030.
  if (['gb2312', 'gbk', 'x-gbk'].includes(label)) return 'gb18030';
  return iconv.encodingExists(label) ? label : 'utf-8';
}

/** The page HTML (gunzipped, decoded with its declared charset) and that charset. */
export function loadPage(id: string): { html: string; charset: string } {
  const bytes = zlib.gunzipSync(fs.readFileSync(`${DIR}/html/${id}.html.gz`));
  const charset = sniffCharset(bytes);
  return { html: iconv.decode(bytes, charset), charset };
}

/** Lower-cased `\p{L}\p{N}_` runs as a multiset. */
function tokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/**
 * Token recall (share of ground-truth tokens found in ours) and precision (share of our tokens
 * found in the ground truth), multiset intersection, as the benchmark's own metric.
 */
export function recallPrecision(truth: string, ours: string): { recall: number; precision: number } {
  const t = tokens(truth);
  const o = tokens(ours);
  let common = 0;
  let nt = 0;
  let no = 0;
  for (const [tok, c] of t) {
    common += Math.min(c, o.get(tok) ?? 0);
    nt += c;
  }
  for (const c of o.values()) no += c;
  return { recall: nt === 0 ? 1 : common / nt, precision: no === 0 ? 0 : common / no };
}

/** Ids of the benchmark pages in sorted (code-unit) order. */
export function sortedBenchmarkIds(): string[] {
  return benchmarkPages()
    .map((p) => p.id)
    .sort();
}

/**
 * Predictions shipped with the benchmark (`output/<name>.json`), id → articleBody; the file may
 * be wrapped as `{version, output}` (benchmark README, "Data").
 */
export function shippedOutput(name: string): Map<string, string> {
  const raw = JSON.parse(fs.readFileSync(`${DIR}/output/${name}.json`, 'utf8')) as
    | { output: Record<string, { articleBody?: string }> }
    | Record<string, { articleBody?: string }>;
  const items = ('output' in raw && typeof raw.output === 'object' ? raw.output : raw) as Record<string, { articleBody?: string }>;
  return new Map(Object.entries(items).map(([id, v]) => [id, v.articleBody ?? '']));
}

/** Ground truth as id → articleBody. */
export function groundTruth(): Map<string, string> {
  return new Map(benchmarkPages().map((p) => [p.id, p.articleBody]));
}

/** One of Mozilla Readability's test pages: its source and the expected article HTML. */
export interface MozillaTestPage {
  name: string;
  source: string;
  expected: string;
}

/** Every Mozilla Readability test page that has both `source.html` and `expected.html`, sorted by name. */
export function mozillaTestPages(): MozillaTestPage[] {
  const dir = corpus('extraction', 'mozilla-readability', 'test-pages');
  return fs
    .readdirSync(dir)
    .sort()
    .filter((name) => fs.existsSync(`${dir}/${name}/source.html`) && fs.existsSync(`${dir}/${name}/expected.html`))
    .map((name) => ({
      name,
      source: fs.readFileSync(`${dir}/${name}/source.html`, 'utf8'),
      expected: fs.readFileSync(`${dir}/${name}/expected.html`, 'utf8'),
    }));
}
