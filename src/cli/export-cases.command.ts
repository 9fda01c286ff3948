import { createWriteStream, type WriteStream } from 'node:fs';
import { SOURCES, type Source } from '../cases/case.model.js';
import { CaseStore } from '../store/case.store.js';
import { parseFlags, usage, type FlagSpec } from './cli-args.js';
import { CaseExportWriter, type ExportFormat } from './case-export.js';
import { runCli } from './cli-runtime.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'source',
    value: 'NAME[,NAME]',
    description: 'only these sources (default all)',
    choices: SOURCES,
    repeatable: true,
  },
  {
    name: 'format',
    value: 'FORMAT',
    description: 'output format (default json)',
    choices: ['json', 'ndjson', 'csv'],
  },
  { name: 'out', value: 'FILE', description: 'write to FILE instead of standard output' },
];

const HELP = usage(
  'bin/export-cases',
  'Writes the stored normalized cases. json is one JSON array of the case model; ndjson one case\nper line; csv one row per case (links as source:key;…).',
  FLAGS,
);

async function finish(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.end(resolve);
  });
}

void runCli({
  parse: () => {
    const flags = parseFlags(process.argv.slice(2), FLAGS);
    if (flags.help) return 'help';
    return {
      sources: (flags.source as Source[] | undefined) ?? [...SOURCES],
      format: ((flags.format as string | undefined) ?? 'json') as ExportFormat,
      out: flags.out as string | undefined,
    };
  },
  help: HELP,
  scopes: [],
  imports: [],
  main: async (app, _config, args) => {
    const store = app.get(CaseStore);
    const file = args.out ? createWriteStream(args.out) : undefined;
    const out: NodeJS.WritableStream = file ?? process.stdout;
    let buffer = '';
    const flush = async () => {
      if (buffer === '') return;
      const text = buffer;
      buffer = '';
      // Respect backpressure: a slow reader must not make us buffer the whole export.
      if (!out.write(text))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    };
    const writer = new CaseExportWriter(args.format, (chunk) => (buffer += chunk));
    writer.begin();
    for (const source of [...new Set(args.sources)]) {
      for await (const batch of store.scan(source)) {
        writer.add(batch);
        await flush();
      }
    }
    const count = writer.end();
    await flush();
    if (file) {
      await finish(file);
      process.stderr.write(`${count} cases written to ${args.out}\n`);
    }
    return 0;
  },
});
