import { Inject, Injectable, Logger } from '@nestjs/common';
import { CASE_SOURCES, type CaseSource, type TimelineEntry } from '../sources/case-source.port.js';

/** How long a case page waits for its upstream's comments before showing the page without. */
const TIMELINE_TIMEOUT_MS = 5000;

/**
 * Comments are read live from the upstream when a case page opens (they are not synced): the
 * web role needs the source's credentials for this; without them the page says so.
 */
@Injectable()
export class CaseTimelineService {
  private readonly logger = new Logger(CaseTimelineService.name);

  constructor(@Inject(CASE_SOURCES) private readonly sources: CaseSource[]) {}

  async timeline(source: string, key: string): Promise<TimelineEntry[] | null> {
    const adapter = this.sources.find((s) => s.name === source);
    if (!adapter) return null;
    try {
      return await adapter.fetchTimeline(key, { signal: AbortSignal.timeout(TIMELINE_TIMEOUT_MS) });
    } catch (error) {
      this.logger.warn(
        `no timeline for ${source}:${key}: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
      return null;
    }
  }
}
