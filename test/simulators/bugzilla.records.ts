import { Prng } from './prng.js';
import { FOLLOWUP_LINES, PRODUCTS, XSS_TITLES, XSS_URL } from './vocabulary.js';
import {
  BUGZILLA_FIRST_ID,
  isOddVocabularyIndex,
  isXssIndex,
  type LinkRef,
  type Person,
  type World,
} from './world.js';

const DAY_MS = 86_400_000;

export const OPEN_STATUSES = [
  'UNCONFIRMED',
  'CONFIRMED',
  'IN_PROGRESS',
  'NEW',
  'ASSIGNED',
  'REOPENED',
];
export const CLOSED_STATUSES = ['RESOLVED', 'VERIFIED', 'CLOSED'];
export const RESOLUTIONS = ['FIXED', 'INVALID', 'WONTFIX', 'DUPLICATE', 'WORKSFORME'];
export const SEVERITIES = [
  'blocker',
  'critical',
  'major',
  'normal',
  'minor',
  'trivial',
  'enhancement',
];
export const PRIORITIES = ['Highest', 'High', 'Normal', 'Low', 'Lowest', '---'];
const KEYWORDS = ['regression', 'customer', 'perf', 'security', 'dataloss'];

export function isOpenStatus(status: string): boolean {
  return !CLOSED_STATUSES.includes(status);
}

export interface BugChange {
  field_name: string;
  removed: string;
  added: string;
}

export interface BugHistoryEntry {
  when: number;
  who: string;
  changes: BugChange[];
}

/** One Bugzilla bug as the simulator stores it; instants are epoch ms (second precision). */
export class BugzillaBug {
  id: number;
  summary: string;
  status: string;
  /** '' while open. */
  resolution: string;
  severity: string;
  priority: string;
  product: string;
  component: string;
  version: string;
  assignedTo: Person;
  creator: Person;
  creationMs: number;
  lastChangeMs: number;
  /** URLs to other trackers: cross-system refs rendered at response time, or literal URLs. */
  seeAlso: (LinkRef | string)[];
  dependsOn: number[];
  blocks: number[];
  dupeOf: number | null;
  keywords: string[];
  /** Customer account custom field; '---' when unset. */
  cfCustomer: string;
  url: string;
  whiteboard: string;
  /** In the private group: invisible to anonymous callers. */
  isPrivate: boolean;
  history: BugHistoryEntry[];

  get key(): string {
    return String(this.id);
  }

  get updated(): Date {
    return new Date(this.lastChangeMs);
  }
}

export interface BugComment {
  id: number;
  count: number;
  text: string;
  creator: string;
  timeMs: number;
  isPrivate: boolean;
}

/** Generates the world's Bugzilla bugs (fresh objects, ids from BUGZILLA_FIRST_ID upwards). */
export function generateBugzillaBugs(world: World): BugzillaBug[] {
  const count = world.counts.bugzilla;
  const rng = Prng.derive(world.seed, 'bugzilla');
  const created = world.creationTimes('bugzilla', count, 1000);
  const bugs: BugzillaBug[] = [];
  const products = Object.keys(PRODUCTS) as (keyof typeof PRODUCTS)[];
  for (let i = 0; i < count; i++) {
    const bug = new BugzillaBug();
    const account = world.pickAccount(rng);
    bug.id = BUGZILLA_FIRST_ID + i;
    const product = rng.weighted(products, [16, 3, 1]);
    bug.product = product;
    bug.component = rng.pick(PRODUCTS[product]);
    bug.version = rng.pick(['2.4', '2.5', '3.0', 'unspecified']);
    bug.summary = world.title(rng, false);
    bug.creationMs = created[i];
    bug.lastChangeMs = world.updateTime(rng, bug.creationMs, 1000);
    bug.severity = rng.weighted(SEVERITIES, [1, 3, 8, 20, 6, 2, 3]);
    bug.priority = rng.weighted(PRIORITIES, [1, 4, 10, 4, 1, 3]);
    bug.assignedTo = world.pickEngineer(rng);
    bug.creator =
      bug.product === 'Support' && rng.chance(0.4)
        ? rng.pick(account.contacts)
        : world.pickEngineer(rng);
    const ageDays = (world.now - bug.lastChangeMs) / DAY_MS;
    const closed = rng.chance(ageDays > 30 ? 0.85 : ageDays > 7 ? 0.5 : 0.2);
    bug.status = closed
      ? rng.weighted(CLOSED_STATUSES, [6, 2, 2])
      : rng.weighted(OPEN_STATUSES, [3, 5, 4, 1, 1, 1]);
    bug.resolution = closed ? rng.weighted(RESOLUTIONS, [12, 2, 2, 2, 2]) : '';
    bug.dupeOf = null;
    if (bug.resolution === 'DUPLICATE') {
      if (i > 0) bug.dupeOf = BUGZILLA_FIRST_ID + rng.int(Math.max(0, i - 300), i - 1);
      else bug.resolution = 'FIXED';
    }
    bug.dependsOn = [];
    bug.blocks = [];
    if (i > 0 && rng.chance(0.1)) {
      const other = bugs[rng.int(Math.max(0, i - 300), i - 1)];
      bug.dependsOn.push(other.id);
      other.blocks.push(bug.id);
    }
    bug.keywords = rng.chance(0.25) ? [rng.pick(KEYWORDS)] : [];
    bug.cfCustomer =
      bug.product === 'Support' || (bug.product === 'Platform' && rng.chance(0.3))
        ? account.name
        : '---';
    bug.whiteboard = rng.chance(0.2) ? `[sla:${rng.pick(['gold', 'silver', 'bronze'])}]` : '';
    bug.url = '';
    bug.seeAlso = [];
    if (rng.chance(0.3)) {
      const ref = world.pickLinkTarget(rng, ['jira', 'jira', 'jira', 'glpi', 'glpi']);
      if (ref) bug.seeAlso.push(ref);
    }
    bug.isPrivate = rng.chance(0.05);
    if (isXssIndex(i)) {
      bug.summary = XSS_TITLES[Math.floor(i / 997) % XSS_TITLES.length];
      bug.seeAlso.push(XSS_URL);
      bug.url = XSS_URL;
      bug.whiteboard = XSS_TITLES[2];
      bug.isPrivate = false;
    }
    if (isOddVocabularyIndex(i)) {
      // Site-specific vocabulary a client will not know.
      bug.status = 'NEEDINFO';
      bug.resolution = '';
      bug.severity = 'S1';
      bug.isPrivate = false;
    }
    bug.history = baseHistory(rng, bug);
    bugs.push(bug);
  }
  return bugs;
}

/** A plausible status trail from creation to the bug's current state. */
function baseHistory(rng: Prng, bug: BugzillaBug): BugHistoryEntry[] {
  if (bug.status === 'UNCONFIRMED' || bug.lastChangeMs === bug.creationMs) return [];
  const who = bug.assignedTo.email;
  const trail: BugChange[][] = [
    [{ field_name: 'status', removed: 'UNCONFIRMED', added: 'CONFIRMED' }],
  ];
  if (bug.status !== 'CONFIRMED') {
    const added = isOpenStatus(bug.status) ? bug.status : 'IN_PROGRESS';
    if (added !== 'CONFIRMED') trail.push([{ field_name: 'status', removed: 'CONFIRMED', added }]);
    if (!isOpenStatus(bug.status)) {
      trail.push([
        { field_name: 'status', removed: 'IN_PROGRESS', added: bug.status },
        { field_name: 'resolution', removed: '', added: bug.resolution },
      ]);
    }
  }
  const span = bug.lastChangeMs - bug.creationMs;
  return trail.map((changes, k) => ({
    when:
      k === trail.length - 1
        ? bug.lastChangeMs
        : bug.creationMs + Math.floor((span * (k + rng.next())) / trail.length / 1000) * 1000,
    who,
    changes,
  }));
}

/** Deterministic comments: count 0 is the description, at creation time. */
export function bugComments(world: World, bug: BugzillaBug): BugComment[] {
  const rng = Prng.derive(world.seed, 'bugzilla-comments', bug.id);
  const extra = rng.int(0, 4);
  const span = bug.lastChangeMs - bug.creationMs;
  const comments: BugComment[] = [
    {
      id: bug.id * 10,
      count: 0,
      text: `${bug.summary}\n\nSteps to reproduce:\n1. Open the ${bug.component} page\n2. ${rng.pick(FOLLOWUP_LINES)}`,
      creator: bug.creator.email,
      timeMs: bug.creationMs,
      isPrivate: false,
    },
  ];
  for (let k = 1; k <= extra; k++) {
    comments.push({
      id: bug.id * 10 + k,
      count: k,
      text: rng.pick(FOLLOWUP_LINES),
      creator: rng.chance(0.6) ? bug.assignedTo.email : bug.creator.email,
      timeMs: bug.creationMs + Math.floor((span * k) / extra / 1000) * 1000,
      isPrivate: rng.chance(0.05),
    });
  }
  return comments;
}
