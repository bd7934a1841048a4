import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopback } from '../helpers/loopback.js';

/** One request the hub received. */
export interface HubRequest {
  method: string;
  path: string;
  contentType: string | null;
  userAgent: string | null;
  authorization: string | null;
  /** `hub.mode` of the form body. */
  mode: string | null;
  /** Every `hub.url` of the form body. */
  urls: string[];
}

/** How the hub answers its n-th request (0-based): a status with headers, or never ('hang'). */
export type HubAnswer = { status: number; headers?: Record<string, string> } | 'hang';

/** A loopback WebSub hub that records publish requests. */
export interface RecordingHub {
  /** The hub URL to configure (`http://127.0.0.1:PORT/hub`). */
  url: string;
  requests: HubRequest[];
  /** Resolves once at least `n` requests arrived (their bodies read). */
  received(n: number): Promise<void>;
  /** Ends every hanging request with 204. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Starts a hub on 127.0.0.1 (port 0) answering each request as `answer(n)` says (default 204).
 * @param answer the answer to the n-th request
 */
export async function startRecordingHub(answer: (n: number) => HubAnswer = () => ({ status: 204 })): Promise<RecordingHub> {
  const requests: HubRequest[] = [];
  const hanging: ServerResponse[] = [];
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  const loop = await startLoopback((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const n = requests.length;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? null,
        userAgent: req.headers['user-agent'] ?? null,
        authorization: req.headers['authorization'] ?? null,
        mode: form.get('hub.mode'),
        urls: form.getAll('hub.url'),
      });
      const a = answer(n);
      if (a === 'hang') hanging.push(res);
      else {
        res.writeHead(a.status, a.headers ?? {});
        res.end();
      }
      const ready = waiters.filter((w) => requests.length >= w.n);
      waiters = waiters.filter((w) => requests.length < w.n);
      for (const w of ready) w.resolve();
    });
  });
  return {
    url: `${loop.origin}/hub`,
    requests,
    received: (n) => (requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    release: () => {
      for (const res of hanging.splice(0)) {
        if (!res.writableEnded && !res.destroyed) {
          res.writeHead(204);
          res.end();
        }
      }
    },
    close: () => loop.close(),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port taken from a server that was then closed). */
export async function refusingUrl(): Promise<string> {
  const loop = await startLoopback((_req, res) => res.end());
  const url = `${loop.origin}/hub`;
  await loop.close();
  return url;
}
