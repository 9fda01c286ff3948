import { Inject, Injectable } from '@nestjs/common';
import type { Source } from '../cases/case.model.js';
import { csrfToken } from '../auth/session/csrf.js';
import type { AuthedRequest } from '../auth/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CaseStore } from '../store/case.store.js';

export type NavItem = 'dashboard' | 'cases' | 'sla' | 'account' | 'engineer' | 'case' | 'reports';

const CHART = '/vendor/chartjs/chart.umd.min.js';
const DT_JS = '/vendor/datatables/dataTables.min.js';
const DT_CSS = '/vendor/datatables-dt/dataTables.dataTables.min.css';

/**
 * Which assets each page loads besides Bootstrap and app.css (the layout loads those): the CSP
 * forbids inline scripts, so each page has its own public/js file.
 */
const ASSETS = {
  dashboard: { scripts: [CHART, '/static/js/dashboard.js'], styles: [] },
  cases: { scripts: [DT_JS, '/static/js/cases.js'], styles: [DT_CSS] },
  drilldown: {
    scripts: [CHART, DT_JS, '/static/js/dashboard.js', '/static/js/cases.js'],
    styles: [DT_CSS],
  },
  detail: { scripts: ['/static/js/links.js'], styles: [] },
} satisfies Record<string, { scripts: string[]; styles: string[] }>;

export type AssetSet = keyof typeof ASSETS;

/** The part of every page's view model that the layout needs: who, where, CSRF, freshness. */
@Injectable()
export class PageModelService {
  private asOfCache: { value: string | null; until: number } = { value: null, until: 0 };

  constructor(
    private readonly store: CaseStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async base(req: AuthedRequest, title: string, nav: NavItem, assets: AssetSet) {
    const user = req.caseboardUser!;
    return {
      title,
      nav,
      user: {
        name: user.name,
        roles: user.roles,
        isAdmin: user.roles.includes('admin'),
        isLead: user.roles.includes('lead') || user.roles.includes('admin'),
      },
      csrfToken: csrfToken(req),
      asOf: await this.asOf(),
      ...ASSETS[assets],
    };
  }

  /** The oldest of the sources' last successful syncs: everything shown is at least that fresh. */
  private async asOf(): Promise<string | null> {
    if (this.asOfCache.until > Date.now()) return this.asOfCache.value;
    const sources = (Object.keys(this.config.upstreamBases) as Source[]).filter(
      (s) => this.config.upstreamBases[s],
    );
    const statuses = await Promise.all(sources.map((s) => this.store.getSyncStatus(s)));
    const times = statuses
      .map((s) => s.lastSuccessAt)
      .filter((t): t is string => t !== null)
      .sort();
    const value =
      times.length > 0 && times.length === sources.length
        ? times[0].replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
        : null;
    this.asOfCache = { value, until: Date.now() + 5000 };
    return value;
  }
}
