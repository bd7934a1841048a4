import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.js';

/**
 * Sends a complete response with Content-Length; for HEAD the headers only (RFC 9110 §9.3.2).
 * @param res response not yet started
 * @param status HTTP status
 * @param headers header fields (Content-Length is added)
 * @param body bytes of the would-be body
 * @param head true for a HEAD request
 */
export function sendBody(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, head: boolean): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  res.end(head ? undefined : body);
}

/**
 * Sends JSON (UTF-8, `Cache-Control: no-store`).
 * @param value serializable value
 */
export function sendJson(res: ServerResponse, status: number, value: unknown, head: boolean, extra: Record<string, string> = {}): void {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  sendBody(res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra }, body, head);
}

// Error codes answered, so that request metrics can count them without parsing bodies.
const sentCodes = new WeakMap<ServerResponse, ErrorCode>();

/**
 * The error code `sendError` answered `res` with, or null when it sent none (see metrics/observe-requests).
 */
export function sentErrorCode(res: ServerResponse): ErrorCode | null {
  return sentCodes.get(res) ?? null;
}

/**
 * Sends the error body every endpoint uses: `{ "error": { "code", "message" } }`.
 * @param code stable error code (errors.ts)
 * @param message plain words; never internal details of a 500
 */
export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, head: boolean, extra: Record<string, string> = {}): void {
  sentCodes.set(res, code);
  sendJson(res, status, { error: { code, message } }, head, extra);
}
