import { BadRequestException, Controller, Get, Query, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Can } from '../auth/casl/policy.decorator.js';
import { accountScope } from '../auth/casl/case-scope.js';
import type { AuthedRequest } from '../auth/request-context.js';
import { WeeklyReportService } from '../reports/weekly/weekly-report.service.js';
import { commentLine, renderWeeklyMarkdown } from '../reports/weekly/weekly-report.render.js';
import { SINCE_HELP, parseSince } from '../reports/weekly/weekly-report.js';
import { PageModelService } from './page-model.service.js';

/** A page waits at most this long for upstream comments; later ones show as unavailable. */
const COMMENT_BUDGET_MS = 8000;

/**
 * The weekly report page: a team report, so for leads and admins (the Stats subject), rows
 * still limited to the reader's account scope.
 */
@ApiExcludeController()
@Controller('reports')
export class WeeklyReportController {
  constructor(
    private readonly reports: WeeklyReportService,
    private readonly pages: PageModelService,
  ) {}

  @Can('read', 'Stats')
  @Get('weekly')
  @Render('weekly-report')
  async weekly(@Req() req: AuthedRequest, @Query('since') sinceText?: string) {
    if (sinceText !== undefined && typeof sinceText !== 'string')
      throw new BadRequestException('since must be given once');
    const now = new Date();
    const since = parseSince(sinceText ?? '7d', now);
    if (!since || since.getTime() > now.getTime())
      throw new BadRequestException(`since must be ${SINCE_HELP}`);
    const report = await this.reports.build({
      since,
      until: now,
      scope: accountScope(req.ability!),
      commentBudgetMs: COMMENT_BUDGET_MS,
    });
    return {
      ...(await this.pages.base(req, 'Weekly report', 'reports', 'detail')),
      report: {
        ...report,
        accounts: report.accounts.map((a) => ({
          ...a,
          statuses: a.statuses.map((g) => ({
            ...g,
            cases: g.cases.map((c) => ({ ...c, comment: commentLine(c) })),
          })),
        })),
      },
      since: sinceText ?? '7d',
      markdown: renderWeeklyMarkdown(report),
    };
  }
}
