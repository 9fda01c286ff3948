import { z } from 'zod';

const numberLike = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);
const text = z.string().nullish();
const userList = z.union([z.string(), z.array(z.string()), z.null()]).optional();

/** Search-option ids Caseboard asks GLPI for (forcedisplay) and reads back as row keys. */
export const GLPI_OPTION = {
  title: '1',
  id: '2',
  priority: '3',
  requester: '4',
  technician: '5',
  category: '7',
  status: '12',
  type: '14',
  openedAt: '15',
  closedAt: '16',
  solvedAt: '17',
  dueAt: '18',
  updatedAt: '19',
  content: '21',
  entity: '80',
} as const;

export const glpiSearchRowSchema = z.object({
  [GLPI_OPTION.id]: numberLike,
  [GLPI_OPTION.title]: text,
  [GLPI_OPTION.priority]: numberLike.nullish(),
  [GLPI_OPTION.requester]: userList,
  [GLPI_OPTION.technician]: userList,
  [GLPI_OPTION.category]: text,
  [GLPI_OPTION.status]: numberLike,
  [GLPI_OPTION.type]: numberLike.nullish(),
  [GLPI_OPTION.openedAt]: text,
  [GLPI_OPTION.closedAt]: text,
  [GLPI_OPTION.solvedAt]: text,
  [GLPI_OPTION.dueAt]: text,
  [GLPI_OPTION.updatedAt]: z.string().min(1),
  [GLPI_OPTION.content]: text,
  [GLPI_OPTION.entity]: text,
});
export type GlpiSearchRow = z.infer<typeof glpiSearchRowSchema>;

export const glpiSearchResponseSchema = z.object({
  totalcount: numberLike,
  count: numberLike.optional(),
  data: z.array(z.unknown()).optional(),
});

export const glpiSessionSchema = z.object({ session_token: z.string().min(1) });

export const glpiFollowupsSchema = z.array(
  z.object({
    date: z.string(),
    users_id: z.union([z.number(), z.string()]).nullish(),
    content: z.string().nullish(),
    is_private: z.union([z.number(), z.boolean()]).nullish(),
  }),
);
