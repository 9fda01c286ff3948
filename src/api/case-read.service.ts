import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { caseId, isSource, type SupportCase } from '../cases/case.model.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CaseIndexService } from '../query/case-index.service.js';
import type { CaseFilter, CaseQuery, SortKey } from '../query/case-query.js';
import { dashboardStats, slaCases, slaState } from '../query/case-stats.js';
import { daysOpen } from '../query/days-open.js';
import { viewKey } from '../query/view-cache.js';
import { SnapshotStore } from '../store/snapshot.store.js';
import { inScope } from '../auth/casl/case-scope.js';
import { DataTablePages } from './datatable-pages.js';
import { DataTableRows } from './datatable-rows.js';
import type { AsciiJson } from './json-text.js';

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
 * Every read of cases for pages and the API, always within the caller's account scope (from
 * the CASL rules), served from the web process's in-memory index.
 */
@Injectable()
export class CaseReadService {
  /** DataTables row texts, reused while they hold; see DataTableRows. */
  private readonly tableRows: DataTableRows;
  /** DataTables pages as last sent, reused while they hold; see DataTablePages. */
  private readonly tablePages: DataTablePages;

  constructor(
    private readonly cases: CaseIndexService,
    private readonly snapshots: SnapshotStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tableRows = new DataTableRows(this.slaDays, (c, scope) => this.row(c, scope, new Date()));
    // The index's view cache off (INDEX_VIEW_CACHE=0) turns kept pages off too.
    this.tablePages = new DataTablePages(config.web?.indexViewCache === 0 ? 0 : undefined);
  }

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
   * The DataTables answer as ASCII JSON: a page kept from an earlier answer while it holds (see
   * DataTablePages), else worked out from the index and rows (see DataTableRows). `view` is
   * the query's viewKey, passed by callers that have it already.
   */
  async datatable(
    draw: number,
    query: CaseQuery,
    scope: string[] | null,
    view = viewKey(query.filter, query.sort),
  ): Promise<AsciiJson> {
    await this.cases.ready;
    const index = this.cases.index;
    const nowMs = Date.now();
    const { filter, sort, offset, limit } = query;
    const key = this.tablePages.keyOf(view, scope, offset, limit);
    let page = key === null ? undefined : this.tablePages.get(key, index.generation, nowMs);
    if (page === undefined) {
      const generation = index.generation;
      const result = index.query(
        { filter: this.scoped(filter, scope), sort, offset, limit },
        new Date(nowMs),
      );
      const rows = this.tableRows.rowTexts(
        result.items,
        result.slots,
        scope,
        this.cases.version,
        nowMs,
      );
      const [validFrom, validUntil] = this.tableRows.validSpan(result.slots);
      // The closing brackets ride on the last row, so that the body is one flat text.
      if (rows.length > 0) rows[rows.length - 1] += ']}';
      const body = rows.length > 0 ? rows.join(',') : ']}';
      page = {
        generation,
        total: result.total,
        filtered: result.filtered,
        body,
        validFrom,
        validUntil,
      };
      if (key !== null) this.tablePages.set(key, page);
    }
    return {
      head: `{"draw":${draw},"recordsTotal":${page.total},"recordsFiltered":${page.filtered},"data":[`,
      body: page.body,
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
