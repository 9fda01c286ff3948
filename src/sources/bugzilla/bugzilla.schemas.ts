import { z } from 'zod';

const detail = z.object({ real_name: z.string().nullish(), name: z.string().nullish() }).nullish();

export const bugzillaBugSchema = z
  .object({
    id: z.number().int(),
    summary: z.string().nullish(),
    status: z.string(),
    resolution: z.string().nullish(),
    is_open: z.boolean().nullish(),
    severity: z.string().nullish(),
    product: z.string().nullish(),
    component: z.string().nullish(),
    assigned_to: z.string().nullish(),
    assigned_to_detail: detail,
    creator: z.string().nullish(),
    creator_detail: detail,
    creation_time: z.string().nullish(),
    last_change_time: z.string().min(1),
    see_also: z.array(z.string()).nullish(),
    depends_on: z.array(z.number()).nullish(),
    blocks: z.array(z.number()).nullish(),
    dupe_of: z.number().nullish(),
    keywords: z.array(z.string()).nullish(),
    url: z.string().nullish(),
  })
  .catchall(z.unknown());
export type BugzillaBug = z.infer<typeof bugzillaBugSchema>;

export const bugzillaSearchSchema = z.object({ bugs: z.array(z.unknown()) });

export const BUGZILLA_FIELDS = [
  'id',
  'summary',
  'status',
  'resolution',
  'is_open',
  'severity',
  'product',
  'component',
  'assigned_to',
  'assigned_to_detail',
  'creator',
  'creator_detail',
  'creation_time',
  'last_change_time',
  'see_also',
  'depends_on',
  'blocks',
  'dupe_of',
  'keywords',
  'url',
];

export const bugzillaCommentsSchema = z.object({
  bugs: z.record(
    z.string(),
    z.object({
      comments: z.array(
        z.object({
          text: z.string().nullish(),
          creator: z.string().nullish(),
          time: z.string().nullish(),
          creation_time: z.string().nullish(),
          is_private: z.boolean().nullish(),
        }),
      ),
    }),
  ),
});
