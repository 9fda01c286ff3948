import type { Source } from '../cases/case.model.js';

/** The listing kept shifting under concurrent upstream edits; a later attempt will settle. */
export class ListingUnstableError extends Error {
  readonly transient = true;
  constructor(source: Source, passes: number) {
    super(`${source}: the upstream listing changed under paging in ${passes} passes in a row`);
    this.name = 'ListingUnstableError';
  }
}

export class SyncBusyError extends Error {
  readonly transient = true;
  constructor(source: Source, holder: string) {
    super(`${source}: another sync of this source is running (${holder})`);
    this.name = 'SyncBusyError';
  }
}

export class UnknownSourceError extends Error {
  constructor(source: string, enabled: readonly string[]) {
    super(
      `source "${source}" is not enabled; enabled: ${enabled.length > 0 ? enabled.join(', ') : 'none (set GLPI_URL, JIRA_URL or BUGZILLA_URL)'}`,
    );
    this.name = 'UnknownSourceError';
  }
}

/** The worker is shutting down: the run stopped before writing anything; its job is requeued. */
export class SyncInterruptedError extends Error {
  readonly transient = true;
  /** `owner` names the job, e.g. `job:42`. */
  constructor(owner: string) {
    super(`sync ${owner} interrupted by worker shutdown; it goes back to the queue`);
    this.name = 'SyncInterruptedError';
  }
}
