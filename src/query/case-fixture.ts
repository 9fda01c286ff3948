import { caseId, type SupportCase } from '../cases/case.model.js';

/**
 * Test data builder for the query specs: an open JIRA case with every field set. Overrides
 * that change source or key also change id and url unless given.
 */
export function aCase(overrides: Partial<SupportCase> = {}): SupportCase {
  const source = overrides.source ?? 'jira';
  const key = overrides.key ?? 'SUP-1';
  return {
    id: caseId(source, key),
    source,
    key,
    url: `https://${source}.example.com/${key}`,
    title: 'Checkout fails',
    status: 'open',
    statusRaw: 'In Progress',
    severity: 'normal',
    severityRaw: 'Medium',
    assignee: 'Alice Adams',
    requester: 'Rita Reporter',
    account: 'ACME',
    product: 'Shop',
    component: 'Payments',
    createdAt: '2025-06-01T00:00:00.000Z',
    updatedAt: '2025-06-02T00:00:00.000Z',
    resolvedAt: null,
    closedAt: null,
    links: [],
    labels: [],
    ...overrides,
  };
}
