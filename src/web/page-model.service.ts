import { Injectable } from '@nestjs/common';
import { csrfToken } from '../auth/session/csrf.js';
import type { AuthedRequest } from '../auth/request-context.js';
import { StatusService } from '../ops/status/status.service.js';

export type NavItem =
  'dashboard' | 'cases' | 'sla' | 'account' | 'engineer' | 'case' | 'reports' | 'status';

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
  report: { scripts: [CHART, '/static/js/reports-sprint.js'], styles: [] },
  status: { scripts: ['/static/js/status.js'], styles: [] },
} satisfies Record<string, { scripts: string[]; styles: string[] }>;

export type AssetSet = keyof typeof ASSETS;

/** The part of every page's view model that the layout needs: who, where, CSRF, freshness. */
@Injectable()
export class PageModelService {
  constructor(private readonly status: StatusService) {}

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
    const value = await this.status.dataAsOf();
    return value ? value.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : null;
  }
}
