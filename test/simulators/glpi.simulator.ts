import { UpdateClock } from './clock.js';
import { type FaultKind, type FaultRule } from './faults.js';
import {
  applyGlpiPatch,
  generateGlpiTickets,
  glpiFollowups,
  nextGlpiStatus,
  type GlpiTicket,
  type GlpiTicketPatch,
} from './glpi.records.js';
import { GlpiRenderer } from './glpi.render.js';
import { listSearchOptions } from './glpi.search-options.js';
import {
  compileCriteria,
  GlpiError,
  parseRange,
  parseSearchRequest,
  sortTickets,
  type GlpiSearchRequest,
} from './glpi.search.js';
import { GlpiSessions } from './glpi.sessions.js';
import { header, json, type Reply, type SimRequest } from './http-util.js';
import { pickDistinct, Prng } from './prng.js';
import { type AnsweringFault, SimulatorServer, type SimulatorOptions } from './simulator-server.js';
import { QueryCache, SortedIndex } from './sorted-index.js';
import { TimeZone } from './time-zone.js';
import { DEFAULT_SEED, World } from './world.js';

export { type GlpiTicketPatch } from './glpi.records.js';

export interface GlpiSimulatorOptions extends SimulatorOptions {
  /** Number of tickets when no `world` is given (default 2000). */
  tickets?: number;
  /** IANA zone GLPI renders and parses naive datetimes in (default 'Europe/Paris'). */
  timezone?: string;
  /** Required App-Token; '' disables the check (default 'sim-glpi-app-token'). */
  appToken?: string;
  /** Accepted personal user token (default 'sim-glpi-user-token'). */
  userToken?: string;
  /** Idle lifetime of API sessions in seconds (default 1440, PHP's gc_maxlifetime). */
  sessionIdleSeconds?: number;
  /** Shared dataset; its GLPI count wins over `tickets`. */
  world?: World;
}

type Route =
  | 'initSession'
  | 'killSession'
  | 'getFullSession'
  | 'listSearchOptions'
  | 'search'
  | 'ticketList'
  | 'ticket'
  | 'followups';

const API_PREFIX = '/apirest.php';
const ACCEPT_RANGE = 'Ticket 1000';

const byDateMod = (a: GlpiTicket, b: GlpiTicket) => a.dateMod - b.dateMod || a.id - b.id;

/** GLPI 10 legacy REST API (`apirest.php`) over a deterministic ticket set. */
export class GlpiSimulator extends SimulatorServer<GlpiTicketPatch> {
  readonly system = 'glpi';
  readonly timezone: TimeZone;
  readonly appToken: string;
  readonly userToken: string;
  private readonly world: World;
  private readonly index: SortedIndex<GlpiTicket>;
  private readonly byId = new Map<number, GlpiTicket>();
  private readonly cache = new QueryCache<GlpiTicket>();
  private readonly sessions: GlpiSessions;
  private readonly renderer: GlpiRenderer;
  private readonly clock: UpdateClock;
  private readonly userIds = new Map<string, number>();
  private mutations = 0;

  private constructor(options: GlpiSimulatorOptions) {
    super();
    const tickets = options.tickets ?? 2000;
    this.world =
      options.world ??
      World.create({
        seed: options.seed ?? DEFAULT_SEED,
        glpi: tickets,
        jira: Math.ceil(tickets / 5),
        bugzilla: Math.ceil(tickets / 5),
      });
    this.timezone = new TimeZone(options.timezone ?? 'Europe/Paris');
    this.appToken = options.appToken ?? 'sim-glpi-app-token';
    this.userToken = options.userToken ?? 'sim-glpi-user-token';
    this.sessions = new GlpiSessions((options.sessionIdleSeconds ?? 1440) * 1000);
    this.renderer = new GlpiRenderer(this.timezone, this.links, () => this.url);
    const all = generateGlpiTickets(this.world);
    for (const t of all) this.byId.set(t.id, t);
    this.index = new SortedIndex(byDateMod, all);
    this.clock = new UpdateClock(1000, this.world.now);
    for (const p of [...this.world.engineers, ...this.world.accounts.flatMap((a) => a.contacts)]) {
      this.userIds.set(p.login, p.id);
    }
  }

  static async start(options: GlpiSimulatorOptions = {}): Promise<GlpiSimulator> {
    const sim = new GlpiSimulator(options);
    await sim.listen(options);
    return sim;
  }

  get url(): string {
    return `${this.baseUrl}${API_PREFIX}`;
  }

  get env(): Record<string, string> {
    return {
      GLPI_URL: this.url,
      GLPI_APP_TOKEN: this.appToken,
      GLPI_USER_TOKEN: this.userToken,
      GLPI_TIMEZONE: this.timezone.name,
    };
  }

  /** Live tickets ordered by (date_mod, id), i.e. the order of an incremental sync. */
  get tickets(): readonly GlpiTicket[] {
    return this.index.view;
  }

  ticket(key: string): GlpiTicket | undefined {
    return this.byId.get(Number(key));
  }

  update(key: string, patch: GlpiTicketPatch): void {
    this.touch([this.require(key)], (t, stamp) => applyGlpiPatch(t, patch, stamp));
  }

  mutate(count: number): string[] {
    const rng = Prng.derive(this.world.seed, 'glpi-mutate', this.mutations++);
    const picked = pickDistinct(rng, this.index.view, count);
    this.touch(picked, (t, stamp) => {
      switch (rng.pick(['status', 'assignee', 'title', 'priority'] as const)) {
        case 'status':
          applyGlpiPatch(t, { status: nextGlpiStatus(t.status, rng) }, stamp);
          break;
        case 'assignee':
          t.technicians = [this.world.pickEngineer(rng).login];
          break;
        case 'title':
          t.name = this.world.title(rng, t.type === 2);
          break;
        case 'priority':
          t.priority = 1 + ((t.priority + rng.int(0, 3)) % 5);
          break;
      }
    });
    return picked.map((t) => t.key);
  }

  remove(key: string): void {
    const t = this.require(key);
    this.index.remove(t);
    this.byId.delete(t.id);
  }

  /** Invalidates every session token (what PHP session GC or a server restart does). */
  override expireSessions(): void {
    this.sessions.expireAll();
  }

  protected override faultApplies(kind: FaultKind, req: SimRequest): boolean {
    if (kind !== 'change-between-pages') return true;
    const route = this.route(req);
    return req.method === 'GET' && (route === 'search' || route === 'ticketList');
  }

  protected override faultReply(kind: AnsweringFault, req: SimRequest, rule: FaultRule): Reply {
    switch (kind) {
      case 'status500':
        return this.error(new GlpiError(500, 'ERROR_SQL', 'Unexpected SQL Error : simulated'));
      case 'rate-limit': {
        const reply = this.error(new GlpiError(429, 'ERROR', 'Too Many Requests'));
        reply.headers = { 'Retry-After': String(rule.retryAfterSeconds ?? 1) };
        return reply;
      }
      case 'bad-credentials':
        return this.error(
          this.route(req) === 'initSession'
            ? this.apiError(
                401,
                'ERROR_GLPI_LOGIN_USER_TOKEN',
                'parameter user_token seems invalid',
              )
            : sessionInvalid(),
        );
    }
  }

  protected override handle(req: SimRequest, fault: FaultRule | undefined): Reply {
    try {
      return this.handleApi(req, fault);
    } catch (error) {
      if (error instanceof GlpiError) return this.error(error);
      throw error;
    }
  }

  private handleApi(req: SimRequest, fault: FaultRule | undefined): Reply {
    if (!req.path.startsWith(`${API_PREFIX}/`) && req.path !== API_PREFIX) {
      return { status: 404, raw: 'Not Found', headers: { 'Content-Type': 'text/plain' } };
    }
    if (req.method === 'GET' && req.body.trim() !== '') {
      throw this.apiError(
        400,
        'ERROR_JSON_PAYLOAD_FORBIDDEN',
        'GET Request should not have json payload (http body)',
      );
    }
    this.checkAppToken(req);
    const route = this.route(req);
    if (route === 'initSession') return this.initSession(req);
    if (route === null) {
      throw this.apiError(
        400,
        'ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM',
        'resource not found or not an instance of CommonDBTM',
      );
    }
    if (req.method !== 'GET') {
      throw this.apiError(405, 'ERROR_METHOD_NOT_ALLOWED', 'Method Not Allowed');
    }
    const token = this.checkSession(req);
    const raw = header(req, 'X-GLPI-Sanitized-Content')?.toLowerCase() === 'false';
    const id = Number(this.segments(req)[1]);
    switch (route) {
      case 'killSession':
        this.sessions.kill(token);
        return json(200, true);
      case 'getFullSession':
        return json(200, { session: this.sessionInfo() });
      case 'listSearchOptions':
        return json(200, listSearchOptions());
      case 'search':
        return this.search(parseSearchRequest(req.query), fault, raw);
      case 'ticketList':
        return this.ticketList(req, fault, raw);
      case 'ticket':
        return this.ticketItem(this.found(id), req, raw);
      case 'followups':
        return this.followups(this.found(id), req, raw);
    }
  }

  private segments(req: SimRequest): string[] {
    return req.path
      .slice(API_PREFIX.length)
      .split('/')
      .filter((s) => s !== '')
      .map((s) => safeDecode(s));
  }

  private route(req: SimRequest): Route | null {
    const parts = this.segments(req);
    const [first, second, third] = parts;
    if (parts.length === 1 && first === 'initSession') return 'initSession';
    if (parts.length === 1 && first === 'killSession') return 'killSession';
    if (parts.length === 1 && first === 'getFullSession') return 'getFullSession';
    if (parts.length === 2 && first === 'listSearchOptions' && second === 'Ticket') {
      return 'listSearchOptions';
    }
    if (parts.length === 2 && first === 'search' && second === 'Ticket') return 'search';
    if (first !== 'Ticket') return null;
    if (parts.length === 1) return 'ticketList';
    if (!/^\d+$/.test(second)) return null;
    if (parts.length === 2) return 'ticket';
    if (parts.length === 3 && third === 'ITILFollowup') return 'followups';
    return null;
  }

  private checkAppToken(req: SimRequest): void {
    if (this.appToken === '') return;
    const given = header(req, 'App-Token') ?? req.query.get('app_token') ?? '';
    if (given === '') {
      throw this.apiError(400, 'ERROR_APP_TOKEN_PARAMETERS_MISSING', 'missing parameter app_token');
    }
    if (given !== this.appToken) {
      throw this.apiError(
        400,
        'ERROR_WRONG_APP_TOKEN_PARAMETER',
        'parameter app_token seems wrong',
      );
    }
  }

  private initSession(req: SimRequest): Reply {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw this.apiError(405, 'ERROR_METHOD_NOT_ALLOWED', 'Method Not Allowed');
    }
    const [scheme = '', value = ''] = (header(req, 'Authorization') ?? '').trim().split(/\s+/, 2);
    // Like GLPI: the header is split on a space and its second word is the token.
    const userToken =
      scheme.toLowerCase() === 'user_token' ? value : (req.query.get('user_token') ?? '');
    if (userToken === '' && scheme.toLowerCase() === 'basic') {
      throw this.apiError(
        400,
        'ERROR_LOGIN_WITH_CREDENTIALS_DISABLED',
        'login with credentials is disabled',
      );
    }
    if (userToken === '') {
      throw this.apiError(
        400,
        'ERROR_LOGIN_PARAMETERS_MISSING',
        'parameter(s) login, password or user_token are missing',
      );
    }
    if (userToken !== this.userToken) {
      throw this.apiError(401, 'ERROR_GLPI_LOGIN_USER_TOKEN', 'parameter user_token seems invalid');
    }
    const body: Record<string, unknown> = { session_token: this.sessions.open() };
    if (req.query.get('get_full_session') === 'true') body.session = this.sessionInfo();
    return json(200, body);
  }

  private checkSession(req: SimRequest): string {
    const token = header(req, 'Session-Token') ?? req.query.get('session_token') ?? '';
    if (token === '') {
      throw this.apiError(
        400,
        'ERROR_SESSION_TOKEN_MISSING',
        'parameter session_token is missing or empty',
      );
    }
    if (!this.sessions.touch(token)) throw sessionInvalid();
    return token;
  }

  private sessionInfo(): Record<string, unknown> {
    return {
      glpiID: 2,
      glpiname: 'caseboard',
      glpiactive_entity: 0,
      glpiactive_entity_recursive: 1,
      glpitimezone: this.timezone.name,
      glpilist_limit: 20,
    };
  }

  private search(request: GlpiSearchRequest, fault: FaultRule | undefined, raw: boolean): Reply {
    const matched = this.execute(request);
    const { start, end, page, headers, status } = this.paginate(matched, request, ACCEPT_RANGE);
    const columns = [2, ...request.forcedisplay.filter((id) => id !== 2)];
    const body: Record<string, unknown> = {
      totalcount: matched.length,
      count: page.length,
      sort: [request.sort],
      order: [request.order],
    };
    if (page.length > 0) body.data = page.map((t) => this.renderer.searchRow(t, columns, raw));
    body['content-range'] = `${start}-${end}/${matched.length}`;
    this.applyPagingFault(fault, matched, start + page.length);
    return json(status, body, headers);
  }

  private execute(request: GlpiSearchRequest): readonly GlpiTicket[] {
    if (request.deleted) return [];
    const signature = JSON.stringify([request.criteria, request.sort, request.order]);
    return this.cache.get(signature, this.index.version, () => {
      const { test, bounds } = compileCriteria(request.criteria, {
        tz: this.timezone,
        userId: (login) => this.userIds.get(login),
      });
      const after = bounds?.after;
      const before = bounds?.before;
      const lo = after === undefined ? 0 : this.index.lowerBound((t) => t.dateMod > after);
      const hi =
        before === undefined ? this.index.size : this.index.lowerBound((t) => t.dateMod >= before);
      const hits = lo < hi ? this.index.slice(lo, hi).filter(test) : [];
      if (request.sort === 19) return request.order === 'ASC' ? hits : hits.reverse();
      return sortTickets(hits, request.sort, request.order);
    });
  }

  /** Range paging shared by every list: 200 when one page holds everything, else 206. */
  private paginate<T>(all: readonly T[], range: { start: number; end: number }, accept: string) {
    const total = all.length;
    const { start } = range;
    if (start > total) {
      throw this.apiError(
        400,
        'ERROR_RANGE_EXCEED_TOTAL',
        `Provided range exceed total count of data: ${total}`,
      );
    }
    const end = Math.min(range.end, total - 1);
    const page = all.slice(start, end + 1);
    const headers: Record<string, string> = { 'Accept-Range': accept };
    if (total > 0) headers['Content-Range'] = `${start}-${end}/${total}`;
    return { start, end, page, headers, status: page.length >= total ? 200 : 206 };
  }

  /** `GET Ticket/`: raw rows; `sort` is a column name here, not an option id. */
  private ticketList(req: SimRequest, fault: FaultRule | undefined, raw: boolean): Reply {
    const columnToOption: Record<string, number | undefined> = {
      id: 2,
      date_mod: 19,
      date: 15,
      name: 1,
      status: 12,
      priority: 3,
    };
    const sort = columnToOption[req.query.get('sort') ?? 'id'];
    if (sort === undefined) throw new GlpiError(400, 'ERROR', 'Invalid sort column');
    const order = (req.query.get('order') ?? 'ASC').toUpperCase();
    if (order !== 'ASC' && order !== 'DESC') {
      throw new GlpiError(400, 'ERROR', 'order must be ASC or DESC');
    }
    const range = parseRange(req.query.get('range'), 20);
    const all =
      req.query.get('is_deleted') === 'true'
        ? []
        : this.execute({ criteria: [], forcedisplay: [], sort, order, deleted: false, ...range });
    const { start, page, headers, status } = this.paginate(all, range, ACCEPT_RANGE);
    this.applyPagingFault(fault, all, start + page.length);
    const options = {
      raw,
      expand: req.query.get('expand_dropdowns') === 'true',
      hateoas: req.query.get('get_hateoas') !== 'false',
    };
    return json(
      status,
      page.map((t) => this.renderer.rawTicket(t, options)),
      headers,
    );
  }

  private ticketItem(t: GlpiTicket, req: SimRequest, raw: boolean): Reply {
    const row = this.renderer.rawTicket(t, {
      raw,
      expand: req.query.get('expand_dropdowns') === 'true',
      hateoas: req.query.get('get_hateoas') !== 'false',
    });
    return json(200, row, { 'Last-Modified': new Date(t.dateMod).toUTCString() });
  }

  private followups(t: GlpiTicket, req: SimRequest, raw: boolean): Reply {
    const all = glpiFollowups(this.world, t);
    const range = parseRange(req.query.get('range'), 20);
    const { page, headers, status } = this.paginate(all, range, 'ITILFollowup 1000');
    return json(
      status,
      page.map((f) => this.renderer.followup(t, f, raw)),
      headers,
    );
  }

  /**
   * `change-between-pages`: after serving a page, touch `count` records already served in this
   * listing (earlier pages or this one), which moves them past every unserved record.
   */
  private applyPagingFault(
    fault: FaultRule | undefined,
    listing: readonly GlpiTicket[],
    served: number,
  ): void {
    if (fault?.kind !== 'change-between-pages' || served === 0) return;
    this.touch(listing.slice(0, Math.min(fault.count ?? 3, served)), () => undefined);
  }

  /** Applies `change`, bumps date_mod to the next clock stamp and re-positions the tickets. */
  private touch(tickets: GlpiTicket[], change: (t: GlpiTicket, stamp: number) => void): void {
    if (tickets.length === 0) return;
    const stamp = this.clock.next();
    for (const t of tickets) {
      // Changes first (they never touch the sort key): a rejected patch leaves the index intact.
      change(t, stamp);
      this.index.remove(t);
      t.dateMod = stamp;
      t.usersIdLastupdater = 2;
      this.index.insert(t);
    }
  }

  private found(id: number): GlpiTicket {
    const t = this.byId.get(id);
    if (!t) throw this.apiError(404, 'ERROR_ITEM_NOT_FOUND', 'Item not found');
    return t;
  }

  private require(key: string): GlpiTicket {
    const t = this.byId.get(Number(key));
    if (!t) throw new Error(`GLPI ticket ${key} does not exist`);
    return t;
  }

  /** An error whose message ends with GLPI's documentation pointer. */
  private apiError(status: number, code: string, message: string): GlpiError {
    return new GlpiError(
      status,
      code,
      `${message}; view documentation in your browser at ${this.url}/#${code}`,
    );
  }

  private error(e: GlpiError): Reply {
    return json(e.status, [e.code, e.message]);
  }
}

/** GLPI sends this one without the documentation pointer. */
function sessionInvalid(): GlpiError {
  return new GlpiError(401, 'ERROR_SESSION_TOKEN_INVALID', 'session_token seems invalid');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
