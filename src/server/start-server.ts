import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DuofeedError } from '../errors.js';

/** A listening server. */
export interface RunningServer {
  /** Port actually bound (useful with port 0). */
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, closes idle keep-alive sockets. */
  close(): Promise<void>;
}

/**
 * Listens with `handler` on `host:port`.
 * @param handler request listener (see createRequestHandler)
 * @param port TCP port; 0 picks a free one
 * @param host interface address; default: Node's (all interfaces)
 * @returns the bound port and a close function
 * @throws DuofeedError SERVER_LISTEN when the address is in use or not permitted
 */
export async function startServer(handler: http.RequestListener, port: number, host?: string): Promise<RunningServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    const onError = (cause: Error & { code?: string }): void => {
      const where = `${host ?? '*'}:${port}`;
      reject(new DuofeedError('SERVER_LISTEN', `Cannot listen on ${where}: ${cause.code ?? cause.message}`, { stage: 'server', cause, details: { host: host ?? null, port } }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
