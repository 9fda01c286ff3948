import { writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { NOOP_OBSERVER } from '../sources/http/upstream-observer.js';
import { UpstreamAuthError, UpstreamError } from '../sources/upstream.errors.js';
import { JiraAgileClient } from '../reports/sprint/jira-agile.client.js';
import {
  SprintReportBuilder,
  type BuildProgress,
  type SprintSelector,
} from '../reports/sprint/sprint-report.builder.js';
import { renderCsv } from '../reports/sprint/sprint-report.csv.js';
import { SprintNotFoundError } from '../reports/sprint/sprint-report.errors.js';
import { renderHtml } from '../reports/sprint/sprint-report.html.js';
import { renderJson } from '../reports/sprint/sprint-report.json.js';
import { renderMarkdown } from '../reports/sprint/sprint-report.md.js';
import type { SprintReport } from '../reports/sprint/sprint-report.model.js';
import { parseFlags, usage, UsageError, type FlagSpec } from './cli-args.js';
import { runCli } from './cli-runtime.js';

const FORMATS = ['md', 'csv', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

const RENDER: Record<Format, (report: SprintReport) => string> = {
  md: renderMarkdown,
  csv: renderCsv,
  json: renderJson,
  html: renderHtml,
};

const FLAGS: FlagSpec[] = [
  { name: 'board', value: 'ID', description: 'the scrum board (required)' },
  { name: 'sprint', value: 'ID', description: 'this sprint of the board' },
  { name: 'active', description: "the board's active sprint (figures as of now)" },
  { name: 'last-closed', description: 'the sprint closed last (the default)' },
  { name: 'format', value: 'FORMAT', description: 'output format (default md)', choices: FORMATS },
  { name: 'out', value: 'FILE', description: 'write to FILE instead of standard output' },
];

const HELP = usage(
  'bin/sprint-report',
  [
    "Reports one sprint of a JIRA board from its issues' changelogs: committed, added, removed,",
    'completed and carried-over issues and story points, the completion ratio, a table per',
    'assignee (at sprint end) and the carried-over issues. Uses JIRA_URL and its credentials.',
    'md pastes into a wiki or chat; csv has a row per assignee and a total; json is the',
    'documented report model (schemaVersion 1); html is one self-contained file with a chart.',
    'Exit codes: 0 done; 1 JIRA refused the credentials, is unreachable, or bad configuration;',
    '2 bad command line, or no such board or sprint.',
  ].join('\n'),
  FLAGS,
);

interface Args {
  board: number;
  selector: SprintSelector;
  format: Format;
  out?: string;
}

function parseArgs(argv: string[]): Args | 'help' {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) return 'help';
  const board = flags.board as string | undefined;
  if (board === undefined) throw new UsageError('--board is required');
  if (!/^\d{1,12}$/.test(board)) throw new UsageError(`--board must be a board id; got "${board}"`);
  const sprint = flags.sprint as string | undefined;
  const chosen = [sprint !== undefined, flags.active === true, flags['last-closed'] === true];
  if (chosen.filter(Boolean).length > 1) {
    throw new UsageError('give one of --sprint, --active, --last-closed');
  }
  if (sprint !== undefined && !/^\d{1,12}$/.test(sprint)) {
    throw new UsageError(`--sprint must be a sprint id; got "${sprint}"`);
  }
  const selector: SprintSelector =
    sprint !== undefined
      ? { kind: 'id', id: Number(sprint) }
      : flags.active === true
        ? { kind: 'active' }
        : { kind: 'last-closed' };
  return {
    board: Number(board),
    selector,
    format: ((flags.format as string | undefined) ?? 'md') as Format,
    out: flags.out as string | undefined,
  };
}

/** A bar on a terminal only: piped or redirected runs stay quiet on stderr. */
function progressBar(): { update(p: BuildProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: ' {phase} |{bar}| {value}/{total}', hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (!started) bar.start(p.total, p.done, { phase: p.phase.padEnd(10) });
      started = true;
      bar.setTotal(Math.max(p.total, 1));
      bar.update(p.done, { phase: p.phase.padEnd(10) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

void runCli({
  parse: () => parseArgs(process.argv.slice(2)),
  help: HELP,
  scopes: ['cli'],
  imports: [],
  store: false,
  main: async (_app, config, args) => {
    const jira = config.sources.jira;
    if (!jira) {
      process.stderr.write('error: JIRA is not configured: set JIRA_URL and its credentials\n');
      return 1;
    }
    const builder = new SprintReportBuilder(
      new JiraAgileClient(jira, config.upstream, NOOP_OBSERVER),
    );
    const bar = progressBar();
    let report: SprintReport;
    try {
      report = await builder.build(args.board, args.selector, { onProgress: (p) => bar.update(p) });
    } catch (error) {
      bar.stop();
      return failure(error, config.upstream.retries, jira.flavor);
    }
    bar.stop();
    const text = RENDER[args.format](report);
    if (args.out) {
      writeFileSync(args.out, text);
      process.stderr.write(`sprint report (${args.format}) written to ${args.out}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
});

/** One line that says what went wrong and what to do; the exit code the help promises. */
function failure(error: unknown, retries: number, flavor: 'cloud' | 'datacenter'): number {
  if (error instanceof SprintNotFoundError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof UpstreamAuthError) {
    const settings = flavor === 'cloud' ? 'JIRA_EMAIL and JIRA_API_TOKEN' : 'JIRA_PAT';
    process.stderr.write(
      `error: JIRA refused the credentials (HTTP ${error.status}): check ${settings}\n`,
    );
    return 1;
  }
  if (error instanceof UpstreamError && error.transient) {
    process.stderr.write(
      `error: JIRA is unreachable after ${retries + 1} attempts: ${error.message}\n`,
    );
    return 1;
  }
  throw error;
}
