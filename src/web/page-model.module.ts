import { Module } from '@nestjs/common';
import { StatusModule } from '../ops/status/status.module.js';
import { PageModelService } from './page-model.service.js';

/** The layout's view model (user, nav, assets, "data as of"), shared by every page module. */
@Module({
  imports: [StatusModule],
  providers: [PageModelService],
  exports: [PageModelService],
})
export class PageModelModule {}
