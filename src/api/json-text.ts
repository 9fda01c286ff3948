import type { Response } from 'express';

/**
 * Sends text that is already JSON. Express's res.send would copy a large answer into a Buffer
 * (memory outside the V8 heap, which makes the collector run sooner) and hash it for an ETag
 * that a DataTables answer, carrying its own draw counter, never matches.
 */
export function sendJsonText(res: Response, text: string): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
