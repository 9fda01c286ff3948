import { UpdateClock } from './clock.js';
import { type FaultKind, type FaultRule } from './faults.js';
import { header, json, type Reply, type SimRequest } from './http-util.js';
import { JiraAgile } from './jira.agile.js';
import { fieldList, serverInfo } from './jira.metadata.js';
import { compareUpdatedKey, compileJql } from './jira.query.js';
import {
  generateJiraIssues,
  JIRA_PRIORITIES,
  JIRA_STATUSES,
  jiraComments,
  type JiraIssue,
} from './jira.records.js';
import {
  renderComment,
  renderIssue,
  renderRemoteLinks,
  renderUser,
  resolveFields,
  type RenderContext,
} from './jira.render.js';
import {
  decodePageToken,
  encodePageToken,
  fieldsParam,
  JiraError,
  numberParam,
  parseClassicSearch,
  parseEnhancedSearch,
  type SearchRequest,
} from './jira.requests.js';
import { JqlError, parseJql } from './jql.js';
import { pickDistinct, Prng } from './prng.js';
import { type AnsweringFault, SimulatorServer, type SimulatorOptions } from './simulator-server.js';
import { QueryCache, SortedIndex } from './sorted-index.js';
import { TimeZone } from './time-zone.js';
import { DEFAULT_SEED, World, type Person } from './world.js';

export type JiraFlavor = 'cloud' | 'datacenter';

export interface JiraSimulatorOptions extends SimulatorOptions {
  /** Number of issues when no `world` is given (default 400). */
  issues?: number;
  flavor: JiraFlavor;
  /** The service user's profile zone: JQL date literals are read and timestamps rendered in it. */
  userTimeZone?: string;
  /**
   * Largest page served. Default: 50 on Data Center (echoed as the capped `maxResults`); on Cloud
   * 100 when fields beyond id/key are requested, else 5000.
   */
  maxResultsCap?: number;
  /** Cloud credentials (default caseboard-bot@example.test / sim-jira-api-token). */
  email?: string;
  apiToken?: string;
  /** Data Center personal access token (default sim-jira-pat). */
  pat?: string;
  /** Custom field holding the customer account (default customfield_10050). */
  accountField?: string;
  world?: World;
}

/**
 * Partial change for `JiraSimulator.update`: `status`/`priority` by name (e.g. 'Done', 'High'),
 * `assignee` by login (null to unassign). Moving into a done-category status sets resolutiondate,
 * leaving it clears it.
 */
export interface JiraIssuePatch {
  summary?: string;
  status?: string;
  priority?: string;
  assignee?: string | null;
  labels?: string[];
  components?: string[];
  account?: string | null;
  duedate?: string | null;
}

const NOT_AUTHENTICATED =
  'You are not authenticated. Authentication required to perform this operation.';
const ISSUE_MISSING = 'Issue does not exist or you do not have permission to see it.';
const SEARCH_REMOVED =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const DEFAULT_JQL = 'project in (SUP, OPS)';

type Caller = 'user' | 'anonymous' | 'invalid';

/** JIRA REST API, Cloud (v2/v3, enhanced search) or Data Center (v2, classic search) flavour. */
export class JiraSimulator extends SimulatorServer<JiraIssuePatch> {
  readonly system = 'jira';
  readonly flavor: JiraFlavor;
  readonly userTimeZone: TimeZone;
  readonly email: string;
  readonly apiToken: string;
  readonly pat: string;
  readonly accountField: string;
  private readonly maxResultsCap: number | undefined;
  private readonly world: World;
  private readonly index: SortedIndex<JiraIssue>;
  private readonly byKey = new Map<string, JiraIssue>();
  private readonly byId = new Map<number, JiraIssue>();
  private readonly cache = new QueryCache<JiraIssue>();
  private readonly clock: UpdateClock;
  private readonly people = new Map<string, Person>();
  private readonly serviceUser: Person;
  private mutations = 0;
  /** JIRA Software: boards, sprints and the changelogs of a hand-made board (jira.agile.ts). */
  readonly agile: JiraAgile;

  private constructor(options: JiraSimulatorOptions) {
    super();
    const issues = options.issues ?? 400;
    this.world =
      options.world ??
      World.create({
        seed: options.seed ?? DEFAULT_SEED,
        jira: issues,
        glpi: issues * 5,
        bugzilla: issues,
      });
    this.flavor = options.flavor;
    this.userTimeZone = new TimeZone(options.userTimeZone ?? 'UTC');
    this.email = options.email ?? 'caseboard-bot@example.test';
    this.apiToken = options.apiToken ?? 'sim-jira-api-token';
    this.pat = options.pat ?? 'sim-jira-pat';
    this.accountField = options.accountField ?? 'customfield_10050';
    this.maxResultsCap = options.maxResultsCap;
    this.agile = new JiraAgile(options.flavor, () => this.url);
    const all = generateJiraIssues(this.world);
    for (const issue of all) {
      this.byKey.set(issue.key, issue);
      this.byId.set(issue.id, issue);
    }
    this.index = new SortedIndex(compareUpdatedKey, all);
    this.clock = new UpdateClock(1, this.world.now);
    for (const p of [...this.world.engineers, ...this.world.accounts.flatMap((a) => a.contacts)]) {
      this.people.set(p.login, p);
    }
    this.serviceUser = {
      id: 1,
      login: 'caseboard-bot',
      displayName: 'Caseboard Bot',
      email: this.email,
      accountId: '712020:caseboard-bot',
      jiraKey: 'JIRAUSER10000',
    };
  }

  static async start(options: JiraSimulatorOptions): Promise<JiraSimulator> {
    const sim = new JiraSimulator(options);
    await sim.listen(options);
    return sim;
  }

  get url(): string {
    return this.baseUrl;
  }

  get env(): Record<string, string> {
    const common = {
      JIRA_URL: this.url,
      JIRA_FLAVOR: this.flavor,
      JIRA_JQL: DEFAULT_JQL,
      JIRA_ACCOUNT_FIELD: this.accountField,
    };
    return this.flavor === 'cloud'
      ? { ...common, JIRA_EMAIL: this.email, JIRA_API_TOKEN: this.apiToken }
      : { ...common, JIRA_PAT: this.pat };
  }

  /** Live issues ordered by (updated, key), i.e. the order of an incremental sync. */
  get issues(): readonly JiraIssue[] {
    return this.index.view;
  }

  issue(keyOrId: string): JiraIssue | undefined {
    return (
      this.byKey.get(keyOrId.toUpperCase()) ??
      (/^\d+$/.test(keyOrId) ? this.byId.get(Number(keyOrId)) : undefined)
    );
  }

  update(key: string, patch: JiraIssuePatch): void {
    const issue = this.require(key);
    this.touch([issue], (i, stamp) => this.applyPatch(i, patch, stamp));
  }

  mutate(count: number): string[] {
    const rng = Prng.derive(this.world.seed, 'jira-mutate', this.mutations++);
    const picked = pickDistinct(rng, this.index.view, count);
    this.touch(picked, (issue, stamp) => {
      switch (rng.pick(['status', 'assignee', 'title', 'priority'] as const)) {
        case 'status': {
          const next =
            issue.status.category === 'done'
              ? 'In Progress'
              : rng.pick(['In Progress', 'Done', 'Resolved']);
          this.applyPatch(issue, { status: next === issue.status.name ? 'Done' : next }, stamp);
          break;
        }
        case 'assignee':
          issue.assignee = this.world.pickEngineer(rng);
          break;
        case 'title':
          issue.summary = this.world.title(rng, issue.issuetype.name === 'Service Request');
          break;
        case 'priority':
          issue.priority = rng.pick(
            JIRA_PRIORITIES.slice(0, 5).filter((p) => p !== issue.priority),
          );
          break;
      }
    });
    return picked.map((i) => i.key);
  }

  remove(key: string): void {
    const issue = this.require(key);
    this.index.remove(issue);
    this.byKey.delete(issue.key);
    this.byId.delete(issue.id);
  }

  protected override faultApplies(kind: FaultKind, req: SimRequest): boolean {
    if (kind === 'expire-session') return false;
    if (kind === 'change-between-pages') {
      return /\/rest\/api\/(2|3|latest)\/search(\/jql)?\/?$/.test(req.path);
    }
    return true;
  }

  protected override faultReply(kind: AnsweringFault, _req: SimRequest, rule: FaultRule): Reply {
    switch (kind) {
      case 'status500':
        return this.errorReply(new JiraError(500, ['Internal server error']));
      case 'rate-limit': {
        const reply = this.errorReply(new JiraError(429, ['Rate limit exceeded.']));
        const retryAfter = String(rule.retryAfterSeconds ?? 1);
        reply.headers =
          this.flavor === 'cloud'
            ? {
                'Retry-After': retryAfter,
                'X-RateLimit-Limit': '100',
                'X-RateLimit-Remaining': '0',
                'RateLimit-Reason': 'jira-burst-based',
              }
            : {
                'Retry-After': retryAfter,
                'X-RateLimit-Limit': '100',
                'X-RateLimit-Remaining': '0',
                'X-RateLimit-Interval-Seconds': '1',
                'X-RateLimit-FillRate': '10',
              };
        return reply;
      }
      case 'bad-credentials':
        return this.unauthorized();
    }
  }

  protected override handle(req: SimRequest, fault: FaultRule | undefined): Reply {
    try {
      return this.route(req, fault);
    } catch (error) {
      if (error instanceof JiraError) return this.errorReply(error);
      if (error instanceof JqlError) {
        return this.errorReply(new JiraError(400, [error.jiraMessage]));
      }
      throw error;
    }
  }

  private route(req: SimRequest, fault: FaultRule | undefined): Reply {
    const agile = /^\/rest\/agile\/1\.0(\/.*)?$/.exec(req.path);
    if (agile) {
      if (this.authenticate(req) !== 'user') return this.unauthorized();
      return this.agile.route(req, agile[1] ?? '/', this.flavor === 'cloud' ? '3' : '2');
    }
    const m = /^\/rest\/api\/(2|3|latest)(\/.*)?$/.exec(req.path);
    if (!m || (this.flavor === 'datacenter' && m[1] === '3')) return this.notFound(req);
    const rest = (m[2] ?? '/').replace(/\/+$/, '') || '/';
    const caller = this.authenticate(req);
    if (caller === 'invalid') return this.unauthorized();
    const anonymous = caller === 'anonymous';
    const ctx = this.renderContext(m[1] === '3' ? '3' : '2');
    const cloud = this.flavor === 'cloud';
    const route = `${req.method} ${rest}`;
    switch (route) {
      case 'GET /serverInfo':
        return json(200, serverInfo(this.flavor, this.url));
      case 'GET /field':
        return json(200, fieldList(this.accountField));
      case 'GET /myself':
        if (anonymous) throw new JiraError(401, [NOT_AUTHENTICATED]);
        return json(200, {
          ...renderUser(this.serviceUser, ctx),
          emailAddress: this.email,
          timeZone: this.userTimeZone.name,
          locale: 'en_US',
        });
    }
    const sprintSearch = this.sprintSearch(route, req, anonymous, ctx.apiVersion);
    if (sprintSearch) return sprintSearch;
    if (cloud && (route === 'GET /search/jql' || route === 'POST /search/jql')) {
      return this.enhancedSearch(parseEnhancedSearch(req), anonymous, ctx, fault);
    }
    if (cloud && route === 'POST /search/approximate-count') {
      return json(200, {
        count: this.execute(parseEnhancedSearch(req).jql, anonymous, true).length,
      });
    }
    if (cloud && rest === '/search') throw new JiraError(410, [SEARCH_REMOVED]);
    if (!cloud && (route === 'GET /search' || route === 'POST /search')) {
      return this.classicSearch(parseClassicSearch(req), anonymous, ctx, fault);
    }
    const agileIssue = /^\/issue\/([^/]+)(\/changelog)?$/.exec(rest);
    const fixture = agileIssue && !anonymous && this.agile.issue(safeDecode(agileIssue[1]));
    if (agileIssue && fixture && req.method === 'GET') {
      return this.agile.issueReply(fixture, req, agileIssue[2], ctx.apiVersion);
    }
    const issuePath = /^\/issue\/([^/]+)(\/remotelink|\/comment)?$/.exec(rest);
    if (issuePath && req.method === 'GET') {
      const issue = anonymous ? undefined : this.issue(safeDecode(issuePath[1]));
      if (!issue) throw new JiraError(404, [ISSUE_MISSING]);
      if (issuePath[2] === '/remotelink') return json(200, renderRemoteLinks(issue, ctx));
      if (issuePath[2] === '/comment') return this.comments(issue, req, ctx);
      return json(200, renderIssue(issue, this.selection(fieldsParam(req), ['*all']), ctx));
    }
    const known = [
      '/search',
      '/myself',
      '/field',
      '/serverInfo',
      ...(cloud ? ['/search/jql'] : []),
    ];
    if (issuePath || known.includes(rest)) throw new JiraError(405, ['Method Not Allowed']);
    return this.notFound(req);
  }

  /** `sprint = N` searches are answered from the agile board (the generated world has no sprints). */
  private sprintSearch(
    route: string,
    req: SimRequest,
    anonymous: boolean,
    apiVersion: '2' | '3',
  ): Reply | undefined {
    const cloud = this.flavor === 'cloud';
    const search =
      cloud && (route === 'GET /search/jql' || route === 'POST /search/jql')
        ? parseEnhancedSearch(req)
        : !cloud && (route === 'GET /search' || route === 'POST /search')
          ? parseClassicSearch(req)
          : undefined;
    const sprint = search && this.agile.sprintOfJql(search.jql);
    if (!search || sprint === undefined) return undefined;
    if (anonymous)
      throw new JiraError(400, [
        "Field 'sprint' does not exist or you do not have permission to view it.",
      ]);
    return this.agile.search(sprint, search, apiVersion);
  }

  private authenticate(req: SimRequest): Caller {
    const authorization = header(req, 'Authorization');
    if (!authorization) return 'anonymous';
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    if (this.flavor === 'cloud' && scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded === `${this.email}:${this.apiToken}` ? 'user' : 'invalid';
    }
    if (this.flavor === 'datacenter' && scheme.toLowerCase() === 'bearer') {
      return value === this.pat ? 'user' : 'invalid';
    }
    return 'invalid';
  }

  /** Cloud `search/jql`: token paging, no total, `id` only unless fields are asked for. */
  private enhancedSearch(
    search: SearchRequest,
    anonymous: boolean,
    ctx: RenderContext,
    fault: FaultRule | undefined,
  ): Reply {
    const matched = this.execute(search.jql, anonymous, true);
    const offset =
      search.nextPageToken === undefined ? 0 : decodePageToken(search.nextPageToken, search.jql);
    const selection = this.selection(search.fields, ['id']);
    const cap = this.maxResultsCap ?? (selection.fields.size > 0 ? 100 : 5000);
    const size = Math.min(search.maxResults ?? 50, cap);
    const page = matched.slice(offset, offset + size);
    const end = offset + page.length;
    const isLast = end >= matched.length;
    const body: Record<string, unknown> = {
      issues: page.map((i) => renderIssue(i, selection, ctx)),
    };
    if (!isLast) body.nextPageToken = encodePageToken(end, search.jql);
    body.isLast = isLast;
    this.applyPagingFault(fault, matched, end);
    return json(200, body);
  }

  /** Data Center `search`: startAt/maxResults/total, maxResults silently capped and echoed. */
  /** Data Center `search`: startAt/maxResults/total, maxResults silently capped and echoed. */
  private classicSearch(
    search: SearchRequest,
    anonymous: boolean,
    ctx: RenderContext,
    fault: FaultRule | undefined,
  ): Reply {
    const matched = this.execute(search.jql, anonymous, false);
    const start = Math.max(0, search.startAt ?? 0);
    const capped = Math.max(0, Math.min(search.maxResults ?? 50, this.maxResultsCap ?? 50));
    const page = matched.slice(start, start + capped);
    const selection = this.selection(search.fields, ['*navigable']);
    this.applyPagingFault(fault, matched, start + page.length);
    return json(200, {
      expand: 'schema,names',
      startAt: start,
      maxResults: capped,
      total: matched.length,
      issues: page.map((i) => renderIssue(i, selection, ctx)),
    });
  }

  private execute(jql: string, anonymous: boolean, requireBounded: boolean): readonly JiraIssue[] {
    const query = parseJql(jql);
    if (requireBounded && query.where === null) {
      throw new JiraError(400, [
        'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
      ]);
    }
    const now = Date.now();
    // Relative dates (-15m, now()) move with the clock, so results are cached per minute at most.
    const signature = `${anonymous ? 'anon' : 'user'}|${Math.floor(now / 60_000)}|${jql}`;
    const compiled = compileJql(query, {
      tz: this.userTimeZone,
      now,
      anonymous,
      flavor: this.flavor,
      accountField: this.accountField,
      issue: (k) => this.issue(k),
    });
    return this.cache.get(signature, this.index.version, () => {
      const { lower, upper } = compiled;
      const lo = lower
        ? this.index.lowerBound((i) =>
            lower.inclusive ? i.updatedMs >= lower.at : i.updatedMs > lower.at,
          )
        : 0;
      const hi = upper
        ? this.index.lowerBound((i) =>
            upper.inclusive ? i.updatedMs > upper.at : i.updatedMs >= upper.at,
          )
        : this.index.size;
      const hits = lo < hi ? this.index.slice(lo, hi).filter(compiled.test) : [];
      return compiled.compare ? hits.sort(compiled.compare) : hits;
    });
  }

  private selection(requested: readonly string[] | undefined, fallback: readonly string[]) {
    return resolveFields(requested, fallback, this.accountField);
  }

  private comments(issue: JiraIssue, req: SimRequest, ctx: RenderContext): Reply {
    const all = jiraComments(this.world, issue);
    const startAt = Math.max(0, numberParam(req.query.get('startAt')) || 0);
    const maxResults = Math.min(
      Math.max(1, numberParam(req.query.get('maxResults')) || 5000),
      5000,
    );
    const page = all.slice(startAt, startAt + maxResults);
    return json(200, {
      startAt,
      maxResults,
      total: all.length,
      comments: page.map((c) => renderComment(c, issue, ctx)),
    });
  }

  private renderContext(apiVersion: '2' | '3'): RenderContext {
    return {
      base: this.url,
      apiVersion,
      flavor: this.flavor,
      tz: this.userTimeZone,
      accountField: this.accountField,
      links: this.links,
      issue: (k) => this.byKey.get(k),
    };
  }

  private applyPagingFault(
    fault: FaultRule | undefined,
    listing: readonly JiraIssue[],
    served: number,
  ): void {
    if (fault?.kind !== 'change-between-pages' || served === 0) return;
    this.touch(listing.slice(0, Math.min(fault.count ?? 3, served)), () => undefined);
  }

  private touch(issues: JiraIssue[], change: (issue: JiraIssue, stamp: number) => void): void {
    if (issues.length === 0) return;
    const stamp = this.clock.next();
    for (const issue of issues) {
      // Changes first (they never touch the sort key): a rejected patch leaves the index intact.
      change(issue, stamp);
      this.index.remove(issue);
      issue.updatedMs = stamp;
      this.index.insert(issue);
    }
  }

  private applyPatch(issue: JiraIssue, patch: JiraIssuePatch, stamp: number): void {
    const find = <T extends { name: string }>(
      list: readonly T[],
      name: string,
      what: string,
    ): T => {
      const found = list.find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (!found) throw new Error(`unknown JIRA ${what} ${name}`);
      return found;
    };
    const priority =
      patch.priority === undefined ? undefined : find(JIRA_PRIORITIES, patch.priority, 'priority');
    const status =
      patch.status === undefined ? undefined : find(JIRA_STATUSES, patch.status, 'status');
    const assignee =
      patch.assignee === undefined || patch.assignee === null
        ? patch.assignee
        : this.people.get(patch.assignee);
    if (assignee === undefined && patch.assignee !== undefined) {
      throw new Error(`unknown JIRA user ${String(patch.assignee)}`);
    }
    if (patch.summary !== undefined) issue.summary = patch.summary;
    if (patch.labels !== undefined) issue.labels = [...patch.labels];
    if (patch.components !== undefined) issue.components = [...patch.components];
    if (patch.account !== undefined) issue.account = patch.account;
    if (patch.duedate !== undefined) issue.duedate = patch.duedate;
    if (priority) issue.priority = priority;
    if (assignee !== undefined) issue.assignee = assignee;
    if (status) {
      const wasDone = issue.status.category === 'done';
      issue.status = status;
      if (status.category === 'done' && !wasDone) issue.resolvedMs = stamp;
      if (status.category !== 'done') issue.resolvedMs = null;
    }
  }

  private require(key: string): JiraIssue {
    const issue = this.issue(key);
    if (!issue) throw new Error(`JIRA issue ${key} does not exist`);
    return issue;
  }

  private errorReply(error: JiraError): Reply {
    return json(
      error.status,
      error.withErrors
        ? { errorMessages: error.messages, errors: {} }
        : { errorMessages: error.messages },
    );
  }

  private unauthorized(): Reply {
    const reply = this.errorReply(new JiraError(401, [NOT_AUTHENTICATED]));
    reply.headers = {
      'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED',
      'WWW-Authenticate': 'OAuth realm="https%3A%2F%2Fjira"',
    };
    return reply;
  }

  private notFound(req: SimRequest): Reply {
    return json(404, { message: `null for uri: ${this.url}${req.path}`, 'status-code': 404 });
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
