import { Injectable, Logger } from '@nestjs/common';
import type { Source } from '../cases/case.model.js';
import type { UnknownValue } from '../cases/vocabulary.js';

const SETTING: Record<Source, Record<UnknownValue['field'], string>> = {
  glpi: { status: 'GLPI_STATUS_MAP', severity: 'GLPI_PRIORITY_MAP' },
  jira: { status: 'JIRA_STATUS_MAP', severity: 'JIRA_PRIORITY_MAP' },
  bugzilla: { status: 'BUGZILLA_STATUS_MAP', severity: 'BUGZILLA_SEVERITY_MAP' },
};

/** Counts raw values that had no mapping; logs each distinct one once per process. */
@Injectable()
export class VocabularyMonitor {
  private readonly logger = new Logger(VocabularyMonitor.name);
  private readonly counts = new Map<Source, number>();
  private readonly logged = new Set<string>();
  private readonly listeners: ((unknown: UnknownValue) => void)[] = [];

  readonly record = (unknown: UnknownValue): void => {
    this.counts.set(unknown.source, (this.counts.get(unknown.source) ?? 0) + 1);
    const key = `${unknown.source}|${unknown.field}|${unknown.raw}`;
    if (!this.logged.has(key)) {
      this.logged.add(key);
      this.logger.warn(
        `${unknown.source}: unknown ${unknown.field} "${unknown.raw}" mapped to the fallback; map it with ${SETTING[unknown.source][unknown.field]}`,
      );
    }
    for (const listener of this.listeners) listener(unknown);
  };

  onUnknown(listener: (unknown: UnknownValue) => void): void {
    this.listeners.push(listener);
  }

  countFor(source: Source): number {
    return this.counts.get(source) ?? 0;
  }
}
