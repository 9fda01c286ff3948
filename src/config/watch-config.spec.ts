import { ConfigError } from './config.error.js';
import { loadConfig } from './load-config.js';

function issues(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, ['cli']);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('watcher settings', () => {
  it('should default to no channel and the documented thresholds', () => {
    const { watch } = loadConfig({}, ['cli']);
    expect(watch).toEqual({
      cron: '*/10 * * * *',
      cronTimeZone: 'UTC',
      minSeverity: 'high',
      newHours: 24,
      slaWarnHours: 24,
      staleDays: 7,
      syncStaleMinutes: 60,
      slaDays: { urgent: 1, high: 3, normal: 7, low: 14 },
      retries: 3,
      retryBaseMs: 2000,
      email: undefined,
      slack: undefined,
    });
  });

  it('should parse both channels with their routing', () => {
    const { watch } = loadConfig(
      {
        SMTP_URL: 'smtps://bot:pw@mail.example.com:465',
        MAIL_FROM: 'Caseboard <cb@example.com>',
        MAIL_TO: 'default:team@example.com,sla:lead@example.com',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
        SLACK_CHANNELS: 'urgent:#oncall;@lead',
      },
      ['cli'],
    );
    expect(watch.email).toEqual({
      smtpUrl: 'smtps://bot:pw@mail.example.com:465',
      from: 'Caseboard <cb@example.com>',
      to: { default: ['team@example.com'], sla: ['lead@example.com'] },
    });
    expect(watch.slack).toEqual({
      webhookUrl: 'https://hooks.slack.com/services/T/B/X',
      channels: { urgent: ['#oncall', '@lead'] },
    });
  });

  it('should name each bad variable without echoing the secret', () => {
    const found = issues({
      SMTP_URL: 'http://bot:topsecret@mail.example.com',
      WATCH_CRON: 'every 10 minutes',
      WATCH_MIN_SEVERITY: 'critical',
      SLACK_CHANNELS: 'urgent:#on call',
    });
    expect(found).toEqual([
      'WATCH_CRON: "every 10 minutes" is not a valid cron: expected 5 fields (or 6 with seconds), got 3',
      'WATCH_MIN_SEVERITY: expected one of urgent, high, normal, low',
      'SMTP_URL: expected an smtp:// or smtps:// URL',
      'SLACK_CHANNELS: "#on call" is not a valid channel',
    ]);
    expect(found.join('\n')).not.toContain('topsecret');
  });

  it('should require MAIL_FROM and a default MAIL_TO with SMTP_URL', () => {
    expect(
      issues({ SMTP_URL: 'smtp://mail.example.com', MAIL_TO: 'urgent:oncall@example.com' }),
    ).toEqual([
      'MAIL_FROM: required when SMTP_URL is set',
      'MAIL_TO: needs a default:ADDRESS entry when SMTP_URL is set',
    ]);
  });
});
