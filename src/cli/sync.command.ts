import { hostname } from 'node:os';
import { SOURCES, type Source } from '../cases/case.model.js';
import { CaseStore } from '../store/case.store.js';
import type { SyncSummary } from '../store/sync-status.js';
import { syncLockName } from '../sync/sync.constants.js';
import { SyncBusyError } from '../sync/sync.errors.js';
import { SyncService } from '../sync/sync.service.js';
import { SyncRunnerModule } from '../sync/worker.module.js';
import { parseFlags, usage, type FlagSpec } from './cli-args.js';
import { runCli } from './cli-runtime.js';
import { progressReporter } from './sync-progress.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'source',
    value: 'NAME',
    description: 'source to sync (default all enabled)',
    choices: [...SOURCES, 'all'],
  },
  {
    name: 'full',
    description: 'list every case, not just changes, and remove cases deleted upstream',
  },
];

const HELP = usage(
  'bin/sync',
  'Runs one sync now, in this process, against the configured upstreams and REDIS_URL.\nPrints a summary; exits 0 on success, 1 naming the source and cause otherwise.',
  FLAGS,
);

function table(rows: SyncSummary[]): string {
  const head = [
    'source',
    'mode',
    'fetched',
    'created',
    'updated',
    'unchanged',
    'removed',
    'duration',
  ];
  const body = rows.map((r) => [
    r.source,
    r.mode,
    String(r.fetched),
    String(r.created),
    String(r.updated),
    String(r.unchanged),
    String(r.removed),
    `${(r.durationMs / 1000).toFixed(1)} s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

void runCli({
  parse: () => {
    const flags = parseFlags(process.argv.slice(2), FLAGS);
    return flags.help
      ? 'help'
      : { source: (flags.source as string | undefined) ?? 'all', full: flags.full === true };
  },
  help: HELP,
  scopes: ['cli'],
  imports: [SyncRunnerModule],
  main: async (app, config, args) => {
    const sync = app.get(SyncService);
    const store = app.get(CaseStore);
    const sources: Source[] =
      args.source === 'all' ? sync.enabledSources : [sync.source(args.source).name];
    if (sources.length === 0)
      throw new Error('no source is configured: set GLPI_URL, JIRA_URL or BUGZILLA_URL');
    const mode = args.full ? 'full' : 'incremental';
    const owner = `cli:${hostname()}:${process.pid}`;
    const reporter = progressReporter();
    const results = await Promise.allSettled(
      sources.map(async (source) => {
        const lock = syncLockName(source);
        if (!(await store.acquireLock(lock, owner, config.sync.jobLockMs))) {
          throw new SyncBusyError(source, (await store.lockHolder(lock)) ?? 'unknown');
        }
        const renewal = setInterval(
          () => void store.renewLock(lock, owner, config.sync.jobLockMs),
          config.sync.jobLockMs / 3,
        );
        try {
          return await sync.run(source, mode, { onProgress: (p) => reporter.update(p) });
        } finally {
          clearInterval(renewal);
          await store.releaseLock(lock, owner);
        }
      }),
    );
    reporter.stop();
    const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (done.length > 0) process.stdout.write(table(done));
    let failed = 0;
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        failed++;
        const reason = r.reason instanceof Error ? r.reason.message : String(r.reason);
        process.stderr.write(
          `sync failed: ${sources[i]}: ${reason.startsWith(`${sources[i]}:`) ? reason.slice(sources[i].length + 2) : reason}\n`,
        );
      }
    });
    return failed === 0 ? 0 : 1;
  },
});
