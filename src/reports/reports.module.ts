import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module.js';
import { WeeklyReportService } from './weekly/weekly-report.service.js';

/** Reports for leads: the weekly report (bin/weekly-report and /reports/weekly). */
@Module({
  imports: [SourcesModule],
  providers: [WeeklyReportService],
  exports: [WeeklyReportService],
})
export class ReportsModule {}
