import { Global, Module } from '@nestjs/common';
import { appVersion } from '../../common/app-version.js';
import { APP_CONFIG, configuredSources, type AppConfig } from '../../config/app-config.js';
import { UPSTREAM_OBSERVER } from '../../sources/http/upstream-observer.js';
import { CaseboardMetrics } from './caseboard-metrics.js';
import { upstreamMetricsObserver } from './upstream-metrics.observer.js';

/** One metrics registry per process, whatever roles it runs; the upstream clients report to it. */
@Global()
@Module({
  providers: [
    {
      provide: CaseboardMetrics,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new CaseboardMetrics(config.roles, appVersion(), configuredSources(config)),
    },
    {
      provide: UPSTREAM_OBSERVER,
      inject: [CaseboardMetrics],
      useFactory: upstreamMetricsObserver,
    },
  ],
  exports: [CaseboardMetrics, UPSTREAM_OBSERVER],
})
export class MetricsModule {}
