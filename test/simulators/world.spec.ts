import { generateBugzillaBugs } from './bugzilla.records.js';
import { generateGlpiTickets } from './glpi.records.js';
import { generateJiraIssues } from './jira.records.js';
import { World } from './world.js';

describe(World.name, () => {
  const now = Date.UTC(2026, 0, 1);
  const world = World.create({ seed: 5, glpi: 3000, jira: 1200, bugzilla: 1200, now });

  it('should be deterministic for a seed', () => {
    const again = World.create({ seed: 5, glpi: 3000, jira: 1200, bugzilla: 1200, now });
    expect(generateGlpiTickets(again)).toEqual(generateGlpiTickets(world));
    expect(generateJiraIssues(again)).toEqual(generateJiraIssues(world));
    expect(generateBugzillaBugs(again)).toEqual(generateBugzillaBugs(world));
    const other = World.create({ seed: 6, glpi: 30, now });
    expect(generateGlpiTickets(other).map((t) => t.name)).not.toEqual(
      generateGlpiTickets(world)
        .slice(0, 30)
        .map((t) => t.name),
    );
  });

  it('should have about 40 accounts and 25 engineers', () => {
    expect(world.accounts).toHaveLength(40);
    expect(world.engineers).toHaveLength(25);
    expect(new Set(world.jiraKeys).size).toBe(1200);
  });

  it('should spread records over two years with created <= updated <= now', () => {
    const tickets = generateGlpiTickets(world);
    expect(tickets.every((t) => t.date <= t.dateMod && t.dateMod <= now)).toBe(true);
    expect(Math.min(...tickets.map((t) => t.date))).toBeLessThan(now - 700 * 86_400_000);
    expect(tickets.some((t) => t.closeDate !== null && t.solveDate !== null)).toBe(true);
    const issues = generateJiraIssues(world);
    expect(issues.every((i) => i.createdMs <= i.updatedMs && i.updatedMs <= now)).toBe(true);
    expect(new Set(issues.map((i) => i.project))).toEqual(new Set(['SUP', 'OPS', 'ENG']));
    const bugs = generateBugzillaBugs(world);
    expect(bugs.every((b) => b.creationMs <= b.lastChangeMs && b.lastChangeMs <= now)).toBe(true);
  });

  it('should cross-link roughly a quarter of JIRA issues and a third of Bugzilla bugs', () => {
    const issues = generateJiraIssues(world);
    const jiraShare =
      issues.filter((i) => i.remoteLinks.some((l) => typeof l.target !== 'string')).length /
      issues.length;
    expect(jiraShare).toBeGreaterThan(0.18);
    expect(jiraShare).toBeLessThan(0.32);
    const bugs = generateBugzillaBugs(world);
    const bugShare =
      bugs.filter((b) => b.seeAlso.some((s) => typeof s !== 'string')).length / bugs.length;
    expect(bugShare).toBeGreaterThan(0.23);
    expect(bugShare).toBeLessThan(0.37);
    expect(generateGlpiTickets(world).some((t) => t.links.length > 0)).toBe(true);
  });

  it('should plant the XSS corpus every 997th record', () => {
    const tickets = generateGlpiTickets(world);
    const planted = [tickets[3], tickets[1000], tickets[1997]].map((t) => t.name);
    expect(planted).toEqual([
      '<script>alert(1)</script> Report export broken',
      'Logo upload <img src=x onerror=alert(1)> fails',
      'Search for "><svg onload=alert(1)> crashes',
    ]);
  });

  it('should carry unknown vocabulary every 1009th record', () => {
    expect(generateGlpiTickets(world)[1016]).toMatchObject({ status: 7, priority: 0 });
    expect(generateJiraIssues(world)[7].priority.name).toBe('P0-Emergency');
    expect(generateBugzillaBugs(world)[1016]).toMatchObject({ status: 'NEEDINFO', severity: 'S1' });
  });
});
