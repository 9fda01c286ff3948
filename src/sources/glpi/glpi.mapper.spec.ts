import { CaseLinkDetector } from '../../cases/case-links.js';
import type { CaseStatus, Severity } from '../../cases/case.model.js';
import {
  DEFAULT_GLPI_PRIORITY,
  DEFAULT_GLPI_STATUS,
  SEVERITY_FALLBACK,
  STATUS_FALLBACK,
  VocabularyMapper,
  mergeVocabulary,
  type UnknownValue,
} from '../../cases/vocabulary.js';
import { parsePayload } from '../payload.js';
import { UpstreamPayloadError } from '../upstream.errors.js';
import { mapGlpiRow, type GlpiMappingContext } from './glpi.mapper.js';
import { glpiSearchRowSchema } from './glpi.schemas.js';

const WEB_ROOT = 'https://glpi.example.com';

/** A search/Ticket row as GLPI 10 sends it, keyed by search option id. */
function aRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '2': 1042,
    '1': 'Mail server down',
    '3': 4,
    '4': 'bob',
    '5': ['alice', 'carol'],
    '7': 'Software > Mail > Outlook',
    '12': 2,
    '14': 1,
    '15': '2025-01-15 09:30:00',
    '16': null,
    '17': null,
    '18': null,
    '19': '2025-07-15 10:00:00',
    '21': '&lt;p&gt;Same as &lt;a href=&quot;https://jira.example.com/browse/OPS-12&quot;&gt;OPS-12&lt;/a&gt;&lt;/p&gt;',
    '80': 'Root entity > ACME Corp',
    ...overrides,
  };
}

function aContext(statusMap: Record<string, CaseStatus> = {}) {
  const unknowns: UnknownValue[] = [];
  const onUnknown = (u: UnknownValue) => unknowns.push(u);
  const ctx: GlpiMappingContext = {
    webRoot: WEB_ROOT,
    timeZone: 'Europe/Paris',
    status: new VocabularyMapper<CaseStatus>(
      'glpi',
      'status',
      mergeVocabulary(DEFAULT_GLPI_STATUS, statusMap),
      STATUS_FALLBACK,
      onUnknown,
    ),
    severity: new VocabularyMapper<Severity>(
      'glpi',
      'severity',
      mergeVocabulary(DEFAULT_GLPI_PRIORITY, {}),
      SEVERITY_FALLBACK,
      onUnknown,
    ),
    links: new CaseLinkDetector({
      glpi: WEB_ROOT,
      jira: 'https://jira.example.com',
      bugzilla: 'https://bugs.example.com',
    }),
  };
  return { ctx, unknowns };
}

/** Validates like the adapter does, then maps. */
function map(raw: Record<string, unknown>, ctx = aContext().ctx) {
  const row = parsePayload(glpiSearchRowSchema, raw, { source: 'glpi', record: String(raw['2']) });
  return mapGlpiRow(row, ctx);
}

describe(mapGlpiRow.name, () => {
  it('should map every field of an open ticket', () => {
    const { ctx, unknowns } = aContext();
    expect(map(aRow(), ctx)).toEqual({
      uid: '1042',
      dueAt: null,
      case: {
        id: 'glpi:1042',
        source: 'glpi',
        key: '1042',
        url: 'https://glpi.example.com/front/ticket.form.php?id=1042',
        title: 'Mail server down',
        status: 'open',
        statusRaw: 'Processing (assigned)',
        severity: 'high',
        severityRaw: 'High',
        assignee: 'alice',
        requester: 'bob',
        account: 'ACME Corp',
        product: 'Software',
        component: 'Outlook',
        // Paris is UTC+1 in January and UTC+2 in July.
        createdAt: '2025-01-15T08:30:00.000Z',
        updatedAt: '2025-07-15T08:00:00.000Z',
        resolvedAt: null,
        closedAt: null,
        links: [{ source: 'jira', key: 'OPS-12' }],
        labels: ['incident'],
      },
    });
    expect(unknowns).toEqual([]);
  });

  it("should carry the ticket's time to resolve as its upstream due date, in UTC", () => {
    expect(map(aRow({ '18': '2025-07-20 18:00:00' })).dueAt).toBe('2025-07-20T16:00:00.000Z');
  });

  it('should map a closed request with its solve and close dates', () => {
    const result = map(
      aRow({
        '2': '7',
        '12': '6',
        '3': '6',
        '14': 2,
        '16': '2025-03-02 18:00:00',
        '17': '2025-03-01 12:15:30',
      }),
    );
    expect(result.case).toMatchObject({
      id: 'glpi:7',
      key: '7',
      status: 'closed',
      statusRaw: 'Closed',
      severity: 'urgent',
      severityRaw: 'Major',
      resolvedAt: '2025-03-01T11:15:30.000Z',
      closedAt: '2025-03-02T17:00:00.000Z',
      labels: ['request'],
    });
  });

  it('should name each GLPI status and priority', () => {
    const statuses = [1, 2, 3, 4, 5, 6].map((s) => map(aRow({ '12': s })).case.statusRaw);
    expect(statuses).toEqual([
      'New',
      'Processing (assigned)',
      'Processing (planned)',
      'Pending',
      'Solved',
      'Closed',
    ]);
    const priorities = [1, 2, 3, 4, 5, 6].map((p) => map(aRow({ '3': p })).case.severityRaw);
    expect(priorities).toEqual(['Very low', 'Low', 'Medium', 'High', 'Very high', 'Major']);
  });

  it('should fall back to open for an unknown status and report the raw value', () => {
    const { ctx, unknowns } = aContext();
    const result = map(aRow({ '12': 7 }), ctx);
    expect(result.case.status).toBe('open');
    expect(result.case.statusRaw).toBe('7');
    expect(unknowns).toEqual([{ source: 'glpi', field: 'status', raw: '7' }]);
  });

  it('should use a configured status mapping before the fallback', () => {
    const { ctx, unknowns } = aContext({ '7': 'pending' });
    expect(map(aRow({ '12': 7 }), ctx).case.status).toBe('pending');
    expect(unknowns).toEqual([]);
  });

  it('should map a missing priority to normal without a raw value', () => {
    const result = map(aRow({ '3': null }));
    expect(result.case.severity).toBe('normal');
    expect(result.case.severityRaw).toBeNull();
  });

  it('should take the first non-empty of several technicians and requesters', () => {
    const result = map(aRow({ '5': ['', 'carol', 'dave'], '4': ['erin', 'frank'] }));
    expect(result.case.assignee).toBe('carol');
    expect(result.case.requester).toBe('erin');
  });

  it('should leave people, account, category and title empty when GLPI has none', () => {
    const result = map(
      aRow({ '1': null, '4': null, '5': [], '7': null, '80': null, '14': null, '21': null }),
    );
    expect(result.case).toMatchObject({
      title: '',
      assignee: null,
      requester: null,
      account: null,
      product: null,
      component: null,
      links: [],
      labels: [],
    });
  });

  it('should use a one-level entity and category as they are', () => {
    const result = map(aRow({ '80': 'Root entity', '7': 'Hardware' }));
    expect(result.case.account).toBe('Root entity');
    expect(result.case.product).toBe('Hardware');
    expect(result.case.component).toBeNull();
  });

  it('should find links in entity-encoded content and drop the link to itself', () => {
    const content = [
      '&lt;a href=&quot;https://glpi.example.com/front/ticket.form.php?id=1042&quot;&gt;self&lt;/a&gt;',
      '&lt;a href=&quot;https://glpi.example.com/front/ticket.form.php?id=99&quot;&gt;x&lt;/a&gt;',
      'https://bugs.example.com/show_bug.cgi?id=5 https://jira.example.com/browse/OPS-3',
      'https://jira.example.com/browse/OPS-3',
    ].join(' ');
    expect(map(aRow({ '21': content })).case.links).toEqual([
      { source: 'bugzilla', key: '5' },
      { source: 'glpi', key: '99' },
      { source: 'jira', key: 'OPS-3' },
    ]);
  });

  it('should not find a link that only appears once the content is decoded twice', () => {
    // Decoded once, this is "https&#58;//…": the text a user typed, not a URL.
    const content = 'https&amp;#58;//jira.example.com/browse/OPS-4';
    expect(map(aRow({ '21': content })).case.links).toEqual([]);
  });

  it('should read dates in the configured time zone', () => {
    const { ctx } = aContext();
    const result = map(aRow({ '19': '2025-07-15 10:00:00' }), { ...ctx, timeZone: 'UTC' });
    expect(result.case.updatedAt).toBe('2025-07-15T10:00:00.000Z');
  });

  it('should treat an empty date as missing', () => {
    expect(map(aRow({ '15': '' })).case.createdAt).toBeNull();
  });

  it('should reject a malformed date naming the record and the field', () => {
    const run = () => map(aRow({ '17': '15/01/2025 09:30' }));
    expect(run).toThrow(UpstreamPayloadError);
    expect(run).toThrow(
      'glpi: invalid payload at record 1042, field 17: "15/01/2025 09:30" is not a GLPI datetime',
    );
  });

  it('should reject a row without a last-update date at validation', () => {
    const raw = aRow();
    delete raw['19'];
    let error: unknown;
    try {
      map(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UpstreamPayloadError);
    expect(error).toMatchObject({ source: 'glpi', record: '1042', field: '19', transient: false });
  });
});
