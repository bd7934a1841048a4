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
