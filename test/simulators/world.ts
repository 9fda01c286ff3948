import { Prng } from './prng.js';
import {
  ACCOUNT_NAMES,
  CONTEXTS,
  FIRST_NAMES,
  LAST_NAMES,
  PROBLEMS,
  REQUESTS,
  SUBJECTS,
} from './vocabulary.js';

export type SystemName = 'glpi' | 'jira' | 'bugzilla';

/** A reference to a record of some system; rendered into a URL only at response time. */
export interface LinkRef {
  system: SystemName;
  key: string;
}

export interface Person {
  /** Numeric user id (GLPI users_id, Bugzilla user id). */
  id: number;
  login: string;
  displayName: string;
  email: string;
  /** JIRA Cloud accountId. */
  accountId: string;
  /** JIRA Data Center user key. */
  jiraKey: string;
}

export interface Account {
  id: number;
  name: string;
  /** GLPI entity complete name, e.g. "Root entity > ACME Corp". */
  entity: string;
  contacts: Person[];
}

export interface WorldOptions {
  seed?: number;
  glpi?: number;
  jira?: number;
  bugzilla?: number;
  /** Wall-clock instant (ms) the data ends at; default Date.now(). */
  now?: number;
  /** How far back records go; default 730 days. */
  spanDays?: number;
}

export const JIRA_PROJECTS = ['SUP', 'OPS', 'ENG'] as const;
export type JiraProject = (typeof JIRA_PROJECTS)[number];

export const BUGZILLA_FIRST_ID = 1001;
export const DEFAULT_SEED = 42;

const DAY_MS = 86_400_000;

/** Planted XSS payloads live in records whose index hits this pattern (every 997th). */
export function isXssIndex(index: number): boolean {
  return index % 997 === 3;
}

/** Unusual raw status/priority values live in records whose index hits this pattern (every 1009th). */
export function isOddVocabularyIndex(index: number): boolean {
  return index % 1009 === 7;
}

/**
 * The shared, deterministic universe the three simulators draw from: customer accounts, engineers,
 * record counts, JIRA keys and cross-system link targets. Record generation lives in
 * `<system>.records.ts` and returns fresh objects on every call so simulators never share state.
 */
export class World {
  readonly seed: number;
  readonly now: number;
  readonly start: number;
  readonly counts: Readonly<Record<SystemName, number>>;
  readonly accounts: Account[];
  readonly engineers: Person[];
  /** JIRA key of the issue with generation index i. */
  readonly jiraKeys: string[];
  readonly jiraProjects: JiraProject[];

  private constructor(options: WorldOptions) {
    this.seed = options.seed ?? DEFAULT_SEED;
    this.now = options.now ?? Date.now();
    this.start = this.now - (options.spanDays ?? 730) * DAY_MS;
    this.counts = {
      glpi: options.glpi ?? 2000,
      jira: options.jira ?? 400,
      bugzilla: options.bugzilla ?? 400,
    };
    const people = new PeopleFactory(Prng.derive(this.seed, 'people'));
    this.engineers = Array.from({ length: 25 }, () => people.create('support.example.test'));
    this.accounts = ACCOUNT_NAMES.map((name, i) => {
      const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`;
      const contacts = Array.from({ length: 2 + (i % 4) }, () => people.create(domain));
      return { id: i + 1, name, entity: `Root entity > ${name}`, contacts };
    });
    const rng = Prng.derive(this.seed, 'jira-projects');
    const counters: Record<JiraProject, number> = { SUP: 0, OPS: 0, ENG: 0 };
    this.jiraProjects = [];
    this.jiraKeys = [];
    for (let i = 0; i < this.counts.jira; i++) {
      const project = rng.weighted(JIRA_PROJECTS, [6, 3, 1]);
      counters[project] += 1;
      this.jiraProjects.push(project);
      this.jiraKeys.push(`${project}-${counters[project]}`);
    }
  }

  static create(options: WorldOptions = {}): World {
    return new World(options);
  }

  /**
   * Creation instants for `count` records, ascending, spread over the world's span with a little
   * jitter, so ids/keys grow with creation time as they do upstream.
   */
  creationTimes(system: SystemName, count: number, precisionMs: number): number[] {
    const rng = Prng.derive(this.seed, system, 'created');
    const slot = (this.now - this.start) / Math.max(count, 1);
    const times: number[] = [];
    let previous = this.start;
    for (let i = 0; i < count; i++) {
      const t = floorTo(this.start + (i + rng.next() * 0.9) * slot, precisionMs);
      previous = Math.max(previous, t);
      times.push(previous);
    }
    return times;
  }

  /** Last-update instant for a record created at `created`: usually days later, never after now. */
  updateTime(rng: Prng, created: number, precisionMs: number): number {
    const age = this.now - created;
    const gap = rng.chance(0.1) ? rng.next() * age : rng.exponential(12 * DAY_MS);
    return floorTo(Math.min(this.now, created + Math.min(gap, age)), precisionMs);
  }

  pickAccount(rng: Prng): Account {
    // A few big customers account for most of the cases.
    const index = Math.floor(Math.pow(rng.next(), 1.6) * this.accounts.length);
    return this.accounts[index];
  }

  pickEngineer(rng: Prng): Person {
    return rng.pick(this.engineers);
  }

  /** A link to a record of another system, or null when that system has no records. */
  pickLinkTarget(rng: Prng, targets: readonly SystemName[]): LinkRef | null {
    const system = rng.pick(targets);
    const count = this.counts[system];
    if (count === 0) return null;
    const index = rng.int(0, count - 1);
    switch (system) {
      case 'glpi':
        return { system, key: String(index + 1) };
      case 'jira':
        return { system, key: this.jiraKeys[index] };
      case 'bugzilla':
        return { system, key: String(BUGZILLA_FIRST_ID + index) };
    }
  }

  /** A realistic case title. */
  title(rng: Prng, request: boolean): string {
    if (request) return rng.pick(REQUESTS);
    const context = rng.pick(CONTEXTS);
    const title = `${rng.pick(SUBJECTS)} ${rng.pick(PROBLEMS)}`;
    return context ? `${title} ${context}` : title;
  }
}

export function floorTo(ms: number, precisionMs: number): number {
  return Math.floor(ms / precisionMs) * precisionMs;
}

class PeopleFactory {
  private readonly used = new Set<string>();
  private nextId = 2;

  constructor(private readonly rng: Prng) {}

  create(domain: string): Person {
    let first: string;
    let last: string;
    let login: string;
    do {
      first = this.rng.pick(FIRST_NAMES);
      last = this.rng.pick(LAST_NAMES);
      login = `${first[0]}${last}`.toLowerCase();
    } while (this.used.has(login));
    this.used.add(login);
    const id = this.nextId++;
    return {
      id,
      login,
      displayName: `${first} ${last}`,
      email: `${first}.${last}@${domain}`.toLowerCase(),
      accountId: `5f${this.rng.hex(22)}`,
      jiraKey: `JIRAUSER${10000 + id}`,
    };
  }
}
