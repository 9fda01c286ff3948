import { Global, Module } from '@nestjs/common';
import { CaseStore } from './case.store.js';
import { RedisFactory } from './redis.factory.js';

@Global()
@Module({
  providers: [RedisFactory, CaseStore],
  exports: [RedisFactory, CaseStore],
})
export class StoreModule {}
