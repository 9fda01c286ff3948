import { Module } from '@nestjs/common';
import { SourcesModule } from '../../sources/sources.module.js';
import { PageModelModule } from '../../web/page-model.module.js';
import { SprintReportController } from './sprint-report.controller.js';
import { SprintReportService } from './sprint-report.service.js';

/** The sprint report page (web role); bin/sprint-report builds the same report without Nest. */
@Module({
  imports: [SourcesModule, PageModelModule],
  controllers: [SprintReportController],
  providers: [SprintReportService],
})
export class SprintReportModule {}
