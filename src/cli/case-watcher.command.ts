import { WatchService, type WatchRunReport } from '../watcher/watch.service.js';
import { WatchRunnerModule } from '../watcher/watcher.module.js';
import { digestText } from '../watcher/watch-digest.js';
import { WATCH_RULES } from '../watcher/watch-routing.js';
import { UsageError, parseFlags, usage, type FlagSpec } from './cli-args.js';
import { runCli } from './cli-runtime.js';

const FLAGS: FlagSpec[] = [
  { name: 'once', description: 'run one watcher pass now (required)' },
  { name: 'dry-run', description: 'print the digests; send nothing, mark nothing' },
];

const HELP = usage(
  'bin/case-watcher --once [--dry-run]',
  'Runs one pass of the case watcher against REDIS_URL: evaluates the rules (new severe cases,\nSLA, stale cases, sync failures), sends each destination a digest of what it was not told\nyet, and prints what it did. Exits 1 when a delivery failed (it is retried on the next run).',
  FLAGS,
);

/** What the run did, for a person at a terminal. */
export function describeRun(report: WatchRunReport): string {
  const lines: string[] = [];
  if (report.skipped) return `skipped: ${report.skipped}\n`;
  lines.push(
    `findings: ${WATCH_RULES.map((r) => `${r} ${report.findings[r]}`).join(', ')}${report.dryRun ? ' (dry run: nothing sent, nothing marked)' : ''}`,
  );
  if (report.deliveries.length === 0) lines.push('no destination has anything to be told');
  for (const d of report.deliveries) {
    const what =
      d.state === 'sent'
        ? `sent ${d.pending} finding(s)${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}`
        : d.state === 'failed'
          ? `FAILED after ${d.attempts} attempt(s): ${d.error ?? 'unknown error'}`
          : d.state === 'dry-run'
            ? `would send ${d.pending} finding(s)`
            : 'nothing new';
    lines.push(`${d.target.padEnd(32)} ${what}`);
  }
  for (const [target, error] of Object.entries(report.errors)) {
    lines.push(`last delivery error ${target}: ${error.message} (${error.at})`);
  }
  for (const d of report.deliveries) {
    if (d.preview) lines.push('', `---- ${d.target}`, d.preview);
  }
  return lines.join('\n') + '\n';
}

void runCli({
  parse: () => {
    const flags = parseFlags(process.argv.slice(2), FLAGS);
    if (flags.help) return 'help';
    if (!flags.once) throw new UsageError('--once is required (the schedule runs in the worker)');
    return { dryRun: flags['dry-run'] === true };
  },
  help: HELP,
  scopes: ['cli'],
  imports: [WatchRunnerModule],
  main: async (app, _config, args) => {
    const watch = app.get(WatchService);
    if (watch.channels.length === 0 && !args.dryRun) {
      throw new Error(
        'no notification channel is configured: set SMTP_URL or SLACK_WEBHOOK_URL (or use --dry-run)',
      );
    }
    const report = await watch.run({ dryRun: args.dryRun });
    process.stdout.write(describeRun(report));
    if (watch.channels.length === 0) {
      // Nowhere to send yet: show what a digest would hold, so thresholds can be tuned first.
      const now = new Date(report.at);
      const findings = await watch.findings(now);
      if (findings.length > 0) process.stdout.write(`\n${digestText(findings, now)}`);
    }
    return report.deliveries.some((d) => d.state === 'failed') ? 1 : 0;
  },
});
