import { Controller, Get, NotFoundException, Param, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CASE_STATUSES, SEVERITIES, SOURCES } from '../cases/case.model.js';
import { Can } from '../auth/casl/policy.decorator.js';
import { accountScope, inScope } from '../auth/casl/case-scope.js';
import type { AuthedRequest } from '../auth/request-context.js';
import { CaseReadService } from '../api/case-read.service.js';
import { CaseTimelineService } from './case-timeline.service.js';
import { PageModelService } from './page-model.service.js';

/** Server-rendered pages: each handler authorizes, asks one service, returns a view model. */
@ApiExcludeController()
@Controller()
export class PagesController {
  constructor(
    private readonly cases: CaseReadService,
    private readonly pages: PageModelService,
    private readonly timelines: CaseTimelineService,
  ) {}

  @Can('read', 'Case')
  @Get()
  @Render('dashboard')
  async dashboard(@Req() req: AuthedRequest) {
    const stats = await this.cases.stats({}, accountScope(req.ability!));
    return {
      ...(await this.pages.base(req, 'Dashboard', 'dashboard', 'dashboard')),
      kpi: stats.kpi,
      statsUrl: '/api/v1/stats',
    };
  }

  @Can('read', 'Case')
  @Get('cases')
  @Render('cases')
  async table(@Req() req: AuthedRequest) {
    return {
      ...(await this.pages.base(req, 'Cases', 'cases', 'cases')),
      ...(await this.tableModel(req)),
    };
  }

  @Can('read', 'Case')
  @Get('cases/:source/:key')
  @Render('case')
  async one(@Req() req: AuthedRequest, @Param('source') source: string, @Param('key') key: string) {
    const row = await this.cases.one(source, key, accountScope(req.ability!));
    const { linked, ...fields } = row;
    return {
      ...(await this.pages.base(req, `${row.source}:${row.key}`, 'case', 'detail')),
      case: fields,
      linked,
      sla: row.sla,
      timeline: await this.timelines.timeline(row.source, row.key),
    };
  }

  @Can('read', 'Case')
  @Get('accounts/:account')
  @Render('account')
  async account(@Req() req: AuthedRequest, @Param('account') account: string) {
    const scope = accountScope(req.ability!);
    if (!inScope(scope, account)) throw new NotFoundException(`No account ${account}`);
    const stats = await this.cases.stats({ account: [account] }, scope);
    return {
      ...(await this.pages.base(req, account, 'account', 'drilldown')),
      ...(await this.tableModel(req)),
      account,
      kpi: stats.kpi,
      statsUrl: `/api/v1/stats?account=${encodeURIComponent(account)}`,
      fixed: { account },
    };
  }

  @Can('read', 'Stats')
  @Get('engineers/:name')
  @Render('engineer')
  async engineer(@Req() req: AuthedRequest, @Param('name') name: string) {
    const stats = await this.cases.stats({ assignee: [name] }, accountScope(req.ability!));
    return {
      ...(await this.pages.base(req, name, 'engineer', 'drilldown')),
      ...(await this.tableModel(req)),
      engineer: name,
      kpi: stats.kpi,
      statsUrl: `/api/v1/stats?assignee=${encodeURIComponent(name)}`,
      fixed: { assignee: name },
    };
  }

  @Can('read', 'Case')
  @Get('sla')
  @Render('sla')
  async sla(@Req() req: AuthedRequest) {
    return {
      ...(await this.pages.base(req, 'SLA', 'sla', 'detail')),
      ...(await this.cases.sla(accountScope(req.ability!))),
    };
  }

  private async tableModel(req: AuthedRequest) {
    const facets = await this.cases.facets({}, accountScope(req.ability!));
    const values = (list: { value: string | null }[]) =>
      list.map((f) => f.value).filter((v): v is string => v !== null);
    return {
      facets: {
        sources: [...SOURCES],
        statuses: [...CASE_STATUSES],
        severities: [...SEVERITIES],
        accounts: values(facets.account).sort(),
        assignees: values(facets.assignee).sort(),
      },
      canExport: req.ability!.can('export', 'Case'),
    };
  }
}
