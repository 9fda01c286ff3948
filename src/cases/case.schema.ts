import { z } from 'zod';
import { CASE_STATUSES, SEVERITIES, SOURCES } from './case.model.js';

const isoUtc = z.iso.datetime({ offset: false });

/** The case model as a schema: for validating stored data, exports and API responses. */
export const supportCaseSchema = z.strictObject({
  id: z.string().regex(/^(glpi|jira|bugzilla):.+$/),
  source: z.enum(SOURCES),
  key: z.string().min(1),
  url: z.url(),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  statusRaw: z.string().nullable(),
  severity: z.enum(SEVERITIES),
  severityRaw: z.string().nullable(),
  assignee: z.string().nullable(),
  requester: z.string().nullable(),
  account: z.string().nullable(),
  product: z.string().nullable(),
  component: z.string().nullable(),
  createdAt: isoUtc.nullable(),
  updatedAt: isoUtc,
  resolvedAt: isoUtc.nullable(),
  closedAt: isoUtc.nullable(),
  links: z.array(z.strictObject({ source: z.enum(SOURCES), key: z.string().min(1) })),
  labels: z.array(z.string()),
});
