/*
 * Case table (/cases, and the account/engineer drill-downs that embed the same partial):
 * DataTables server-side processing against /api/v1/cases/datatable, the facet filter selects
 * (#filter-source, -status, -severity, -account, -assignee; values sent comma-separated), child
 * rows listing a case's linked issues, URL state (filters, search, order, page start and length
 * mirrored into location.search and restored on load) and the #export-csv link kept in step.
 * Every value from upstream is written with textContent or as an element property, never as HTML.
 */
/* global DataTable */
(function () {
  'use strict';

  const tableEl = document.getElementById('cases');
  const root = document.querySelector('[data-case-table]');
  if (!tableEl || !root) return;
  const errorBox = document.getElementById('cases-error');
  const exportLink = document.getElementById('export-csv');

  const ENDPOINT = '/api/v1/cases/datatable';
  const EXPORT = '/api/v1/cases/export.csv';
  const HTTP_URL = /^https?:\/\//i;
  const LOCAL_PATH = /^\/(?![/\\])/;
  const FILTERS = ['source', 'status', 'severity', 'account', 'assignee'];
  /** Enumerated filters: an empty value means nothing there (for account/assignee it means "none"). */
  const ENUM_FILTERS = new Set(['source', 'status', 'severity']);
  const COLUMNS = [
    'source',
    'key',
    'severity',
    'title',
    'account',
    'status',
    'assignee',
    'product',
    'createdAt',
    'updatedAt',
    'daysOpen',
    'links',
  ];
  const UNSORTABLE = new Set(['links']);
  const PAGE_LENGTHS = [25, 50, 100, 250];
  const DEFAULT_LENGTH = 50;
  const DEFAULT_SORT = '-updatedAt';
  const LINK_GROUPS = [
    ['jira', 'Linked JIRA issues'],
    ['bugzilla', 'Linked Bugzilla bugs'],
    ['glpi', 'Linked GLPI tickets'],
  ];

  function showError(text) {
    if (errorBox) errorBox.replaceChildren(...(Array.isArray(text) ? text : [text || '']));
  }

  if (typeof DataTable === 'undefined') {
    showError('The table library did not load; reload the page.');
    return;
  }

  /* ---- filters: fixed by the page, or chosen in the selects ------------------------------ */

  const fixed = {};
  if (root.dataset.fixedAccount !== undefined) fixed.account = root.dataset.fixedAccount;
  if (root.dataset.fixedAssignee !== undefined) fixed.assignee = root.dataset.fixedAssignee;

  const selects = {};
  for (const name of FILTERS) {
    const select = document.getElementById('filter-' + name);
    if (select && !(name in fixed)) selects[name] = select;
  }

  function selectedValues(name) {
    const values = [...selects[name].selectedOptions].map((option) => option.value);
    return ENUM_FILTERS.has(name) ? values.filter((value) => value !== '') : values;
  }

  /** The filter query parameters (comma-separated lists), with the page's fixed ones if asked. */
  function filterParams(withFixed) {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      if (withFixed && name in fixed) {
        params.set(name, fixed[name]);
      } else if (selects[name]) {
        const values = selectedValues(name);
        if (values.length) params.set(name, values.join(','));
      }
    }
    return params;
  }

  /** Query strings keep commas readable; the server splits lists on them either way. */
  const query = (params) => params.toString().replace(/%2C/gi, ',');

  /* ---- URL state ------------------------------------------------------------------------ */

  /** DataTables order ([{column, dir}]) as the API's sort parameter: "-updatedAt,severity". */
  function sortText(order) {
    return order
      .filter((o) => COLUMNS[o.column] && (o.dir === 'asc' || o.dir === 'desc'))
      .map((o) => (o.dir === 'desc' ? '-' : '') + COLUMNS[o.column])
      .join(',');
  }

  function parseSort(text) {
    const order = [];
    for (const part of text.split(',')) {
      const field = part.trim().replace(/^[-+]/, '');
      const column = COLUMNS.indexOf(field);
      if (column >= 0 && !UNSORTABLE.has(field)) {
        order.push([column, part.trim().startsWith('-') ? 'desc' : 'asc']);
      }
    }
    return order;
  }

  function wholeNumber(text, fallback) {
    return /^\d{1,9}$/.test(text || '') ? Number(text) : fallback;
  }

  const initial = new URLSearchParams(location.search);
  for (const [name, select] of Object.entries(selects)) {
    if (!initial.has(name)) continue;
    for (const value of initial.get(name).split(',')) {
      if (value === '' && ENUM_FILTERS.has(name)) continue;
      let option = [...select.options].find((o) => o.value === value);
      if (!option && ENUM_FILTERS.has(name)) continue; // not a value the server accepts
      if (!option) {
        // A shared link may name an account or assignee outside the top facets: offer it.
        const label = value === '' ? (name === 'account' ? '(no account)' : '(unassigned)') : value;
        option = new Option(label, value);
        select.add(option);
      }
      option.selected = true;
    }
  }
  const initialLength = wholeNumber(initial.get('length'), DEFAULT_LENGTH);
  const pageLength = PAGE_LENGTHS.includes(initialLength) ? initialLength : DEFAULT_LENGTH;
  const initialStart = wholeNumber(initial.get('start'), 0);
  const initialOrder = parseSort(initial.has('sort') ? initial.get('sort') : DEFAULT_SORT);
  const initialSearch = (initial.get('q') || '').slice(0, 200);

  /** Rewrites location.search (other parameters kept) to match the table's current view. */
  function saveUrlState(view) {
    const params = new URLSearchParams(location.search);
    for (const name of [...FILTERS, 'q', 'sort', 'start', 'length']) params.delete(name);
    for (const [name, value] of filterParams(false)) params.set(name, value);
    if (view.search) params.set('q', view.search);
    const sort = sortText(view.order);
    if (sort !== DEFAULT_SORT) params.set('sort', sort);
    if (view.start > 0) params.set('start', String(view.start));
    if (view.length !== DEFAULT_LENGTH) params.set('length', String(view.length));
    const search = query(params);
    const url = location.pathname + (search ? '?' + search : '') + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      history.replaceState(history.state, '', url);
    }
  }

  function updateExportLink(view) {
    if (!exportLink) return;
    const params = filterParams(true);
    if (view.search) params.set('q', view.search);
    const sort = sortText(view.order);
    if (sort) params.set('sort', sort);
    exportLink.href = EXPORT + '?' + query(params);
  }

  /* ---- data ----------------------------------------------------------------------------- */

  let inflight = null;
  let lastView = {
    search: initialSearch,
    order: initialOrder.map(([column, dir]) => ({ column, dir })),
    start: initialStart,
    length: pageLength,
  };

  async function failure(response) {
    if (response.status === 401) {
      const link = document.createElement('a');
      link.href = '/login?returnTo=' + encodeURIComponent(location.pathname + location.search);
      link.textContent = 'Sign in again';
      return ['Your session has expired. ', link];
    }
    let detail = '';
    try {
      const body = await response.json();
      if (body && typeof body.message === 'string') detail = ': ' + body.message;
    } catch {
      // not JSON: the status says enough
    }
    return 'The cases could not be loaded (HTTP ' + response.status + detail + ').';
  }

  /** DataTables' ajax hook: sends only the standard parameters the server reads, plus filters. */
  function fetchPage(data, callback) {
    const params = new URLSearchParams();
    params.set('draw', String(data.draw));
    params.set('start', String(data.start));
    params.set('length', String(data.length));
    params.set('search[value]', data.search.value);
    data.order.forEach((o, i) => {
      params.set('order[' + i + '][column]', String(o.column));
      params.set('order[' + i + '][dir]', o.dir);
    });
    data.columns.forEach((column, i) => params.set('columns[' + i + '][data]', column.data));
    for (const [name, value] of filterParams(true)) params.set(name, value);
    lastView = {
      search: data.search.value,
      order: data.order,
      start: data.start,
      length: data.length,
    };

    if (inflight) inflight.abort();
    const controller = new AbortController();
    inflight = controller;
    tableEl.dataset.state = 'loading';
    const empty = { draw: data.draw, recordsTotal: 0, recordsFiltered: 0, data: [] };
    fetch(ENDPOINT + '?' + query(params), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      signal: controller.signal,
    })
      .then(async (response) => {
        if (!response.ok) {
          showError(await failure(response));
          callback(empty);
          return;
        }
        const json = await response.json();
        showError('');
        callback({ ...json, data: Array.isArray(json.data) ? json.data : [] });
      })
      .catch((error) => {
        if (error && error.name === 'AbortError') return;
        showError('The cases could not be loaded; check the connection and reload.');
        callback(empty);
      });
  }

  /* ---- cell rendering (DOM nodes only) ------------------------------------------------ */

  const text = (value) => (value === null || value === undefined ? '' : String(value));
  const token = (value) =>
    text(value)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '') || 'unknown';
  const shortDate = (iso) => text(iso).slice(0, 10);

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function link(href, content, external) {
    const a = el('a', '', content);
    a.href = href;
    if (external) {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    return a;
  }

  const muted = (content) => el('span', 'muted', content);

  /** A link to the page that knows the case: ours if we have it, else upstream's (http(s) only). */
  function caseLink(item, content) {
    if (typeof item.href === 'string' && LOCAL_PATH.test(item.href)) {
      return link(item.href, content, false);
    }
    if (typeof item.url === 'string' && HTTP_URL.test(item.url))
      return link(item.url, content, true);
    return el('span', '', content);
  }

  function linkCount(row) {
    return Array.isArray(row.linked) ? row.linked.length : 0;
  }

  const renderers = {
    source: (value) => el('span', 'src src-' + token(value), text(value)),
    key: (value, row) => {
      if (typeof row.url === 'string' && HTTP_URL.test(row.url)) {
        const a = link(row.url, text(value), true);
        a.title = 'Open in ' + text(row.source);
        return a;
      }
      return el('span', '', text(value));
    },
    severity: (value, row) => {
      const badge = el('span', 'sev sev-' + token(value), text(value) || '—');
      if (row.severityRaw) badge.title = text(row.severityRaw);
      return badge;
    },
    title: (value, row) => {
      const content = text(value) || '(no title)';
      if (typeof row.href === 'string' && LOCAL_PATH.test(row.href)) {
        const a = link(row.href, content, false);
        a.className = 'case-title';
        return a;
      }
      return el('span', 'case-title', content);
    },
    account: (value) =>
      value ? link('/accounts/' + encodeURIComponent(value), text(value), false) : muted('—'),
    status: (value, row) => {
      const span = el('span', 'status status-' + token(value), text(value));
      if (row.statusRaw) span.title = text(row.statusRaw);
      return span;
    },
    assignee: (value) =>
      value
        ? link('/engineers/' + encodeURIComponent(value), text(value), false)
        : muted('unassigned'),
    product: (value) => (value ? el('span', '', text(value)) : muted('—')),
    date: (value) => {
      if (!value) return muted('—');
      const span = el('time', '', shortDate(value));
      span.dateTime = text(value);
      span.title = text(value);
      return span;
    },
    daysOpen: (value, row) => {
      const sla = row.sla || {};
      const span = el('span', 'sla sla-' + token(sla.state), value === null ? '—' : text(value));
      span.title = 'SLA ' + text(sla.state) + (sla.dueAt ? ', due ' + shortDate(sla.dueAt) : '');
      return span;
    },
    links: (_value, row) => {
      const count = linkCount(row);
      const button = el('button', 'btn btn-outline-secondary details-toggle');
      button.type = 'button';
      button.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-label', 'Details and ' + count + ' linked case(s)');
      button.append(el('span', 'chev', '▸'), ' ' + count);
      return button;
    },
  };

  const CELL_CLASSES = {
    key: 'col-key',
    title: 'col-title',
    createdAt: 'col-date',
    updatedAt: 'col-date',
    daysOpen: 'col-num',
  };

  // Nodes for display; plain text for DataTables' other uses (the links column: its count).
  const columns = COLUMNS.map((name) => {
    const build = renderers[name] || renderers.date;
    return {
      data: name,
      name,
      orderable: !UNSORTABLE.has(name),
      className: CELL_CLASSES[name] || '',
      defaultContent: '',
      render: (data, type, row) => {
        if (type === 'display') return build(data, row);
        return name === 'links' ? String(linkCount(row)) : text(data);
      },
    };
  });

  /* ---- child row ---------------------------------------------------------------------- */

  function details(row) {
    const box = el('div', 'case-details');
    const meta = el('div', 'meta');
    const facts = [
      ['Requester', row.requester],
      ['Component', row.component],
      ['Labels', Array.isArray(row.labels) ? row.labels.join(', ') : ''],
      ['Resolved', shortDate(row.resolvedAt)],
      ['SLA due', row.sla && row.sla.dueAt ? shortDate(row.sla.dueAt) : ''],
    ];
    for (const [label, value] of facts) {
      if (value) meta.append(el('span', '', label + ': ' + text(value)));
    }
    if (typeof row.href === 'string' && LOCAL_PATH.test(row.href)) {
      const span = el('span');
      span.append(link(row.href, 'Case page', false));
      meta.append(span);
    }
    box.append(meta);

    const linked = Array.isArray(row.linked) ? row.linked : [];
    const known = new Set(LINK_GROUPS.map(([source]) => source));
    const groups = [...LINK_GROUPS, ['', 'Other linked items']];
    for (const [source, heading] of groups) {
      const items = linked.filter((item) =>
        source ? item.source === source : !known.has(item.source),
      );
      if (!items.length) continue;
      box.append(el('h3', '', heading + ' (' + items.length + ')'));
      const list = el('ul');
      for (const item of items) {
        const li = el('li');
        li.append(caseLink(item, text(item.key)));
        li.append(
          item.title ? el('span', '', text(item.title)) : muted('not synced or not visible to you'),
        );
        if (item.status)
          li.append(el('span', 'status status-' + token(item.status), text(item.status)));
        list.append(li);
      }
      box.append(list);
    }
    if (!linked.length) box.append(el('p', 'muted mb-0', 'No linked cases.'));
    return box;
  }

  tableEl.addEventListener('click', (event) => {
    const button = event.target.closest('button.details-toggle');
    if (!button || !tableEl.contains(button)) return;
    const row = table.row(button.closest('tr'));
    if (row.child.isShown()) {
      row.child.hide();
      button.setAttribute('aria-expanded', 'false');
    } else {
      row.child(details(row.data()), 'case-child').show();
      button.setAttribute('aria-expanded', 'true');
    }
  });

  /* ---- the table ------------------------------------------------------------------------ */

  // DataTables would alert() on errors: show them in the page instead.
  DataTable.ext.errMode = (_settings, _techNote, message) =>
    showError('Table error: ' + text(message));
  const table = new DataTable(tableEl, {
    serverSide: true,
    processing: true,
    ajax: fetchPage,
    columns,
    order: initialOrder,
    orderMulti: true,
    pageLength,
    lengthMenu: PAGE_LENGTHS,
    displayStart: initialStart,
    search: { search: initialSearch },
    searchDelay: 350,
    autoWidth: false,
    language: {
      entries: { _: 'cases', 1: 'case' },
      search: 'Search:',
      searchPlaceholder: 'key, title, account, label…',
      emptyTable: 'No cases.',
      zeroRecords: 'No case matches these filters.',
      processing: 'Loading…',
    },
  });

  table.on('draw', () => {
    // A shared link or narrower filters can leave the page past the end: step back to the last.
    const info = table.page.info();
    if (info.recordsDisplay > 0 && info.start >= info.recordsDisplay) {
      table.page('last').draw('page');
      return;
    }
    tableEl.dataset.state = 'ready';
    saveUrlState(lastView);
    updateExportLink(lastView);
  });

  for (const select of Object.values(selects)) {
    select.addEventListener('change', () => table.draw());
  }
  const clear = document.getElementById('filter-clear');
  if (clear) {
    clear.addEventListener('click', () => {
      for (const select of Object.values(selects)) {
        for (const option of select.options) option.selected = false;
      }
      table.search('').draw();
    });
  }
  const form = document.getElementById('case-filters');
  if (form) form.addEventListener('submit', (event) => event.preventDefault());
  updateExportLink(lastView);
})();
