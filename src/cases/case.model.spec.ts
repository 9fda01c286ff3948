import {
  CASE_FIELDS,
  caseId,
  normalizeLinks,
  parseCaseId,
  serializeCase,
  type CaseLink,
  type SupportCase,
} from './case.model.js';

function aCase(overrides: Partial<SupportCase> = {}): SupportCase {
  return {
    id: 'glpi:42',
    source: 'glpi',
    key: '42',
    url: 'https://glpi.example.com/front/ticket.form.php?id=42',
    title: 'Printer on fire',
    status: 'open',
    statusRaw: 'Processing (assigned)',
    severity: 'high',
    severityRaw: 'High',
    assignee: 'Alice',
    requester: 'Bob',
    account: 'ACME',
    product: 'Hardware',
    component: 'Printers',
    createdAt: '2025-03-01T08:00:00.000Z',
    updatedAt: '2025-03-02T09:30:00.000Z',
    resolvedAt: null,
    closedAt: null,
    links: [{ source: 'jira', key: 'OPS-7' }],
    labels: ['incident'],
    ...overrides,
  };
}

const link = (source: CaseLink['source'], key: string): CaseLink => ({ source, key });

describe(caseId.name, () => {
  it('should join source and key with a colon', () => {
    expect(caseId('jira', 'OPS-12')).toBe('jira:OPS-12');
    expect(caseId('bugzilla', '1001')).toBe('bugzilla:1001');
  });
});

describe(parseCaseId.name, () => {
  it('should split a case id into source and key', () => {
    expect(parseCaseId('glpi:42')).toEqual({ source: 'glpi', key: '42' });
    expect(parseCaseId('jira:OPS-12')).toEqual({ source: 'jira', key: 'OPS-12' });
  });

  it('should keep colons that belong to the key', () => {
    expect(parseCaseId('jira:A:B')).toEqual({ source: 'jira', key: 'A:B' });
  });

  it('should return null for an unknown source, a missing key or no colon', () => {
    expect(parseCaseId('redmine:1')).toBeNull();
    expect(parseCaseId('glpi:')).toBeNull();
    expect(parseCaseId(':42')).toBeNull();
    expect(parseCaseId('glpi42')).toBeNull();
    expect(parseCaseId('')).toBeNull();
  });
});

describe(normalizeLinks.name, () => {
  const self = link('jira', 'OPS-1');

  it('should drop duplicates', () => {
    expect(normalizeLinks(self, [link('glpi', '5'), link('glpi', '5'), link('glpi', '5')])).toEqual(
      [link('glpi', '5')],
    );
  });

  it('should drop links to the case itself but keep the same key of another source', () => {
    expect(normalizeLinks(self, [link('jira', 'OPS-1'), link('bugzilla', 'OPS-1')])).toEqual([
      link('bugzilla', 'OPS-1'),
    ]);
  });

  it('should sort by source, then by key with numbers compared as numbers', () => {
    const links = [
      link('jira', 'OPS-10'),
      link('glpi', '100'),
      link('jira', 'OPS-9'),
      link('bugzilla', '20'),
      link('glpi', '9'),
      link('bugzilla', '3'),
      link('jira', 'ABC-2'),
    ];
    expect(normalizeLinks(self, links)).toEqual([
      link('bugzilla', '3'),
      link('bugzilla', '20'),
      link('glpi', '9'),
      link('glpi', '100'),
      link('jira', 'ABC-2'),
      link('jira', 'OPS-9'),
      link('jira', 'OPS-10'),
    ]);
  });

  it('should copy only source and key', () => {
    const extra = { source: 'glpi', key: '7', note: 'x' } as CaseLink;
    expect(normalizeLinks(self, [extra])[0]).toStrictEqual({ source: 'glpi', key: '7' });
  });

  it('should return an empty list for no links', () => {
    expect(normalizeLinks(self, [])).toEqual([]);
  });
});

describe(serializeCase.name, () => {
  const fieldOrder = (json: string) => Object.keys(JSON.parse(json) as object);

  it('should write exactly the case fields in the documented order', () => {
    expect(CASE_FIELDS).toEqual([
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
    ]);
    expect(fieldOrder(serializeCase(aCase()))).toEqual([...CASE_FIELDS]);
  });

  it('should keep the values, including nulls and arrays', () => {
    const c = aCase({ assignee: null, links: [], labels: ['a', 'b'] });
    expect(JSON.parse(serializeCase(c))).toEqual(c);
  });

  it('should give equal bytes for equal cases built in a different key order', () => {
    const c = aCase();
    const reversed = Object.fromEntries(Object.entries(c).reverse()) as unknown as SupportCase;
    expect(serializeCase(reversed)).toBe(serializeCase(c));
  });

  it('should drop properties that are not case fields', () => {
    const c = { ...aCase(), extra: 'secret' } as SupportCase;
    expect(serializeCase(c)).not.toContain('extra');
    expect(fieldOrder(serializeCase(c))).toEqual([...CASE_FIELDS]);
  });
});
