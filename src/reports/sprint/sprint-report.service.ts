import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { UPSTREAM_OBSERVER, type UpstreamObserver } from '../../sources/http/upstream-observer.js';
import { hasJiraCredentials } from '../../sources/jira/jira.http.js';
import type { AgileBoard } from './agile.schemas.js';
import { JiraAgileClient } from './jira-agile.client.js';
import { SprintReportBuilder, type SprintSelector } from './sprint-report.builder.js';
import type { SprintReport } from './sprint-report.model.js';

/** The sprint report for the web role: the same builder bin/sprint-report uses. */
@Injectable()
export class SprintReportService {
  private readonly logger = new Logger(SprintReportService.name);
  private readonly client: JiraAgileClient | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(UPSTREAM_OBSERVER) observer: UpstreamObserver,
  ) {
    const jira = config.sources.jira;
    this.client =
      jira && hasJiraCredentials(jira)
        ? new JiraAgileClient(jira, config.upstream, observer)
        : undefined;
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  /** Scrum boards to pick from; an empty list when JIRA cannot say (the form still works). */
  async boards(): Promise<AgileBoard[]> {
    if (!this.client) return [];
    try {
      return await this.client.scrumBoards();
    } catch (error) {
      this.logger.warn(`listing boards: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  async report(boardId: number, selector: SprintSelector): Promise<SprintReport> {
    if (!this.client) throw new Error('JIRA is not configured');
    return new SprintReportBuilder(this.client).build(boardId, selector);
  }
}
