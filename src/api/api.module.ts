import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CaseIndexService } from '../query/case-index.service.js';
import { CaseStore } from '../store/case.store.js';
import { ApiDocs, ApiDocsController } from './api-docs.js';
import { CaseReadService } from './case-read.service.js';
import { CasesApiController } from './cases.controller.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';
import { MeApiController } from './me.controller.js';
import { StatsApiController } from './stats.controller.js';

/** REST v1 and the DataTables endpoint, rate-limited per user or token. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, CaseStore],
      useFactory: (config: AppConfig, store: CaseStore) => ({
        // One throttler per minute; the per-second burst is counted in the same Redis call.
        throttlers: [{ name: 'api', ttl: 60_000, limit: config.web!.rateLimit.perMinute }],
        storage: new RedisThrottlerStorage(
          () => store.client,
          `${store.keys.prefix}throttle:`,
          config.web!.rateLimit.burst,
        ),
      }),
    }),
  ],
  controllers: [CasesApiController, StatsApiController, MeApiController, ApiDocsController],
  providers: [CaseIndexService, CaseReadService, ApiDocs],
  exports: [CaseReadService, CaseIndexService],
})
export class ApiModule {}
