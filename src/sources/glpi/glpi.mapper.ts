import type { CaseLinkDetector } from '../../cases/case-links.js';
import { caseId, normalizeLinks, type CaseStatus, type Severity } from '../../cases/case.model.js';
import type { VocabularyMapper } from '../../cases/vocabulary.js';
import { decodeEntities } from '../../common/html.js';
import { zonedToUtc } from '../../common/time.js';
import type { SourceRecord } from '../case-source.port.js';
import { firstOf } from '../payload.js';
import { UpstreamPayloadError } from '../upstream.errors.js';
import { GLPI_OPTION as O, type GlpiSearchRow } from './glpi.schemas.js';

const STATUS_NAMES: Record<number, string> = {
  1: 'New',
  2: 'Processing (assigned)',
  3: 'Processing (planned)',
  4: 'Pending',
  5: 'Solved',
  6: 'Closed',
};

const PRIORITY_NAMES: Record<number, string> = {
  1: 'Very low',
  2: 'Low',
  3: 'Medium',
  4: 'High',
  5: 'Very high',
  6: 'Major',
};

const TYPE_LABELS: Record<number, string> = { 1: 'incident', 2: 'request' };

export interface GlpiMappingContext {
  webRoot: string;
  timeZone: string;
  status: VocabularyMapper<CaseStatus>;
  severity: VocabularyMapper<Severity>;
  links: CaseLinkDetector;
}

/** "Root entity > ACME Corp" → "ACME Corp". */
function lastSegment(completeName: string | null | undefined): string | null {
  if (!completeName) return null;
  const parts = completeName.split('>').map((p) => p.trim());
  return parts[parts.length - 1] || null;
}

export function mapGlpiRow(row: GlpiSearchRow, ctx: GlpiMappingContext): SourceRecord {
  const key = String(row[O.id]);
  const date = (field: keyof GlpiSearchRow): string | null => {
    const value = row[field] as string | null | undefined;
    if (value === null || value === undefined || value === '') return null;
    const utc = zonedToUtc(value, ctx.timeZone);
    if (!utc) {
      throw new UpstreamPayloadError(
        { source: 'glpi' },
        `"${value}" is not a GLPI datetime`,
        key,
        field,
      );
    }
    return utc.toISOString();
  };
  const status = row[O.status];
  const priority = row[O.priority] ?? null;
  const category = row[O.category]?.split('>').map((p) => p.trim()) ?? [];
  const type = row[O.type];
  const rawContent = row[O.content];
  const content = rawContent ? decodeEntities(rawContent) : null;
  return {
    uid: key,
    dueAt: date(O.dueAt),
    case: {
      id: caseId('glpi', key),
      source: 'glpi',
      key,
      url: `${ctx.webRoot}/front/ticket.form.php?id=${key}`,
      title: row[O.title] ?? '',
      status: ctx.status.map(String(status)),
      statusRaw: STATUS_NAMES[status] ?? String(status),
      severity: ctx.severity.map(priority === null ? null : String(priority)),
      severityRaw: priority === null ? null : (PRIORITY_NAMES[priority] ?? String(priority)),
      assignee: firstOf(row[O.technician]),
      requester: firstOf(row[O.requester]),
      account: lastSegment(row[O.entity]),
      product: category[0] || null,
      component: category.length > 1 ? category[category.length - 1] : null,
      createdAt: date(O.openedAt),
      updatedAt: date(O.updatedAt) as string,
      resolvedAt: date(O.solvedAt),
      closedAt: date(O.closedAt),
      links: normalizeLinks({ source: 'glpi', key }, ctx.links.find(content)),
      labels: type !== null && type !== undefined && TYPE_LABELS[type] ? [TYPE_LABELS[type]] : [],
    },
  };
}
