import type { Response } from 'express';

/**
 * JSON text known to be ASCII, in two flat pieces sent one after the other: a small head made
 * for each request and a large body that may be kept and sent again as it is.
 */
export interface AsciiJson {
  head: string;
  body: string;
}

/**
 * Sends JSON text that is known to be ASCII (DataTables answers escape everything else), so its
 * length is its byte count and it goes to the socket as is, with no UTF-8 encoding pass. The
 * two pieces leave in one write (the first write corks the socket until the next tick), and the
 * body is never joined to anything: joining would copy it into a new string on every request.
 * Express's res.send would copy a large answer into a Buffer (memory outside the V8 heap, which
 * makes the collector run sooner) and hash it for an ETag that a DataTables answer, carrying
 * its own draw counter, never matches.
 */
export function sendAsciiJson(res: Response, json: AsciiJson): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', json.head.length + json.body.length);
  res.write(json.head, 'latin1');
  res.end(json.body, 'latin1');
}
