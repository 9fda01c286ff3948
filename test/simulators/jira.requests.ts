import { createHash } from 'node:crypto';
import { commaList, isRecord, parseJsonBody, type SimRequest } from './http-util.js';

/** A JIRA REST error: HTTP status plus the `errorMessages` envelope. */
export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    /** Whether the body carries the `errors` map (the payload validator leaves it out). */
    readonly withErrors = true,
  ) {
    super(messages.join('; '));
  }
}

export const INVALID_PAYLOAD = new JiraError(
  400,
  ['Invalid request payload. Refer to the REST API documentation and try again.'],
  false,
);

export interface SearchRequest {
  jql: string;
  /** Cloud only. */
  nextPageToken?: string;
  /** Data Center only. */
  startAt?: number;
  maxResults?: number;
  fields?: string[];
}

const ENHANCED_SEARCH_KEYS = new Set([
  'jql',
  'nextPageToken',
  'maxResults',
  'fields',
  'expand',
  'properties',
  'fieldsByKeys',
  'failFast',
  'reconcileIssues',
]);

/** Cloud `search/jql`: POST bodies are validated strictly (unknown keys such as startAt → 400). */
export function parseEnhancedSearch(req: SimRequest): SearchRequest {
  if (req.method === 'GET') {
    return {
      jql: req.query.get('jql') ?? '',
      nextPageToken: req.query.get('nextPageToken') ?? undefined,
      maxResults: positive(numberParam(req.query.get('maxResults'))),
      fields: fieldsParam(req),
    };
  }
  const body = parseJsonBody(req.body);
  if (!isRecord(body) || Object.keys(body).some((k) => !ENHANCED_SEARCH_KEYS.has(k))) {
    throw INVALID_PAYLOAD;
  }
  const { jql, nextPageToken, maxResults, fields } = body;
  const ok =
    (jql === undefined || typeof jql === 'string') &&
    (nextPageToken === undefined || nextPageToken === null || typeof nextPageToken === 'string') &&
    (maxResults === undefined ||
      (typeof maxResults === 'number' && Number.isInteger(maxResults))) &&
    (fields === undefined || (Array.isArray(fields) && fields.every((f) => typeof f === 'string')));
  if (!ok) throw INVALID_PAYLOAD;
  return { jql: jql ?? '', nextPageToken: nextPageToken ?? undefined, maxResults, fields };
}

/** Data Center `search`: query string (GET) or JSON body (POST); extra body keys are ignored. */
export function parseClassicSearch(req: SimRequest): SearchRequest {
  if (req.method === 'POST') {
    const body = parseJsonBody(req.body);
    if (!isRecord(body)) throw INVALID_PAYLOAD;
    return {
      jql: typeof body.jql === 'string' ? body.jql : '',
      startAt: typeof body.startAt === 'number' ? body.startAt : undefined,
      maxResults: typeof body.maxResults === 'number' ? body.maxResults : undefined,
      fields: Array.isArray(body.fields)
        ? body.fields.filter((f): f is string => typeof f === 'string')
        : undefined,
    };
  }
  const startAt = numberParam(req.query.get('startAt'));
  const maxResults = numberParam(req.query.get('maxResults'));
  if (Number.isNaN(startAt) || Number.isNaN(maxResults)) throw INVALID_PAYLOAD;
  return { jql: req.query.get('jql') ?? '', startAt, maxResults, fields: fieldsParam(req) };
}

export function fieldsParam(req: SimRequest): string[] {
  return req.query.getAll('fields').flatMap((f) => commaList(f));
}

/**
 * Page tokens carry the offset into the result list plus a hash of the JQL, so a token only
 * works with the query that produced it. (Offset-based, so concurrent edits shift pages.)
 */
export function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, h: hash(jql) })).toString('base64url');
}

export function decodePageToken(token: string, jql: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (isRecord(parsed) && typeof parsed.o === 'number' && parsed.h === hash(jql)) return parsed.o;
  } catch {
    // reported below
  }
  throw new JiraError(400, ['The provided next page token is invalid or expired.']);
}

export function numberParam(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : NaN;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 12);
}
