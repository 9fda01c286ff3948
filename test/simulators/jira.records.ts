import { Prng } from './prng.js';
import { FOLLOWUP_LINES, JIRA_COMPONENTS, XSS_TITLES, XSS_URL } from './vocabulary.js';
import {
  isOddVocabularyIndex,
  isXssIndex,
  type JiraProject,
  type LinkRef,
  type Person,
  type World,
} from './world.js';

const DAY_MS = 86_400_000;

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done' | 'undefined';

export const STATUS_CATEGORIES: Record<
  StatusCategoryKey,
  { id: number; key: string; name: string; colorName: string }
> = {
  undefined: { id: 1, key: 'undefined', name: 'No Category', colorName: 'medium-gray' },
  new: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  done: { id: 3, key: 'done', name: 'Done', colorName: 'green' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
};

export interface JiraStatus {
  id: string;
  name: string;
  category: StatusCategoryKey;
}

export const JIRA_STATUSES: readonly JiraStatus[] = [
  { id: '1', name: 'Open', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10002', name: 'Waiting for customer', category: 'indeterminate' },
  { id: '5', name: 'Resolved', category: 'done' },
  { id: '6', name: 'Closed', category: 'done' },
  { id: '10001', name: 'Done', category: 'done' },
  // A status nobody put in a category: the category key is "undefined".
  { id: '10099', name: 'Triage', category: 'undefined' },
];

export const JIRA_PRIORITIES: readonly { id: string; name: string }[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
  { id: '10000', name: 'P0-Emergency' },
];

export const JIRA_ISSUE_TYPES: readonly { id: string; name: string }[] = [
  { id: '10004', name: 'Bug' },
  { id: '10002', name: 'Task' },
  { id: '10010', name: 'Incident' },
  { id: '10011', name: 'Service Request' },
];

export const JIRA_LINK_TYPES = [
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
] as const;

export const JIRA_PROJECT_INFO: Record<JiraProject, { id: string; name: string }> = {
  SUP: { id: '10000', name: 'Customer Support' },
  OPS: { id: '10001', name: 'Operations' },
  ENG: { id: '10002', name: 'Engineering' },
};

/** Text, or a link rendered at response time (a cross-system ref or a literal URL). */
export type DescriptionSegment = string | { link: LinkRef | string; label?: string };

export interface JiraIssueLink {
  id: string;
  type: (typeof JIRA_LINK_TYPES)[number];
  direction: 'outward' | 'inward';
  /** Key of the issue at the other end. */
  other: string;
}

export interface JiraRemoteLink {
  id: number;
  target: LinkRef | string;
  title: string;
}

/** One JIRA issue as the simulator stores it; instants are epoch ms. */
export class JiraIssue {
  id: number;
  key: string;
  project: JiraProject;
  number: number;
  summary: string;
  /** Paragraphs of segments. */
  description: DescriptionSegment[][];
  status: JiraStatus;
  priority: { id: string; name: string };
  issuetype: { id: string; name: string };
  assignee: Person | null;
  reporter: Person;
  components: string[];
  labels: string[];
  createdMs: number;
  updatedMs: number;
  resolvedMs: number | null;
  duedate: string | null;
  /** Customer account (the JIRA_ACCOUNT_FIELD custom field), or null. */
  account: string | null;
  issueLinks: JiraIssueLink[];
  remoteLinks: JiraRemoteLink[];

  get updated(): Date {
    return new Date(this.updatedMs);
  }

  get created(): Date {
    return new Date(this.createdMs);
  }
}

export interface JiraComment {
  id: string;
  author: Person;
  text: string;
  createdMs: number;
}

const LABELS = ['customer-impact', 'regression', 'sla-breach', 'needs-info', 'hotfix', 'eu', 'us'];

/** Generates the world's JIRA issues (fresh objects, keys from `world.jiraKeys`). */
export function generateJiraIssues(world: World): JiraIssue[] {
  const count = world.counts.jira;
  const rng = Prng.derive(world.seed, 'jira');
  const created = world.creationTimes('jira', count, 1);
  const issues: JiraIssue[] = [];
  let linkId = 20000;
  let remoteId = 10000;
  for (let i = 0; i < count; i++) {
    const issue = new JiraIssue();
    const account = world.pickAccount(rng);
    issue.id = 10001 + i;
    issue.key = world.jiraKeys[i];
    issue.project = world.jiraProjects[i];
    issue.number = Number(issue.key.split('-')[1]);
    issue.issuetype =
      issue.project === 'ENG'
        ? rng.pick(JIRA_ISSUE_TYPES.slice(0, 2))
        : rng.weighted(JIRA_ISSUE_TYPES, [3, 1, 4, 2]);
    issue.summary = world.title(rng, issue.issuetype.name === 'Service Request');
    issue.createdMs = created[i];
    issue.updatedMs = world.updateTime(rng, issue.createdMs, 1);
    issue.priority = rng.weighted(JIRA_PRIORITIES.slice(0, 5), [1, 3, 8, 3, 1]);
    const ageDays = (world.now - issue.updatedMs) / DAY_MS;
    const done = rng.chance(ageDays > 30 ? 0.9 : ageDays > 7 ? 0.55 : 0.25);
    issue.status = done
      ? rng.weighted(JIRA_STATUSES.slice(3, 6), [4, 3, 3])
      : rng.weighted(JIRA_STATUSES.slice(0, 3), [3, 4, 2]);
    issue.resolvedMs = done
      ? Math.max(issue.createdMs, issue.updatedMs - Math.floor(rng.next() * DAY_MS))
      : null;
    issue.assignee =
      issue.status.name === 'Open' && rng.chance(0.6) ? null : world.pickEngineer(rng);
    issue.reporter = issue.project === 'SUP' ? rng.pick(account.contacts) : world.pickEngineer(rng);
    issue.components = rng.chance(0.8) ? [rng.pick(JIRA_COMPONENTS[issue.project])] : [];
    issue.labels = rng.chance(0.3) ? [rng.pick(LABELS)] : [];
    issue.duedate = rng.chance(0.3)
      ? new Date(issue.createdMs + rng.int(3, 30) * DAY_MS).toISOString().slice(0, 10)
      : null;
    issue.account =
      issue.project === 'SUP' || (issue.project === 'OPS' && rng.chance(0.5)) ? account.name : null;

    issue.description = [
      [`${issue.summary}.`],
      [`Customer: ${account.name}. ${rng.pick(FOLLOWUP_LINES)}`],
    ];
    issue.issueLinks = [];
    issue.remoteLinks = [];
    if (rng.chance(0.25)) {
      const ref = world.pickLinkTarget(rng, ['glpi', 'glpi', 'glpi', 'bugzilla', 'bugzilla']);
      if (ref) {
        const label = ref.system === 'glpi' ? `GLPI ticket #${ref.key}` : `Bug ${ref.key}`;
        issue.description.push(['Originally reported in ', { link: ref, label }, '.']);
        issue.remoteLinks.push({ id: remoteId++, target: ref, title: label });
      }
    }
    if (i > 0 && rng.chance(0.15)) {
      const other = issues[rng.int(Math.max(0, i - 500), i - 1)];
      const type = rng.pick(JIRA_LINK_TYPES);
      const id = String(linkId++);
      issue.issueLinks.push({ id, type, direction: 'outward', other: other.key });
      other.issueLinks.push({ id, type, direction: 'inward', other: issue.key });
    }
    if (isXssIndex(i)) {
      issue.summary = XSS_TITLES[Math.floor(i / 997) % XSS_TITLES.length];
      issue.description.push(...XSS_TITLES.map((t) => [t]), [{ link: XSS_URL, label: 'details' }]);
      issue.remoteLinks.push({ id: remoteId++, target: XSS_URL, title: XSS_TITLES[1] });
    }
    if (isOddVocabularyIndex(i)) {
      issue.priority = JIRA_PRIORITIES[5];
      issue.status = JIRA_STATUSES[6];
      issue.resolvedMs = null;
    }
    issues.push(issue);
  }
  return issues;
}

/** Deterministic comments of an issue, dated between creation and last update. */
export function jiraComments(world: World, issue: JiraIssue): JiraComment[] {
  const rng = Prng.derive(world.seed, 'jira-comments', issue.id);
  const count = rng.int(0, 4);
  const span = issue.updatedMs - issue.createdMs;
  return Array.from({ length: count }, (_, k) => ({
    id: String(issue.id * 10 + k),
    author: rng.chance(0.5) ? world.pickEngineer(rng) : issue.reporter,
    text: rng.pick(FOLLOWUP_LINES),
    createdMs: issue.createdMs + Math.floor((span * (k + 1)) / count),
  }));
}
