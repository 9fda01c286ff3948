import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { handleControl } from './control.js';
import { FaultPlan, type FaultKind, type FaultRule, type RequestLogEntry } from './faults.js';
import { readBody, replyText, type Reply, type SimRequest } from './http-util.js';
import { LinkRenderer, type PeerUrls } from './links.js';
import { type SystemName } from './world.js';

export interface SimulatorOptions {
  seed?: number;
  host?: string;
  port?: number;
}

export interface SimulatorStats {
  system: SystemName;
  total: number;
  byStatus: Record<string, number>;
  faultsFired: number;
  faultsPending: number;
}

/** A fault that answers in the system's own words instead of running the handler. */
export type AnsweringFault = Extract<FaultKind, 'status500' | 'rate-limit' | 'bad-credentials'>;

/**
 * The HTTP plumbing every simulator shares: listening, request log, fault pipeline, control
 * endpoints under `/_sim/`, and clean shutdown (including requests a `timeout` fault left hanging).
 */
export abstract class SimulatorServer<Patch> {
  abstract readonly system: SystemName;
  readonly faults = new FaultPlan();
  readonly requests: RequestLogEntry[] = [];
  /** Renders links to the other systems; see `connectPeers`. */
  protected readonly links = new LinkRenderer();
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly statusCounts: Record<string, number> = {};
  private total = 0;
  private faultsFired = 0;
  private origin = '';

  protected constructor() {
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  /** The base URL Caseboard is configured with. */
  abstract get url(): string;
  /** Env vars for Caseboard to reach this simulator. */
  abstract get env(): Record<string, string>;
  /** Deterministically changes `count` records and bumps their updated time; returns their keys. */
  abstract mutate(count: number): string[];
  /** Purges a record so it vanishes from every listing. @throws when the key is unknown. */
  abstract remove(key: string): void;
  /** Applies a partial change to one record and bumps its updated time. @throws when unknown. */
  abstract update(key: string, patch: Patch): void;

  /** `http://host:port` the server listens on. */
  get baseUrl(): string {
    return this.origin;
  }

  /** Points cross-system links at the peers' live base URLs. */
  connectPeers(peers: PeerUrls): void {
    this.links.setPeers({ ...peers, [this.system]: this.url });
  }

  stats(): SimulatorStats {
    return {
      system: this.system,
      total: this.total,
      byStatus: { ...this.statusCounts },
      faultsFired: this.faultsFired,
      faultsPending: this.faults.pending,
    };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  protected async listen(options: SimulatorOptions): Promise<void> {
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(options.port ?? 0, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    this.origin = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
    this.links.setPeers({ [this.system]: this.url });
  }

  /** Answers one API request (faults already handled). */
  protected abstract handle(req: SimRequest, fault: FaultRule | undefined): Reply;

  /** The system's answer for status500 / rate-limit / bad-credentials faults. */
  protected abstract faultReply(kind: AnsweringFault, req: SimRequest, rule: FaultRule): Reply;

  /** Whether a fault kind can fire on this request; by default session/paging faults cannot. */
  protected faultApplies(kind: FaultKind, _req: SimRequest): boolean {
    return kind !== 'expire-session' && kind !== 'change-between-pages';
  }

  /** Hook for the `expire-session` fault. */
  expireSessions(): void {}

  /** Last chance to adjust a reply before it is written (Bugzilla adds ETags here). */
  protected finalize(_req: SimRequest, reply: Reply): Reply {
    return reply;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const control = url.pathname === '/_sim' || url.pathname.startsWith('/_sim/');
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
      status: 0,
      at: Date.now(),
    };
    if (!control) this.requests.push(entry);
    readBody(req).then(
      (body) => {
        const simReq: SimRequest = {
          method: entry.method.toUpperCase(),
          path: url.pathname,
          query: url.searchParams,
          rawQuery: entry.query,
          headers: req.headers,
          body,
        };
        try {
          if (control) this.write(res, handleControl(this, simReq), undefined);
          else this.dispatch(simReq, req, res, entry);
        } catch (error) {
          // A simulator bug must not take the test process down: answer 500 and carry on.
          this.write(res, { status: 500, body: { simulatorError: String(error) } }, entry);
        }
      },
      () => res.destroy(),
    );
  }

  private dispatch(
    req: SimRequest,
    raw: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
  ): void {
    const rule = this.faults.take(req.method, req.path, (kind) => this.faultApplies(kind, req));
    if (rule) {
      entry.fault = rule.kind;
      this.faultsFired++;
    }
    switch (rule?.kind) {
      case undefined:
      case 'change-between-pages':
        this.respond(req, res, entry, rule, false);
        return;
      case 'expire-session':
        this.expireSessions();
        this.respond(req, res, entry, rule, false);
        return;
      case 'malformed-json':
        this.respond(req, res, entry, rule, true);
        return;
      case 'status500':
      case 'rate-limit':
      case 'bad-credentials':
        this.write(res, this.faultReply(rule.kind, req, rule), entry);
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) this.respond(req, res, entry, rule, false);
        }, rule.delayMs ?? 1000);
        this.timers.add(timer);
        return;
      }
      case 'reset':
        this.count(0);
        raw.socket.destroy();
        return;
      case 'timeout':
        // Never answered; the socket stays open until the client gives up or the server closes.
        this.count(0);
        return;
    }
  }

  private respond(
    req: SimRequest,
    res: ServerResponse,
    entry: RequestLogEntry,
    rule: FaultRule | undefined,
    malformed: boolean,
  ): void {
    let reply: Reply;
    try {
      reply = this.finalize(req, this.handle(req, rule));
    } catch (error) {
      reply = this.faultReply('status500', req, { kind: 'status500' });
      const detail = String(error)
        .replace(/[^\x20-\x7e]/g, ' ')
        .slice(0, 200);
      reply.headers = { ...reply.headers, 'X-Simulator-Error': detail };
    }
    if (malformed) {
      const text = replyText(reply);
      // Cut mid-document: valid prefix, invalid whole.
      reply = {
        status: 200,
        raw: text.length > 8 ? text.slice(0, Math.floor(text.length / 2)) : '{"',
      };
    }
    this.write(res, reply, entry);
  }

  private write(res: ServerResponse, reply: Reply, entry: RequestLogEntry | undefined): void {
    if (res.destroyed) return;
    const text = replyText(reply);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=UTF-8',
      ...reply.headers,
    };
    if (reply.status !== 204 && reply.status !== 304) {
      headers['Content-Length'] = String(Buffer.byteLength(text));
    }
    res.writeHead(reply.status, headers);
    res.end(reply.status === 204 || reply.status === 304 ? undefined : text);
    if (entry) {
      entry.status = reply.status;
      this.count(reply.status);
    }
  }

  private count(status: number): void {
    this.total++;
    this.statusCounts[status] = (this.statusCounts[status] ?? 0) + 1;
  }
}
