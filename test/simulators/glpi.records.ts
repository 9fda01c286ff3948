import { Prng } from './prng.js';
import { FOLLOWUP_LINES, GLPI_CATEGORIES, XSS_TITLES, XSS_URL } from './vocabulary.js';
import { isOddVocabularyIndex, isXssIndex, type LinkRef, type World } from './world.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** GLPI ticket statuses: 1 New … 6 Closed. */
export const GLPI_STATUS = { NEW: 1, ASSIGNED: 2, PLANNED: 3, PENDING: 4, SOLVED: 5, CLOSED: 6 };

/**
 * One GLPI ticket as the simulator stores it: raw column values, instants as epoch ms, actors as
 * login lists. `content` is raw HTML in which `{{link:N}}` stands for the URL of `links[N]`.
 */
export class GlpiTicket {
  id: number;
  name: string;
  content: string;
  links: LinkRef[];
  status: number;
  priority: number;
  urgency: number;
  impact: number;
  /** 1 Incident, 2 Request. */
  type: number;
  entitiesId: number;
  /** Entity complete name, e.g. "Root entity > ACME Corp". */
  entity: string;
  itilcategoriesId: number;
  /** Category complete name, e.g. "Software > Billing". */
  category: string;
  requesttypesId: number;
  /** Opening date. */
  date: number;
  /** date_mod: the sync watermark. */
  dateMod: number;
  solveDate: number | null;
  closeDate: number | null;
  timeToResolve: number | null;
  requesters: string[];
  technicians: string[];
  usersIdRecipient: number;
  usersIdLastupdater: number;

  /** The key `mutate`/`update`/`remove` use: the id as a string. */
  get key(): string {
    return String(this.id);
  }

  /** date_mod as a Date. */
  get updated(): Date {
    return new Date(this.dateMod);
  }
}

export interface GlpiFollowup {
  id: number;
  usersId: number;
  content: string;
  isPrivate: boolean;
  date: number;
}

const PRIORITIES = [1, 2, 3, 4, 5, 6];
const PRIORITY_WEIGHTS = [4, 14, 46, 25, 9, 2];
/** Hours allowed to resolve, per priority. */
const SLA_HOURS = [0, 120, 72, 24, 8, 4, 2];

/** Generates the world's GLPI tickets (fresh objects, ids 1..n in creation order). */
export function generateGlpiTickets(world: World): GlpiTicket[] {
  const count = world.counts.glpi;
  const rng = Prng.derive(world.seed, 'glpi');
  const created = world.creationTimes('glpi', count, 1000);
  const tickets: GlpiTicket[] = [];
  for (let i = 0; i < count; i++) {
    const t = new GlpiTicket();
    const account = world.pickAccount(rng);
    t.id = i + 1;
    t.type = rng.chance(0.3) ? 2 : 1;
    t.name = world.title(rng, t.type === 2);
    t.date = created[i];
    t.dateMod = world.updateTime(rng, t.date, 1000);
    t.priority = rng.weighted(PRIORITIES, PRIORITY_WEIGHTS);
    t.urgency = Math.min(5, Math.max(1, t.priority + rng.int(-1, 1)));
    t.impact = Math.min(5, Math.max(1, t.priority + rng.int(-1, 0)));
    t.entitiesId = account.id;
    t.entity = account.entity;
    t.itilcategoriesId = rng.int(1, GLPI_CATEGORIES.length);
    t.category = GLPI_CATEGORIES[t.itilcategoriesId - 1];
    t.requesttypesId = rng.pick([1, 1, 1, 2, 3]);
    t.requesters = [rng.pick(account.contacts).login];
    if (rng.chance(0.12)) t.requesters.push(rng.pick(account.contacts).login);
    t.requesters = [...new Set(t.requesters)];
    t.usersIdRecipient = 2;
    t.usersIdLastupdater = world.pickEngineer(rng).id;

    const ageDays = (world.now - t.dateMod) / DAY_MS;
    const doneChance = ageDays > 30 ? 0.92 : ageDays > 7 ? 0.6 : 0.3;
    if (rng.chance(doneChance)) {
      t.status = rng.chance(0.7) ? GLPI_STATUS.CLOSED : GLPI_STATUS.SOLVED;
    } else {
      t.status = rng.weighted([1, 2, 3, 4], [2, 5, 1, 2]);
    }
    t.solveDate = null;
    t.closeDate = null;
    if (t.status === GLPI_STATUS.SOLVED) t.solveDate = t.dateMod;
    if (t.status === GLPI_STATUS.CLOSED) {
      t.closeDate = t.dateMod;
      t.solveDate = Math.max(
        t.date,
        t.dateMod - Math.floor((rng.next() * 7 * DAY_MS) / 1000) * 1000,
      );
    }
    t.timeToResolve = rng.chance(0.8) ? t.date + SLA_HOURS[t.priority] * HOUR_MS : null;

    const techs = t.status === GLPI_STATUS.NEW && rng.chance(0.8) ? 0 : rng.chance(0.1) ? 2 : 1;
    t.technicians = [];
    for (let k = 0; k < techs; k++) t.technicians.push(world.pickEngineer(rng).login);
    t.technicians = [...new Set(t.technicians)];

    t.links = [];
    const paragraphs = [
      `Hello,`,
      `${t.name}. ${rng.pick(FOLLOWUP_LINES)}`,
      `Reported by ${account.name} on workstation WS-${rng.int(100, 999)}.`,
    ];
    if (rng.chance(0.15)) {
      const ref = world.pickLinkTarget(rng, ['jira', 'jira', 'bugzilla']);
      if (ref) {
        t.links.push(ref);
        paragraphs.push(`See {{link:0}} for the engineering follow-up.`);
      }
    }
    if (isXssIndex(i)) {
      t.name = XSS_TITLES[Math.floor(i / 997) % XSS_TITLES.length];
      paragraphs.push(...XSS_TITLES, `<a href="${XSS_URL}">details</a>`);
    }
    if (isOddVocabularyIndex(i)) {
      // Status 7 ("Accepted") exists for other ITIL objects only; priority 0 is not a level.
      t.status = 7;
      t.priority = 0;
    }
    t.content = paragraphs.map((p) => `<p>${p}</p>`).join('');
    tickets.push(t);
  }
  return tickets;
}

/** Deterministic followups of a ticket, dated between its opening and its last update. */
export function glpiFollowups(world: World, ticket: GlpiTicket): GlpiFollowup[] {
  const rng = Prng.derive(world.seed, 'glpi-followups', ticket.id);
  const count = rng.int(0, 4);
  const span = ticket.dateMod - ticket.date;
  const followups: GlpiFollowup[] = [];
  for (let k = 0; k < count; k++) {
    const date = ticket.date + Math.floor((span * (k + 1)) / count / 1000) * 1000;
    const author = rng.chance(0.5) ? world.pickEngineer(rng) : world.pickAccount(rng).contacts[0];
    followups.push({
      id: ticket.id * 10 + k,
      usersId: author.id,
      content: `<p>${rng.pick(FOLLOWUP_LINES)}</p>`,
      isPrivate: rng.chance(0.1),
      date,
    });
  }
  if (isXssIndex(ticket.id - 1)) {
    followups.push({
      id: ticket.id * 10 + 9,
      usersId: 2,
      content: `<p>${XSS_TITLES[0]}</p>`,
      isPrivate: false,
      date: ticket.dateMod,
    });
  }
  return followups;
}

/**
 * Partial change for `GlpiSimulator.update`. Status changes keep the dates consistent: 5 sets
 * solvedate, 6 sets closedate (and solvedate if unset), 1–4 clear both.
 */
export interface GlpiTicketPatch {
  name?: string;
  content?: string;
  status?: number;
  priority?: number;
  urgency?: number;
  impact?: number;
  type?: number;
  requesters?: string[];
  technicians?: string[];
  category?: string;
}

export function applyGlpiPatch(t: GlpiTicket, patch: GlpiTicketPatch, stamp: number): void {
  if (patch.name !== undefined) t.name = patch.name;
  if (patch.content !== undefined) t.content = patch.content;
  if (patch.priority !== undefined) t.priority = patch.priority;
  if (patch.urgency !== undefined) t.urgency = patch.urgency;
  if (patch.impact !== undefined) t.impact = patch.impact;
  if (patch.type !== undefined) t.type = patch.type;
  if (patch.requesters !== undefined) t.requesters = [...patch.requesters];
  if (patch.technicians !== undefined) t.technicians = [...patch.technicians];
  if (patch.category !== undefined) t.category = patch.category;
  if (patch.status !== undefined && patch.status !== t.status) {
    t.status = patch.status;
    if (t.status === GLPI_STATUS.SOLVED) {
      t.solveDate ??= stamp;
      t.closeDate = null;
    } else if (t.status === GLPI_STATUS.CLOSED) {
      t.solveDate ??= stamp;
      t.closeDate = stamp;
    } else {
      t.solveDate = null;
      t.closeDate = null;
    }
  }
}

export function nextGlpiStatus(status: number, rng: Prng): number {
  switch (status) {
    case GLPI_STATUS.NEW:
      return GLPI_STATUS.ASSIGNED;
    case GLPI_STATUS.ASSIGNED:
      return rng.pick([GLPI_STATUS.PENDING, GLPI_STATUS.SOLVED]);
    case GLPI_STATUS.SOLVED:
      return rng.pick([GLPI_STATUS.CLOSED, GLPI_STATUS.ASSIGNED]);
    default:
      return GLPI_STATUS.ASSIGNED;
  }
}
