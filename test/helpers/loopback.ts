import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test HTTP server on 127.0.0.1, port 0. */
export interface Loopback {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  server: http.Server;
  close(): Promise<void>;
}

/**
 * Starts `handler` on 127.0.0.1 with an OS-chosen port.
 * @param handler request handler
 */
export async function startLoopback(handler: http.RequestListener): Promise<Loopback> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
