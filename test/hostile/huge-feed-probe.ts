/**
 * Child-process probe for case 23 (run by huge-feed.test.ts, prints one JSON line): parses a
 * feed file either in the main thread (`inline`, parseFeed) or through parseFeedInWorker
 * (`worker`), while a 5 ms timer measures the longest event-loop stall and samples RSS.
 * Usage: node huge-feed-probe.js FILE inline|worker MAX_ITEMS
 */
import { readFileSync } from 'node:fs';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { parseFeedInWorker } from '../../src/parse/parse-in-worker.js';

const [file, mode, max] = process.argv.slice(2);
const text = readFileSync(file!, 'utf8');
const opts = { feedUrl: 'http://127.0.0.1/big-feed.xml', timezone: null, maxItems: Number(max ?? 500) };
let last = performance.now();
let maxGap = 0;
let peakRss = process.memoryUsage().rss;
const timer = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);
const t0 = performance.now();
const feed = mode === 'inline' ? await parseFeed(text, opts) : await parseFeedInWorker(text, opts);
const wallMs = performance.now() - t0;
maxGap = Math.max(maxGap, performance.now() - last);
clearInterval(timer);
const newest = feed.items.map((i) => i.publishedAt ?? '').sort().reverse();
process.stdout.write(
  `${JSON.stringify({
    mode,
    chars: text.length,
    items: feed.items.length,
    newest: newest[0],
    oldestKept: newest[newest.length - 1],
    wallMs: Math.round(wallMs),
    maxLoopStallMs: Math.round(maxGap),
    peakRssMB: Math.round(peakRss / 1048576),
    mainHeapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576),
  })}\n`,
);
