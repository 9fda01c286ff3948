import type { Response } from 'express';

/**
 * Sends JSON text that is known to be ASCII (DataTables answers escape everything else), so its
 * length is its byte count and it goes to the socket as is, with no UTF-8 encoding pass.
 * Express's res.send would copy a large answer into a Buffer (memory outside the V8 heap, which
 * makes the collector run sooner) and hash it for an ETag that a DataTables answer, carrying
 * its own draw counter, never matches.
 */
export function sendAsciiJson(res: Response, text: string): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', text.length);
  res.end(text, 'latin1');
}
