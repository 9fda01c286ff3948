import { ConfigError } from './config.error.js';
import { loadConfig } from './load-config.js';

/** What the web role needs (part of every test environment below, since roles default to all). */
const WEB = {
  BASE_URL: 'https://caseboard.example.com',
  SESSION_SECRET: 's'.repeat(32),
  SAML_ENTRY_POINT: 'https://idp.example.com/sso',
  SAML_ISSUER: 'https://caseboard.example.com/saml/metadata',
  SAML_IDP_ISSUER: 'https://idp.example.com/metadata',
  SAML_IDP_CERT: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
};

/** An environment with every upstream configured and credentialed; override to break it. */
function anEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    GLPI_URL: 'https://glpi.example.com/apirest.php',
    GLPI_USER_TOKEN: 'glpi-user-token',
    JIRA_URL: 'https://jira.example.com',
    JIRA_PAT: 'jira-pat',
    BUGZILLA_URL: 'https://bugs.example.com',
    BUGZILLA_API_KEY: 'bz-key',
    ...WEB,
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const variables = (error: ConfigError) => error.issues.map((i) => i.variable).sort();

describe(loadConfig.name, () => {
  describe('defaults', () => {
    it('should run every role with documented defaults and no source', () => {
      const config = loadConfig({ ...WEB });
      expect(config.roles).toEqual(['web', 'worker', 'scheduler']);
      expect(config.nodeEnv).toBe('production');
      expect(config.logLevel).toBe('info');
      expect(config.http).toEqual({ host: '0.0.0.0', port: 3000 });
      expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'caseboard:' });
      expect(config.sources).toEqual({ glpi: undefined, jira: undefined, bugzilla: undefined });
      expect(config.upstreamBases).toEqual({
        glpi: undefined,
        jira: undefined,
        bugzilla: undefined,
      });
      expect(config.upstream).toEqual({
        timeoutMs: 30_000,
        retries: 4,
        retryBaseMs: 500,
        retryMaxMs: 30_000,
        concurrency: 4,
        ratePerSecond: 0,
        breakerThreshold: 5,
        breakerResetMs: 30_000,
      });
      expect(config.sync).toEqual({
        cron: {
          glpi: '*/5 * * * *',
          jira: '*/5 * * * *',
          bugzilla: '*/5 * * * *',
          reconcile: '30 3 * * *',
        },
        cronTimeZone: 'UTC',
        overlapSeconds: 120,
        attempts: 5,
        backoffMs: 10_000,
        jobLockMs: 30_000,
        stalledCheckMs: 30_000,
        keepFailedJobs: 500,
        keepCompletedJobs: 100,
      });
    });

    it('should give each configured source its defaults', () => {
      const config = loadConfig(anEnv());
      expect(config.sources.glpi).toEqual({
        url: 'https://glpi.example.com/apirest.php',
        webRoot: 'https://glpi.example.com',
        appToken: undefined,
        userToken: 'glpi-user-token',
        timeZone: 'UTC',
        pageSize: 500,
        statusMap: {},
        priorityMap: {},
      });
      expect(config.sources.jira).toEqual({
        url: 'https://jira.example.com',
        flavor: 'datacenter',
        auth: { kind: 'bearer', token: 'jira-pat' },
        jql: undefined,
        accountField: undefined,
        pageSize: 100,
        remoteLinks: true,
        statusMap: {},
        priorityMap: {},
      });
      expect(config.sources.bugzilla).toEqual({
        url: 'https://bugs.example.com',
        apiKey: 'bz-key',
        query: '',
        accountField: undefined,
        pageSize: 500,
        statusMap: {},
        severityMap: {},
      });
      expect(config.upstreamBases).toEqual({
        glpi: 'https://glpi.example.com',
        jira: 'https://jira.example.com',
        bugzilla: 'https://bugs.example.com',
      });
    });

    it('should read numbers, booleans and lists from their text', () => {
      const config = loadConfig(
        anEnv({
          PORT: '8080',
          UPSTREAM_RETRIES: '0',
          JIRA_REMOTE_LINKS: 'no',
          CASEBOARD_ROLES: ' web , web,scheduler',
        }),
      );
      expect(config.http.port).toBe(8080);
      expect(config.upstream.retries).toBe(0);
      expect(config.sources.jira?.remoteLinks).toBe(false);
      expect(config.roles).toEqual(['web', 'scheduler']);
    });

    it('should treat an empty variable as unset', () => {
      const config = loadConfig(anEnv({ PORT: '', CASEBOARD_ROLES: '', REDIS_URL: '' }));
      expect(config.http.port).toBe(3000);
      expect(config.roles).toEqual(['web', 'worker', 'scheduler']);
      expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    });

    it('should treat blank optional values as unset', () => {
      const config = loadConfig(anEnv({ GLPI_URL: '  ', JIRA_JQL: ' ', GLPI_APP_TOKEN: '' }));
      expect(config.sources.glpi).toBeUndefined();
      expect(config.sources.jira?.jql).toBeUndefined();
    });
  });

  describe('errors', () => {
    it('should report every bad variable in one ConfigError', () => {
      const error = configError(() =>
        loadConfig(
          anEnv({
            PORT: 'eighty',
            SYNC_CRON_GLPI: 'every five minutes',
            GLPI_TIMEZONE: 'Mars/Olympus_Mons',
            REDIS_URL: 'http://redis.example.com:6379',
            GLPI_USER_TOKEN: undefined,
          }),
        ),
      );
      expect(variables(error)).toEqual([
        'GLPI_TIMEZONE',
        'GLPI_USER_TOKEN',
        'PORT',
        'REDIS_URL',
        'SYNC_CRON_GLPI',
      ]);
      for (const name of [
        'PORT',
        'SYNC_CRON_GLPI',
        'GLPI_TIMEZONE',
        'REDIS_URL',
        'GLPI_USER_TOKEN',
      ]) {
        expect(error.message).toContain(`  - ${name}: `);
      }
      expect(error.message).toMatch(/^Invalid configuration:\n/);
      expect(error.name).toBe('ConfigError');
    });

    it('should say what is wrong with each variable', () => {
      const error = configError(() =>
        loadConfig(anEnv({ PORT: '70000', SYNC_CRON_JIRA: '* * *' })),
      );
      expect(error.issues).toEqual(
        expect.arrayContaining([
          { variable: 'PORT', message: 'expected at most 65535' },
          {
            variable: 'SYNC_CRON_JIRA',
            message: expect.stringContaining('expected 5 fields') as unknown,
          },
        ]),
      );
    });

    it('should report a missing credential with other problems even when the JIRA flavor is inferred', () => {
      const error = configError(() =>
        loadConfig(
          anEnv({ PORT: 'x', JIRA_URL: 'https://acme.atlassian.net', JIRA_PAT: undefined }),
        ),
      );
      expect(variables(error)).toEqual(['JIRA_API_TOKEN', 'JIRA_EMAIL', 'PORT']);
    });

    it('should reject an unknown or blank role list', () => {
      for (const roles of ['web,cook', ' , ']) {
        const error = configError(() => loadConfig(anEnv({ CASEBOARD_ROLES: roles })));
        expect(variables(error)).toEqual(['CASEBOARD_ROLES']);
      }
    });

    it('should reject a non-http upstream URL', () => {
      const error = configError(() => loadConfig(anEnv({ JIRA_URL: 'ftp://jira.example.com' })));
      expect(variables(error)).toEqual(['JIRA_URL']);
    });
  });

  describe('credentials', () => {
    const noCredentials = {
      GLPI_USER_TOKEN: undefined,
      JIRA_PAT: undefined,
      BUGZILLA_API_KEY: undefined,
    };

    it('should require upstream credentials for a worker', () => {
      const error = configError(() => loadConfig(anEnv(noCredentials), ['worker']));
      expect(variables(error)).toEqual(['BUGZILLA_API_KEY', 'GLPI_USER_TOKEN', 'JIRA_PAT']);
    });

    it('should require upstream credentials for the CLI', () => {
      const error = configError(() => loadConfig(anEnv({ GLPI_USER_TOKEN: undefined }), ['cli']));
      expect(variables(error)).toEqual(['GLPI_USER_TOKEN']);
    });

    it('should not require credentials from the web or scheduler roles', () => {
      for (const scopes of [['web'], ['scheduler'], ['web', 'scheduler']] as const) {
        const config = loadConfig(anEnv(noCredentials), [...scopes]);
        expect(config.sources.glpi?.userToken).toBe('');
        expect(config.sources.bugzilla?.apiKey).toBe('');
        expect(config.upstreamBases.glpi).toBe('https://glpi.example.com');
      }
    });

    it('should give the web role the JIRA credentials when set (the sprint report page)', () => {
      expect(loadConfig(anEnv(), ['web']).sources.jira?.auth).toEqual({
        kind: 'bearer',
        token: 'jira-pat',
      });
      const cloud = { JIRA_URL: 'https://acme.atlassian.net', JIRA_PAT: undefined };
      expect(
        loadConfig(anEnv({ ...cloud, JIRA_EMAIL: 'bot@acme.com', JIRA_API_TOKEN: 'tok' }), ['web'])
          .sources.jira?.auth,
      ).toEqual({ kind: 'basic', email: 'bot@acme.com', apiToken: 'tok' });
      // half a cloud credential is none
      expect(
        loadConfig(anEnv({ ...cloud, JIRA_EMAIL: 'bot@acme.com' }), ['web']).sources.jira?.auth,
      ).toEqual({ kind: 'bearer', token: '' });
    });

    it('should take the scopes from CASEBOARD_ROLES when none are given', () => {
      expect(() => loadConfig(anEnv({ ...noCredentials, CASEBOARD_ROLES: 'web' }))).not.toThrow();
      const error = configError(() =>
        loadConfig(anEnv({ ...noCredentials, CASEBOARD_ROLES: 'web,worker' })),
      );
      expect(variables(error)).toEqual(['BUGZILLA_API_KEY', 'GLPI_USER_TOKEN', 'JIRA_PAT']);
    });

    it('should infer JIRA cloud from an atlassian.net host and need an email and API token', () => {
      const cloud = { JIRA_URL: 'https://acme.atlassian.net', JIRA_PAT: undefined };
      const error = configError(() => loadConfig(anEnv(cloud), ['worker']));
      expect(variables(error)).toEqual(['JIRA_API_TOKEN', 'JIRA_EMAIL']);

      const config = loadConfig(
        anEnv({ ...cloud, JIRA_EMAIL: 'bot@acme.com', JIRA_API_TOKEN: 'tok' }),
        ['worker'],
      );
      expect(config.sources.jira?.flavor).toBe('cloud');
      expect(config.sources.jira?.auth).toEqual({
        kind: 'basic',
        email: 'bot@acme.com',
        apiToken: 'tok',
      });
    });

    it('should need a personal access token for JIRA Data Center', () => {
      const error = configError(() => loadConfig(anEnv({ JIRA_PAT: undefined }), ['worker']));
      expect(variables(error)).toEqual(['JIRA_PAT']);
      expect(loadConfig(anEnv(), ['worker']).sources.jira?.auth).toEqual({
        kind: 'bearer',
        token: 'jira-pat',
      });
    });

    it('should let JIRA_FLAVOR override the inferred flavor', () => {
      const error = configError(() =>
        loadConfig(anEnv({ JIRA_FLAVOR: 'cloud', JIRA_PAT: undefined }), ['worker']),
      );
      expect(variables(error)).toEqual(['JIRA_API_TOKEN', 'JIRA_EMAIL']);
      const config = loadConfig(
        anEnv({ JIRA_URL: 'https://acme.atlassian.net', JIRA_FLAVOR: 'datacenter' }),
        ['worker'],
      );
      expect(config.sources.jira?.flavor).toBe('datacenter');
    });
  });

  describe('vocabulary maps', () => {
    it('should parse a status map', () => {
      const config = loadConfig(anEnv({ GLPI_STATUS_MAP: '7:pending' }));
      expect(config.sources.glpi?.statusMap).toEqual({ '7': 'pending' });
    });

    it('should parse severity maps with lower-cased keys', () => {
      const config = loadConfig(
        anEnv({ JIRA_PRIORITY_MAP: 'P1:urgent,P2:high', BUGZILLA_SEVERITY_MAP: 'S1:urgent' }),
      );
      expect(config.sources.jira?.priorityMap).toEqual({ p1: 'urgent', p2: 'high' });
      expect(config.sources.bugzilla?.severityMap).toEqual({ s1: 'urgent' });
    });

    it('should reject a map value outside the vocabulary', () => {
      const error = configError(() =>
        loadConfig(anEnv({ GLPI_STATUS_MAP: '7:waiting', BUGZILLA_SEVERITY_MAP: 'S1' })),
      );
      expect(variables(error)).toEqual(['BUGZILLA_SEVERITY_MAP', 'GLPI_STATUS_MAP']);
    });
  });

  describe('upstream queries', () => {
    it('should reject a Bugzilla query that sets parameters Caseboard owns', () => {
      for (const query of [
        'product=Foo&api_key=secret',
        'api_key=secret',
        '?api_key=secret',
        '&limit=5',
        'order=bug_id',
      ]) {
        const error = configError(() => loadConfig(anEnv({ BUGZILLA_QUERY: query })));
        expect([query, variables(error)]).toEqual([query, ['BUGZILLA_QUERY']]);
      }
    });

    it('should accept other Bugzilla parameters and strip a leading ? or &', () => {
      expect(
        loadConfig(anEnv({ BUGZILLA_QUERY: '?product=Foo&component=Bar' })).sources.bugzilla?.query,
      ).toBe('product=Foo&component=Bar');
      expect(
        loadConfig(anEnv({ BUGZILLA_QUERY: 'product=my_api_key=ok' })).sources.bugzilla?.query,
      ).toBe('product=my_api_key=ok');
    });

    it('should reject a JQL filter with ORDER BY', () => {
      const error = configError(() =>
        loadConfig(anEnv({ JIRA_JQL: 'project = OPS order  by created DESC' })),
      );
      expect(variables(error)).toEqual(['JIRA_JQL']);
    });

    it('should keep a JQL filter without ORDER BY', () => {
      expect(
        loadConfig(anEnv({ JIRA_JQL: 'project = OPS AND type = Bug' })).sources.jira?.jql,
      ).toBe('project = OPS AND type = Bug');
    });
  });

  describe('URLs', () => {
    it('should strip trailing slashes and surrounding spaces from upstream URLs', () => {
      const config = loadConfig(
        anEnv({
          GLPI_URL: 'https://glpi.example.com/glpi/apirest.php/',
          JIRA_URL: ' https://jira.example.com/jira// ',
          BUGZILLA_URL: 'https://bugs.example.com/',
        }),
      );
      expect(config.sources.glpi?.url).toBe('https://glpi.example.com/glpi/apirest.php');
      expect(config.sources.glpi?.webRoot).toBe('https://glpi.example.com/glpi');
      expect(config.sources.jira?.url).toBe('https://jira.example.com/jira');
      expect(config.sources.bugzilla?.url).toBe('https://bugs.example.com');
      expect(config.upstreamBases).toEqual({
        glpi: 'https://glpi.example.com/glpi',
        jira: 'https://jira.example.com/jira',
        bugzilla: 'https://bugs.example.com',
      });
    });
  });

  describe('shutdown timeout', () => {
    it('should default to 25 s and stay under the 30 s an orchestrator waits', () => {
      expect(loadConfig(anEnv()).shutdownTimeoutMs).toBe(25_000);
      expect(loadConfig(anEnv({ SHUTDOWN_TIMEOUT_MS: '5000' })).shutdownTimeoutMs).toBe(5000);
      const error = configError(() => loadConfig(anEnv({ SHUTDOWN_TIMEOUT_MS: '30000' })));
      expect(error.issues).toEqual([
        { variable: 'SHUTDOWN_TIMEOUT_MS', message: 'expected at most 29000' },
      ]);
    });
  });
});
