import { z } from 'zod';
import { cronProblem } from './cron.js';
import { isValidTimeZone } from '../common/time.js';
import { parseVocabularyMap } from '../cases/vocabulary.js';
import { CASE_STATUSES, SEVERITIES, type Severity } from '../cases/case.model.js';
import { APP_ROLES, type AppRole } from '../auth/app-role.js';
import { parseRouteMap } from '../watcher/watch-routing.js';

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` })
    .default(def);

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .transform((u) => u.replace(/\/+$/, ''));

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
  .pipe(httpUrl.optional());

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const cron = (def: string) =>
  z
    .string()
    .default(def)
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem)
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid cron: ${problem}` });
    });

const timeZone = (def: string) =>
  z
    .string()
    .default(def)
    .refine(isValidTimeZone, { error: 'expected an IANA time zone name such as Europe/Paris' });

const vocabularyMap = <T extends string>(allowed: readonly T[]) =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const parsed = parseVocabularyMap<T>(value, allowed);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.map;
    });

const statusMap = vocabularyMap(CASE_STATUSES);
const severityMap = vocabularyMap(SEVERITIES);

/** `key:value;value,key:value` where a key is default, a severity or a watcher rule. */
const routeMap = (what: string, valid: (value: string) => boolean) =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const parsed = parseRouteMap(value, what, valid);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.map;
    });

/** Every environment variable Caseboard reads. README's configuration table mirrors this. */
export const envSchema = z.object({
  CASEBOARD_ROLES: z.string().default('web,worker,scheduler'),
  NODE_ENV: z.string().default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(3000, 1, 65535),

  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .pipe(z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })),
  REDIS_KEY_PREFIX: z
    .string()
    .default('caseboard:')
    .refine((v) => /^[A-Za-z0-9:_.-]+$/.test(v), { error: 'use letters, digits and : _ . -' }),

  GLPI_URL: optionalUrl,
  GLPI_APP_TOKEN: optionalText,
  GLPI_USER_TOKEN: optionalText,
  GLPI_TIMEZONE: timeZone('UTC'),
  GLPI_PAGE_SIZE: int(500, 1, 5000),
  GLPI_STATUS_MAP: statusMap,
  GLPI_PRIORITY_MAP: severityMap,

  JIRA_URL: optionalUrl,
  JIRA_FLAVOR: z
    .enum(['cloud', 'datacenter'], { error: 'expected cloud or datacenter' })
    .optional(),
  JIRA_EMAIL: optionalText,
  JIRA_API_TOKEN: optionalText,
  JIRA_PAT: optionalText,
  JIRA_JQL: optionalText,
  JIRA_ACCOUNT_FIELD: optionalText,
  JIRA_PAGE_SIZE: int(100, 1, 5000),
  JIRA_REMOTE_LINKS: bool(true),
  JIRA_STATUS_MAP: statusMap,
  JIRA_PRIORITY_MAP: severityMap,

  BUGZILLA_URL: optionalUrl,
  BUGZILLA_API_KEY: optionalText,
  BUGZILLA_QUERY: z
    .string()
    .default('')
    .refine((v) => !/(^|[?&])(api_key|limit|offset|order|last_change_time)=/.test(v), {
      error: 'must not set api_key, limit, offset, order or last_change_time (Caseboard sets them)',
    }),
  BUGZILLA_ACCOUNT_FIELD: optionalText,
  BUGZILLA_PAGE_SIZE: int(500, 1, 10000),
  BUGZILLA_STATUS_MAP: statusMap,
  BUGZILLA_SEVERITY_MAP: severityMap,

  UPSTREAM_TIMEOUT_MS: int(30_000, 100),
  UPSTREAM_RETRIES: int(4, 0, 20),
  UPSTREAM_RETRY_BASE_MS: int(500, 1),
  UPSTREAM_RETRY_MAX_MS: int(30_000, 1),
  UPSTREAM_CONCURRENCY: int(4, 1, 64),
  UPSTREAM_RATE_PER_SECOND: int(0, 0),
  UPSTREAM_BREAKER_THRESHOLD: int(5, 1),
  UPSTREAM_BREAKER_RESET_MS: int(30_000, 100),

  SYNC_CRON_GLPI: cron('*/5 * * * *'),
  SYNC_CRON_JIRA: cron('*/5 * * * *'),
  SYNC_CRON_BUGZILLA: cron('*/5 * * * *'),
  SYNC_CRON_RECONCILE: cron('30 3 * * *'),
  SYNC_CRON_TIMEZONE: timeZone('UTC'),
  SYNC_OVERLAP_SECONDS: int(120, 0, 86_400),
  SYNC_ATTEMPTS: int(5, 1, 50),
  SYNC_BACKOFF_MS: int(10_000, 1),
  SYNC_JOB_LOCK_MS: int(30_000, 1000),
  SYNC_STALLED_CHECK_MS: int(30_000, 500),
  SYNC_KEEP_FAILED_JOBS: int(500, 0),
  SYNC_KEEP_COMPLETED_JOBS: int(100, 0),

  BASE_URL: optionalUrl,
  SESSION_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, {
    error: 'must be at least 32 characters',
  }),
  SESSION_IDLE_MINUTES: int(60, 1),
  SESSION_ABSOLUTE_HOURS: int(12, 1),
  SAML_ENTRY_POINT: optionalUrl,
  SAML_LOGOUT_URL: optionalUrl,
  SAML_ISSUER: optionalText,
  SAML_IDP_ISSUER: optionalText,
  SAML_IDP_CERT: optionalText,
  SAML_SP_PRIVATE_KEY: optionalText,
  SAML_GROUPS_ATTRIBUTE: z.string().default('groups'),
  SAML_ACCOUNTS_ATTRIBUTE: z.string().default('accounts'),
  SAML_CLOCK_SKEW_MS: int(5000, 0, 300_000),
  ROLE_MAP: z
    .string()
    .default('engineers:engineer,leads:lead,admins:admin,partners:partner')
    .transform((value, ctx) => {
      const parsed = parseVocabularyMap<AppRole>(value, APP_ROLES);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.map;
    }),
  SLA_DAYS: z
    .string()
    .default('urgent:1,high:3,normal:7,low:14')
    .transform((value, ctx) => {
      const days: Partial<Record<Severity, number>> = {};
      for (const entry of value.split(',').filter((e) => e.trim())) {
        const [severity, n] = entry.split(':').map((p) => p.trim());
        if (
          !(SEVERITIES as readonly string[]).includes(severity) ||
          !/^\d+(\.\d+)?$/.test(n ?? '')
        ) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not severity:days` });
          return z.NEVER;
        }
        days[severity as Severity] = Number(n);
      }
      const missing = SEVERITIES.filter((s) => days[s] === undefined);
      if (missing.length > 0) {
        ctx.addIssue({ code: 'custom', message: `missing ${missing.join(', ')}` });
        return z.NEVER;
      }
      return days as Record<Severity, number>;
    }),
  RATE_LIMIT_PER_MINUTE: int(100, 1),
  RATE_LIMIT_BURST: int(20, 0),
  INDEX_REFRESH_MS: int(1000, 50),
  INDEX_VIEW_CACHE: int(64, 0, 1000),
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
    error: 'must be at least 16 characters',
  }),
  METRICS_HOST: z.string().default('0.0.0.0'),
  METRICS_PORT: int(9464, 1, 65535),

  // Orchestrators send SIGKILL 30 s after SIGTERM by default: the drain must end before that.
  SHUTDOWN_TIMEOUT_MS: int(25_000, 500, 29_000),

  // Case watcher (bin/case-watcher, the `watch` queue). SMTP_URL and SLACK_WEBHOOK_URL are secrets.
  WATCH_CRON: cron('*/10 * * * *'),
  WATCH_MIN_SEVERITY: z
    .enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` })
    .default('high'),
  WATCH_NEW_HOURS: int(24, 1, 24 * 30),
  WATCH_SLA_WARN_HOURS: int(24, 0, 24 * 90),
  WATCH_STALE_DAYS: int(7, 1, 3650),
  WATCH_SYNC_STALE_MINUTES: int(60, 1, 7 * 24 * 60),
  WATCH_RETRIES: int(3, 0, 10),
  WATCH_RETRY_BASE_MS: int(2000, 1, 60_000),
  SMTP_URL: optionalText.pipe(
    z.url({ protocol: /^smtps?$/, error: 'expected an smtp:// or smtps:// URL' }).optional(),
  ),
  MAIL_FROM: optionalText.refine(
    (v) => v === undefined || /^[^\s@]+@[^\s@]+$|<[^\s@]+@[^\s@]+>$/.test(v),
    {
      error: 'expected an address such as caseboard@example.com or "Caseboard <cb@example.com>"',
    },
  ),
  MAIL_TO: routeMap('address', (v) => /^[^\s@]+@[^\s@]+$/.test(v)),
  SLACK_WEBHOOK_URL: optionalUrl,
  SLACK_CHANNELS: routeMap('channel', (v) => /^[#@]?[\w.-]+$/.test(v)),
});

export type Env = z.infer<typeof envSchema>;
