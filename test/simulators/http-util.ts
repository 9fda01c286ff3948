import { type IncomingMessage } from 'node:http';

/** What a handler answers; `body` is JSON-encoded unless `raw` is given. */
export interface Reply {
  status: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** A parsed request as handlers see it. */
export interface SimRequest {
  method: string;
  /** URL pathname, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

export function replyText(reply: Reply): string {
  if (reply.raw !== undefined) return reply.raw;
  return reply.body === undefined ? '' : JSON.stringify(reply.body);
}

/** Parses a JSON request body; undefined when absent or invalid. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a non-negative integer parameter; undefined when absent, NaN when malformed. */
export function intParam(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Encodes `&`, `<` and `>` the way GLPI 10's input sanitizer stores strings (quotes untouched). */
export function encodeEntities(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML_ENTITIES[c]);
}

/** Splits a comma list, trimming and dropping empties. */
export function commaList(value: string | null | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
