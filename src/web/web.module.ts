import { Module } from '@nestjs/common';
import { ApiModule } from '../api/api.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { HealthController } from '../ops/health/health.controller.js';
import { HealthModule } from '../ops/health/health.module.js';
import { ClusterMetricsRegistration } from '../ops/metrics/cluster-metrics.registration.js';
import { QueueBoardModule } from '../ops/queue-board/queue-board.module.js';
import { MetricsController } from '../ops/metrics/metrics.controller.js';
import { SprintReportModule } from '../reports/sprint/sprint-report.module.js';
import { StatusController } from '../ops/status/status.controller.js';
import { StatusModule } from '../ops/status/status.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { QueueModule } from '../sync/queue.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { CaseTimelineService } from './case-timeline.service.js';
import { PageModelModule } from './page-model.module.js';
import { PagesController } from './pages.controller.js';
import { WeeklyReportController } from './weekly-report.controller.js';

/** The HTTP role: sign-in, pages, API. */
@Module({
  imports: [
    QueueModule,
    AuthModule,
    ApiModule,
    SourcesModule,
    HealthModule,
    QueueBoardModule,
    SprintReportModule,
    StatusModule,
    PageModelModule,
    ReportsModule,
  ],
  controllers: [
    HealthController,
    MetricsController,
    PagesController,
    StatusController,
    WeeklyReportController,
  ],
  providers: [CaseTimelineService, ClusterMetricsRegistration],
})
export class WebModule {}
