import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CASE_FIELDS, type SupportCase } from '../cases/case.model.js';
import { Can } from '../auth/casl/policy.decorator.js';
import { accountScope } from '../auth/casl/case-scope.js';
import type { AuthedRequest } from '../auth/request-context.js';
import { ApiThrottlerGuard } from './api-throttler.guard.js';
import { CaseExportWriter } from '../cli/case-export.js';
import {
  parseCaseExport,
  parseCaseList,
  parseDataTables,
  queryStringOf,
} from './case-list.params.js';
import { CaseReadService } from './case-read.service.js';
import { sendAsciiJson } from './json-text.js';

const project = (c: SupportCase): SupportCase => {
  const out: Record<string, unknown> = {};
  for (const field of CASE_FIELDS) out[field] = c[field];
  return out as unknown as SupportCase;
};

/** REST v1 over the normalized cases; every answer is limited to the caller's accounts. */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(ApiThrottlerGuard)
@Controller('api/v1/cases')
export class CasesApiController {
  constructor(private readonly cases: CaseReadService) {}

  @Can('read', 'Case')
  @Get()
  @ApiOperation({
    summary: 'List cases: filters, sort (e.g. -updatedAt,severity), offset, limit ≤ 500',
  })
  @ApiOkResponse({ description: '{ total, items } of the normalized case model' })
  @ApiQuery({ name: 'sort', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Req() req: AuthedRequest, @Query() query: Record<string, unknown>) {
    const params = parseCaseList(query);
    const result = await this.cases.list(params, accountScope(req.ability!));
    return { total: result.filtered, items: result.items.map(project) };
  }

  @Can('read', 'Case')
  @Get('datatable')
  @ApiOperation({ summary: 'DataTables server-side processing endpoint for /cases' })
  async datatable(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    // Read from the raw query string: Express parses req.query again at every access.
    const params = parseDataTables(queryStringOf(req.url));
    const scope = accountScope(req.ability!);
    sendAsciiJson(res, await this.cases.datatable(params.draw, params, scope, params.view));
  }

  @Can('export', 'Case')
  @Get('export.csv')
  @ApiOperation({ summary: 'The current view as CSV, streamed (same filters as the list)' })
  async export(
    @Req() req: AuthedRequest,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const { filter, sort } = parseCaseExport(query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="caseboard-cases-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    let buffer = '';
    const writer = new CaseExportWriter('csv', (chunk) => (buffer += chunk));
    const flush = async () => {
      if (buffer && !res.write(buffer)) await new Promise((resolve) => res.once('drain', resolve));
      buffer = '';
    };
    writer.begin();
    let batch: SupportCase[] = [];
    for await (const c of this.cases.export(filter, sort, accountScope(req.ability!, 'export'))) {
      batch.push(c);
      if (batch.length === 500) {
        writer.add(batch);
        batch = [];
        await flush();
      }
    }
    writer.add(batch);
    writer.end();
    await flush();
    res.end();
  }

  @Can('read', 'Case')
  @Get(':source/:key')
  @ApiOperation({ summary: 'One case (404 when unknown)' })
  async one(@Req() req: AuthedRequest, @Param('source') source: string, @Param('key') key: string) {
    return project(await this.cases.one(source, key, accountScope(req.ability!)));
  }
}
