import { Module } from '@nestjs/common';
import { ApiModule } from '../api/api.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { LiveController } from '../ops/live.controller.js';
import { QueueModule } from '../sync/queue.module.js';
import { PageModelService } from './page-model.service.js';
import { PagesController } from './pages.controller.js';

/** The HTTP role: sign-in, pages, API. */
@Module({
  imports: [QueueModule, AuthModule, ApiModule],
  controllers: [LiveController, PagesController],
  providers: [PageModelService],
})
export class WebModule {}
