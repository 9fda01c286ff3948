import type { AppRole } from '../auth/app-role.js';
import { SOURCES, type CaseStatus, type Severity, type Source } from '../cases/case.model.js';
import type { Role } from './roles.js';
import type { RouteMap } from '../watcher/watch-routing.js';

export interface UpstreamPolicy {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  concurrency: number;
  ratePerSecond: number;
  breakerThreshold: number;
  breakerResetMs: number;
}

export interface GlpiConfig {
  url: string;
  webRoot: string;
  appToken?: string;
  userToken: string;
  timeZone: string;
  pageSize: number;
  statusMap: Record<string, CaseStatus>;
  priorityMap: Record<string, Severity>;
}

export interface JiraConfig {
  url: string;
  flavor: 'cloud' | 'datacenter';
  auth: { kind: 'basic'; email: string; apiToken: string } | { kind: 'bearer'; token: string };
  jql?: string;
  accountField?: string;
  pageSize: number;
  remoteLinks: boolean;
  statusMap: Record<string, CaseStatus>;
  priorityMap: Record<string, Severity>;
}

export interface BugzillaConfig {
  url: string;
  apiKey: string;
  query: string;
  accountField?: string;
  pageSize: number;
  statusMap: Record<string, CaseStatus>;
  severityMap: Record<string, Severity>;
}

export interface SyncConfig {
  cron: Record<Source | 'reconcile', string>;
  cronTimeZone: string;
  overlapSeconds: number;
  attempts: number;
  backoffMs: number;
  jobLockMs: number;
  stalledCheckMs: number;
  keepFailedJobs: number;
  keepCompletedJobs: number;
}

export interface SamlConfig {
  entryPoint: string;
  logoutUrl?: string;
  /** The SP entity ID (also where its metadata is served). */
  issuer: string;
  idpIssuer: string;
  idpCert: string;
  privateKey?: string;
  groupsAttribute: string;
  accountsAttribute: string;
  clockSkewMs: number;
  /** IdP group (lower case) → role. */
  roleMap: Record<string, AppRole>;
}

export interface WebConfig {
  baseUrl: string;
  secureCookies: boolean;
  sessionSecret: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  saml: SamlConfig;
  slaDays: Record<Severity, number>;
  rateLimit: { perMinute: number; burst: number };
  indexRefreshMs: number;
  /** Views (filter and sort) whose first matches each web process keeps in order; 0: none. */
  indexViewCache: number;
}

/** The case watcher: rule thresholds and where notifications go (absent channel: not used). */
export interface WatchConfig {
  cron: string;
  cronTimeZone: string;
  minSeverity: Severity;
  newHours: number;
  slaWarnHours: number;
  staleDays: number;
  syncStaleMinutes: number;
  slaDays: Record<Severity, number>;
  retries: number;
  retryBaseMs: number;
  email?: { smtpUrl: string; from: string; to: RouteMap };
  /** channels: routing key → channel; a finding no key matches goes to the webhook's own channel. */
  slack?: { webhookUrl: string; channels: RouteMap };
}

/** The validated, typed configuration; the only place env values are read is loadConfig. */
export interface AppConfig {
  roles: Role[];
  nodeEnv: string;
  logLevel: string;
  http: { host: string; port: number };
  redis: { url: string; keyPrefix: string };
  /** Web UI bases of every configured upstream, for links (also known to roles without credentials). */
  upstreamBases: { glpi?: string; jira?: string; bugzilla?: string };
  sources: { glpi?: GlpiConfig; jira?: JiraConfig; bugzilla?: BugzillaConfig };
  upstream: UpstreamPolicy;
  sync: SyncConfig;
  /** Present when the process runs the web role. */
  web?: WebConfig;
  /**
   * Prometheus endpoint: on the web port for a process with the web role, else its own
   * host:port. Without a token the endpoint is off.
   */
  metrics: { token?: string; host: string; port: number };
  /** How long a SIGTERM'd process may drain before it force-closes and exits non-zero. */
  shutdownTimeoutMs: number;
  watch: WatchConfig;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The sources this process has credentials for, in the fixed order. */
export function configuredSources(config: Pick<AppConfig, 'sources'>): Source[] {
  return SOURCES.filter((s) => config.sources[s] !== undefined);
}
