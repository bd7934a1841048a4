import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFeed, answerPage, escapeXml, words } from './farm-content.js';

/**
 * A loopback farm of generated RSS 2.0 feeds whose versions move only when told to (unlike
 * feed-farm.ts, whose versions follow the wall clock), so a benchmark can make exactly the
 * chosen feeds change between two poll cycles.
 */
export interface StepFarm {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  feedUrl(i: number): string;
  /** Moves feed i to its next version: one new item, the oldest dropped, one item edited. */
  step(i: number): void;
  /** Counters since start (copies). */
  stats(): { feed200: number; feed304: number; pages: number; notFound: number };
  close(): Promise<void>;
}

/**
 * Starts the farm on 127.0.0.1 port 0. Feed i at version v holds items v … v+items-1 (newest
 * first, each with ~75 words of HTML description, a category, a dated pubDate), a strong ETag
 * `"f<i>-v<v>"` and a Last-Modified; If-None-Match (else If-Modified-Since) answers 304
 * (RFC 9110 §13.1). `/pages/<i>/<seq>.html` is a ~4 KB article page with navigation and a share
 * bar around the article. Other paths 404.
 * @param feeds number of feeds (`/feeds/<i>.xml`)
 * @param itemsPerFeed items per document
 * @returns the running farm; rejects when it cannot listen
 */
export async function startStepFarm(feeds: number, itemsPerFeed: number): Promise<StepFarm> {
  const version = new Array<number>(feeds).fill(0);
  const counters = { feed200: 0, feed304: 0, pages: 0, notFound: 0 };
  // Fixed epoch so documents are byte-stable between runs; item dates never collide across feeds.
  const epochMs = Date.parse('2025-01-01T00:00:00Z');
  let origin = '';
  const itemDate = (i: number, seq: number): Date => new Date(epochMs + seq * 3_600_000 + i * 1000);

  const feedDoc = (i: number, v: number): string => {
    const parts: string[] = [];
    for (let seq = v + itemsPerFeed - 1; seq >= v; seq--) {
      const edited = v > 0 && seq === v + Math.floor(itemsPerFeed / 2);
      const body = `<p>${escapeXml(words(i * 100_003 + seq, 40))}.</p><p>${escapeXml(words(i * 7 + seq * 13, 35))}.</p>${edited ? `<p>Revised in version ${v}.</p>` : ''}`;
      parts.push(
        `<item><title>${escapeXml(`Feed ${i} story ${seq}: ${words(i + seq, 6)}`)}</title><link>${origin}/pages/${i}/${seq}.html</link>` +
          `<guid isPermaLink="false">step-${i}-${seq}</guid><pubDate>${itemDate(i, seq).toUTCString()}</pubDate>` +
          `<category>bench</category><description>${escapeXml(body)}</description></item>`,
      );
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Step feed ${i}</title><link>${origin}/site/${i}/</link><description>Generated feed ${i}</description>${parts.join('')}</channel></rss>\n`;
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    let m = /^\/feeds\/(\d+)\.xml$/.exec(url);
    if (m && Number(m[1]) < feeds) {
      const i = Number(m[1]);
      const v = version[i] as number;
      const etag = `"f${i}-v${v}"`;
      const lastModified = itemDate(i, v + itemsPerFeed - 1).toUTCString();
      answerFeed(req, res, etag, lastModified, () => feedDoc(i, v), counters);
      return;
    }
    m = /^\/pages\/(\d+)\/(\d+)\.html$/.exec(url);
    if (m) {
      counters.pages++;
      answerPage(res, Number(m[1]), Number(m[2]));
      return;
    }
    counters.notFound++;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    feedUrl: (i) => `${origin}/feeds/${i}.xml`,
    step: (i) => {
      version[i] = (version[i] ?? 0) + 1;
    },
    stats: () => ({ ...counters }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
