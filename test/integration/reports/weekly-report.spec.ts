import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEVERITIES, CASE_STATUSES, type SupportCase } from '../../../src/cases/case.model.js';
import { mdEscape } from '../../../src/reports/weekly/weekly-report.render.js';
import { startSimulators, World, type RunningSimulators } from '../../simulators/index.js';
import { jiraComments } from '../../simulators/jira.records.js';
import { runNode } from '../../support/processes.js';
import {
  createTestContext,
  deletePrefix,
  testEnv,
  uniquePrefix,
  type TestContext,
} from '../../support/test-context.js';

const SEED = 61;
const COUNTS = { glpi: 120, jira: 60, bugzilla: 60 };
const DAY = 86_400_000;

describe('bin/weekly-report', () => {
  const prefix = uniquePrefix('weekly');
  let sims: RunningSimulators;
  let env: Record<string, string>;
  let ctx: TestContext;
  let since: string;
  let inPeriod: SupportCase[];
  let faulted: string;

  beforeAll(async () => {
    sims = await startSimulators({ seed: SEED, ...COUNTS });
    env = testEnv(prefix, sims.env);
    const sync = await runNode(['bin/sync'], env);
    expect(sync.code).toBe(0);
    ctx = await createTestContext(env, []);
    since = new Date(Date.now() - 45 * DAY).toISOString();
    inPeriod = [];
    for await (const batch of ctx.store.scan()) {
      inPeriod.push(...batch.filter((c) => c.updatedAt >= since));
    }
    // One JIRA case whose comments cannot be read: the report must still be made.
    faulted = inPeriod.find((c) => c.source === 'jira')!.key;
    sims.jira.faults.add({
      kind: 'status500',
      path: new RegExp(`/issue/${faulted}/comment$`),
      times: Infinity,
    });
  });
  afterAll(async () => {
    await ctx.close();
    await sims.close();
    await deletePrefix(prefix);
  });

  it('should answer --help and refuse a bad --since', async () => {
    const help = await runNode(['bin/weekly-report', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bin\/weekly-report/);
    const bad = await runNode(['bin/weekly-report', '--since', 'last week'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be 7d (days before now), 2026-11-16');
  });

  it('should group the cases updated since --since by account then status, with last comments', async () => {
    expect(inPeriod.length).toBeGreaterThan(10);
    const result = await runNode(['bin/weekly-report', '--since', since], env);
    expect(result.code).toBe(0);
    const md = result.stdout;

    // Hand-computed outline: accounts by name (none last), statuses in workflow order.
    const accounts = [...new Set(inPeriod.map((c) => c.account))].sort((a, b) =>
      a === null
        ? 1
        : b === null
          ? -1
          : a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : 1),
    );
    const expectedOutline: string[] = [];
    for (const account of accounts) {
      const mine = inPeriod.filter((c) => c.account === account);
      expectedOutline.push(`## ${mdEscape(account ?? '(no account)')} (${mine.length})`);
      for (const status of CASE_STATUSES) {
        const group = mine.filter((c) => c.status === status);
        if (group.length === 0) continue;
        expectedOutline.push(`### ${status} (${group.length})`);
        group.sort(
          (a, b) =>
            SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
            b.updatedAt.localeCompare(a.updatedAt) ||
            a.id.localeCompare(b.id, 'en', { numeric: true }),
        );
        for (const c of group) expectedOutline.push(`- **${c.severity}** [${c.id}]`);
      }
    }
    const outline = md
      .split('\n')
      .filter((l) => /^(## |### |- \*\*)/.test(l))
      .map((l) => (l.startsWith('- ') ? l.replace(/^(- \*\*\w+\*\* \[[^\]]+\]).*$/, '$1') : l));
    expect(outline).toEqual(expectedOutline);
    expect(md).toContain(`${inPeriod.length} cases updated since `);

    // Last comments of the JIRA cases, from the simulator's own records.
    const world = World.create({ seed: SEED, ...COUNTS });
    const lines = md.split('\n');
    let checked = 0;
    for (const issue of sims.jira.issues) {
      const at = lines.findIndex(
        (l) => /^- \*\*\w+\*\* \[jira:([^\]]+)\]/.exec(l)?.[1] === issue.key,
      );
      if (at < 0) continue;
      const last = jiraComments(world, issue).at(-1);
      const expected =
        issue.key === faulted
          ? '_last comment unavailable_'
          : last
            ? `${mdEscape(last.author.displayName)}, ${new Date(last.createdMs).toISOString().slice(0, 10)}: ${mdEscape(last.text)}`
            : '_no comments_';
      expect([issue.key, lines[at + 1]]).toEqual([issue.key, `  - ${expected}`]);
      checked++;
    }
    expect(checked).toBe(inPeriod.filter((c) => c.source === 'jira').length);
  });

  it('should keep only one account with --account', async () => {
    const account = inPeriod.find((c) => c.account !== null)!.account!;
    const n = inPeriod.filter((c) => c.account === account).length;
    const result = await runNode(
      ['bin/weekly-report', '--since', since, '--account', account],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      `## ${mdEscape(account)} (${n})`,
    ]);
    expect(result.stdout).toContain(`\n${n} case${n === 1 ? '' : 's'} updated since `);
  });

  it('should write a self-contained HTML page with --format html --out', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'caseboard-weekly-')), 'weekly.html');
    const result = await runNode(
      ['bin/weekly-report', '--since', since, '--format', 'html', '--out', out],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${inPeriod.length} cases written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<li><strong>/g)).toHaveLength(inPeriod.length);
    expect(html).not.toMatch(/<script|<link|src=/);
  });
});
