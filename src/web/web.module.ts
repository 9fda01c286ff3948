import { Module } from '@nestjs/common';
import { ApiModule } from '../api/api.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { HealthController } from '../ops/health/health.controller.js';
import { HealthModule } from '../ops/health/health.module.js';
import { ClusterMetricsRegistration } from '../ops/metrics/cluster-metrics.registration.js';
import { QueueBoardModule } from '../ops/queue-board/queue-board.module.js';
import { MetricsController } from '../ops/metrics/metrics.controller.js';
import { SprintReportModule } from '../reports/sprint/sprint-report.module.js';
import { QueueModule } from '../sync/queue.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { CaseTimelineService } from './case-timeline.service.js';
import { PageModelService } from './page-model.service.js';
import { PagesController } from './pages.controller.js';

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
  ],
  controllers: [HealthController, MetricsController, PagesController],
  providers: [PageModelService, CaseTimelineService, ClusterMetricsRegistration],
})
export class WebModule {}
