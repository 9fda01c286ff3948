import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CASE_FIELDS, caseId, isSource, type SupportCase } from '../cases/case.model.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CaseIndexService } from '../query/case-index.service.js';
import type { CaseFilter, CaseQuery, SortKey } from '../query/case-query.js';
import {
  dashboardStats,
  slaCases,
  slaClock,
  slaState,
  slaStateAt,
  type SlaClock,
  type SlaState,
} from '../query/case-stats.js';
import { daysOpen, wholeDaysOpen } from '../query/days-open.js';
import { SnapshotStore } from '../store/snapshot.store.js';
import { inScope } from '../auth/casl/case-scope.js';

export interface LinkedCase {
  source: string;
  key: string;
  title: string | null;
  status: string | null;
  url: string | null;
  href: string | null;
}

/** A case as the table and the case page show it: the model plus derived display fields. */
export interface CaseRow extends SupportCase {
  daysOpen: number | null;
  sla: { state: 'ok' | 'at-risk' | 'breached' | 'done'; dueAt: string | null };
  href: string;
  linked: LinkedCase[];
}

/**
 * What a DataTables row carries besides days open and SLA: what the table, its tooltips and
 * its child row show. Not the case id (source and key), its own links (`linked` has them with
 * titles), closedAt or other stored fields: every byte is sent for each row of every page.
 */
const NOT_IN_TABLE_ROWS: readonly string[] = ['id', 'links', 'closedAt'];
const TABLE_ROW_FIELDS: readonly (keyof CaseRow)[] = [
  ...CASE_FIELDS.filter((field) => !NOT_IN_TABLE_ROWS.includes(field)),
  'href',
  'linked',
];

/**
 * JSON text with every non-ASCII character escaped (`é` as `\u00e9`): a one-byte string, so
 * the answer joining the rows stays one-byte and is written to the socket as is (a single
 * two-byte row would make the whole answer two-byte and need UTF-8 encoding on every write).
 */
function asciiJson(json: string): string {
  return json.replace(
    /[\u0080-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A case's DataTables row: its fixed JSON, and the last full text with the per-day fields. */
interface CachedRow extends SlaClock {
  case: SupportCase;
  version: number;
  scopeKey: string;
  json: string;
  endedMs: number;
  dueAtJson: string;
  days: number;
  state: SlaState['state'];
  text: string;
}

/**
 * Every read of cases for pages and the API, always within the caller's account scope (from
 * the CASL rules), served from the web process's in-memory index.
 */
@Injectable()
export class CaseReadService {
  /** DataTables rows by index slot; see datatable(). */
  private readonly rowCache: (CachedRow | undefined)[] = [];

  constructor(
    private readonly cases: CaseIndexService,
    private readonly snapshots: SnapshotStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get slaDays() {
    return this.config.web!.slaDays;
  }

  private scoped(filter: CaseFilter, scope: string[] | null): CaseFilter {
    return { ...filter, allowedAccounts: scope };
  }

  async list(query: CaseQuery, scope: string[] | null) {
    await this.cases.ready;
    return this.cases.index.query({ ...query, filter: this.scoped(query.filter, scope) });
  }

  /**
   * The DataTables answer as JSON text. Each row's time-independent part is serialized once
   * per case, store version and account scope (linked cases' titles and statuses can change
   * with any sync) and kept by index slot; the days open and the SLA state are worked out per
   * request, and the whole row text is reused while they stay the same (they change at most a
   * few times a day).
   */
  async datatable(draw: number, query: CaseQuery, scope: string[] | null): Promise<string> {
    const result = await this.list(query, scope);
    const nowMs = Date.now();
    const version = this.cases.version;
    const scopeKey = scope === null ? '*' : scope.join('\u0000');
    const rows = new Array<string>(result.items.length);
    for (let i = 0; i < result.items.length; i++) {
      const c = result.items[i];
      const slot = result.slots[i];
      // Grown densely: a sparse array of 100k slots would fall back to a dictionary.
      while (this.rowCache.length <= slot) this.rowCache.push(undefined);
      let cached = this.rowCache[slot];
      if (
        cached === undefined ||
        cached.case !== c ||
        cached.version !== version ||
        cached.scopeKey !== scopeKey
      ) {
        cached = this.rowParts(c, scope, version, scopeKey);
        this.rowCache[slot] = cached;
      }
      const days = wholeDaysOpen(cached.createdMs, cached.endedMs, nowMs);
      const state = slaStateAt(cached, nowMs);
      if (cached.text === '' || cached.days !== days || cached.state !== state) {
        // Joined rather than concatenated: a flat string, which the answer's join below copies
        // in one go (a concatenation stays a tree of pieces that every answer walks again).
        cached.text = [
          cached.json,
          ',"daysOpen":',
          days !== days ? 'null' : String(days),
          ',"sla":{"dueAt":',
          cached.dueAtJson,
          ',"state":"',
          state,
          '"}}',
        ].join('');
        cached.days = days;
        cached.state = state;
      }
      rows[i] = cached.text;
    }
    return `{"draw":${draw},"recordsTotal":${result.total},"recordsFiltered":${result.filtered},"data":[${rows.join(',')}]}`;
  }

  private rowParts(
    c: SupportCase,
    scope: string[] | null,
    version: number,
    scopeKey: string,
  ): CachedRow {
    const row = this.row(c, scope, new Date());
    const fixed: Record<string, unknown> = {};
    for (const field of TABLE_ROW_FIELDS) fixed[field] = row[field];
    const ended = c.closedAt ?? c.resolvedAt;
    const sla = slaClock(c, this.slaDays);
    return {
      case: c,
      version,
      scopeKey,
      // Without its closing brace, so that the per-request fields can follow.
      json: asciiJson(JSON.stringify(fixed).slice(0, -1)),
      endedMs: ended === null ? NaN : Date.parse(ended),
      // The clock's fields on the row itself, named one by one: one object to read per row,
      // and every row of one shape (a spread can leave rows with different hidden classes).
      createdMs: sla.createdMs,
      dueMs: sla.dueMs,
      dueAt: sla.dueAt,
      open: sla.open,
      dueAtJson: JSON.stringify(sla.dueAt),
      days: NaN,
      state: 'done',
      text: '',
    };
  }

  async one(source: string, key: string, scope: string[] | null): Promise<CaseRow> {
    await this.cases.ready;
    const found = isSource(source) ? this.cases.index.get(caseId(source, key)) : undefined;
    // Out of scope looks the same as absent: a partner learns nothing about other accounts.
    if (!found || !inScope(scope, found.account))
      throw new NotFoundException(`No case ${source}:${key}`);
    return this.row(found, scope, new Date());
  }

  async *export(
    filter: CaseFilter,
    sort: SortKey[],
    scope: string[] | null,
  ): AsyncGenerator<SupportCase> {
    await this.cases.ready;
    yield* this.cases.index.iterate(this.scoped(filter, scope), sort);
  }

  async facets(filter: CaseFilter, scope: string[] | null) {
    await this.cases.ready;
    return this.cases.index.facets(this.scoped(filter, scope));
  }

  async stats(filter: CaseFilter, scope: string[] | null) {
    await this.cases.ready;
    const now = new Date();
    const stats = dashboardStats(this.cases.index, this.scoped(filter, scope), now, this.slaDays);
    const account = filter.account?.length === 1 ? filter.account[0] : undefined;
    const trend = filter.assignee ? [] : await this.snapshots.trend(scope, account, 90);
    return { ...stats, trend };
  }

  async sla(scope: string[] | null) {
    await this.cases.ready;
    const now = new Date();
    const { breached, atRisk } = slaCases(
      this.cases.index,
      this.scoped({ open: true }, scope),
      now,
      this.slaDays,
    );
    return {
      breached: breached.map((c) => this.row(c, scope, now)),
      atRisk: atRisk.map((c) => this.row(c, scope, now)),
      slaDays: Object.entries(this.slaDays).map(([severity, days]) => ({ severity, days })),
    };
  }

  row(c: SupportCase, scope: string[] | null, now: Date): CaseRow {
    return {
      ...c,
      daysOpen: daysOpen(c, now),
      sla: slaState(c, now, this.slaDays),
      href: `/cases/${c.source}/${encodeURIComponent(c.key)}`,
      linked: c.links.map((link) => {
        const other = this.cases.index.get(caseId(link.source, link.key));
        const visible = other && inScope(scope, other.account);
        return {
          source: link.source,
          key: link.key,
          title: visible ? other.title : null,
          status: visible ? other.status : null,
          url: visible ? other.url : null,
          href: visible ? `/cases/${link.source}/${encodeURIComponent(link.key)}` : null,
        };
      }),
    };
  }
}
