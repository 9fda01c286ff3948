import { runNode, spawnNode, waitFor } from '../support/processes.js';
import { freePort } from '../support/redis-server.js';
import { testRedisUrl } from '../support/test-context.js';

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

  it('should ask a worker for upstream credentials but let the web role start without them', async () => {
    const env = {
      REDIS_URL: testRedisUrl(),
      GLPI_URL: 'http://127.0.0.1:9/apirest.php',
      BUGZILLA_URL: 'http://127.0.0.1:9',
    };
    const worker = await runNode(['dist/main.js', 'worker'], env);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('GLPI_USER_TOKEN: required when GLPI_URL is set');
    expect(worker.stderr).toContain('BUGZILLA_API_KEY: required when BUGZILLA_URL is set');

    const port = await freePort();
    const web = spawnNode(['dist/main.js', 'web'], {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_KEY_PREFIX: 't-boot:',
    });
    try {
      await waitFor('the web role to answer', async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null);
        return response?.ok;
      });
    } finally {
      web.child.kill('SIGTERM');
      await web.exited;
    }
  });
});
