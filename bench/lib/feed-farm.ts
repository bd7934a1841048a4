import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFeed, answerPage, escapeXml, words } from './farm-content.js';

/** How the farm generates its feeds. */
export interface FarmOptions {
  /** Number of feeds, served at `/feeds/<i>.xml` for i in [0, feeds). */
  feeds: number;
  /** Items per feed document. */
  itemsPerFeed: number;
  /** Length of one farm cycle (ms), wall-clock aligned. */
  cycleMs: number;
  /**
   * A feed changes (gains one item, drops its oldest, edits one) once every `changeEvery`
   * cycles, feeds staggered so that 1/changeEvery of them change in each cycle; 1 = all, always.
   */
  changeEvery: number;
  /** Delay added before every response (ms); 0 = none. */
  latencyMs: number;
}

/** Request counts the farm has seen. */
export interface FarmStats {
  feed200: number;
  feed304: number;
  pages: number;
  notFound: number;
  /** Feed requests per feed index (200 and 304 alike). */
  perFeed: number[];
  /** Date.now() of the first feed request, null before it. */
  firstFeedRequestAtMs: number | null;
}

/** A running farm. */
export interface FeedFarm {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  feedUrl(i: number): string;
  /** A copy of the counters, for before/after differences. */
  stats(): FarmStats;
  close(): Promise<void>;
}

/**
 * Starts a loopback farm of generated RSS 2.0 feeds on 127.0.0.1 (port 0) for the load benchmark.
 *
 * Feed i has a version v that steps up once every `changeEvery` cycles (cycles are wall-clock
 * aligned, `cycleMs` long; feeds staggered so that 1/changeEvery of them step in each cycle).
 * Version v holds items with sequence numbers v … v+itemsPerFeed-1, newest first: each step
 * adds one item, drops the oldest and rewrites the middle item's description, so a re-poll after
 * a step finds one new and one updated item. Each document has a strong ETag (`"f<i>-v<v>"`) and a
 * Last-Modified (the cycle of the last step), and conditional requests (If-None-Match, else
 * If-Modified-Since, RFC 9110 §13.1) get 304. `/pages/<i>/<seq>.html` serves an article page
 * (~4 KB) for sources that fetch pages. Everything else is 404.
 * @param opts sizes, cycle length (ms), added latency (ms)
 * @returns the running farm; rejects when it cannot listen
 */
export async function startFeedFarm(opts: FarmOptions): Promise<FeedFarm> {
  const cycle0 = Math.floor(Date.now() / opts.cycleMs);
  const k = Math.max(1, Math.round(opts.changeEvery));
  const stepMs = k * opts.cycleMs;
  // Item dates lie in the past and never collide across feeds (feed index as milliseconds).
  const epochMs = (cycle0 - (opts.itemsPerFeed + 1) * k) * opts.cycleMs;
  const counters: FarmStats = { feed200: 0, feed304: 0, pages: 0, notFound: 0, perFeed: new Array<number>(opts.feeds).fill(0), firstFeedRequestAtMs: null };
  let origin = '';

  const itemXml = (i: number, seq: number, v: number): string => {
    const edited = seq === v + Math.floor(opts.itemsPerFeed / 2);
    const body =
      `<p>${escapeXml(words(i * 100_003 + seq, 40))}.</p><p>${escapeXml(words(i * 7 + seq * 13, 35))}.</p>` +
      (edited ? `<p>Revised in version ${v}.</p>` : '');
    return (
      `<item><title>${escapeXml(`Feed ${i} story ${seq}: ${words(i + seq, 6)}`)}</title>` +
      `<link>${origin}/pages/${i}/${seq}.html</link>` +
      `<guid isPermaLink="false">bench-${i}-${seq}</guid>` +
      `<pubDate>${new Date(epochMs + seq * stepMs - (i % k) * opts.cycleMs + i).toUTCString()}</pubDate>` +
      `<category>bench</category>` +
      `<description>${escapeXml(body)}</description></item>`
    );
  };

  const feedDoc = (i: number, v: number): string => {
    const items: string[] = [];
    for (let seq = v + opts.itemsPerFeed - 1; seq >= v; seq--) items.push(itemXml(i, seq, v));
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>` +
      `<title>Bench feed ${i}</title><link>${origin}/site/${i}/</link><description>Generated feed ${i}</description>` +
      items.join('') +
      `</channel></rss>\n`
    );
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = req.url ?? '';
    let m = /^\/feeds\/(\d+)\.xml$/.exec(url);
    if (m) {
      const i = Number(m[1]);
      if (i >= opts.feeds) return notFound(res);
      counters.perFeed[i] = (counters.perFeed[i] ?? 0) + 1;
      counters.firstFeedRequestAtMs ??= Date.now();
      const c = Math.floor(Date.now() / opts.cycleMs) - cycle0;
      const v = Math.floor((c + (i % k)) / k);
      const etag = `"f${i}-v${v}"`;
      const lastModified = new Date((cycle0 + v * k - (i % k)) * opts.cycleMs).toUTCString();
      answerFeed(req, res, etag, lastModified, () => feedDoc(i, v), counters);
      return;
    }
    m = /^\/pages\/(\d+)\/(\d+)\.html$/.exec(url);
    if (m) {
      counters.pages++;
      answerPage(res, Number(m[1]), Number(m[2]));
      return;
    }
    notFound(res);
  };

  const notFound = (res: http.ServerResponse): void => {
    counters.notFound++;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  };

  const server = http.createServer((req, res) => {
    if (opts.latencyMs > 0) setTimeout(() => handle(req, res), opts.latencyMs);
    else handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    feedUrl: (i) => `${origin}/feeds/${i}.xml`,
    stats: () => ({ ...counters, perFeed: [...counters.perFeed] }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
