import {
  JIRA_PRIORITIES,
  JIRA_PROJECT_INFO,
  JIRA_STATUSES,
  STATUS_CATEGORIES,
  type JiraIssue,
} from './jira.records.js';
import {
  conjuncts,
  JqlError,
  type JqlClause,
  type JqlExpr,
  type JqlQuery,
  type JqlValue,
} from './jql.js';
import { type TimeZone } from './time-zone.js';
import { JIRA_PROJECTS, type JiraProject } from './world.js';

export interface JqlContext {
  tz: TimeZone;
  now: number;
  /** Anonymous callers see no project at all. */
  anonymous: boolean;
  flavor: 'cloud' | 'datacenter';
  /** Custom field id holding the customer account, e.g. customfield_10050. */
  accountField: string;
  issue(keyOrId: string): JiraIssue | undefined;
}

export interface UpdatedBound {
  at: number;
  inclusive: boolean;
}

export interface CompiledJql {
  test: (issue: JiraIssue) => boolean;
  /** Bounds on `updated` implied by top-level AND clauses: the range to binary-search. */
  lower?: UpdatedBound;
  upper?: UpdatedBound;
  /** null when the requested order is the index order (updated ASC, key ASC). */
  compare: ((a: JiraIssue, b: JiraIssue) => number) | null;
}

type Test = (issue: JiraIssue) => boolean;

/** Issue key order: project key, then number numerically (SUP-9 < SUP-10). */
export function compareKeys(a: JiraIssue, b: JiraIssue): number {
  return a.project < b.project ? -1 : a.project > b.project ? 1 : a.number - b.number;
}

/** The index order: updated ASC, then key ASC. */
export function compareUpdatedKey(a: JiraIssue, b: JiraIssue): number {
  return a.updatedMs - b.updatedMs || compareKeys(a, b);
}

export function compileJql(query: JqlQuery, ctx: JqlContext): CompiledJql {
  const matches = query.where ? compileExpr(query.where, ctx) : () => true;
  // Anonymous callers can browse no project, so they see nothing.
  const test: Test = ctx.anonymous ? () => false : matches;
  const compiled: CompiledJql = { test, compare: compileOrder(query, ctx) };
  for (const item of conjuncts(query.where)) {
    if (item.kind !== 'clause' || DATE_FIELDS[item.field] !== 'updated') continue;
    if (item.values.length !== 1 || item.values[0].kind === 'empty') continue;
    const at = parseDate(item.values[0], item.field, ctx);
    if (item.operator === '>=' || item.operator === '>') {
      const inclusive = item.operator === '>=';
      if (!compiled.lower || at > compiled.lower.at) compiled.lower = { at, inclusive };
    } else if (item.operator === '<=' || item.operator === '<') {
      const inclusive = item.operator === '<=';
      if (!compiled.upper || at < compiled.upper.at) compiled.upper = { at, inclusive };
    }
  }
  return compiled;
}

function compileExpr(expr: JqlExpr, ctx: JqlContext): Test {
  switch (expr.kind) {
    case 'and': {
      const tests = expr.items.map((e) => compileExpr(e, ctx));
      return (issue) => tests.every((t) => t(issue));
    }
    case 'or': {
      const tests = expr.items.map((e) => compileExpr(e, ctx));
      return (issue) => tests.some((t) => t(issue));
    }
    case 'not': {
      const inner = compileExpr(expr.item, ctx);
      return (issue) => !inner(issue);
    }
    case 'clause':
      return compileClause(expr, ctx);
  }
}

const DATE_FIELDS: Record<string, 'updated' | 'created' | 'resolved' | 'due' | undefined> = {
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
  resolved: 'resolved',
  resolutiondate: 'resolved',
  due: 'due',
  duedate: 'due',
};

function compileClause(clause: JqlClause, ctx: JqlContext): Test {
  const { field } = clause;
  const dateField = DATE_FIELDS[field];
  if (dateField) return compileDateClause(clause, dateField, ctx);
  switch (field) {
    case 'project':
      return compileSet(
        clause,
        (i) => [i.project],
        (v) => resolveProject(v, ctx),
      );
    case 'key':
    case 'issuekey':
    case 'id':
      return compileKeyClause(clause, ctx);
    case 'status':
      return compileSet(
        clause,
        (i) => [i.status.id],
        (v) => {
          const s = JIRA_STATUSES.find(
            (x) => x.id === v || x.name.toLowerCase() === v.toLowerCase(),
          );
          if (!s) throw valueError(v, 'status');
          return s.id;
        },
      );
    case 'statuscategory':
      return compileSet(
        clause,
        (i) => [i.status.category],
        (v) => {
          const entry = Object.entries(STATUS_CATEGORIES).find(
            ([key, c]) =>
              key === v.toLowerCase() ||
              c.name.toLowerCase() === v.toLowerCase() ||
              String(c.id) === v,
          );
          if (!entry) throw valueError(v, 'statusCategory');
          return entry[0];
        },
      );
    case 'priority':
      return compileSet(
        clause,
        (i) => [i.priority.id],
        (v) => {
          const p = JIRA_PRIORITIES.find(
            (x) => x.id === v || x.name.toLowerCase() === v.toLowerCase(),
          );
          if (!p) throw valueError(v, 'priority');
          return p.id;
        },
      );
    case 'assignee':
    case 'reporter':
      return compileSet(
        clause,
        (i) => {
          const person = field === 'assignee' ? i.assignee : i.reporter;
          return person ? [person.accountId, person.login, person.jiraKey] : [];
        },
        (v) => v,
      );
    case 'labels':
      return compileSet(
        clause,
        (i) => i.labels,
        (v) => v,
      );
    case 'component':
      return compileSet(
        clause,
        (i) => i.components.map((c) => c.toLowerCase()),
        (v) => v.toLowerCase(),
      );
    case 'issuetype':
    case 'type':
      return compileSet(
        clause,
        (i) => [i.issuetype.name.toLowerCase(), i.issuetype.id],
        (v) => v.toLowerCase(),
      );
    case 'resolution':
      return compileSet(
        clause,
        (i) => (i.resolvedMs === null ? [] : ['done']),
        (v) => (v.toLowerCase() === 'unresolved' ? '\u0000unresolved' : v.toLowerCase()),
        (i) => i.resolvedMs === null,
      );
    case 'summary':
    case 'description':
    case 'text':
      return compileText(clause, field);
    default:
      if (isAccountField(field, ctx.accountField)) {
        if (clause.operator === '~' || clause.operator === '!~') {
          return compileText(clause, 'account');
        }
        return compileSet(
          clause,
          (i) => (i.account === null ? [] : [i.account.toLowerCase()]),
          (v) => v.toLowerCase(),
        );
      }
      throw new JqlError(
        `Field '${field}' does not exist or you do not have permission to view it.`,
        false,
      );
  }
}

function isAccountField(field: string, accountField: string): boolean {
  const number = accountField.replace(/^customfield_/, '');
  return field === accountField || field === `cf[${number}]` || field === 'customer account';
}

/**
 * =, !=, IN, NOT IN, IS [NOT] EMPTY over a multi-valued attribute. `isEmptyOverride` replaces the
 * "no values" test (used by resolution = Unresolved).
 */
function compileSet(
  clause: JqlClause,
  values: (issue: JiraIssue) => readonly string[],
  resolve: (literal: string) => string,
  isEmptyOverride?: Test,
): Test {
  const empty: Test = isEmptyOverride ?? ((i) => values(i).length === 0);
  const { operator } = clause;
  if (operator === 'is' || operator === 'is not') {
    return operator === 'is' ? empty : (i) => !empty(i);
  }
  if (!['=', '!=', 'in', 'not in'].includes(operator)) throw operatorError(operator, clause.field);
  const wanted = new Set<string>();
  let wantsEmpty = false;
  for (const v of clause.values) {
    if (v.kind === 'empty') wantsEmpty = true;
    else if (v.kind === 'function') wanted.add(`\u0000${v.text.toLowerCase()}()`);
    else {
      const resolved = resolve(v.text);
      if (resolved === '\u0000unresolved') wantsEmpty = true;
      else wanted.add(resolved);
    }
  }
  const hit: Test = (i) => (wantsEmpty && empty(i)) || values(i).some((v) => wanted.has(v));
  return operator === '=' || operator === 'in' ? hit : (i) => !hit(i);
}

function compileKeyClause(clause: JqlClause, ctx: JqlContext): Test {
  const { operator } = clause;
  const targets = clause.values.map((v) => {
    const issue = v.kind === 'empty' ? undefined : ctx.issue(v.text);
    if (!issue || ctx.anonymous) {
      throw new JqlError(
        `An issue with key '${v.text}' does not exist for field '${clause.field}'.`,
        false,
      );
    }
    return issue;
  });
  switch (operator) {
    case '=':
    case 'in': {
      const set = new Set(targets);
      return (i) => set.has(i);
    }
    case '!=':
    case 'not in': {
      const set = new Set(targets);
      return (i) => !set.has(i);
    }
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const t = targets[0];
      return (i) => {
        if (i.project !== t.project) return false;
        const d = i.number - t.number;
        return operator === '>'
          ? d > 0
          : operator === '>='
            ? d >= 0
            : operator === '<'
              ? d < 0
              : d <= 0;
      };
    }
    case '~':
    case '!~':
    case 'is':
    case 'is not':
      throw operatorError(operator, clause.field);
  }
}

function compileDateClause(
  clause: JqlClause,
  field: 'updated' | 'created' | 'resolved' | 'due',
  ctx: JqlContext,
): Test {
  const get = (i: JiraIssue): number | null => {
    switch (field) {
      case 'updated':
        return i.updatedMs;
      case 'created':
        return i.createdMs;
      case 'resolved':
        return i.resolvedMs;
      case 'due':
        return i.duedate === null ? null : ctx.tz.parseNaive(i.duedate);
    }
  };
  const { operator } = clause;
  if (operator === 'is' || operator === 'is not') {
    return operator === 'is' ? (i) => get(i) === null : (i) => get(i) !== null;
  }
  if (operator === '~' || operator === '!~') throw operatorError(operator, clause.field);
  const instants = clause.values.map((v) => parseDate(v, clause.field, ctx));
  const at = instants[0];
  const cmp = (i: JiraIssue, check: (v: number) => boolean) => {
    const v = get(i);
    return v !== null && check(v);
  };
  switch (operator) {
    case '>':
      return (i) => cmp(i, (v) => v > at);
    case '>=':
      return (i) => cmp(i, (v) => v >= at);
    case '<':
      return (i) => cmp(i, (v) => v < at);
    case '<=':
      return (i) => cmp(i, (v) => v <= at);
    case '=':
    case 'in':
      return (i) => cmp(i, (v) => instants.includes(v));
    case '!=':
    case 'not in':
      return (i) => !cmp(i, (v) => instants.includes(v));
  }
}

const PERIOD_UNITS: Record<string, number> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
};

/**
 * JQL date literal → instant: `yyyy-MM-dd HH:mm`, `yyyy/MM/dd HH:mm`, date-only forms (all in the
 * user's zone, minute precision), periods relative to now (`-15m`, `-1d`, `4w 2d`), a bare number
 * (epoch ms), or now() / startOfDay() / endOfDay().
 */
export function parseDate(value: JqlValue, field: string, ctx: JqlContext): number {
  const text = value.text.trim();
  if (value.kind === 'function') {
    const fn = text.toLowerCase();
    const today = ctx.tz.formatDate(ctx.now).split('-').map(Number);
    if (fn === 'now') return ctx.now;
    if (fn === 'startofday') return ctx.tz.toUtc(today[0], today[1], today[2]);
    if (fn === 'endofday') return ctx.tz.toUtc(today[0], today[1], today[2], 23, 59, 59) + 999;
    throw new JqlError(`Unable to find JQL function '${text}()'.`);
  }
  if (value.kind === 'word' && /^\d+$/.test(text)) return Number(text);
  const absolute = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?: (\d{1,2}):(\d{2}))?$/.exec(text);
  if (absolute) {
    const [y, mo, d, h, mi] = absolute.slice(1).map((x) => Number(x ?? 0));
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59) {
      return ctx.tz.toUtc(y, mo, d, h, mi);
    }
  }
  const period = /^([-+]?)((?:\d+[wdhm]?\s*)+)$/.exec(text);
  if (period) {
    let ms = 0;
    for (const [, n, unit] of period[2].matchAll(/(\d+)([wdhm]?)/g)) {
      ms += Number(n) * PERIOD_UNITS[unit || 'm'];
    }
    return ctx.now + (period[1] === '-' ? -ms : ms);
  }
  throw new JqlError(
    `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    false,
  );
}

function compileText(clause: JqlClause, field: string): Test {
  const { operator } = clause;
  if (operator !== '~' && operator !== '!~') throw operatorError(operator, clause.field);
  const words = clause.values[0].text.toLowerCase().split(/\s+/).filter(Boolean);
  const text = (i: JiraIssue): string => {
    const description = i.description
      .flat()
      .map((s) => (typeof s === 'string' ? s : (s.label ?? '')))
      .join(' ');
    switch (field) {
      case 'summary':
        return i.summary;
      case 'description':
        return description;
      case 'account':
        return i.account ?? '';
      default:
        return `${i.summary} ${description}`;
    }
  };
  const hit: Test = (i) => {
    const haystack = text(i).toLowerCase();
    return words.every((w) => haystack.includes(w.replace(/\*$/, '')));
  };
  return operator === '~' ? hit : (i) => !hit(i);
}

function resolveProject(value: string, ctx: JqlContext): JiraProject {
  const match = JIRA_PROJECTS.find(
    (p) =>
      p === value.toUpperCase() ||
      JIRA_PROJECT_INFO[p].id === value ||
      JIRA_PROJECT_INFO[p].name.toLowerCase() === value.toLowerCase(),
  );
  if (!match || ctx.anonymous) throw valueError(value, 'project');
  return match;
}

function compileOrder(query: JqlQuery, _ctx: JqlContext): CompiledJql['compare'] {
  const { orderBy } = query;
  if (orderBy.length === 0) return (a, b) => -compareKeys(a, b);
  const [first, second] = orderBy;
  if (
    first.field === 'updated' &&
    first.direction === 'ASC' &&
    (!second ||
      ((second.field === 'key' || second.field === 'issuekey') && second.direction === 'ASC'))
  ) {
    return null;
  }
  const comparators = orderBy.map(({ field, direction }) => {
    const sign = direction === 'ASC' ? 1 : -1;
    const base = sortComparator(field);
    return (a: JiraIssue, b: JiraIssue) => sign * base(a, b);
  });
  return (a, b) => {
    for (const c of comparators) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    return compareKeys(a, b);
  };
}

function sortComparator(field: string): (a: JiraIssue, b: JiraIssue) => number {
  const nullable = (x: number | null, y: number | null) => (x ?? -Infinity) - (y ?? -Infinity);
  switch (field) {
    case 'updated':
    case 'updateddate':
      return (a, b) => a.updatedMs - b.updatedMs;
    case 'created':
    case 'createddate':
      return (a, b) => a.createdMs - b.createdMs;
    case 'resolved':
    case 'resolutiondate':
      return (a, b) => nullable(a.resolvedMs, b.resolvedMs);
    case 'key':
    case 'issuekey':
      return compareKeys;
    case 'id':
      return (a, b) => a.id - b.id;
    case 'priority':
      return (a, b) => Number(b.priority.id) - Number(a.priority.id);
    case 'status':
      return (a, b) => a.status.name.localeCompare(b.status.name);
    case 'summary':
      return (a, b) => a.summary.localeCompare(b.summary);
    default:
      throw new JqlError(
        `Field '${field}' does not exist or you do not have permission to view it.`,
        false,
      );
  }
}

function valueError(value: string, field: string): JqlError {
  return new JqlError(`The value '${value}' does not exist for the field '${field}'.`, false);
}

function operatorError(operator: string, field: string): JqlError {
  return new JqlError(
    `The operator '${operator.toUpperCase()}' is not supported by the '${field}' field.`,
    false,
  );
}
