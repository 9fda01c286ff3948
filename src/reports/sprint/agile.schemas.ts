import { z } from 'zod';
import { jiraUserSchema } from '../../sources/jira/jira.schemas.js';

/** Agile 1.0 list pages: offset paging, `isLast` on list-of-values resources. */
export const agilePageSchema = z.object({
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(z.unknown()),
});

export const agileBoardSchema = z.object({
  id: z.number(),
  name: z.string(),
  type: z.string(),
});
export type AgileBoard = z.infer<typeof agileBoardSchema>;

export const boardConfigurationSchema = z.object({
  id: z.number(),
  name: z.string(),
  type: z.string().optional(),
  columnConfig: z
    .object({
      columns: z.array(
        z.object({ name: z.string(), statuses: z.array(z.object({ id: z.string() })) }),
      ),
    })
    .nullish(),
  estimation: z
    .object({
      type: z.string(),
      field: z.object({ fieldId: z.string(), displayName: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type BoardConfiguration = z.infer<typeof boardConfigurationSchema>;

export const sprintSchema = z.object({
  id: z.number(),
  state: z.enum(['future', 'active', 'closed']),
  name: z.string(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  completeDate: z.string().nullish(),
  originBoardId: z.number().nullish(),
  goal: z.string().nullish(),
});
export type AgileSprint = z.infer<typeof sprintSchema>;

/** An issue of a sprint search; the estimation field is read from the catch-all by its id. */
export const sprintIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .object({
      summary: z.string().nullish(),
      created: z.string(),
      status: z.object({
        id: z.string(),
        name: z.string(),
        statusCategory: z.object({ key: z.string() }).nullish(),
      }),
      issuetype: z.object({ name: z.string(), subtask: z.boolean().optional() }).nullish(),
      parent: z.object({ key: z.string() }).nullish(),
      assignee: jiraUserSchema,
    })
    .catchall(z.unknown()),
});
export type SprintIssue = z.infer<typeof sprintIssueSchema>;

export const changelogItemSchema = z.object({
  field: z.string(),
  fieldId: z.string().nullish(),
  from: z.string().nullish(),
  fromString: z.string().nullish(),
  to: z.string().nullish(),
  toString: z.string().nullish(),
});

export const changeHistorySchema = z.object({
  id: z.string(),
  created: z.string(),
  items: z.array(changelogItemSchema),
});
export type ChangeHistory = z.infer<typeof changeHistorySchema>;

/** Cloud: GET /rest/api/3/issue/{key}/changelog. */
export const changelogPageSchema = z.object({
  startAt: z.number(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(changeHistorySchema),
});

/** Data Center: GET /rest/api/2/issue/{key}?expand=changelog. */
export const expandedChangelogSchema = z.object({
  changelog: z.object({
    startAt: z.number().optional(),
    maxResults: z.number().optional(),
    total: z.number().optional(),
    histories: z.array(changeHistorySchema),
  }),
});
