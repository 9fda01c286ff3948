import type { CaseLinkDetector } from '../../cases/case-links.js';
import {
  caseId,
  normalizeLinks,
  type CaseLink,
  type CaseStatus,
  type Severity,
} from '../../cases/case.model.js';
import type { VocabularyMapper } from '../../cases/vocabulary.js';
import { parseOffsetTimestamp } from '../../common/time.js';
import type { SourceRecord } from '../case-source.port.js';
import { UpstreamPayloadError } from '../upstream.errors.js';
import type { JiraIssue } from './jira.schemas.js';

export interface JiraMappingContext {
  siteUrl: string;
  accountField?: string;
  status: VocabularyMapper<CaseStatus>;
  severity: VocabularyMapper<Severity>;
  links: CaseLinkDetector;
}

/** Text and link targets of a description: a wiki string (v2) or an ADF document (v3). */
export function descriptionTexts(description: unknown): string[] {
  if (typeof description === 'string') return [description];
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as {
      text?: unknown;
      attrs?: { url?: unknown; href?: unknown };
      marks?: unknown;
      content?: unknown;
    };
    if (typeof n.text === 'string') texts.push(n.text);
    if (typeof n.attrs?.url === 'string') texts.push(n.attrs.url);
    if (Array.isArray(n.marks)) {
      for (const mark of n.marks as { attrs?: { href?: unknown } }[]) {
        if (typeof mark.attrs?.href === 'string') texts.push(mark.attrs.href);
      }
    }
    if (Array.isArray(n.content)) n.content.forEach(walk);
  };
  walk(description);
  return texts;
}

/** A customer field may hold text, a select option, a user-like object or a list of those. */
function accountValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length > 0 ? accountValue(value[0]) : null;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return accountValue(o.value ?? o.name ?? o.displayName ?? null);
  }
  return null;
}

function date(issue: JiraIssue, field: string, value: string | null | undefined): string | null {
  if (!value) return null;
  const parsed = parseOffsetTimestamp(value);
  if (!parsed)
    throw new UpstreamPayloadError(
      { source: 'jira' },
      `"${value}" is not a JIRA timestamp`,
      issue.key,
      `fields.${field}`,
    );
  return parsed.toISOString();
}

export function mapJiraIssue(
  issue: JiraIssue,
  remoteLinkUrls: string[],
  ctx: JiraMappingContext,
): SourceRecord {
  const f = issue.fields;
  const status = ctx.status.map(f.status?.name, f.status?.statusCategory?.key);
  const resolvedAt = date(issue, 'resolutiondate', f.resolutiondate);
  const updatedAt = date(issue, 'updated', f.updated) as string;
  const issueLinks: CaseLink[] = (f.issuelinks ?? []).flatMap((l) => {
    const other = l.outwardIssue ?? l.inwardIssue;
    return other ? [{ source: 'jira' as const, key: other.key }] : [];
  });
  const texts = [...descriptionTexts(f.description), ...remoteLinkUrls];
  const accountRaw = ctx.accountField ? accountValue(f[ctx.accountField]) : null;
  const due =
    typeof f.duedate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(f.duedate) ? f.duedate : null;
  return {
    uid: issue.id,
    // A JIRA due date is a day; the case is late once that day (UTC) is over.
    dueAt: due ? `${due}T23:59:59.000Z` : null,
    case: {
      id: caseId('jira', issue.key),
      source: 'jira',
      key: issue.key,
      url: `${ctx.siteUrl}/browse/${issue.key}`,
      title: f.summary ?? '',
      status,
      statusRaw: f.status?.name ?? null,
      severity: ctx.severity.map(f.priority?.name),
      severityRaw: f.priority?.name ?? null,
      assignee: f.assignee?.displayName ?? f.assignee?.name ?? null,
      requester: f.reporter?.displayName ?? f.reporter?.name ?? null,
      account: accountRaw ?? f.project?.key ?? null,
      product: f.project?.name ?? f.project?.key ?? null,
      component: f.components?.[0]?.name ?? null,
      createdAt: date(issue, 'created', f.created),
      updatedAt,
      resolvedAt,
      closedAt: status === 'closed' ? (resolvedAt ?? updatedAt) : null,
      links: normalizeLinks({ source: 'jira', key: issue.key }, [
        ...issueLinks,
        ...ctx.links.findAll(texts),
      ]),
      labels: [...new Set(f.labels ?? [])],
    },
  };
}
