import type { SyncJobView } from './status.model.js';
import { describeJob, formatLag } from './status.page.js';

const job = (overrides: Partial<SyncJobView> = {}): SyncJobView => ({
  id: 'sync:jira:incremental:1',
  source: 'jira',
  mode: 'incremental',
  trigger: 'manual',
  state: 'waiting',
  done: false,
  progress: null,
  attemptsMade: 0,
  attempts: 5,
  result: null,
  failedReason: null,
  enqueuedAt: null,
  startedAt: null,
  finishedAt: null,
  ...overrides,
});

describe('status page text', () => {
  it.each([
    [null, 'never synced'],
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min 0 s'],
    [3599, '59 min 59 s'],
    [3600, '1 h 0 min'],
    [86_399, '23 h 59 min'],
    [90_000, '1 d 1 h'],
  ])('should read a lag of %s seconds as %s', (seconds, text) => {
    expect(formatLag(seconds)).toBe(text);
  });

  it('should describe a job through its life as bin/sync would', () => {
    expect(describeJob(job())).toBe('queued');
    expect(describeJob(job({ state: 'active' }))).toBe('starting');
    expect(
      describeJob(
        job({ state: 'active', progress: { source: 'jira', phase: 'listing', fetched: 20 } }),
      ),
    ).toBe('listing 20');
    expect(
      describeJob(
        job({
          state: 'active',
          progress: { source: 'jira', phase: 'applying', fetched: 20, total: 60 },
        }),
      ),
    ).toBe('applying 20/60');
    expect(
      describeJob(job({ state: 'delayed', attemptsMade: 1, failedReason: 'jira: HTTP 500' })),
    ).toBe('retrying (attempt 2 of 5): jira: HTTP 500');
    expect(
      describeJob(
        job({
          state: 'completed',
          done: true,
          result: {
            fetched: 7,
            created: 1,
            updated: 2,
            unchanged: 4,
            removed: 0,
            durationMs: 1234,
          },
        }),
      ),
    ).toBe('done: fetched 7, created 1, updated 2, unchanged 4, removed 0 (1.2 s)');
    expect(describeJob(job({ state: 'completed', done: true, result: { skipped: 'busy' } }))).toBe(
      'skipped: busy',
    );
    expect(describeJob(job({ state: 'failed', done: true, failedReason: 'jira: denied' }))).toBe(
      'failed: jira: denied',
    );
  });
});
