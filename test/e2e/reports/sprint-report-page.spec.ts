import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SprintReport } from '../../../src/reports/sprint/sprint-report.model.js';
import { runNode } from '../../support/processes.js';
import { chartSeries, inkedPixels, signIn as browserSignIn } from '../browser/browser-kit.js';
import { startStack, type AppStack } from '../support/app-stack.js';
import { anonymous, ask, signIn, type Caller } from '../security/security-kit.js';

/*
 * /reports/sprint shows what bin/sprint-report computes, for leads. Board 7 of the JIRA
 * simulator (test/simulators/jira.agile.ts); sprint 71's figures are worked out by hand in
 * test/integration/reports/sprint-report.spec.ts: committed 7 (20 pt), added 3 (12), removed 2
 * (8), completed 5 (22), carried over 3 (7), re-estimated 2 (+5).
 */

const HAND = {
  committed: ['7', '20'],
  added: ['3', '12'],
  removed: ['2', '8'],
  completed: ['5', '22'],
  carriedOver: ['3', '7'],
  reestimated: ['2', '5'],
};

/** The summary table as the page shows it: category → [issues, points]. */
function totalsOf(html: string): Record<string, string[]> {
  const rows = html.matchAll(
    /<tr data-category="(\w+)">.*?data-figure="issues">([^<]*)<\/td>.*?data-figure="points">([^<]*)<\/td>/g,
  );
  return Object.fromEntries([...rows].map((m) => [m[1], [m[2], m[3]]]));
}

describe('sprint report page', () => {
  let stack: AppStack;
  let bob: Caller;
  let alice: Caller;

  beforeAll(async () => {
    stack = await startStack({ name: 'sprint-page', glpi: 30, jira: 20, bugzilla: 20 });
    bob = { kind: 'session', jar: await signIn(stack, 'bob') };
    alice = { kind: 'session', jar: await signIn(stack, 'alice') };
  }, 120_000);
  afterAll(() => stack?.stop());

  it('should show a lead the figures bin/sprint-report computes, which are the hand-worked ones', async () => {
    const page = await ask(stack.baseUrl, '/reports/sprint?board=7&sprint=71', bob);
    expect(page.status).toBe(200);
    expect(totalsOf(page.body)).toEqual(HAND);
    expect(page.body).toContain('Sprint 2 (board 7, Support squad)');
    expect(page.body).toMatch(/71%<\/span> of issues, .*110%<\/span> of points/);

    const cli = await runNode(['bin/sprint-report', '--board', '7', '--format', 'json'], stack.env);
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as SprintReport;
    const fromCli = Object.fromEntries(
      Object.entries(report.totals).map(([k, t]: [string, { issues: number; points: number }]) => [
        k,
        [String(t.issues), String(t.points)],
      ]),
    );
    expect(totalsOf(page.body)).toEqual(fromCli);
    // the chart's data, per assignee, HTML-escaped into the canvas attribute
    expect(page.body).toContain(
      'data-chart="{&quot;unit&quot;:&quot;points&quot;,&quot;labels&quot;:[&quot;Ana Lima&quot;,&quot;Ben Okafor&quot;,&quot;Cy Dubois&quot;,&quot;(unassigned)&quot;],&quot;committed&quot;:[10,6,4,0],&quot;completed&quot;:[7,0,15,0]}"',
    );
    // summaries are escaped; the page loads its script from /static, none inline
    expect(page.body).toContain('Attachment &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; previews');
    expect(page.body).toContain('<script src="/static/js/reports-sprint.js" defer></script>');
    expect(page.body).toContain('id="nav-sprint-report"');
  });

  it('should draw the chart in a browser, on the page and in the mailed HTML file offline', async () => {
    const PER_ASSIGNEE = [
      [10, 6, 4, 0],
      [7, 0, 15, 0],
    ];
    const dir = mkdtempSync(join(tmpdir(), 'caseboard-sprint-'));
    const file = join(dir, 'sprint.html');
    const cli = await runNode(
      ['bin/sprint-report', '--board', '7', '--format', 'html', '--out', file],
      stack.env,
    );
    expect(cli.code).toBe(0);
    const session = await browserSignIn(stack, 'bob');
    try {
      const { page } = session;
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${stack.baseUrl}/reports/sprint?board=7&sprint=last-closed`);
      const canvas = page.locator('#chart-sprint[data-state="ready"]');
      await canvas.waitFor({ timeout: 15_000 });
      expect((await chartSeries(canvas))?.datasets.map((d) => d.data)).toEqual(PER_ASSIGNEE);
      expect(await inkedPixels(canvas)).toBeGreaterThan(0);

      // the file must need nothing from the network
      await page.route(/^(?!file:)/, (route) => route.abort());
      await page.goto(`file://${file}`);
      const offline = page.locator('#chart');
      expect((await chartSeries(offline))?.datasets.map((d) => d.data)).toEqual(PER_ASSIGNEE);
      expect(await inkedPixels(offline)).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 60_000);

  it('should list the scrum boards when no board is given', async () => {
    const page = await ask(stack.baseUrl, '/reports/sprint', bob);
    expect(page.status).toBe(200);
    expect(page.body).toContain('7 · Support squad');
    expect(page.body).toContain('9 · Pilot team');
    expect(page.body).not.toContain('Ops flow');
  });

  it('should answer an unknown board 404 and a malformed one 400, on the page', async () => {
    const unknown = await ask(stack.baseUrl, '/reports/sprint?board=99', bob);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('JIRA has no board 99 (or the JIRA user cannot see it)');
    const bad = await ask(stack.baseUrl, '/reports/sprint?board=7&sprint=soon', bob);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('sprint: must be a sprint id, active or last-closed');
  });

  it('should refuse engineers and send anonymous callers to sign in', async () => {
    expect((await ask(stack.baseUrl, '/reports/sprint?board=7', alice)).status).toBe(403);
    const anon = await ask(stack.baseUrl, '/reports/sprint?board=7', anonymous);
    expect(anon.status).toBe(303);
    const home = await ask(stack.baseUrl, '/', alice);
    expect(home.body).not.toContain('nav-sprint-report');
  });
});
