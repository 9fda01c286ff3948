import { Module, type DynamicModule, type Type } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { MetricsModule } from './ops/metrics/metrics.module.js';
import { OpsServerModule } from './ops/ops-server.module.js';
import { StoreModule } from './store/store.module.js';
import { SchedulerModule } from './sync/scheduler.module.js';
import { WorkerModule } from './sync/worker.module.js';
import { WebModule } from './web/web.module.js';

/** One image, three roles: the process loads the modules of the roles it runs, nothing else. */
@Module({})
export class AppModule {
  static forRoles(config: AppConfig): DynamicModule {
    const roleModules: Type[] = [];
    if (config.roles.includes('web')) roleModules.push(WebModule);
    if (config.roles.includes('worker')) roleModules.push(WorkerModule);
    if (config.roles.includes('scheduler')) roleModules.push(SchedulerModule);
    // The web role serves metrics and health on its own port; the others open a small ops port.
    if (!config.roles.includes('web')) roleModules.push(OpsServerModule);
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), StoreModule, MetricsModule, ...roleModules],
    };
  }
}
