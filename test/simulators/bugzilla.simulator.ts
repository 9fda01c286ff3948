import { createHash } from 'node:crypto';
import {
  bugComments,
  type BugzillaBug,
  type BugChange,
  generateBugzillaBugs,
  isOpenStatus,
  PRIORITIES,
} from './bugzilla.records.js';
import { BugzillaError, parseBugSearch, parseDateTime } from './bugzilla.search.js';
import { UpdateClock } from './clock.js';
import { type FaultKind, type FaultRule } from './faults.js';
import { commaList, header, json, type Reply, type SimRequest } from './http-util.js';
import { pickDistinct, Prng } from './prng.js';
import { type AnsweringFault, SimulatorServer, type SimulatorOptions } from './simulator-server.js';
import { QueryCache, SortedIndex } from './sorted-index.js';
import { formatUtcSeconds } from './time-zone.js';
import { DEFAULT_SEED, World, type Person } from './world.js';

export interface BugzillaSimulatorOptions extends SimulatorOptions {
  /** Number of bugs when no `world` is given (default 400). */
  bugs?: number;
  /** Cap on an explicit positive `limit` (default 500). */
  maxLimit?: number;
  /** `max_search_results`: what `limit=0` or no limit returns at most (default 10000). */
  maxSearchResults?: number;
  /** Valid API key (default sim-bugzilla-api-key). */
  apiKey?: string;
  world?: World;
}

/**
 * Partial change for `BugzillaSimulator.update`, in Bugzilla API field names. `assigned_to` is a
 * login (email). Closing (RESOLVED/VERIFIED/CLOSED) defaults the resolution to FIXED; reopening
 * clears it. Every change is recorded in the bug's history.
 */
export interface BugzillaBugPatch {
  summary?: string;
  status?: string;
  resolution?: string;
  severity?: string;
  priority?: string;
  assigned_to?: string;
  cf_customer?: string;
  whiteboard?: string;
  keywords?: string[];
  is_private?: boolean;
}

const DOCUMENTATION = 'https://bugzilla.readthedocs.org/en/5.0/api/';
const DEFAULT_FIELDS = [
  'id',
  'alias',
  'summary',
  'status',
  'resolution',
  'is_open',
  'severity',
  'priority',
  'product',
  'component',
  'classification',
  'version',
  'target_milestone',
  'platform',
  'op_sys',
  'assigned_to',
  'assigned_to_detail',
  'creator',
  'creator_detail',
  'qa_contact',
  'cc',
  'cc_detail',
  'creation_time',
  'last_change_time',
  'see_also',
  'depends_on',
  'blocks',
  'dupe_of',
  'keywords',
  'cf_customer',
  'url',
  'whiteboard',
  'groups',
  'flags',
  'deadline',
  'is_confirmed',
  'is_cc_accessible',
  'is_creator_accessible',
];
const ALL_FIELDS = [...DEFAULT_FIELDS, 'tags'];

const byLastChange = (a: BugzillaBug, b: BugzillaBug) =>
  a.lastChangeMs - b.lastChangeMs || a.id - b.id;

/** Bugzilla 5.0 REST API (`/rest/…`, also `/rest.cgi/…`). */
export class BugzillaSimulator extends SimulatorServer<BugzillaBugPatch> {
  readonly system = 'bugzilla';
  readonly apiKey: string;
  private readonly maxLimit: number;
  private readonly maxSearchResults: number;
  private readonly world: World;
  private readonly index: SortedIndex<BugzillaBug>;
  private readonly byId = new Map<number, BugzillaBug>();
  private readonly cache = new QueryCache<BugzillaBug>();
  private readonly clock: UpdateClock;
  private readonly people = new Map<string, Person>();
  private mutations = 0;

  private constructor(options: BugzillaSimulatorOptions) {
    super();
    const bugs = options.bugs ?? 400;
    this.world =
      options.world ??
      World.create({
        seed: options.seed ?? DEFAULT_SEED,
        bugzilla: bugs,
        glpi: bugs * 5,
        jira: bugs,
      });
    this.apiKey = options.apiKey ?? 'sim-bugzilla-api-key';
    this.maxLimit = options.maxLimit ?? 500;
    this.maxSearchResults = options.maxSearchResults ?? 10_000;
    const all = generateBugzillaBugs(this.world);
    for (const bug of all) this.byId.set(bug.id, bug);
    this.index = new SortedIndex(byLastChange, all);
    this.clock = new UpdateClock(1000, this.world.now);
    for (const p of [...this.world.engineers, ...this.world.accounts.flatMap((a) => a.contacts)]) {
      this.people.set(p.email, p);
      this.people.set(p.login, p);
    }
  }

  static async start(options: BugzillaSimulatorOptions = {}): Promise<BugzillaSimulator> {
    const sim = new BugzillaSimulator(options);
    await sim.listen(options);
    return sim;
  }

  get url(): string {
    return this.baseUrl;
  }

  get env(): Record<string, string> {
    return {
      BUGZILLA_URL: this.url,
      BUGZILLA_API_KEY: this.apiKey,
      BUGZILLA_QUERY: 'product=Support',
      BUGZILLA_ACCOUNT_FIELD: 'cf_customer',
    };
  }

  /** Live bugs ordered by (last_change_time, id), i.e. the order of an incremental sync. */
  get bugs(): readonly BugzillaBug[] {
    return this.index.view;
  }

  bug(key: string): BugzillaBug | undefined {
    return this.byId.get(Number(key));
  }

  update(key: string, patch: BugzillaBugPatch): void {
    const bug = this.require(key);
    this.touch([bug], (b, stamp) => this.applyPatch(b, patch, stamp));
  }

  mutate(count: number): string[] {
    const rng = Prng.derive(this.world.seed, 'bugzilla-mutate', this.mutations++);
    const picked = pickDistinct(rng, this.index.view, count);
    this.touch(picked, (bug, stamp) => {
      switch (rng.pick(['status', 'assignee', 'title', 'priority'] as const)) {
        case 'status':
          this.applyPatch(
            bug,
            { status: isOpenStatus(bug.status) ? 'RESOLVED' : 'REOPENED' },
            stamp,
          );
          break;
        case 'assignee':
          this.applyPatch(bug, { assigned_to: this.world.pickEngineer(rng).email }, stamp);
          break;
        case 'title':
          this.applyPatch(bug, { summary: this.world.title(rng, false) }, stamp);
          break;
        case 'priority':
          this.applyPatch(
            bug,
            { priority: rng.pick(PRIORITIES.filter((p) => p !== bug.priority)) },
            stamp,
          );
          break;
      }
    });
    return picked.map((b) => b.key);
  }

  remove(key: string): void {
    const bug = this.require(key);
    this.index.remove(bug);
    this.byId.delete(bug.id);
  }

  protected override faultApplies(kind: FaultKind, req: SimRequest): boolean {
    if (kind === 'expire-session') return false;
    if (kind === 'change-between-pages') return /^\/rest(\.cgi)?\/bug\/?$/.test(req.path);
    return true;
  }

  protected override faultReply(kind: AnsweringFault, _req: SimRequest, rule: FaultRule): Reply {
    switch (kind) {
      case 'status500':
        return this.error(new BugzillaError(-32000, 'An unknown error occurred (simulated).', 500));
      case 'rate-limit': {
        const reply = this.error(
          new BugzillaError(-32000, 'Too many requests, please slow down.', 429),
        );
        reply.headers = { 'Retry-After': String(rule.retryAfterSeconds ?? 1) };
        return reply;
      }
      case 'bad-credentials':
        return this.error(this.invalidKey());
    }
  }

  /** Adds the ETag Bugzilla sends on every answer and honours If-None-Match. */
  protected override finalize(req: SimRequest, reply: Reply): Reply {
    if (reply.status !== 200 || reply.body === undefined) return reply;
    const text = JSON.stringify(reply.body);
    const etag = `"${createHash('md5').update(text).digest('hex')}"`;
    const headers = { ...reply.headers, ETag: etag, 'Access-Control-Allow-Origin': '*' };
    if (header(req, 'If-None-Match') === etag) return { status: 304, headers };
    return { status: 200, raw: text, headers };
  }

  protected override handle(req: SimRequest, fault: FaultRule | undefined): Reply {
    try {
      return this.route(req, fault);
    } catch (error) {
      if (error instanceof BugzillaError) return this.error(error);
      throw error;
    }
  }

  private route(req: SimRequest, fault: FaultRule | undefined): Reply {
    const m = /^\/rest(?:\.cgi)?(\/.*)?$/.exec(req.path);
    const rest = (m?.[1] ?? '/').replace(/\/+$/, '') || '/';
    if (!m || req.method !== 'GET') throw this.noResource(req);
    const authenticated = this.authenticate(req);
    if (rest === '/version') return json(200, { version: '5.0.4' });
    if (rest === '/valid_login') {
      const person = this.people.get(req.query.get('login') ?? '');
      return json(200, { result: authenticated && person !== undefined });
    }
    if (rest === '/bug') return this.search(req, authenticated, fault);
    const bugPath = /^\/bug\/([^/]+)(\/comment|\/history)?$/.exec(rest);
    if (!bugPath) throw this.noResource(req);
    const bug = this.visibleBug(decodeURIComponent(bugPath[1]), authenticated);
    if (bugPath[2] === '/comment') return this.comments(bug, req, authenticated);
    if (bugPath[2] === '/history') return this.history(bug, req);
    return json(200, { bugs: [this.renderBug(bug, this.fieldSelection(req))], faults: [] });
  }

  /** Stock 5.0 reads only the `api_key` parameter; the X-BUGZILLA-API-KEY header is ignored. */
  private authenticate(req: SimRequest): boolean {
    const key = req.query.get('api_key') ?? req.query.get('Bugzilla_api_key') ?? '';
    if (key === '') return false;
    if (key !== this.apiKey) throw this.invalidKey();
    return true;
  }

  private search(req: SimRequest, authenticated: boolean, fault: FaultRule | undefined): Reply {
    const search = parseBugSearch(req.query, {
      maxLimit: this.maxLimit,
      maxSearchResults: this.maxSearchResults,
    });
    const signature = `${authenticated ? 'user' : 'anon'}|${search.signature}`;
    const matched = this.cache.get(signature, this.index.version, () => {
      const since = search.changedSince;
      const lo = since === undefined ? 0 : this.index.lowerBound((b) => b.lastChangeMs >= since);
      const hits = this.index
        .slice(lo)
        .filter((b) => (authenticated || !b.isPrivate) && search.test(b));
      return search.compare ? hits.sort(search.compare) : hits;
    });
    const page = matched.slice(search.offset, search.offset + search.limit);
    const fields = this.fieldSelection(req);
    if (fault?.kind === 'change-between-pages') {
      const served = search.offset + page.length;
      this.touch(matched.slice(0, Math.min(fault.count ?? 3, served)), () => undefined);
    }
    return json(200, { bugs: page.map((b) => this.renderBug(b, fields)) });
  }

  private fieldSelection(req: SimRequest): Set<string> {
    const include = req.query.getAll('include_fields').flatMap((v) => commaList(v));
    const exclude = req.query.getAll('exclude_fields').flatMap((v) => commaList(v));
    const fields = new Set<string>();
    for (const name of include.length > 0 ? include : ['_default']) {
      if (name === '_default') DEFAULT_FIELDS.forEach((f) => fields.add(f));
      else if (name === '_all') ALL_FIELDS.forEach((f) => fields.add(f));
      else if (ALL_FIELDS.includes(name)) fields.add(name);
    }
    for (const name of exclude) fields.delete(name);
    return fields;
  }

  private renderBug(bug: BugzillaBug, fields: Set<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of fields) out[name] = this.bugField(bug, name);
    return out;
  }

  private bugField(bug: BugzillaBug, name: string): unknown {
    const detail = (p: Person) => ({
      id: p.id,
      real_name: p.displayName,
      name: p.email,
      email: p.email,
    });
    switch (name) {
      case 'id':
        return bug.id;
      case 'alias':
        return [];
      case 'summary':
        return bug.summary;
      case 'status':
        return bug.status;
      case 'resolution':
        return bug.resolution;
      case 'is_open':
        return isOpenStatus(bug.status);
      case 'severity':
        return bug.severity;
      case 'priority':
        return bug.priority;
      case 'product':
        return bug.product;
      case 'component':
        return bug.component;
      case 'classification':
        return 'Unclassified';
      case 'version':
        return bug.version;
      case 'target_milestone':
        return '---';
      case 'platform':
        return 'All';
      case 'op_sys':
        return 'All';
      case 'assigned_to':
        return bug.assignedTo.email;
      case 'assigned_to_detail':
        return detail(bug.assignedTo);
      case 'creator':
        return bug.creator.email;
      case 'creator_detail':
        return detail(bug.creator);
      case 'qa_contact':
        return '';
      case 'cc':
        return [bug.creator.email];
      case 'cc_detail':
        return [detail(bug.creator)];
      case 'creation_time':
        return formatUtcSeconds(bug.creationMs);
      case 'last_change_time':
        return formatUtcSeconds(bug.lastChangeMs);
      case 'see_also':
        return bug.seeAlso.map((s) => (typeof s === 'string' ? s : this.links.url(s)));
      case 'depends_on':
        return [...bug.dependsOn];
      case 'blocks':
        return [...bug.blocks];
      case 'dupe_of':
        return bug.dupeOf;
      case 'keywords':
        return [...bug.keywords];
      case 'cf_customer':
        return bug.cfCustomer;
      case 'url':
        return bug.url;
      case 'whiteboard':
        return bug.whiteboard;
      case 'groups':
        return bug.isPrivate ? ['support-private'] : [];
      case 'flags':
        return [];
      case 'deadline':
        return null;
      case 'is_confirmed':
        return bug.status !== 'UNCONFIRMED';
      case 'is_cc_accessible':
      case 'is_creator_accessible':
        return true;
      case 'tags':
        return [];
      default:
        return null;
    }
  }

  private visibleBug(idOrAlias: string, authenticated: boolean): BugzillaBug {
    if (!/^\d+$/.test(idOrAlias)) {
      throw new BugzillaError(
        100,
        `'${idOrAlias}' is not a valid bug number nor an alias to a bug.`,
      );
    }
    const bug = this.byId.get(Number(idOrAlias));
    if (!bug) throw new BugzillaError(101, `Bug #${idOrAlias} does not exist.`, 404);
    if (bug.isPrivate && !authenticated) {
      throw new BugzillaError(102, `You are not authorized to access bug #${idOrAlias}.`, 401);
    }
    return bug;
  }

  private comments(bug: BugzillaBug, req: SimRequest, authenticated: boolean): Reply {
    const since = req.query.get('new_since');
    const after = since === null ? undefined : parseDateTime(since);
    const comments = bugComments(this.world, bug)
      .filter((c) => (authenticated || !c.isPrivate) && (after === undefined || c.timeMs > after))
      .map((c) => ({
        id: c.id,
        bug_id: bug.id,
        attachment_id: null,
        count: c.count,
        text: c.text,
        creator: c.creator,
        time: formatUtcSeconds(c.timeMs),
        creation_time: formatUtcSeconds(c.timeMs),
        is_private: c.isPrivate,
        tags: [],
      }));
    return json(200, { bugs: { [String(bug.id)]: { comments } }, comments: {} });
  }

  private history(bug: BugzillaBug, req: SimRequest): Reply {
    const since = req.query.get('new_since');
    const after = since === null ? undefined : parseDateTime(since);
    const history = bug.history
      .filter((h) => after === undefined || h.when > after)
      .map((h) => ({ when: formatUtcSeconds(h.when), who: h.who, changes: h.changes }));
    return json(200, { bugs: [{ id: bug.id, alias: [], history }] });
  }

  private touch(bugs: BugzillaBug[], change: (bug: BugzillaBug, stamp: number) => void): void {
    if (bugs.length === 0) return;
    const stamp = this.clock.next();
    for (const bug of bugs) {
      // Changes first (they never touch the sort key): a rejected patch leaves the index intact.
      change(bug, stamp);
      this.index.remove(bug);
      bug.lastChangeMs = stamp;
      this.index.insert(bug);
    }
  }

  private applyPatch(bug: BugzillaBug, patch: BugzillaBugPatch, stamp: number): void {
    const assignee =
      patch.assigned_to === undefined ? undefined : this.people.get(patch.assigned_to);
    if (patch.assigned_to !== undefined && !assignee) {
      throw new Error(`unknown Bugzilla user ${patch.assigned_to}`);
    }
    const status = patch.status ?? bug.status;
    const resolution = isOpenStatus(status)
      ? ''
      : (patch.resolution ?? (bug.resolution || 'FIXED'));
    const next = {
      summary: patch.summary ?? bug.summary,
      severity: patch.severity ?? bug.severity,
      priority: patch.priority ?? bug.priority,
      whiteboard: patch.whiteboard ?? bug.whiteboard,
      cf_customer: patch.cf_customer ?? bug.cfCustomer,
      keywords: (patch.keywords ?? bug.keywords).join(', '),
      assigned_to: (assignee ?? bug.assignedTo).email,
      status,
      resolution,
    };
    const before = {
      summary: bug.summary,
      severity: bug.severity,
      priority: bug.priority,
      whiteboard: bug.whiteboard,
      cf_customer: bug.cfCustomer,
      keywords: bug.keywords.join(', '),
      assigned_to: bug.assignedTo.email,
      status: bug.status,
      resolution: bug.resolution,
    };
    const changes: BugChange[] = (Object.keys(next) as (keyof typeof next)[])
      .filter((field) => next[field] !== before[field])
      .map((field) => ({ field_name: field, removed: before[field], added: next[field] }));
    bug.summary = next.summary;
    bug.severity = next.severity;
    bug.priority = next.priority;
    bug.whiteboard = next.whiteboard;
    bug.cfCustomer = next.cf_customer;
    bug.keywords = [...(patch.keywords ?? bug.keywords)];
    bug.assignedTo = assignee ?? bug.assignedTo;
    bug.status = status;
    bug.resolution = resolution;
    if (patch.is_private !== undefined) bug.isPrivate = patch.is_private;
    if (changes.length > 0) {
      bug.history.push({ when: stamp, who: 'caseboard-sim@example.test', changes });
    }
  }

  private require(key: string): BugzillaBug {
    const bug = this.byId.get(Number(key));
    if (!bug) throw new Error(`Bugzilla bug ${key} does not exist`);
    return bug;
  }

  private invalidKey(): BugzillaError {
    return new BugzillaError(
      306,
      'The API key you specified is invalid. Please check that you typed it correctly.',
    );
  }

  private noResource(req: SimRequest): BugzillaError {
    return new BugzillaError(
      32614,
      `A REST API resource was not found for '${req.method} ${req.path}'.`,
      404,
    );
  }

  private error(e: BugzillaError): Reply {
    return json(e.status, {
      error: true,
      code: e.code,
      message: e.message,
      documentation: DOCUMENTATION,
    });
  }
}
