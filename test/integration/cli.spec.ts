import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupportCase } from '../../src/cases/case.model.js';
import { supportCaseSchema } from '../../src/cases/case.schema.js';
import { startSimulators, type RunningSimulators } from '../simulators/index.js';
import { runNode } from '../support/processes.js';
import { deletePrefix, testEnv, uniquePrefix } from '../support/test-context.js';
import { expectedUpstream } from '../support/upstreams.js';

describe('bin scripts', () => {
  const prefix = uniquePrefix('cli');
  let sims: RunningSimulators;
  let env: Record<string, string>;

  beforeAll(async () => {
    sims = await startSimulators({ seed: 51, glpi: 150, jira: 60, bugzilla: 60 });
    env = testEnv(prefix, sims.env);
  });
  afterAll(async () => {
    await sims.close();
    await deletePrefix(prefix);
  });

  it.each(['bin/sync', 'bin/export-cases', 'bin/simulators'])(
    '%s should answer --help',
    async (script) => {
      const result = await runNode([script, '--help'], {});
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: /);
    },
  );

  it('should reject an unknown flag with exit code 2', async () => {
    const result = await runNode(['bin/sync', '--sauce', 'glpi'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown argument "--sauce"');
  });

  it('bin/sync should sync every source and print a summary', async () => {
    const result = await runNode(['bin/sync'], env);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    const expected = expectedUpstream(sims);
    for (const source of ['glpi', 'jira', 'bugzilla'] as const) {
      const n = expected[source].size;
      expect(result.stdout).toMatch(
        new RegExp(
          `^${source}\\s+incremental\\s+${n}\\s+${n}\\s+0\\s+0\\s+0\\s+\\d+\\.\\d s$`,
          'm',
        ),
      );
    }
  });

  it('bin/export-cases should write the stored cases as JSON, NDJSON and CSV', async () => {
    const json = await runNode(['bin/export-cases'], env);
    expect(json.code).toBe(0);
    const cases = JSON.parse(json.stdout) as SupportCase[];
    const expected = expectedUpstream(sims);
    expect(cases).toHaveLength(expected.glpi.size + expected.jira.size + expected.bugzilla.size);
    for (const c of cases) expect(supportCaseSchema.safeParse(c).error).toBeUndefined();

    const ndjson = await runNode(
      ['bin/export-cases', '--source', 'jira', '--format', 'ndjson'],
      env,
    );
    const lines = ndjson.stdout.trim().split('\n');
    expect(lines).toHaveLength(expected.jira.size);
    expect(lines.map((l) => (JSON.parse(l) as SupportCase).source)).toEqual(
      lines.map(() => 'jira'),
    );

    const dir = mkdtempSync(join(tmpdir(), 'caseboard-export-'));
    const out = join(dir, 'cases.csv');
    const csv = await runNode(
      ['bin/export-cases', '--source', 'glpi,bugzilla', '--format', 'csv', '--out', out],
      env,
    );
    expect(csv.code).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'id,source,key,url,title,status,statusRaw,severity,severityRaw,assignee,requester,account,product,component,createdAt,updatedAt,resolvedAt,closedAt,links,labels',
    );
    expect(rows.filter((r) => /^(glpi|bugzilla):/.test(r)).length).toBe(
      expected.glpi.size + expected.bugzilla.size,
    );
  });

  it('bin/sync should exit 1 naming the source and the cause when the upstream refuses it', async () => {
    const result = await runNode(['bin/sync', '--source', 'bugzilla'], {
      ...env,
      BUGZILLA_API_KEY: 'revoked',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sync failed: bugzilla: authentication failed \(HTTP 400\): code 306/m,
    );
    expect(result.stderr).not.toContain('revoked');
  });
});
