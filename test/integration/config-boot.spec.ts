import { runNode, spawnNode, waitFor } from '../support/processes.js';
import { freePort } from '../support/redis-server.js';
import { testRedisUrl } from '../support/test-context.js';

const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ2FzZWJvYXJkVGVzdENlcnQwCgYIKoZIzj0EAwIwEjEQ
MA4GA1UEAwwHdGVzdC1pZHAwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAw
-----END CERTIFICATE-----`;

describe('process boot with bad configuration', () => {
  it('should exit 1 naming every bad variable', async () => {
    const result = await runNode(['dist/main.js'], {
      REDIS_URL: 'http://not-redis',
      PORT: 'eighty',
      SYNC_CRON_JIRA: '61 * * * *',
      GLPI_URL: 'http://127.0.0.1:9/apirest.php',
      GLPI_TIMEZONE: 'Mars/Olympus',
    });
    expect(result.code).toBe(1);
    for (const variable of [
      'REDIS_URL',
      'PORT',
      'SYNC_CRON_JIRA',
      'GLPI_TIMEZONE',
      'GLPI_USER_TOKEN',
    ]) {
      expect(result.stderr).toMatch(new RegExp(`^  - ${variable}: `, 'm'));
    }
  });

  it('should ask each role only for the settings it uses', async () => {
    const env = {
      REDIS_URL: testRedisUrl(),
      GLPI_URL: 'http://127.0.0.1:9/apirest.php',
      BUGZILLA_URL: 'http://127.0.0.1:9',
    };
    const worker = await runNode(['dist/main.js', 'worker'], env);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('GLPI_USER_TOKEN: required when GLPI_URL is set');
    expect(worker.stderr).toContain('BUGZILLA_API_KEY: required when BUGZILLA_URL is set');

    const webOnly = await runNode(['dist/main.js', 'web'], env);
    expect(webOnly.code).toBe(1);
    for (const variable of [
      'BASE_URL',
      'SESSION_SECRET',
      'SAML_ENTRY_POINT',
      'SAML_ISSUER',
      'SAML_IDP_ISSUER',
      'SAML_IDP_CERT',
    ]) {
      expect(webOnly.stderr).toContain(`${variable}: required by the web role`);
    }
    expect(webOnly.stderr).not.toContain('GLPI_USER_TOKEN');

    const port = await freePort();
    const web = spawnNode(['dist/main.js', 'web'], {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_KEY_PREFIX: 't-boot:',
      BASE_URL: `http://127.0.0.1:${port}`,
      SESSION_SECRET: 'x'.repeat(40),
      SAML_ENTRY_POINT: 'http://127.0.0.1:9/sso',
      SAML_ISSUER: `http://127.0.0.1:${port}/saml/metadata`,
      SAML_IDP_ISSUER: 'http://127.0.0.1:9/idp',
      SAML_IDP_CERT: TEST_CERT,
    });
    try {
      await waitFor(
        'the web role to answer',
        async () => {
          if (web.child.exitCode !== null) throw new Error(`web exited:\n${web.output()}`);
          const response = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null);
          return response?.ok;
        },
        30_000,
      );
    } finally {
      web.child.kill('SIGTERM');
      await web.exited;
    }
  });
});
