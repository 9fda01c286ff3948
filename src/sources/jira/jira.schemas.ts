import { z } from 'zod';

/** A JIRA user as Cloud (accountId) and Data Center (name, key) send it. */
export const jiraUserSchema = z
  .object({
    accountId: z.string().optional(),
    name: z.string().optional(),
    key: z.string().optional(),
    displayName: z.string().nullish(),
    emailAddress: z.string().nullish(),
  })
  .nullish();

const linkedIssue = z.object({ id: z.string().optional(), key: z.string() });

export const jiraIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .object({
      summary: z.string().nullish(),
      description: z.unknown().optional(),
      status: z
        .object({
          name: z.string(),
          statusCategory: z.object({ key: z.string() }).nullish(),
        })
        .nullish(),
      priority: z.object({ name: z.string() }).nullish(),
      assignee: jiraUserSchema,
      reporter: jiraUserSchema,
      project: z.object({ key: z.string(), name: z.string().nullish() }).nullish(),
      components: z.array(z.object({ name: z.string() })).nullish(),
      labels: z.array(z.string()).nullish(),
      created: z.string().nullish(),
      updated: z.string().min(1),
      resolutiondate: z.string().nullish(),
      issuelinks: z
        .array(
          z.object({
            inwardIssue: linkedIssue.optional(),
            outwardIssue: linkedIssue.optional(),
          }),
        )
        .nullish(),
    })
    .catchall(z.unknown()),
});
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

export const jiraCloudPageSchema = z.object({
  issues: z.array(z.unknown()),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

export const jiraDcPageSchema = z.object({
  issues: z.array(z.unknown()),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
});

export const jiraMyselfSchema = z.object({ timeZone: z.string().nullish() });

export const jiraRemoteLinksSchema = z.array(
  z.object({ object: z.object({ url: z.string().nullish() }).nullish() }),
);

export const jiraCommentsSchema = z.object({
  comments: z.array(
    z.object({
      created: z.string(),
      author: z.object({ displayName: z.string().nullish(), name: z.string().nullish() }).nullish(),
      body: z.unknown(),
    }),
  ),
});
