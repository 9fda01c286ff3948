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
import type { BugzillaBug } from './bugzilla.schemas.js';

export interface BugzillaMappingContext {
  siteUrl: string;
  accountField?: string;
  status: VocabularyMapper<CaseStatus>;
  severity: VocabularyMapper<Severity>;
  links: CaseLinkDetector;
}

/** Bugzilla shows an unset single-select as "---". */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '---' ? null : value.trim() || null;
  if (Array.isArray(value)) return value.length > 0 ? text(value[0]) : null;
  return null;
}

/**
 * Bugzilla has no resolution date field (only history has it); the last change of a bug that
 * is resolved or closed stands in for it, which is exact for bugs nobody touched afterwards.
 */
export function mapBugzillaBug(bug: BugzillaBug, ctx: BugzillaMappingContext): SourceRecord {
  const key = String(bug.id);
  const date = (field: string, value: string | null | undefined): string | null => {
    if (!value) return null;
    const parsed = parseOffsetTimestamp(value);
    if (!parsed)
      throw new UpstreamPayloadError(
        { source: 'bugzilla' },
        `"${value}" is not a Bugzilla datetime`,
        key,
        field,
      );
    return parsed.toISOString();
  };
  const updatedAt = date('last_change_time', bug.last_change_time) as string;
  const status = ctx.status.map(bug.status);
  const related: CaseLink[] = [
    ...(bug.depends_on ?? []),
    ...(bug.blocks ?? []),
    ...(bug.dupe_of ? [bug.dupe_of] : []),
  ].map((id) => ({ source: 'bugzilla', key: String(id) }));
  const accountRaw = ctx.accountField ? text(bug[ctx.accountField]) : null;
  return {
    uid: key,
    case: {
      id: caseId('bugzilla', key),
      source: 'bugzilla',
      key,
      url: `${ctx.siteUrl}/show_bug.cgi?id=${key}`,
      title: bug.summary ?? '',
      status,
      statusRaw: bug.resolution ? `${bug.status} ${bug.resolution}` : bug.status,
      severity: ctx.severity.map(bug.severity),
      severityRaw: bug.severity ?? null,
      assignee: bug.assigned_to_detail?.real_name || bug.assigned_to || null,
      requester: bug.creator_detail?.real_name || bug.creator || null,
      account: accountRaw ?? bug.product ?? null,
      product: bug.product ?? null,
      component: bug.component ?? null,
      createdAt: date('creation_time', bug.creation_time),
      updatedAt,
      resolvedAt: status === 'solved' || status === 'closed' ? updatedAt : null,
      closedAt: status === 'closed' ? updatedAt : null,
      links: normalizeLinks({ source: 'bugzilla', key }, [
        ...related,
        ...ctx.links.findAll([...(bug.see_also ?? []), bug.url]),
      ]),
      labels: [...new Set(bug.keywords ?? [])],
    },
  };
}
