import { CaseLinkDetector } from '../../cases/case-links.js';
import type { CaseStatus, Severity } from '../../cases/case.model.js';
import {
  DEFAULT_JIRA_PRIORITY,
  DEFAULT_JIRA_STATUS,
  SEVERITY_FALLBACK,
  STATUS_FALLBACK,
  VocabularyMapper,
  mergeVocabulary,
  type UnknownValue,
} from '../../cases/vocabulary.js';
import { parsePayload } from '../payload.js';
import { UpstreamPayloadError } from '../upstream.errors.js';
import { descriptionTexts, mapJiraIssue, type JiraMappingContext } from './jira.mapper.js';
import { jiraIssueSchema } from './jira.schemas.js';

const ACCOUNT_FIELD = 'customfield_10050';

/** An ADF (REST v3) description: a paragraph with a link mark and an inline card. */
function adfDescription(): unknown {
  return {
    type: 'doc',
    version: 1,
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Customer bug: ' },
          {
            type: 'text',
            text: 'bug 77',
            marks: [
              { type: 'link', attrs: { href: 'https://bugs.example.com/show_bug.cgi?id=77' } },
            ],
          },
        ],
      },
    ],
  };
}

/** An issue as search returns it; `fields` overrides are shallow. */
function anIssue(fields: Record<string, unknown> = {}, top: Record<string, unknown> = {}) {
  return {
    id: '10001',
    key: 'OPS-12',
    fields: {
      summary: 'Checkout fails',
      description: adfDescription(),
      status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } },
      priority: { name: 'High' },
      assignee: { accountId: 'a1', displayName: 'Alice Adams' },
      reporter: { name: 'bob', displayName: null },
      project: { key: 'OPS', name: 'Operations' },
      components: [{ name: 'API' }, { name: 'Database' }],
      labels: ['customer', 'p1', 'customer'],
      created: '2025-03-01T08:03:10.123+0000',
      updated: '2025-03-02T10:00:00.000+0100',
      resolutiondate: null,
      issuelinks: [
        { outwardIssue: { id: '10002', key: 'OPS-13' } },
        { inwardIssue: { key: 'SUP-1' } },
      ],
      [ACCOUNT_FIELD]: { value: 'ACME Corp' },
      ...fields,
    },
    ...top,
  };
}

function aContext(overrides: Partial<JiraMappingContext> = {}) {
  const unknowns: UnknownValue[] = [];
  const onUnknown = (u: UnknownValue) => unknowns.push(u);
  const ctx: JiraMappingContext = {
    siteUrl: 'https://jira.example.com',
    accountField: ACCOUNT_FIELD,
    status: new VocabularyMapper<CaseStatus>(
      'jira',
      'status',
      mergeVocabulary(DEFAULT_JIRA_STATUS, {}),
      STATUS_FALLBACK,
      onUnknown,
    ),
    severity: new VocabularyMapper<Severity>(
      'jira',
      'severity',
      mergeVocabulary(DEFAULT_JIRA_PRIORITY, {}),
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
function map(raw: ReturnType<typeof anIssue>, remoteLinks: string[] = [], ctx = aContext().ctx) {
  const issue = parsePayload(jiraIssueSchema, raw, { source: 'jira', record: raw.key });
  return mapJiraIssue(issue, remoteLinks, ctx);
}

describe(mapJiraIssue.name, () => {
  it('should map every field of an issue in progress', () => {
    const { ctx, unknowns } = aContext();
    const result = map(anIssue(), ['https://glpi.example.com/front/ticket.form.php?id=5'], ctx);
    expect(result).toEqual({
      uid: '10001',
      dueAt: null,
      case: {
        id: 'jira:OPS-12',
        source: 'jira',
        key: 'OPS-12',
        url: 'https://jira.example.com/browse/OPS-12',
        title: 'Checkout fails',
        status: 'open',
        statusRaw: 'In Progress',
        severity: 'high',
        severityRaw: 'High',
        assignee: 'Alice Adams',
        requester: 'bob',
        account: 'ACME Corp',
        product: 'Operations',
        component: 'API',
        createdAt: '2025-03-01T08:03:10.123Z',
        updatedAt: '2025-03-02T09:00:00.000Z',
        resolvedAt: null,
        closedAt: null,
        links: [
          { source: 'bugzilla', key: '77' },
          { source: 'glpi', key: '5' },
          { source: 'jira', key: 'OPS-13' },
          { source: 'jira', key: 'SUP-1' },
        ],
        labels: ['customer', 'p1'],
      },
    });
    expect(unknowns).toEqual([]);
  });

  it('should take the due date as the end of that day, UTC', () => {
    const issue = anIssue();
    const withDue = { ...issue, fields: { ...issue.fields, duedate: '2025-03-14' } };
    expect(map(withDue, []).dueAt).toBe('2025-03-14T23:59:59.000Z');
  });

  it('should find links in a wiki-markup (REST v2) description', () => {
    const description =
      'Dup of https://jira.example.com/browse/OPS-99, see [bug 8|https://bugs.example.com/show_bug.cgi?id=8]';
    const result = map(anIssue({ description, issuelinks: [] }));
    expect(result.case.links).toEqual([
      { source: 'bugzilla', key: '8' },
      { source: 'jira', key: 'OPS-99' },
    ]);
  });

  it('should drop a link to the issue itself', () => {
    const result = map(
      anIssue({ description: null, issuelinks: [{ outwardIssue: { key: 'OPS-12' } }] }),
      ['https://jira.example.com/browse/OPS-12'],
    );
    expect(result.case.links).toEqual([]);
  });

  describe('account', () => {
    const accountOf = (value: unknown) => map(anIssue({ [ACCOUNT_FIELD]: value })).case.account;

    it('should read a text field', () => {
      expect(accountOf('  Globex ')).toBe('Globex');
    });

    it('should read a select option', () => {
      expect(accountOf({ id: '3', value: 'Initech' })).toBe('Initech');
    });

    it('should read the first of a multi-select', () => {
      expect(accountOf([{ value: 'Umbrella' }, { value: 'Hooli' }])).toBe('Umbrella');
    });

    it('should fall back to the project key when the field is empty or missing', () => {
      expect(accountOf(null)).toBe('OPS');
      expect(accountOf('')).toBe('OPS');
      expect(accountOf([])).toBe('OPS');
      const withoutField = anIssue();
      delete (withoutField.fields as Record<string, unknown>)[ACCOUNT_FIELD];
      expect(map(withoutField).case.account).toBe('OPS');
    });

    it('should use the project key when no account field is configured', () => {
      const { ctx } = aContext({ accountField: undefined });
      expect(map(anIssue(), [], ctx).case.account).toBe('OPS');
    });
  });

  it('should close a done issue at its resolution date', () => {
    const result = map(
      anIssue({
        status: { name: 'Done', statusCategory: { key: 'done' } },
        resolutiondate: '2025-03-02T08:30:00.000+0000',
      }),
    );
    expect(result.case).toMatchObject({
      status: 'closed',
      statusRaw: 'Done',
      resolvedAt: '2025-03-02T08:30:00.000Z',
      closedAt: '2025-03-02T08:30:00.000Z',
    });
  });

  it('should close a done issue without a resolution date at its last update', () => {
    const result = map(anIssue({ status: { name: 'Closed', statusCategory: { key: 'done' } } }));
    expect(result.case.status).toBe('closed');
    expect(result.case.resolvedAt).toBeNull();
    expect(result.case.closedAt).toBe('2025-03-02T09:00:00.000Z');
  });

  it('should prefer a mapping for the status name over the category', () => {
    const { ctx, unknowns } = aContext();
    const withWaitingMap = aContext({
      status: new VocabularyMapper<CaseStatus>(
        'jira',
        'status',
        mergeVocabulary(DEFAULT_JIRA_STATUS, { 'waiting for customer': 'pending' }),
        STATUS_FALLBACK,
        () => undefined,
      ),
    }).ctx;
    const waiting = anIssue({
      status: { name: 'Waiting for customer', statusCategory: { key: 'indeterminate' } },
    });
    expect(map(waiting, [], withWaitingMap).case.status).toBe('pending');
    expect(map(waiting, [], ctx).case.status).toBe('open');
    expect(unknowns).toEqual([]);
  });

  it('should fall back and report an unknown status and priority', () => {
    const { ctx, unknowns } = aContext();
    const result = map(anIssue({ status: { name: 'Triage' }, priority: { name: 'P0' } }), [], ctx);
    expect(result.case).toMatchObject({
      status: 'open',
      statusRaw: 'Triage',
      severity: 'normal',
      severityRaw: 'P0',
    });
    expect(unknowns).toEqual([
      { source: 'jira', field: 'status', raw: 'Triage' },
      { source: 'jira', field: 'severity', raw: 'P0' },
    ]);
  });

  it('should leave optional fields empty when JIRA has none', () => {
    const result = map(
      anIssue({
        summary: null,
        assignee: null,
        reporter: null,
        components: [],
        labels: null,
        created: null,
        priority: null,
        project: null,
        [ACCOUNT_FIELD]: null,
        issuelinks: null,
        description: undefined,
      }),
    );
    expect(result.case).toMatchObject({
      title: '',
      assignee: null,
      requester: null,
      component: null,
      labels: [],
      createdAt: null,
      severity: 'normal',
      severityRaw: null,
      account: null,
      product: null,
      links: [],
    });
  });

  it('should use the project key as product when the project has no name', () => {
    expect(map(anIssue({ project: { key: 'OPS' } })).case.product).toBe('OPS');
  });

  it('should reject a malformed timestamp naming the issue and the field', () => {
    const run = () => map(anIssue({ created: '01/03/2025 08:03' }));
    expect(run).toThrow(UpstreamPayloadError);
    expect(run).toThrow(
      'jira: invalid payload at record OPS-12, field fields.created: "01/03/2025 08:03" is not a JIRA timestamp',
    );
  });

  it('should reject an issue without an update time at validation', () => {
    expect(() => map(anIssue({ updated: undefined }))).toThrow(
      expect.objectContaining({ record: 'OPS-12', field: 'fields.updated' }) as Error,
    );
  });
});

describe(descriptionTexts.name, () => {
  it('should return a wiki string as it is', () => {
    expect(descriptionTexts('h1. Title')).toEqual(['h1. Title']);
  });

  it('should collect text, link targets and card URLs of an ADF document in order', () => {
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'a', marks: [{ type: 'strong' }] },
            { type: 'text', text: 'b', marks: [{ type: 'link', attrs: { href: 'https://x/1' } }] },
            { type: 'inlineCard', attrs: { url: 'https://x/2' } },
          ],
        },
      ],
    };
    expect(descriptionTexts(doc)).toEqual(['a', 'b', 'https://x/1', 'https://x/2']);
  });

  it('should return nothing for a missing description', () => {
    expect(descriptionTexts(null)).toEqual([]);
    expect(descriptionTexts(undefined)).toEqual([]);
  });
});
