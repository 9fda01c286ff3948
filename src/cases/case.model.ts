export const SOURCES = ['glpi', 'jira', 'bugzilla'] as const;
export type Source = (typeof SOURCES)[number];

export const CASE_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const SEVERITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface CaseLink {
  source: Source;
  key: string;
}

/**
 * The one normalized case every source maps to. Serialized as JSON with exactly these fields;
 * dates are ISO-8601 UTC strings; a missing value is null (arrays: []).
 */
export interface SupportCase {
  id: string;
  source: Source;
  key: string;
  url: string;
  title: string;
  status: CaseStatus;
  statusRaw: string | null;
  severity: Severity;
  severityRaw: string | null;
  assignee: string | null;
  requester: string | null;
  account: string | null;
  product: string | null;
  component: string | null;
  createdAt: string | null;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  links: CaseLink[];
  labels: string[];
}

/** Field order of the serialized case; fixed so equal cases serialize to equal bytes. */
export const CASE_FIELDS = [
  'id',
  'source',
  'key',
  'url',
  'title',
  'status',
  'statusRaw',
  'severity',
  'severityRaw',
  'assignee',
  'requester',
  'account',
  'product',
  'component',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'closedAt',
  'links',
  'labels',
] as const satisfies readonly (keyof SupportCase)[];

export function caseId(source: Source, key: string): string {
  return `${source}:${key}`;
}

export function isSource(value: string): value is Source {
  return (SOURCES as readonly string[]).includes(value);
}

export function parseCaseId(id: string): CaseLink | null {
  const colon = id.indexOf(':');
  if (colon < 1) return null;
  const source = id.slice(0, colon);
  const key = id.slice(colon + 1);
  return isSource(source) && key ? { source, key } : null;
}

const KEY_ORDER = new Intl.Collator('en', { numeric: true });

export function compareLinks(a: CaseLink, b: CaseLink): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return KEY_ORDER.compare(a.key, b.key);
}

/** Sorted, de-duplicated links without self-references. */
export function normalizeLinks(self: CaseLink, links: Iterable<CaseLink>): CaseLink[] {
  const seen = new Map<string, CaseLink>();
  for (const link of links) {
    const id = caseId(link.source, link.key);
    if (link.source === self.source && link.key === self.key) continue;
    if (!seen.has(id)) seen.set(id, { source: link.source, key: link.key });
  }
  return [...seen.values()].sort(compareLinks);
}

/**
 * The stored form: the case plus, when the upstream has one, its own due date (`dueAt`, used
 * for SLA; not part of the exported model, which serializeCase writes with exactly CASE_FIELDS).
 */
export function serializeStoredCase(c: SupportCase, dueAt: string | null | undefined): string {
  const json = serializeCase(c);
  return dueAt ? `${json.slice(0, -1)},"dueAt":${JSON.stringify(dueAt)}}` : json;
}

/** Serializes with the fixed field order; the store compares these bytes to detect changes. */
export function serializeCase(c: SupportCase): string {
  // Mappers build cases in field order, so the plain (fast) stringify usually is canonical;
  // anything else goes through an array replacer, which fixes the order of top-level keys
  // and of the nested links (whose keys, source then key, are in the list in that order).
  return inFieldOrder(c)
    ? JSON.stringify(c)
    : JSON.stringify(c, CASE_FIELDS as unknown as string[]);
}

function inFieldOrder(c: SupportCase): boolean {
  let i = 0;
  for (const key in c) {
    if (key !== CASE_FIELDS[i++]) return false;
  }
  if (i !== CASE_FIELDS.length) return false;
  return c.links.every((l) => {
    const keys = Object.keys(l);
    return keys.length === 2 && keys[0] === 'source' && keys[1] === 'key';
  });
}
