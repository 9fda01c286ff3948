/*
 * Status page: refreshes the source table from /api/v1/status while open, and turns each
 * "Sync now" form into a fetch that then follows its job's progress until it completes or
 * fails (the forms work without this script: the server redirects back to the page).
 * Text goes in with textContent only. describeJob and formatLag mirror src/ops/status/status.page.ts.
 */
(function () {
  'use strict';

  const root = document.getElementById('status');
  if (!root) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  const REFRESH_MS = 5000;
  const JOB_POLL_MS = 500;

  function date(iso) {
    return iso ? iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC') : '—';
  }

  function formatLag(seconds) {
    if (seconds === null) return 'never synced';
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (d > 0) return d + ' d ' + h + ' h';
    if (h > 0) return h + ' h ' + m + ' min';
    if (m > 0) return m + ' min ' + s + ' s';
    return s + ' s';
  }

  function describeJob(job) {
    if (job.state === 'failed') return 'failed: ' + (job.failedReason || 'unknown reason');
    if (job.state === 'completed') {
      const r = job.result;
      if (!r) return 'done';
      if (typeof r.skipped === 'string') return 'skipped: ' + r.skipped;
      return (
        'done: fetched ' +
        r.fetched +
        ', created ' +
        r.created +
        ', updated ' +
        r.updated +
        ', unchanged ' +
        r.unchanged +
        ', removed ' +
        r.removed +
        ' (' +
        (r.durationMs / 1000).toFixed(1) +
        ' s)'
      );
    }
    if (job.state === 'delayed' && job.attemptsMade > 0) {
      return (
        'retrying (attempt ' +
        (job.attemptsMade + 1) +
        ' of ' +
        job.attempts +
        '): ' +
        (job.failedReason || '')
      );
    }
    if (job.state === 'active') {
      const p = job.progress;
      if (!p) return 'starting';
      return p.phase + ' ' + p.fetched + (p.total !== undefined ? '/' + p.total : '');
    }
    return job.state === 'waiting' ? 'queued' : job.state;
  }

  function summary(s) {
    const r = s.lastSummary;
    return r
      ? r.mode +
          ': fetched ' +
          r.fetched +
          ', created ' +
          r.created +
          ', updated ' +
          r.updated +
          ', unchanged ' +
          r.unchanged +
          ', removed ' +
          r.removed
      : '—';
  }

  function setField(row, field, text) {
    const cell = row.querySelector('[data-field="' + field + '"]');
    if (cell && cell.textContent !== text) cell.textContent = text;
  }

  function render(model) {
    for (const s of model.sources) {
      const row = document.getElementById('source-' + s.source);
      if (!row) continue;
      setField(row, 'lastSuccessAt', date(s.lastSuccessAt));
      setField(row, 'lag', formatLag(s.lagSeconds));
      setField(row, 'summary', summary(s));
      setField(row, 'lastError', s.lastError ? date(s.lastErrorAt) + ' ' + s.lastError : '—');
      setField(row, 'nextRunAt', date(s.nextRunAt));
      setField(
        row,
        'running',
        s.running ? describeJob(s.running) : s.queued > 0 ? 'queued' : 'idle',
      );
    }
    for (const dd of document.querySelectorAll('#queue-counts [data-count]')) {
      dd.textContent = String(model.queue[dd.dataset.count]);
    }
    const generated = document.getElementById('status-generated');
    if (generated)
      generated.textContent = 'As of ' + date(model.generatedAt) + '; refreshes while open.';
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      const error = new Error(body.message || 'HTTP ' + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  let refreshing = false;
  let again = false;
  async function refresh() {
    if (refreshing) {
      // a job just finished: the answer in flight may predate it
      again = true;
      return;
    }
    refreshing = true;
    again = false;
    try {
      render(await getJson('/api/v1/status'));
      root.dataset.refreshed = String(Date.now());
    } catch {
      // A missed refresh is retried on the next tick; the table keeps its last values.
    } finally {
      refreshing = false;
      if (again) void refresh();
    }
  }

  function progressBox(source) {
    return document.getElementById('sync-progress-' + source);
  }

  function buttonOf(source) {
    return document.getElementById('sync-now-' + source);
  }

  function show(source, state, text) {
    const box = progressBox(source);
    if (!box) return;
    box.dataset.state = state;
    box.textContent = text;
  }

  function watch(jobId, source) {
    const button = buttonOf(source);
    if (button) button.disabled = true;
    const tick = async () => {
      let job;
      try {
        job = await getJson('/api/v1/status/jobs/' + encodeURIComponent(jobId));
      } catch (e) {
        if (e.status === 404) {
          show(source, 'gone', 'The job is no longer known (finished and cleaned up).');
          if (button) button.disabled = false;
          return;
        }
        window.setTimeout(tick, JOB_POLL_MS * 4);
        return;
      }
      show(source, job.done ? job.state : 'running', describeJob(job));
      if (job.done) {
        if (button) button.disabled = false;
        void refresh();
        return;
      }
      window.setTimeout(tick, JOB_POLL_MS);
    };
    void tick();
  }

  for (const form of document.querySelectorAll('form.sync-now')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const source = form.dataset.source;
      const button = buttonOf(source);
      if (button) button.disabled = true;
      show(source, 'starting', 'starting…');
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          headers: {
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            'x-csrf-token': csrf,
          },
          body: new URLSearchParams(new window.FormData(form)),
        });
        if (!response.ok) {
          show(source, 'refused', 'Sync now was refused (HTTP ' + response.status + ').');
          if (button) button.disabled = false;
          return;
        }
        const answer = await response.json();
        if (!answer.started) show(source, 'running', answer.message + '; following it.');
        watch(answer.job.id, source);
      } catch {
        show(source, 'refused', 'Could not reach the server; try again.');
        if (button) button.disabled = false;
      }
    });
  }

  if (root.dataset.job && root.dataset.jobSource) watch(root.dataset.job, root.dataset.jobSource);
  window.setInterval(refresh, REFRESH_MS);
})();
