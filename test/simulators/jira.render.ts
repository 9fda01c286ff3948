import {
  JIRA_PROJECT_INFO,
  STATUS_CATEGORIES,
  type DescriptionSegment,
  type JiraComment,
  type JiraIssue,
  type JiraStatus,
} from './jira.records.js';
import { type LinkRenderer } from './links.js';
import { type TimeZone } from './time-zone.js';
import { JIRA_COMPONENTS } from './vocabulary.js';
import { type LinkRef, type Person } from './world.js';

export interface RenderContext {
  /** Site base URL. */
  base: string;
  apiVersion: '2' | '3';
  flavor: 'cloud' | 'datacenter';
  tz: TimeZone;
  accountField: string;
  links: LinkRenderer;
  issue(key: string): JiraIssue | undefined;
}

const BASE_FIELDS = [
  'summary',
  'description',
  'status',
  'priority',
  'issuetype',
  'assignee',
  'reporter',
  'creator',
  'project',
  'components',
  'labels',
  'created',
  'updated',
  'resolutiondate',
  'resolution',
  'duedate',
  'issuelinks',
  'fixVersions',
];

export function allFields(accountField: string): string[] {
  return [...BASE_FIELDS, accountField];
}

/**
 * The field set a `fields` parameter selects: names, `*all`, `*navigable`, `-name` exclusions.
 * `id` and `key` are top-level and not fields; unknown names are silently dropped as upstream.
 */
export function resolveFields(
  requested: readonly string[] | undefined,
  fallback: readonly string[],
  accountField: string,
): { fields: Set<string>; key: boolean } {
  const known = allFields(accountField);
  const items = requested && requested.length > 0 ? requested : fallback;
  const fields = new Set<string>();
  let key = false;
  for (const raw of items) {
    const name = raw.trim();
    if (name === '*all' || name === '*navigable') known.forEach((f) => fields.add(f));
    else if (name === 'key') key = true;
    else if (known.includes(name)) fields.add(name);
  }
  for (const raw of items) {
    if (raw.trim().startsWith('-')) fields.delete(raw.trim().slice(1));
  }
  return { fields, key: key || fields.size > 0 };
}

export function renderIssue(
  issue: JiraIssue,
  selection: { fields: Set<string>; key: boolean },
  ctx: RenderContext,
): object {
  if (!selection.key) return { id: String(issue.id) };
  const fields: Record<string, unknown> = {};
  for (const name of selection.fields) fields[name] = renderField(issue, name, ctx);
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: String(issue.id),
    self: `${ctx.base}/rest/api/${ctx.apiVersion}/issue/${issue.id}`,
    key: issue.key,
    fields,
  };
}

function renderField(issue: JiraIssue, name: string, ctx: RenderContext): unknown {
  switch (name) {
    case 'summary':
      return issue.summary;
    case 'description':
      return renderDescription(issue.description, ctx);
    case 'status':
      return renderStatus(issue.status, ctx);
    case 'priority':
      return {
        self: `${ctx.base}/rest/api/${ctx.apiVersion}/priority/${issue.priority.id}`,
        iconUrl: `${ctx.base}/images/icons/priorities/${issue.priority.name.toLowerCase()}.svg`,
        name: issue.priority.name,
        id: issue.priority.id,
      };
    case 'issuetype':
      return {
        self: `${ctx.base}/rest/api/${ctx.apiVersion}/issuetype/${issue.issuetype.id}`,
        id: issue.issuetype.id,
        description: '',
        name: issue.issuetype.name,
        subtask: false,
        ...(ctx.flavor === 'cloud' ? { hierarchyLevel: 0 } : {}),
      };
    case 'assignee':
      return issue.assignee ? renderUser(issue.assignee, ctx) : null;
    case 'reporter':
    case 'creator':
      return renderUser(issue.reporter, ctx);
    case 'project': {
      const info = JIRA_PROJECT_INFO[issue.project];
      return {
        self: `${ctx.base}/rest/api/${ctx.apiVersion}/project/${info.id}`,
        id: info.id,
        key: issue.project,
        name: info.name,
        projectTypeKey: issue.project === 'SUP' ? 'service_desk' : 'software',
      };
    }
    case 'components':
      return issue.components.map((c) => ({
        self: `${ctx.base}/rest/api/${ctx.apiVersion}/component/${componentId(issue, c)}`,
        id: componentId(issue, c),
        name: c,
      }));
    case 'labels':
      return [...issue.labels];
    case 'created':
      return ctx.tz.formatJira(issue.createdMs);
    case 'updated':
      return ctx.tz.formatJira(issue.updatedMs);
    case 'resolutiondate':
      return issue.resolvedMs === null ? null : ctx.tz.formatJira(issue.resolvedMs);
    case 'resolution':
      return issue.resolvedMs === null
        ? null
        : {
            self: `${ctx.base}/rest/api/${ctx.apiVersion}/resolution/10000`,
            id: '10000',
            name: 'Done',
          };
    case 'duedate':
      return issue.duedate;
    case 'fixVersions':
      return [];
    case 'issuelinks':
      return renderIssueLinks(issue, ctx);
    default:
      return name === ctx.accountField ? issue.account : null;
  }
}

function componentId(issue: JiraIssue, name: string): string {
  const list: readonly string[] = JIRA_COMPONENTS[issue.project];
  return String(
    10100 + Object.keys(JIRA_COMPONENTS).indexOf(issue.project) * 20 + list.indexOf(name),
  );
}

export function renderStatus(status: JiraStatus, ctx: RenderContext): object {
  const category = STATUS_CATEGORIES[status.category];
  return {
    self: `${ctx.base}/rest/api/${ctx.apiVersion}/status/${status.id}`,
    description: '',
    iconUrl: `${ctx.base}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${ctx.base}/rest/api/${ctx.apiVersion}/statuscategory/${category.id}`,
      id: category.id,
      key: category.key,
      colorName: category.colorName,
      name: category.name,
    },
  };
}

export function renderUser(person: Person, ctx: RenderContext): object {
  if (ctx.flavor === 'cloud') {
    return {
      self: `${ctx.base}/rest/api/${ctx.apiVersion}/user?accountId=${person.accountId}`,
      accountId: person.accountId,
      accountType: 'atlassian',
      displayName: person.displayName,
      active: true,
      timeZone: 'UTC',
    };
  }
  return {
    self: `${ctx.base}/rest/api/2/user?username=${person.login}`,
    name: person.login,
    key: person.jiraKey,
    emailAddress: person.email,
    displayName: person.displayName,
    active: true,
    timeZone: 'UTC',
  };
}

function renderIssueLinks(issue: JiraIssue, ctx: RenderContext): object[] {
  const out: object[] = [];
  for (const link of issue.issueLinks) {
    const other = ctx.issue(link.other);
    if (!other) continue;
    out.push({
      id: link.id,
      self: `${ctx.base}/rest/api/${ctx.apiVersion}/issueLink/${link.id}`,
      type: {
        ...link.type,
        self: `${ctx.base}/rest/api/${ctx.apiVersion}/issueLinkType/${link.type.id}`,
      },
      [link.direction === 'outward' ? 'outwardIssue' : 'inwardIssue']: {
        id: String(other.id),
        key: other.key,
        self: `${ctx.base}/rest/api/${ctx.apiVersion}/issue/${other.id}`,
        fields: {
          summary: other.summary,
          status: renderStatus(other.status, ctx),
          priority: { id: other.priority.id, name: other.priority.name },
          issuetype: { id: other.issuetype.id, name: other.issuetype.name, subtask: false },
        },
      },
    });
  }
  return out;
}

function linkUrl(target: LinkRef | string, ctx: RenderContext): string {
  return typeof target === 'string' ? target : ctx.links.url(target);
}

/** v3: an ADF document (links as text nodes with link marks); v2: wiki markup. */
export function renderDescription(paragraphs: DescriptionSegment[][], ctx: RenderContext): unknown {
  if (ctx.apiVersion === '2') return renderWiki(paragraphs, ctx);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((segments) => ({
      type: 'paragraph',
      content: segments
        .filter((s) => s !== '')
        .map((s) => {
          if (typeof s === 'string') return { type: 'text', text: s };
          const href = linkUrl(s.link, ctx);
          return {
            type: 'text',
            text: s.label ?? href,
            marks: [{ type: 'link', attrs: { href } }],
          };
        }),
    })),
  };
}

function renderWiki(paragraphs: DescriptionSegment[][], ctx: RenderContext): string {
  return paragraphs
    .map((segments) =>
      segments
        .map((s) => {
          if (typeof s === 'string') return s;
          const href = linkUrl(s.link, ctx);
          return s.label ? `[${s.label}|${href}]` : `[${href}]`;
        })
        .join(''),
    )
    .join('\n\n');
}

export function renderRemoteLinks(issue: JiraIssue, ctx: RenderContext): object[] {
  return issue.remoteLinks.map((link) => {
    const url = linkUrl(link.target, ctx);
    const system = typeof link.target === 'string' ? null : link.target.system;
    const application =
      system === 'glpi'
        ? { type: 'org.glpi-project.glpi', name: 'GLPI' }
        : system === 'bugzilla'
          ? { type: 'org.bugzilla', name: 'Bugzilla' }
          : { type: 'com.example.web', name: 'Web' };
    return {
      id: link.id,
      self: `${ctx.base}/rest/api/${ctx.apiVersion}/issue/${issue.key}/remotelink/${link.id}`,
      globalId: `system=${application.type}&url=${url}`,
      application,
      relationship: 'relates to',
      object: { url, title: link.title, icon: {}, status: { icon: {} } },
    };
  });
}

export function renderComment(comment: JiraComment, issue: JiraIssue, ctx: RenderContext): object {
  const author = renderUser(comment.author, ctx);
  const created = ctx.tz.formatJira(comment.createdMs);
  return {
    self: `${ctx.base}/rest/api/${ctx.apiVersion}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author,
    body: ctx.apiVersion === '3' ? renderDescription([[comment.text]], ctx) : comment.text,
    updateAuthor: author,
    created,
    updated: created,
    jsdPublic: true,
  };
}
