import { startSimulators } from './index.js';

describe(startSimulators.name, () => {
  it('should start all three over one world and render cross-links with live peer URLs', async () => {
    const sims = await startSimulators({ glpi: 200, jira: 80, bugzilla: 80, seed: 9 });
    try {
      const { glpi, jira, bugzilla, env } = sims;
      expect(env).toMatchObject({
        GLPI_URL: glpi.url,
        JIRA_URL: jira.url,
        BUGZILLA_URL: bugzilla.url,
        BUGZILLA_QUERY: 'product=Support',
      });
      expect(glpi.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apirest\.php$/);
      const bugs = (await (
        await fetch(`${bugzilla.url}/rest/bug?limit=0&include_fields=see_also`)
      ).json()) as {
        bugs: { see_also: string[] }[];
      };
      const urls = bugs.bugs.flatMap((b) => b.see_also);
      const glpiRoot = glpi.url.replace(/\/apirest\.php$/, '');
      expect(urls.some((u) => u.startsWith(`${jira.url}/browse/`))).toBe(true);
      expect(urls.some((u) => u.startsWith(`${glpiRoot}/front/ticket.form.php?id=`))).toBe(true);
      expect(urls.some((u) => u.includes('.invalid'))).toBe(false);
    } finally {
      await sims.close();
    }
  });

  it('should fail cleanly when a port is taken', async () => {
    const first = await startSimulators({ glpi: 5, jira: 5, bugzilla: 5 });
    try {
      const port = Number(new URL(first.jira.url).port);
      await expect(
        startSimulators({ glpi: 5, jira: 5, bugzilla: 5, ports: { jira: port } }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
