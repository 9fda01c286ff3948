import type { SourceStatusView, StatusModel, SyncJobView } from './status.model.js';

/** "4 min 12 s", "2 h 5 min", "3 d 4 h": a lag as people read it. Mirrored in public/js/status.js. */
export function formatLag(seconds: number | null): string {
  if (seconds === null) return 'never synced';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** What a job is doing or did, in one line. Mirrored in public/js/status.js. */
export function describeJob(job: SyncJobView): string {
  if (job.state === 'failed') return `failed: ${job.failedReason ?? 'unknown reason'}`;
  if (job.state === 'completed') {
    const r = job.result;
    if (!r) return 'done';
    if ('skipped' in r) return `skipped: ${r.skipped}`;
    return (
      `done: fetched ${r.fetched}, created ${r.created}, updated ${r.updated}, ` +
      `unchanged ${r.unchanged}, removed ${r.removed} (${(r.durationMs / 1000).toFixed(1)} s)`
    );
  }
  if (job.state === 'delayed' && job.attemptsMade > 0) {
    return `retrying (attempt ${job.attemptsMade + 1} of ${job.attempts}): ${job.failedReason ?? ''}`;
  }
  if (job.state === 'active') {
    const p = job.progress;
    if (!p) return 'starting';
    return `${p.phase} ${p.fetched}${p.total !== undefined ? `/${p.total}` : ''}`;
  }
  return job.state === 'waiting' ? 'queued' : job.state;
}

function summaryText(s: SourceStatusView): string | null {
  const r = s.lastSummary;
  return r
    ? `${r.mode}: fetched ${r.fetched}, created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, removed ${r.removed}`
    : null;
}

/** The status model with display strings, for views/status.hbs. */
export function statusPageModel(model: StatusModel, canSync: boolean, watched: SyncJobView | null) {
  return {
    status: model,
    canSync,
    watched,
    rows: model.sources.map((s) => ({
      ...s,
      lag: formatLag(s.lagSeconds),
      summary: summaryText(s),
      runningText: s.running ? describeJob(s.running) : s.queued > 0 ? 'queued' : null,
      watchedText: watched?.source === s.source ? describeJob(watched) : null,
    })),
  };
}
