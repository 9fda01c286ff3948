import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SOURCES } from '../../cases/case.model.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { CaseIndexService } from '../../query/case-index.service.js';
import { CaseStore } from '../../store/case.store.js';
import { QueueRegistry } from '../../sync/queue.registry.js';
import { CaseboardMetrics } from './caseboard-metrics.js';
import { registerClusterMetrics } from './cluster-metrics.collector.js';

/** The web role exports the shared-state gauges (it holds the case index to count from). */
@Injectable()
export class ClusterMetricsRegistration implements OnModuleInit {
  constructor(
    private readonly metrics: CaseboardMetrics,
    private readonly store: CaseStore,
    private readonly queues: QueueRegistry,
    private readonly cases: CaseIndexService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    registerClusterMetrics(this.metrics, {
      sources: SOURCES.filter((s) => this.config.upstreamBases[s] !== undefined),
      syncStatus: (source) => this.store.getSyncStatus(source),
      queues: this.queues.all(),
      index: () => (this.cases.loaded ? this.cases.index : undefined),
    });
  }
}
