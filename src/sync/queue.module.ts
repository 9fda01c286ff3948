import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import type { QueueOptions } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RedisFactory } from '../store/redis.factory.js';
import { StoreKeys } from '../store/store.keys.js';
import { SYNC_QUEUE } from './sync.constants.js';
import { WATCH_QUEUE } from '../watcher/watch.constants.js';
import { QueueRegistry } from './queue.registry.js';
import { SyncQueue } from './sync.queue.js';

/** Bull bundles ioredis 5; our ioredis 6 clients work with it (verified), only the types differ. */
type BullRedis = ReturnType<NonNullable<QueueOptions['createClient']>>;

/** The Bull connection and every Caseboard queue (sync, watch), shared by every role. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG, RedisFactory],
      useFactory: (config: AppConfig, redis: RedisFactory) => ({
        prefix: new StoreKeys(config.redis.keyPrefix).bullPrefix,
        createClient: (type) =>
          redis.create(
            type === 'client'
              ? 'bull-client'
              : type === 'subscriber'
                ? 'bull-subscriber'
                : 'bull-bclient',
          ) as unknown as BullRedis,
      }),
    }),
    BullModule.registerQueue({ name: WATCH_QUEUE }),
    BullModule.registerQueueAsync({
      name: SYNC_QUEUE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        settings: {
          lockDuration: config.sync.jobLockMs,
          lockRenewTime: Math.floor(config.sync.jobLockMs / 2),
          stalledInterval: config.sync.stalledCheckMs,
          maxStalledCount: 2,
        },
      }),
    }),
  ],
  providers: [SyncQueue, QueueRegistry],
  exports: [BullModule, SyncQueue, QueueRegistry],
})
export class QueueModule {}
