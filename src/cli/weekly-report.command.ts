import { writeFileSync } from 'node:fs';
import { ReportsModule } from '../reports/reports.module.js';
import { WeeklyReportService } from '../reports/weekly/weekly-report.service.js';
import { renderWeeklyHtml, renderWeeklyMarkdown } from '../reports/weekly/weekly-report.render.js';
import { SINCE_HELP, parseSince } from '../reports/weekly/weekly-report.js';
import { UsageError, parseFlags, usage, type FlagSpec } from './cli-args.js';
import { runCli } from './cli-runtime.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'since',
    value: 'WHEN',
    description: `cases updated since WHEN: ${SINCE_HELP} (default 7d)`,
  },
  {
    name: 'format',
    value: 'FORMAT',
    description: 'output format (default md)',
    choices: ['md', 'html'],
  },
  { name: 'account', value: 'NAME', description: 'only this account' },
  { name: 'out', value: 'FILE', description: 'write to FILE instead of standard output' },
];

const HELP = usage(
  'bin/weekly-report',
  'Cases updated in the last 7 days (or --since), grouped by account then status, with severity,\ntitle, assignee, links and the last comment (read live from the upstream), as Markdown or a\nself-contained HTML page for a weekly mail.',
  FLAGS,
);

void runCli({
  parse: () => {
    const flags = parseFlags(process.argv.slice(2), FLAGS);
    if (flags.help) return 'help';
    const now = new Date();
    const sinceText = (flags.since as string | undefined) ?? '7d';
    const since = parseSince(sinceText, now);
    if (!since) throw new UsageError(`--since must be ${SINCE_HELP}; got "${sinceText}"`);
    if (since.getTime() > now.getTime()) throw new UsageError('--since is in the future');
    const account = flags.account as string | undefined;
    if (account !== undefined && account.trim() === '') throw new UsageError('--account is empty');
    return {
      since,
      now,
      format: (flags.format as 'md' | 'html' | undefined) ?? 'md',
      account,
      out: flags.out as string | undefined,
    };
  },
  help: HELP,
  scopes: ['cli'],
  imports: [ReportsModule],
  main: async (app, _config, args) => {
    const report = await app
      .get(WeeklyReportService)
      .build({ since: args.since, until: args.now, scope: null, account: args.account });
    const text = args.format === 'html' ? renderWeeklyHtml(report) : renderWeeklyMarkdown(report);
    if (args.out) {
      writeFileSync(args.out, text);
      process.stderr.write(`${report.total} cases written to ${args.out}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
});
