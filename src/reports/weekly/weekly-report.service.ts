import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SupportCase } from '../../cases/case.model.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import {
  CASE_SOURCES,
  type CaseSource,
  type TimelineEntry,
} from '../../sources/case-source.port.js';
import { CaseStore } from '../../store/case.store.js';
import { groupWeekly, selectWeekly, type WeeklyReport } from './weekly-report.js';

/** Comments are read this many at a time across all sources (each adapter also limits itself). */
const COMMENT_CONCURRENCY = 8;
const COMMENT_TIMEOUT_MS = 10_000;

export interface WeeklyOptions {
  since: Date;
  until?: Date;
  /** Accounts the reader may see (null: all). */
  scope: string[] | null;
  account?: string;
  /** Stop reading comments after this long; the rest are marked unavailable (web pages). */
  commentBudgetMs?: number;
}

/**
 * The weekly report: cases updated since a date from the store, each with its last comment
 * read live from its upstream (not synced). A comment that cannot be read is marked as such;
 * it never fails the report.
 */
@Injectable()
export class WeeklyReportService {
  private readonly logger = new Logger(WeeklyReportService.name);

  constructor(
    private readonly store: CaseStore,
    @Inject(CASE_SOURCES) private readonly sources: CaseSource[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async build(options: WeeklyOptions): Promise<WeeklyReport> {
    const until = options.until ?? new Date();
    const cases: SupportCase[] = [];
    for await (const batch of this.store.scan()) {
      for (const c of batch) {
        if (selectWeekly(c, options.since, until, options.scope, options.account)) cases.push(c);
      }
    }
    const comments = await this.lastComments(cases, options.commentBudgetMs);
    return groupWeekly(cases, comments, this.config.upstreamBases, options.since, until);
  }

  /** Case id → last comment (null: none; absent: could not be read). */
  private async lastComments(
    cases: SupportCase[],
    budgetMs?: number,
  ): Promise<Map<string, TimelineEntry | null>> {
    const found = new Map<string, TimelineEntry | null>();
    const deadline = budgetMs === undefined ? undefined : AbortSignal.timeout(budgetMs);
    let next = 0;
    const worker = async () => {
      while (next < cases.length && !deadline?.aborted) {
        const c = cases[next++];
        const adapter = this.sources.find((s) => s.name === c.source);
        if (!adapter) continue;
        try {
          const timeout = AbortSignal.timeout(COMMENT_TIMEOUT_MS);
          const timeline = await adapter.fetchTimeline(c.key, {
            signal: deadline ? AbortSignal.any([deadline, timeout]) : timeout,
          });
          found.set(c.id, timeline.at(-1) ?? null);
        } catch (error) {
          this.logger.debug(
            `no comments for ${c.id}: ${error instanceof Error ? error.message : 'unknown error'}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: COMMENT_CONCURRENCY }, worker));
    const missing = cases.length - found.size;
    if (missing > 0)
      this.logger.warn(
        `last comment unavailable for ${missing} case(s)${deadline?.aborted ? ' (time budget spent)' : ''}`,
      );
    return found;
  }
}
