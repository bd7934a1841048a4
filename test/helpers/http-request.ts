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

/** A reply with the body bytes and their UTF-8 text. */
export interface Reply extends RawReply {
  text: string;
}

/** A reply whose body is read as UTF-8 text. */
export interface TextReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * {@link rawRequest} to a server on 127.0.0.1.
 * @param port the server's port
 * @param target request target (path and query)
 * @param headers request headers
 * @param method GET by default
 * @returns status, headers, body bytes (as received) and their UTF-8 text
 */
export async function request(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const r = await rawRequest(`http://127.0.0.1:${port}`, target, headers, method);
  return { ...r, text: r.body.toString('utf8') };
}

/**
 * {@link request} with the body as UTF-8 text.
 * @returns status, headers and the body text
 */
export async function requestText(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<TextReply> {
  const r = await rawRequest(`http://127.0.0.1:${port}`, target, headers, method);
  return { status: r.status, headers: r.headers, body: r.body.toString('utf8') };
}
