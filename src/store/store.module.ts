import { Global, Module } from '@nestjs/common';
import { CaseStore } from './case.store.js';
import { RedisFactory } from './redis.factory.js';
import { SnapshotStore } from './snapshot.store.js';

@Global()
@Module({
  providers: [RedisFactory, CaseStore, SnapshotStore],
  exports: [RedisFactory, CaseStore, SnapshotStore],
})
export class StoreModule {}
