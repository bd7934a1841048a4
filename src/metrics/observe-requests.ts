import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sentErrorCode } from '../server/respond.js';
import type { Metrics } from './metrics.js';
import { methodLabel, routeLabel } from './route-label.js';
import { monotonicMs } from './timed.js';

/** Status label of a request whose client went away before it was answered (nginx's convention). */
export const CLIENT_CLOSED = 499;

/**
 * Wraps a request listener so that every request is counted once when its answer is finished
 * (or the connection closes first, as {@link CLIENT_CLOSED}): route template, method, status and
 * duration go to `metrics.requestServed`, and an error answer sent through `sendError`
 * (`{error:{code}}`) to `metrics.errorRecorded(code, 'server')`. The listener itself is not
 * changed: its routes, headers and bodies stay as they are.
 * @param listener the request handler (see server/handler `createRequestHandler`)
 * @param metrics where observations go
 * @returns a listener for `startServer`
 */
export function observeRequests(listener: RequestListener, metrics: Metrics): RequestListener {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const start = monotonicMs();
    let counted = false;
    const count = (): void => {
      if (counted) return;
      counted = true;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      const seconds = (monotonicMs() - start) / 1000;
      metrics.requestServed({ route: routeLabel(req.url, status), method: methodLabel(req.method), status, seconds });
      const code = sentErrorCode(res);
      if (code !== null && status !== CLIENT_CLOSED) metrics.errorRecorded(code, 'server');
    };
    res.once('finish', count);
    res.once('close', count);
    listener(req, res);
  };
}
