import { Module } from '@nestjs/common';
import { ApiModule } from '../api/api.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { LiveController } from '../ops/live.controller.js';
import { ReportsModule } from '../reports/reports.module.js';
import { QueueModule } from '../sync/queue.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { CaseTimelineService } from './case-timeline.service.js';
import { PageModelService } from './page-model.service.js';
import { PagesController } from './pages.controller.js';
import { WeeklyReportController } from './weekly-report.controller.js';

/** The HTTP role: sign-in, pages, API. */
@Module({
  imports: [QueueModule, AuthModule, ApiModule, SourcesModule, ReportsModule],
  controllers: [LiveController, PagesController, WeeklyReportController],
  providers: [PageModelService, CaseTimelineService],
})
export class WebModule {}
