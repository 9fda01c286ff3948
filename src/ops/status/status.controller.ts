import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Render,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { isSource, type Source } from '../../cases/case.model.js';
import { Can } from '../../auth/casl/policy.decorator.js';
import type { AuthedRequest } from '../../auth/request-context.js';
import { PageModelService } from '../../web/page-model.service.js';
import { StatusService } from './status.service.js';
import { SyncNowService } from './sync-now.service.js';
import { statusPageModel } from './status.page.js';
import { requestIdOf } from '../../common/request-id.js';

const JOB_ID = /^[\w.:-]{1,200}$/;

/** The status page, its JSON for polling and scripts, and the admin's "Sync now". */
@ApiTags('status')
@Controller()
export class StatusController {
  constructor(
    private readonly status: StatusService,
    private readonly syncNow: SyncNowService,
    private readonly pages: PageModelService,
  ) {}

  @Can('read', 'Status')
  @Get('status')
  @ApiExcludeEndpoint()
  @Render('status')
  async page(@Req() req: AuthedRequest, @Query('job') job?: string) {
    const canSync = req.ability!.can('sync', 'Queue');
    const watched = canSync && typeof job === 'string' && JOB_ID.test(job) ? job : null;
    return {
      ...(await this.pages.base(req, 'Status', 'status', 'status')),
      ...statusPageModel(
        await this.status.model(),
        canSync,
        watched ? await this.syncNow.job(watched) : null,
      ),
    };
  }

  @Can('read', 'Status')
  @Get('api/v1/status')
  @ApiOperation({ summary: 'Per-source freshness, schedule and running syncs; queue counts' })
  async json() {
    return this.status.model();
  }

  /** Form posts are sent back to the page watching the job; fetch (Accept: JSON) gets JSON. */
  @Can('sync', 'Queue')
  @Post('status/sync/:source')
  @ApiExcludeEndpoint()
  async start(@Req() req: AuthedRequest, @Res() res: Response, @Param('source') name: string) {
    const source = this.configuredSource(name);
    // The id the logs carry for this request follows the job into the worker's logs.
    const answer = await this.syncNow.start(source, req.caseboardUser!.id, requestIdOf(req));
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(answer.started ? 202 : 200).json(answer);
      return;
    }
    res.redirect(303, `/status?job=${encodeURIComponent(answer.job.id)}#source-${source}`);
  }

  @Can('sync', 'Queue')
  @Get('api/v1/status/jobs/:id')
  @ApiOperation({ summary: "A sync job's state and progress, its counts when done" })
  async job(@Param('id') id: string) {
    const job = JOB_ID.test(id) ? await this.syncNow.job(id) : null;
    if (!job) throw new NotFoundException(`No sync job ${id}`);
    return job;
  }

  private configuredSource(name: string): Source {
    if (!isSource(name)) throw new NotFoundException(`Unknown source ${name}`);
    if (!this.status.isConfigured(name)) {
      throw new BadRequestException(`${name} is not configured in this deployment`);
    }
    return name;
  }
}
