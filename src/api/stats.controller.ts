import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can } from '../auth/casl/policy.decorator.js';
import { accountScope } from '../auth/casl/case-scope.js';
import type { AuthedRequest } from '../auth/request-context.js';
import { ApiThrottlerGuard } from './api-throttler.guard.js';
import { parseCaseExport } from './case-list.params.js';
import { CaseReadService } from './case-read.service.js';

@ApiTags('stats')
@ApiBearerAuth()
@UseGuards(ApiThrottlerGuard)
@Controller('api/v1')
export class StatsApiController {
  constructor(private readonly cases: CaseReadService) {}

  @Can('read', 'Case')
  @Get('stats')
  @ApiOperation({ summary: 'Backlog KPIs and chart series (same filters as the case list)' })
  async stats(@Req() req: AuthedRequest, @Query() query: Record<string, unknown>) {
    const { filter } = parseCaseExport(query);
    return this.cases.stats(filter, accountScope(req.ability!));
  }

  @Can('read', 'Case')
  @Get('facets')
  @ApiOperation({ summary: 'Counts per filter value for the current filters' })
  async facets(@Req() req: AuthedRequest, @Query() query: Record<string, unknown>) {
    const { filter } = parseCaseExport(query);
    return this.cases.facets(filter, accountScope(req.ability!));
  }
}
