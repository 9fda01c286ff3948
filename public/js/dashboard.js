/*
 * Dashboard, account and engineer pages: fetches the stats JSON named by [data-stats-url]
 * (narrowed by data-stats-account / data-stats-assignee, URL-encoded here), draws the five
 * Chart.js charts (#chart-severity, #chart-status, #chart-source, #chart-weekly, #chart-trend)
 * and refreshes the KPI cards from the same answer. With data-cases-href, clicking a bar or
 * slice opens the case list filtered on it. The host's data-state ends as "ready" or "error".
 */
/* global Chart */
(function () {
  'use strict';

  const host = document.querySelector('[data-stats-url]');
  if (!host) return;
  const message = document.getElementById('stats-message');

  const OPEN_STATUSES = ['new', 'open', 'pending'];
  const SEVERITIES = ['urgent', 'high', 'normal', 'low'];
  const SOURCES = ['glpi', 'jira', 'bugzilla'];
  const COLORS = {
    urgent: '#c62828',
    high: '#e46f00',
    normal: '#1d63c9',
    low: '#8a939b',
    new: '#6f42c1',
    open: '#1d63c9',
    pending: '#b85c00',
    glpi: '#2e8b57',
    jira: '#2f6fde',
    bugzilla: '#a0522d',
    opened: '#1d63c9',
    closed: '#1e7e34',
    backlog: '#c62828',
  };
  const KPI_IDS = {
    open: 'kpi-open',
    newLastDay: 'kpi-new-last-day',
    newLastWeek: 'kpi-new-last-week',
    closedLastDay: 'kpi-closed-last-day',
    closedLastWeek: 'kpi-closed-last-week',
    slaBreached: 'kpi-sla-breached',
    stale: 'kpi-stale',
    unassigned: 'kpi-unassigned',
  };

  function setState(state, text) {
    host.dataset.state = state;
    if (message) message.textContent = text || '';
  }

  function statsUrl() {
    const url = new URL(host.dataset.statsUrl, location.origin);
    if (host.dataset.statsAccount !== undefined) {
      url.searchParams.set('account', host.dataset.statsAccount);
    }
    if (host.dataset.statsAssignee !== undefined) {
      url.searchParams.set('assignee', host.dataset.statsAssignee);
    }
    return url.pathname + url.search;
  }

  const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const LABELS = { glpi: 'GLPI', jira: 'JIRA', bugzilla: 'Bugzilla' };
  const label = (key) => LABELS[key] || key.charAt(0).toUpperCase() + key.slice(1);

  const baseOptions = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
  };

  /** Where a click on one category leads (null: not clickable on this page). */
  function casesLink(filterName, value) {
    const base = host.dataset.casesHref;
    if (!base) return null;
    const params = new URLSearchParams();
    if (filterName !== 'status') params.set('status', OPEN_STATUSES.join(','));
    params.set(filterName, value);
    return base + '?' + params.toString().replace(/%2C/g, ',');
  }

  function categoryChart(canvasId, type, keys, counts, filterName) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return;
    const clickable = Boolean(host.dataset.casesHref);
    const options = {
      ...baseOptions,
      plugins: {
        legend: { display: type === 'doughnut', position: 'right' },
      },
    };
    if (type === 'bar') {
      options.scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };
    }
    if (clickable) {
      options.onClick = (_event, elements) => {
        if (!elements.length) return;
        const href = casesLink(filterName, keys[elements[0].index]);
        if (href) location.assign(href);
      };
      options.onHover = (event, elements) => {
        event.native.target.style.cursor = elements.length ? 'pointer' : 'default';
      };
    }
    new Chart(canvas, {
      type,
      data: {
        labels: keys.map(label),
        datasets: [
          {
            label: 'Open cases',
            data: keys.map((key) => num(counts && counts[key])),
            backgroundColor: keys.map((key) => COLORS[key]),
          },
        ],
      },
      options,
    });
  }

  function weeklyChart(weeks) {
    const canvas = document.getElementById('chart-weekly');
    if (!canvas) return;
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: weeks.map((week) => String(week.weekStart)),
        datasets: [
          {
            label: 'Opened',
            data: weeks.map((w) => num(w.opened)),
            backgroundColor: COLORS.opened,
          },
          {
            label: 'Closed',
            data: weeks.map((w) => num(w.closed)),
            backgroundColor: COLORS.closed,
          },
        ],
      },
      options: {
        ...baseOptions,
        plugins: { legend: { position: 'top' } },
        scales: {
          x: { title: { display: true, text: 'Week starting' } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  function trendChart(points) {
    const canvas = document.getElementById('chart-trend');
    if (!canvas) return;
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: points.map((point) => String(point.date)),
        datasets: [
          {
            label: 'Open cases',
            data: points.map((point) => num(point.open)),
            borderColor: COLORS.backlog,
            backgroundColor: COLORS.backlog,
            pointRadius: points.length > 60 ? 0 : 2,
            tension: 0.2,
          },
        ],
      },
      options: {
        ...baseOptions,
        plugins: { legend: { display: false } },
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 12 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  function updateKpis(kpi) {
    if (!kpi) return;
    for (const [key, id] of Object.entries(KPI_IDS)) {
      const el = document.getElementById(id);
      if (el && typeof kpi[key] === 'number') el.textContent = String(kpi[key]);
    }
  }

  function showError(response) {
    if (response && response.status === 401) {
      setState('error', 'Your session has expired. ');
      const link = document.createElement('a');
      link.href = '/login?returnTo=' + encodeURIComponent(location.pathname + location.search);
      link.textContent = 'Sign in again';
      if (message) message.append(link);
      return;
    }
    const status = response ? ' (HTTP ' + response.status + ')' : '';
    setState('error', 'The charts could not be loaded' + status + '. Reload the page to retry.');
  }

  async function load() {
    if (typeof Chart === 'undefined') {
      setState('error', 'The chart library did not load.');
      return;
    }
    const url = statsUrl();
    host.dataset.statsUrl = url;
    let response;
    try {
      response = await fetch(url, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
    } catch {
      showError(null);
      return;
    }
    if (!response.ok) {
      showError(response);
      return;
    }
    const stats = await response.json();
    updateKpis(stats.kpi);
    categoryChart('chart-severity', 'doughnut', SEVERITIES, stats.openBySeverity, 'severity');
    categoryChart('chart-status', 'bar', OPEN_STATUSES, stats.openByStatus, 'status');
    categoryChart('chart-source', 'bar', SOURCES, stats.openBySource, 'source');
    weeklyChart(Array.isArray(stats.weekly) ? stats.weekly : []);
    trendChart(Array.isArray(stats.trend) ? stats.trend : []);
    setState('ready', '');
  }

  load().catch(() => setState('error', 'The charts could not be drawn. Reload the page to retry.'));
})();
