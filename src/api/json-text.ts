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
 * Sends ASCII JSON as one-byte text: its length is its byte count, no UTF-8 pass, and both
 * pieces leave in one writev (Node corks the socket at the first write until the next tick).
 * The body is never joined to the head, which would copy it on every request; res.send would
 * also copy it into a Buffer and hash it for an ETag that the draw counter never lets match.
 */
export function sendAsciiJson(res: Response, json: AsciiJson): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', json.head.length + json.body.length);
  res.write(json.head, 'latin1');
  res.end(json.body, 'latin1');
}
