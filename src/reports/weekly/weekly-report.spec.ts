import { aCase } from '../../query/case-fixture.js';
import type { TimelineEntry } from '../../sources/case-source.port.js';
import { groupWeekly, parseSince, selectWeekly } from './weekly-report.js';
import { renderWeeklyHtml, renderWeeklyMarkdown } from './weekly-report.render.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const SINCE = new Date('2026-03-03T12:00:00.000Z');
const BASES = { jira: 'https://jira.example.test', bugzilla: 'https://bz.example.test' };

describe('weekly report', () => {
  it('should parse --since as days, a date or an instant, and refuse anything else', () => {
    expect(parseSince('7d', NOW)?.toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(parseSince('2026-03-01', NOW)?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseSince('2026-03-01T08:30:00+02:00', NOW)?.toISOString()).toBe(
      '2026-03-01T06:30:00.000Z',
    );
    for (const bad of ['', 'week', '2026-02-30', '7', '2026-03-01 08:30', '-3d'])
      expect(parseSince(bad, NOW)).toBeNull();
  });

  it('should select cases updated in the period, within the scope and account', () => {
    const c = aCase({ updatedAt: '2026-03-03T12:00:00.000Z', account: 'Globex' });
    expect(selectWeekly(c, SINCE, NOW, null)).toBe(true);
    expect(selectWeekly({ ...c, updatedAt: '2026-03-03T11:59:59.999Z' }, SINCE, NOW, null)).toBe(
      false,
    );
    expect(selectWeekly(c, SINCE, NOW, ['Globex'])).toBe(true);
    expect(selectWeekly(c, SINCE, NOW, ['ACME'])).toBe(false);
    expect(selectWeekly({ ...c, account: null }, SINCE, NOW, ['Globex'])).toBe(false);
    expect(selectWeekly(c, SINCE, NOW, null, 'ACME')).toBe(false);
  });

  it('should group by account (no account last), then status, most severe first', () => {
    const cases = [
      aCase({
        key: 'SUP-1',
        account: 'globex',
        status: 'open',
        severity: 'low',
        updatedAt: '2026-03-09T00:00:00.000Z',
      }),
      aCase({
        key: 'SUP-2',
        account: 'ACME',
        status: 'pending',
        severity: 'normal',
        updatedAt: '2026-03-08T00:00:00.000Z',
      }),
      aCase({
        key: 'SUP-3',
        account: 'ACME',
        status: 'open',
        severity: 'normal',
        updatedAt: '2026-03-05T00:00:00.000Z',
      }),
      aCase({
        key: 'SUP-4',
        account: 'ACME',
        status: 'open',
        severity: 'normal',
        updatedAt: '2026-03-07T00:00:00.000Z',
      }),
      aCase({
        key: 'SUP-5',
        account: 'ACME',
        status: 'open',
        severity: 'urgent',
        updatedAt: '2026-03-04T00:00:00.000Z',
      }),
      aCase({ key: 'SUP-6', account: null, status: 'new', severity: 'high' }),
      aCase({ key: 'SUP-7', account: 'Globex', status: 'closed', severity: 'high' }),
    ];
    const report = groupWeekly(cases, new Map(), BASES, SINCE, NOW);
    expect(report.total).toBe(7);
    expect(
      report.accounts.map((a) => [
        a.account,
        a.count,
        a.statuses.map((g) => `${g.status}: ${g.cases.map((c) => c.key).join(' ')}`),
      ]),
    ).toEqual([
      ['ACME', 4, ['open: SUP-5 SUP-4 SUP-3', 'pending: SUP-2']],
      ['Globex', 1, ['closed: SUP-7']],
      ['globex', 1, ['open: SUP-1']],
      [null, 1, ['new: SUP-6']],
    ]);
  });

  it('should render Markdown and HTML with comments, links and escaped text', () => {
    const comment: TimelineEntry = {
      at: '2026-03-09T10:00:00.000Z',
      author: 'Ann <Lee>',
      text: 'Patched   the *checkout*\nwaiting <script>alert(1)</script>',
    };
    const cases = [
      aCase({
        key: 'SUP-1',
        title: 'Pay <b>fails</b> & [retry]',
        severity: 'urgent',
        links: [
          { source: 'bugzilla', key: '1001' },
          { source: 'glpi', key: '7' },
        ],
      }),
      aCase({ key: 'SUP-2', assignee: null, url: 'javascript:alert(1)' }),
      aCase({ key: 'SUP-3' }),
    ].map((c) => ({ ...c, updatedAt: '2026-03-09T00:00:00.000Z' }));
    const comments = new Map<string, TimelineEntry | null>([
      ['jira:SUP-1', comment],
      ['jira:SUP-2', null],
    ]);
    const report = groupWeekly(cases, comments, BASES, SINCE, NOW);

    expect(renderWeeklyMarkdown(report)).toBe(
      [
        '# Weekly report: 2026-03-03 to 2026-03-10',
        '',
        '3 cases updated since 2026-03-03 12:00 UTC.',
        '',
        '## ACME (3)',
        '',
        '### open (3)',
        '',
        '- **urgent** [jira:SUP-1](<https://jira.example.com/SUP-1>) Pay \\<b\\>fails\\</b\\> & \\[retry\\] · Alice Adams · links: [bugzilla:1001](<https://bz.example.test/show_bug.cgi?id=1001>), glpi:7',
        '  - Ann \\<Lee\\>, 2026-03-09: Patched the \\*checkout\\* waiting \\<script\\>alert(1)\\</script\\>',
        '- **normal** jira:SUP-2 Checkout fails · unassigned',
        '  - _no comments_',
        '- **normal** [jira:SUP-3](<https://jira.example.com/SUP-3>) Checkout fails · Alice Adams',
        '  - _last comment unavailable_',
        '',
      ].join('\n'),
    );

    const html = renderWeeklyHtml(report);
    expect(html).toContain(
      '<li><strong>urgent</strong> <a href="https://jira.example.com/SUP-1">jira:SUP-1</a> Pay &lt;b&gt;fails&lt;/b&gt; &amp; [retry] · Alice Adams · links: <a href="https://bz.example.test/show_bug.cgi?id=1001">bugzilla:1001</a>, glpi:7<ul><li>Ann &lt;Lee&gt;, 2026-03-09: Patched the *checkout* waiting &lt;script&gt;alert(1)&lt;/script&gt;</li></ul></li>',
    );
    expect(html).toContain('<strong>normal</strong> jira:SUP-2 Checkout fails · unassigned');
    expect(html).not.toMatch(/<script|javascript:/);
    expect(html).toMatch(/^<!doctype html>/);
  });
});
