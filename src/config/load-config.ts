import { glpiWebRoot } from '../cases/case-links.js';
import { readFileSync } from 'node:fs';
import type {
  AppConfig,
  BugzillaConfig,
  GlpiConfig,
  JiraConfig,
  WatchConfig,
  WebConfig,
} from './app-config.js';
import { ConfigError, type ConfigIssue } from './config.error.js';
import { envSchema, type Env } from './env.schema.js';
import { ROLES, type ConfigScope, type Role } from './roles.js';

function parseRoles(text: string, issues: ConfigIssue[]): Role[] {
  const names = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = names.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length > 0 || names.length === 0) {
    issues.push({
      variable: 'CASEBOARD_ROLES',
      message: `expected a comma list of ${ROLES.join(', ')}; got "${text}"`,
    });
    return [];
  }
  return [...new Set(names)] as Role[];
}

function requireWhen(
  issues: ConfigIssue[],
  value: string | undefined,
  variable: string,
  because: string,
): string {
  if (value === undefined) issues.push({ variable, message: `required when ${because}` });
  return value ?? '';
}

function glpiConfig(
  env: Env,
  issues: ConfigIssue[],
  needsCredentials: boolean,
): GlpiConfig | undefined {
  if (!env.GLPI_URL) return undefined;
  return {
    url: env.GLPI_URL,
    webRoot: glpiWebRoot(env.GLPI_URL),
    appToken: env.GLPI_APP_TOKEN,
    userToken: needsCredentials
      ? requireWhen(issues, env.GLPI_USER_TOKEN, 'GLPI_USER_TOKEN', 'GLPI_URL is set')
      : (env.GLPI_USER_TOKEN ?? ''),
    timeZone: env.GLPI_TIMEZONE,
    pageSize: env.GLPI_PAGE_SIZE,
    statusMap: env.GLPI_STATUS_MAP,
    priorityMap: env.GLPI_PRIORITY_MAP,
  };
}

/** JIRA_FLAVOR's default: Atlassian serves every cloud site from atlassian.net. */
function inferredJiraFlavor(url: string): 'cloud' | 'datacenter' | undefined {
  try {
    return /\.atlassian\.net$/i.test(new URL(url.trim()).hostname) ? 'cloud' : 'datacenter';
  } catch {
    return undefined;
  }
}

function jiraConfig(
  env: Env,
  issues: ConfigIssue[],
  needsCredentials: boolean,
): JiraConfig | undefined {
  if (!env.JIRA_URL) return undefined;
  const flavor = env.JIRA_FLAVOR ?? inferredJiraFlavor(env.JIRA_URL) ?? 'datacenter';
  // Roles that do not sync (web, for the sprint report) still use credentials when given.
  let auth: JiraConfig['auth'] =
    flavor === 'cloud' && env.JIRA_EMAIL && env.JIRA_API_TOKEN
      ? { kind: 'basic', email: env.JIRA_EMAIL, apiToken: env.JIRA_API_TOKEN }
      : { kind: 'bearer', token: flavor === 'datacenter' ? (env.JIRA_PAT ?? '') : '' };
  if (needsCredentials) {
    if (flavor === 'cloud') {
      auth = {
        kind: 'basic',
        email: requireWhen(issues, env.JIRA_EMAIL, 'JIRA_EMAIL', 'JIRA_FLAVOR is cloud'),
        apiToken: requireWhen(issues, env.JIRA_API_TOKEN, 'JIRA_API_TOKEN', 'JIRA_FLAVOR is cloud'),
      };
    } else {
      auth = {
        kind: 'bearer',
        token: requireWhen(issues, env.JIRA_PAT, 'JIRA_PAT', 'JIRA_FLAVOR is datacenter'),
      };
    }
  }
  if (env.JIRA_JQL && /\border\s+by\b/i.test(env.JIRA_JQL)) {
    issues.push({
      variable: 'JIRA_JQL',
      message: 'must be a filter without ORDER BY (Caseboard orders)',
    });
  }
  return {
    url: env.JIRA_URL,
    flavor,
    auth,
    jql: env.JIRA_JQL,
    accountField: env.JIRA_ACCOUNT_FIELD,
    pageSize: env.JIRA_PAGE_SIZE,
    remoteLinks: env.JIRA_REMOTE_LINKS,
    statusMap: env.JIRA_STATUS_MAP,
    priorityMap: env.JIRA_PRIORITY_MAP,
  };
}

function bugzillaConfig(
  env: Env,
  issues: ConfigIssue[],
  needsCredentials: boolean,
): BugzillaConfig | undefined {
  if (!env.BUGZILLA_URL) return undefined;
  return {
    url: env.BUGZILLA_URL,
    apiKey: needsCredentials
      ? requireWhen(issues, env.BUGZILLA_API_KEY, 'BUGZILLA_API_KEY', 'BUGZILLA_URL is set')
      : (env.BUGZILLA_API_KEY ?? ''),
    query: env.BUGZILLA_QUERY.replace(/^[?&]+/, ''),
    accountField: env.BUGZILLA_ACCOUNT_FIELD,
    pageSize: env.BUGZILLA_PAGE_SIZE,
    statusMap: env.BUGZILLA_STATUS_MAP,
    severityMap: env.BUGZILLA_SEVERITY_MAP,
  };
}

const has = (env: NodeJS.ProcessEnv, name: string) => (env[name] ?? '').trim() !== '';

function missingCredentials(env: NodeJS.ProcessEnv): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const need = (name: string, because: string) => {
    if (!has(env, name)) issues.push({ variable: name, message: `required when ${because}` });
  };
  if (has(env, 'GLPI_URL')) need('GLPI_USER_TOKEN', 'GLPI_URL is set');
  if (has(env, 'BUGZILLA_URL')) need('BUGZILLA_API_KEY', 'BUGZILLA_URL is set');
  if (has(env, 'JIRA_URL')) {
    const flavor = env.JIRA_FLAVOR ?? inferredJiraFlavor(env.JIRA_URL ?? '');
    if (flavor === 'datacenter') need('JIRA_PAT', 'JIRA_FLAVOR is datacenter');
    else if (flavor === 'cloud') {
      need('JIRA_EMAIL', 'JIRA_FLAVOR is cloud');
      need('JIRA_API_TOKEN', 'JIRA_FLAVOR is cloud');
    }
  }
  return issues;
}

const WEB_REQUIRED = [
  'BASE_URL',
  'SESSION_SECRET',
  'SAML_ENTRY_POINT',
  'SAML_ISSUER',
  'SAML_IDP_ISSUER',
  'SAML_IDP_CERT',
];

function missingWebSettings(env: NodeJS.ProcessEnv): ConfigIssue[] {
  return WEB_REQUIRED.filter((name) => !has(env, name)).map((variable) => ({
    variable,
    message: 'required by the web role',
  }));
}

/** PEM text, or the path of a file holding it. */
function pemOrFile(value: string, variable: string, issues: ConfigIssue[]): string {
  const text = value.includes('-----BEGIN') ? value : readIfFile(value);
  if (text === undefined || !text.includes('-----BEGIN')) {
    issues.push({ variable, message: 'expected PEM text or the path of a PEM file' });
    return '';
  }
  return text;
}

function readIfFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function webConfig(env: Env, issues: ConfigIssue[]): WebConfig | undefined {
  issues.push(...missingWebSettings(env as unknown as NodeJS.ProcessEnv));
  if (
    !env.BASE_URL ||
    !env.SESSION_SECRET ||
    !env.SAML_ENTRY_POINT ||
    !env.SAML_ISSUER ||
    !env.SAML_IDP_ISSUER ||
    !env.SAML_IDP_CERT
  ) {
    return undefined;
  }
  return {
    baseUrl: env.BASE_URL,
    secureCookies: env.BASE_URL.startsWith('https://'),
    sessionSecret: env.SESSION_SECRET,
    sessionIdleMs: env.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000,
    saml: {
      entryPoint: env.SAML_ENTRY_POINT,
      logoutUrl: env.SAML_LOGOUT_URL,
      issuer: env.SAML_ISSUER,
      idpIssuer: env.SAML_IDP_ISSUER,
      idpCert: pemOrFile(env.SAML_IDP_CERT, 'SAML_IDP_CERT', issues),
      privateKey: env.SAML_SP_PRIVATE_KEY
        ? pemOrFile(env.SAML_SP_PRIVATE_KEY, 'SAML_SP_PRIVATE_KEY', issues)
        : undefined,
      groupsAttribute: env.SAML_GROUPS_ATTRIBUTE,
      accountsAttribute: env.SAML_ACCOUNTS_ATTRIBUTE,
      clockSkewMs: env.SAML_CLOCK_SKEW_MS,
      roleMap: env.ROLE_MAP,
    },
    slaDays: env.SLA_DAYS,
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, burst: env.RATE_LIMIT_BURST },
    indexRefreshMs: env.INDEX_REFRESH_MS,
    indexViewCache: env.INDEX_VIEW_CACHE,
  };
}

function watchConfig(env: Env, issues: ConfigIssue[]): WatchConfig {
  let email: WatchConfig['email'];
  if (env.SMTP_URL) {
    const from = requireWhen(issues, env.MAIL_FROM, 'MAIL_FROM', 'SMTP_URL is set');
    if (!env.MAIL_TO.default)
      issues.push({
        variable: 'MAIL_TO',
        message: 'needs a default:ADDRESS entry when SMTP_URL is set',
      });
    email = { smtpUrl: env.SMTP_URL, from, to: env.MAIL_TO };
  }
  return {
    cron: env.WATCH_CRON,
    cronTimeZone: env.SYNC_CRON_TIMEZONE,
    minSeverity: env.WATCH_MIN_SEVERITY,
    newHours: env.WATCH_NEW_HOURS,
    slaWarnHours: env.WATCH_SLA_WARN_HOURS,
    staleDays: env.WATCH_STALE_DAYS,
    syncStaleMinutes: env.WATCH_SYNC_STALE_MINUTES,
    slaDays: env.SLA_DAYS,
    retries: env.WATCH_RETRIES,
    retryBaseMs: env.WATCH_RETRY_BASE_MS,
    email,
    slack: env.SLACK_WEBHOOK_URL
      ? { webhookUrl: env.SLACK_WEBHOOK_URL, channels: env.SLACK_CHANNELS }
      : undefined,
  };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter(
    (i) => !seen.has(i.variable + i.message) && seen.add(i.variable + i.message),
  );
}

/**
 * Validates the environment for the given scopes (the roles this process runs, or 'cli').
 * A role is only asked for what it uses: upstream credentials are required by workers and the
 * CLI, not by the web or scheduler roles. Throws ConfigError naming every bad variable.
 */
export function loadConfig(raw: NodeJS.ProcessEnv, scopes?: ConfigScope[]): AppConfig {
  // An empty variable counts as unset (compose files pass `VAR: ${VAR:-}` through).
  const source = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  );
  const issues: ConfigIssue[] = [];
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ variable: issue.path.join('.') || '(environment)', message: issue.message });
    }
    // Report missing credentials in the same message, so one round of fixes is enough.
    const scopesRaw = scopes ?? parseRoles(source.CASEBOARD_ROLES ?? 'web,worker,scheduler', []);
    if (scopesRaw.includes('worker') || scopesRaw.includes('cli'))
      issues.push(...missingCredentials(source));
    throw new ConfigError(dedupe(issues));
  }
  const env = parsed.data;
  const roles = parseRoles(env.CASEBOARD_ROLES, issues);
  const effective: ConfigScope[] = scopes ?? roles;
  const needsCredentials = effective.includes('worker') || effective.includes('cli');

  const web = effective.includes('web') ? webConfig(env, issues) : undefined;
  const glpi = glpiConfig(env, issues, needsCredentials);
  const jira = jiraConfig(env, issues, needsCredentials);
  const bugzilla = bugzillaConfig(env, issues, needsCredentials);
  const watch = watchConfig(env, issues);
  if (issues.length > 0) throw new ConfigError(issues);

  return {
    roles,
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    http: { host: env.HOST, port: env.PORT },
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    upstreamBases: { glpi: glpi?.webRoot, jira: jira?.url, bugzilla: bugzilla?.url },
    sources: { glpi, jira, bugzilla },
    upstream: {
      timeoutMs: env.UPSTREAM_TIMEOUT_MS,
      retries: env.UPSTREAM_RETRIES,
      retryBaseMs: env.UPSTREAM_RETRY_BASE_MS,
      retryMaxMs: env.UPSTREAM_RETRY_MAX_MS,
      concurrency: env.UPSTREAM_CONCURRENCY,
      ratePerSecond: env.UPSTREAM_RATE_PER_SECOND,
      breakerThreshold: env.UPSTREAM_BREAKER_THRESHOLD,
      breakerResetMs: env.UPSTREAM_BREAKER_RESET_MS,
    },
    web,
    metrics: { token: env.METRICS_TOKEN, host: env.METRICS_HOST, port: env.METRICS_PORT },
    watch,
    sync: {
      cron: {
        glpi: env.SYNC_CRON_GLPI,
        jira: env.SYNC_CRON_JIRA,
        bugzilla: env.SYNC_CRON_BUGZILLA,
        reconcile: env.SYNC_CRON_RECONCILE,
      },
      cronTimeZone: env.SYNC_CRON_TIMEZONE,
      overlapSeconds: env.SYNC_OVERLAP_SECONDS,
      attempts: env.SYNC_ATTEMPTS,
      backoffMs: env.SYNC_BACKOFF_MS,
      jobLockMs: env.SYNC_JOB_LOCK_MS,
      stalledCheckMs: env.SYNC_STALLED_CHECK_MS,
      keepFailedJobs: env.SYNC_KEEP_FAILED_JOBS,
      keepCompletedJobs: env.SYNC_KEEP_COMPLETED_JOBS,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}
