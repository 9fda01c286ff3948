import { Controller, Get, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Can } from '../../auth/casl/policy.decorator.js';
import type { AuthedRequest } from '../../auth/request-context.js';
import { UpstreamAuthError, UpstreamError } from '../../sources/upstream.errors.js';
import { PageModelService } from '../../web/page-model.service.js';
import { parseSprintSelector } from './sprint-report.builder.js';
import { SprintNotFoundError } from './sprint-report.errors.js';
import { sprintReportPage } from './sprint-report.page.js';
import { SprintReportService } from './sprint-report.service.js';

const querySchema = z.object({
  board: z
    .string()
    .regex(/^\d{1,12}$/, 'must be a board id')
    .optional(),
  sprint: z
    .string()
    .refine(
      (s) => parseSprintSelector(s) !== undefined,
      'must be a sprint id, active or last-closed',
    )
    .optional(),
});

/** /reports/sprint: the sprint report of bin/sprint-report, for leads, rendered server-side. */
@ApiExcludeController()
@Controller('reports')
export class SprintReportController {
  constructor(
    private readonly reports: SprintReportService,
    private readonly pages: PageModelService,
  ) {}

  @Can('read', 'Stats')
  @Get('sprint')
  @Render('reports-sprint')
  async sprint(
    @Req() req: AuthedRequest,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const base = await this.pages.base(req, 'Sprint report', 'reports', 'report');
    const form = {
      board: typeof query.board === 'string' ? query.board : '',
      sprint:
        typeof query.sprint === 'string' && query.sprint !== '' ? query.sprint : 'last-closed',
    };
    if (!this.reports.configured) return { ...base, form, notConfigured: true };
    const parsed = querySchema.safeParse({
      board: form.board || undefined,
      sprint: form.sprint,
    });
    if (!parsed.success) {
      res.status(400);
      const issue = parsed.error.issues[0];
      return { ...base, form, error: `${issue.path.join('.')}: ${issue.message}` };
    }
    if (!parsed.data.board) return { ...base, form, boards: await this.reports.boards() };
    try {
      const report = await this.reports.report(
        Number(parsed.data.board),
        parseSprintSelector(form.sprint)!,
      );
      return { ...base, form, report: sprintReportPage(report) };
    } catch (error) {
      if (error instanceof SprintNotFoundError) {
        res.status(404);
        return { ...base, form, error: error.message };
      }
      if (error instanceof UpstreamAuthError) {
        res.status(502);
        return {
          ...base,
          form,
          error: `JIRA refused Caseboard's credentials (HTTP ${error.status}).`,
        };
      }
      if (error instanceof UpstreamError) {
        res.status(502);
        return { ...base, form, error: `JIRA could not be reached: ${error.message}` };
      }
      throw error;
    }
  }
}
