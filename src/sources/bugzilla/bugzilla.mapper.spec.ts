import { CaseLinkDetector } from '../../cases/case-links.js';
import type { CaseStatus, Severity } from '../../cases/case.model.js';
import {
  DEFAULT_BUGZILLA_SEVERITY,
  DEFAULT_BUGZILLA_STATUS,
  SEVERITY_FALLBACK,
  STATUS_FALLBACK,
  VocabularyMapper,
  mergeVocabulary,
  type UnknownValue,
} from '../../cases/vocabulary.js';
import { parsePayload } from '../payload.js';
import { UpstreamPayloadError } from '../upstream.errors.js';
import { mapBugzillaBug, type BugzillaMappingContext } from './bugzilla.mapper.js';
import { bugzillaBugSchema } from './bugzilla.schemas.js';

/** A bug as /rest/bug returns it with Caseboard's include_fields plus a customer field. */
function aBug(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 501,
    summary: 'Crash on save',
    status: 'ASSIGNED',
    resolution: '',
    is_open: true,
    severity: 'major',
    product: 'Editor',
    component: 'Files',
    assigned_to: 'alice@example.com',
    assigned_to_detail: { real_name: 'Alice Adams', name: 'alice@example.com' },
    creator: 'bob@example.com',
    creator_detail: { real_name: '', name: 'bob@example.com' },
    creation_time: '2025-03-01T08:03:10Z',
    last_change_time: '2025-03-02T09:00:00Z',
    see_also: [
      'https://jira.example.com/browse/OPS-12',
      'https://glpi.example.com/front/ticket.form.php?id=7',
      'https://bugs.other.org/show_bug.cgi?id=3',
    ],
    depends_on: [480, 12],
    blocks: [600],
    dupe_of: null,
    keywords: ['regression', 'crash', 'regression'],
    url: '',
    cf_customer: 'ACME Corp',
    ...overrides,
  };
}

function aContext(overrides: Partial<BugzillaMappingContext> = {}) {
  const unknowns: UnknownValue[] = [];
  const onUnknown = (u: UnknownValue) => unknowns.push(u);
  const ctx: BugzillaMappingContext = {
    siteUrl: 'https://bugs.example.com',
    accountField: 'cf_customer',
    status: new VocabularyMapper<CaseStatus>(
      'bugzilla',
      'status',
      mergeVocabulary(DEFAULT_BUGZILLA_STATUS, {}),
      STATUS_FALLBACK,
      onUnknown,
    ),
    severity: new VocabularyMapper<Severity>(
      'bugzilla',
      'severity',
      mergeVocabulary(DEFAULT_BUGZILLA_SEVERITY, {}),
      SEVERITY_FALLBACK,
      onUnknown,
    ),
    links: new CaseLinkDetector({
      glpi: 'https://glpi.example.com',
      jira: 'https://jira.example.com',
      bugzilla: 'https://bugs.example.com',
    }),
    ...overrides,
  };
  return { ctx, unknowns };
}

/** Validates like the adapter does, then maps. */
function map(raw: Record<string, unknown>, ctx = aContext().ctx) {
  const bug = parsePayload(bugzillaBugSchema, raw, { source: 'bugzilla', record: String(raw.id) });
  return mapBugzillaBug(bug, ctx);
}

describe(mapBugzillaBug.name, () => {
  it('should map every field of an assigned bug', () => {
    const { ctx, unknowns } = aContext();
    expect(map(aBug(), ctx)).toEqual({
      uid: '501',
      case: {
        id: 'bugzilla:501',
        source: 'bugzilla',
        key: '501',
        url: 'https://bugs.example.com/show_bug.cgi?id=501',
        title: 'Crash on save',
        status: 'open',
        statusRaw: 'ASSIGNED',
        severity: 'high',
        severityRaw: 'major',
        assignee: 'Alice Adams',
        requester: 'bob@example.com',
        account: 'ACME Corp',
        product: 'Editor',
        component: 'Files',
        createdAt: '2025-03-01T08:03:10.000Z',
        updatedAt: '2025-03-02T09:00:00.000Z',
        resolvedAt: null,
        closedAt: null,
        links: [
          { source: 'bugzilla', key: '12' },
          { source: 'bugzilla', key: '480' },
          { source: 'bugzilla', key: '600' },
          { source: 'glpi', key: '7' },
          { source: 'jira', key: 'OPS-12' },
        ],
        labels: ['regression', 'crash'],
      },
    });
    expect(unknowns).toEqual([]);
  });

  it('should link the bug it duplicates and cases named in the URL field', () => {
    const result = map(
      aBug({
        see_also: [],
        depends_on: [],
        blocks: [],
        dupe_of: 300,
        url: 'https://jira.example.com/browse/CS-4',
      }),
    );
    expect(result.case.links).toEqual([
      { source: 'bugzilla', key: '300' },
      { source: 'jira', key: 'CS-4' },
    ]);
  });

  it('should drop links to itself and repeated links', () => {
    const result = map(
      aBug({
        see_also: ['https://bugs.example.com/show_bug.cgi?id=501'],
        depends_on: [501, 9],
        blocks: [9],
      }),
    );
    expect(result.case.links).toEqual([{ source: 'bugzilla', key: '9' }]);
  });

  describe('account', () => {
    it('should read the first value of a multi-valued customer field', () => {
      expect(map(aBug({ cf_customer: ['Globex', 'Initech'] })).case.account).toBe('Globex');
    });

    it('should fall back to the product when the customer field is empty, unset or missing', () => {
      expect(map(aBug({ cf_customer: '' })).case.account).toBe('Editor');
      expect(map(aBug({ cf_customer: '---' })).case.account).toBe('Editor');
      expect(map(aBug({ cf_customer: [] })).case.account).toBe('Editor');
      expect(map(aBug({ cf_customer: undefined })).case.account).toBe('Editor');
    });

    it('should use the product when no account field is configured', () => {
      const { ctx } = aContext({ accountField: undefined });
      expect(map(aBug(), ctx).case.account).toBe('Editor');
    });
  });

  it('should keep the resolution in the raw status and count a resolved bug as resolved', () => {
    const result = map(aBug({ status: 'RESOLVED', resolution: 'FIXED', is_open: false }));
    expect(result.case).toMatchObject({
      status: 'solved',
      statusRaw: 'RESOLVED FIXED',
      resolvedAt: '2025-03-02T09:00:00.000Z',
      closedAt: null,
    });
  });

  it('should count a verified bug as resolved but not closed', () => {
    const result = map(aBug({ status: 'VERIFIED', resolution: 'WONTFIX' }));
    expect(result.case).toMatchObject({
      status: 'solved',
      statusRaw: 'VERIFIED WONTFIX',
      resolvedAt: '2025-03-02T09:00:00.000Z',
      closedAt: null,
    });
  });

  it('should resolve and close a closed bug at its last change', () => {
    const result = map(aBug({ status: 'CLOSED', resolution: 'DUPLICATE', dupe_of: 42 }));
    expect(result.case).toMatchObject({
      status: 'closed',
      statusRaw: 'CLOSED DUPLICATE',
      resolvedAt: '2025-03-02T09:00:00.000Z',
      closedAt: '2025-03-02T09:00:00.000Z',
    });
  });

  it('should fall back and report an unknown status and severity', () => {
    const { ctx, unknowns } = aContext();
    const result = map(aBug({ status: 'NEEDINFO', severity: 'S1' }), ctx);
    expect(result.case).toMatchObject({
      status: 'open',
      statusRaw: 'NEEDINFO',
      severity: 'normal',
      severityRaw: 'S1',
    });
    expect(unknowns).toEqual([
      { source: 'bugzilla', field: 'status', raw: 'NEEDINFO' },
      { source: 'bugzilla', field: 'severity', raw: 'S1' },
    ]);
  });

  it('should use login names when there are no real names', () => {
    const result = map(aBug({ assigned_to_detail: null, creator_detail: undefined }));
    expect(result.case.assignee).toBe('alice@example.com');
    expect(result.case.requester).toBe('bob@example.com');
  });

  it('should leave optional fields empty when Bugzilla has none', () => {
    const result = map(
      aBug({
        summary: null,
        assigned_to: null,
        assigned_to_detail: null,
        creator: null,
        creator_detail: null,
        creation_time: null,
        product: null,
        component: null,
        cf_customer: null,
        see_also: null,
        depends_on: null,
        blocks: null,
        keywords: null,
        url: null,
        severity: null,
      }),
    );
    expect(result.case).toMatchObject({
      title: '',
      assignee: null,
      requester: null,
      createdAt: null,
      product: null,
      component: null,
      account: null,
      links: [],
      labels: [],
      severityRaw: null,
    });
  });

  it('should reject a malformed date naming the bug and the field', () => {
    const run = () => map(aBug({ last_change_time: '2025-03-02 09:00:00' }));
    expect(run).toThrow(UpstreamPayloadError);
    expect(run).toThrow(
      'bugzilla: invalid payload at record 501, field last_change_time: "2025-03-02 09:00:00" is not a Bugzilla datetime',
    );
    expect(() => map(aBug({ creation_time: 'yesterday' }))).toThrow(
      expect.objectContaining({ record: '501', field: 'creation_time' }) as Error,
    );
  });

  it('should reject a bug whose id is not a number at validation', () => {
    expect(() => map(aBug({ id: 'abc' }))).toThrow(
      expect.objectContaining({ source: 'bugzilla', record: 'abc', field: 'id' }) as Error,
    );
  });
});
