import { Global, Module } from '@nestjs/common';
import { ShutdownState } from './shutdown-state.js';

/** The shutdown flag, one per process, readable from any module (health, processors). */
@Global()
@Module({
  providers: [ShutdownState],
  exports: [ShutdownState],
})
export class LifecycleModule {}
