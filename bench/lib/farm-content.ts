import type http from 'node:http';
import { isNotModified } from '../../src/server/conditional.js';

/**
 * What the benchmark feed farms (feed-farm.ts, wall-clock driven; step-farm.ts, step driven)
 * serve alike: deterministic filler words, article pages, and feed answers with conditional GET.
 */

const WORDS = (
  'model agent benchmark token inference open weights reasoning multimodal robotics chip datacenter ' +
  'alignment dataset fine-tuning evaluation latency context window retrieval policy startup funding'
).split(' ');

/**
 * `n` filler words chosen by a seeded LCG, the same for the same seed.
 * @param seed any integer
 * @param n number of words
 */
export function words(seed: number, n: number): string {
  const out: string[] = [];
  let x = (seed * 2654435761) >>> 0;
  for (let k = 0; k < n; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length] as string);
  }
  return out.join(' ');
}

/** Escapes `&`, `<`, `>` for XML/HTML text. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The article page of story `seq` of feed `i`: ten paragraphs inside the usual site furniture
 * (nav, share box, footer) the extractor has to drop.
 */
export function pageHtml(i: number, seq: number): string {
  const paras: string[] = [];
  for (let k = 0; k < 10; k++) paras.push(`<p>${escapeXml(words(i * 31 + seq * 17 + k, 55))}.</p>`);
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>Feed ${i} story ${seq}</title></head><body>` +
    `<header><nav><a href="/">Home</a> <a href="/ai">AI</a> <a href="/about">About</a></nav></header>` +
    `<main><article><h1>Feed ${i} story ${seq}</h1>${paras.join('')}</article></main>` +
    `<aside class="share">Share this</aside><footer>© bench</footer></body></html>`
  );
}

/** Answer counters a farm reports. */
export interface FeedAnswerCounts {
  feed200: number;
  feed304: number;
}

/**
 * Answers a feed request as a publisher would: 304 when the request's validators match (the
 * server's own RFC 9110 evaluation, src/server/conditional.ts), else 200 with the RSS body.
 * @param req the request (If-None-Match / If-Modified-Since read)
 * @param res the response
 * @param etag quoted strong tag of this feed version
 * @param lastModified HTTP-date of this feed version
 * @param body renders the document (only on a 200)
 * @param counts incremented per answer
 */
export function answerFeed(req: http.IncomingMessage, res: http.ServerResponse, etag: string, lastModified: string, body: () => string, counts: FeedAnswerCounts): void {
  const conditional = { ifNoneMatch: header(req, 'if-none-match'), ifModifiedSince: header(req, 'if-modified-since') };
  if (isNotModified(conditional, etag, new Date(lastModified).toISOString())) {
    counts.feed304++;
    res.writeHead(304, { ETag: etag, 'Last-Modified': lastModified });
    res.end();
    return;
  }
  counts.feed200++;
  const bytes = Buffer.from(body(), 'utf8');
  res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Content-Length': bytes.length, ETag: etag, 'Last-Modified': lastModified });
  res.end(bytes);
}

/**
 * Answers an article page request with {@link pageHtml}.
 * @param res the response
 * @param i feed number
 * @param seq story number
 */
export function answerPage(res: http.ServerResponse, i: number, seq: number): void {
  const bytes = Buffer.from(pageHtml(i, seq), 'utf8');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': bytes.length });
  res.end(bytes);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
