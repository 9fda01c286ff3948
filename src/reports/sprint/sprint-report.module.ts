import { Module } from '@nestjs/common';
import { SourcesModule } from '../../sources/sources.module.js';
import { PageModelService } from '../../web/page-model.service.js';
import { SprintReportController } from './sprint-report.controller.js';
import { SprintReportService } from './sprint-report.service.js';

/** The sprint report page (web role); bin/sprint-report builds the same report without Nest. */
@Module({
  imports: [SourcesModule],
  controllers: [SprintReportController],
  providers: [SprintReportService, PageModelService],
})
export class SprintReportModule {}
