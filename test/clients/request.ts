import http from 'node:http';

/** One raw HTTP reply: status, headers and the body bytes as sent (not decompressed). */
export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends one request over a fresh connection (no agent, so nothing is pooled between tests).
 * @param origin `http://127.0.0.1:PORT`
 * @param target request target, e.g. `/feed.xml?lang=zh`
 * @param headers request headers (Host may be overridden)
 * @param method GET by default
 * @returns the reply with the body exactly as received
 */
export function rawRequest(origin: string, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawReply> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port: Number(port), path: target, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
