import { UsageError, parseFlags, usage, type FlagSpec } from './cli-args.js';

const SPECS: FlagSpec[] = [
  {
    name: 'source',
    value: 'NAME[,NAME]',
    description: 'only these sources',
    choices: ['glpi', 'jira', 'bugzilla'],
    repeatable: true,
  },
  { name: 'format', value: 'FORMAT', description: 'output format', choices: ['json', 'csv'] },
  { name: 'out', value: 'FILE', description: 'write to FILE' },
  { name: 'dry-run', description: 'change nothing' },
];

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe(parseFlags.name, () => {
  it('should return no flags for no arguments', () => {
    expect(parseFlags([], SPECS)).toEqual({});
  });

  it('should read a value from the next argument or after =', () => {
    expect(parseFlags(['--out', 'cases.json'], SPECS)).toEqual({ out: 'cases.json' });
    expect(parseFlags(['--out=cases.json'], SPECS)).toEqual({ out: 'cases.json' });
    expect(parseFlags(['--out=a=b.csv'], SPECS)).toEqual({ out: 'a=b.csv' });
  });

  it('should set a switch to true', () => {
    expect(parseFlags(['--dry-run', '--format', 'csv'], SPECS)).toEqual({
      'dry-run': true,
      format: 'csv',
    });
  });

  it('should let the last value of a plain flag win', () => {
    expect(parseFlags(['--format', 'json', '--format=csv'], SPECS)).toEqual({ format: 'csv' });
  });

  it('should collect repeatable flags and their comma lists in order', () => {
    expect(parseFlags(['--source', 'glpi, jira', '--source=bugzilla'], SPECS)).toEqual({
      source: ['glpi', 'jira', 'bugzilla'],
    });
  });

  it('should check every value against the choices', () => {
    expect(usageError(() => parseFlags(['--format', 'xml'], SPECS)).message).toBe(
      '--format must be one of json, csv; got "xml"',
    );
    expect(usageError(() => parseFlags(['--source=glpi,redmine'], SPECS)).message).toBe(
      '--source must be one of glpi, jira, bugzilla; got "redmine"',
    );
  });

  it('should reject unknown flags and stray arguments', () => {
    for (const arg of ['--verbose', 'extra', '-x', '--Out=x', '---out']) {
      expect(usageError(() => parseFlags([arg], SPECS)).message).toBe(`unknown argument "${arg}"`);
    }
  });

  it('should reject a flag that needs a value and has none', () => {
    expect(usageError(() => parseFlags(['--out'], SPECS)).message).toBe(
      '--out needs a value (FILE)',
    );
    expect(usageError(() => parseFlags(['--out', '--dry-run'], SPECS)).message).toBe(
      '--out needs a value (FILE)',
    );
  });

  it('should reject a value given to a switch', () => {
    expect(usageError(() => parseFlags(['--dry-run=yes'], SPECS)).message).toBe(
      '--dry-run takes no value',
    );
  });

  it('should recognise -h and --help anywhere', () => {
    expect(parseFlags(['--out', 'x', '-h'], SPECS)).toEqual({ out: 'x', help: true });
    expect(parseFlags(['--help'], SPECS)).toEqual({ help: true });
  });
});

describe(usage.name, () => {
  it('should list every flag with its value, description and choices, then --help', () => {
    const text = usage('bin/export-cases', 'Writes the stored cases.', SPECS, 'See README.\n');
    expect(text).toBe(
      [
        'Usage: bin/export-cases [options]',
        '',
        'Writes the stored cases.',
        '',
        'Options:',
        '  --source NAME[,NAME]         only these sources (glpi|jira|bugzilla)',
        '  --format FORMAT              output format (json|csv)',
        '  --out FILE                   write to FILE',
        '  --dry-run                    change nothing',
        '  --help                       show this help',
        'See README.',
      ].join('\n') + '\n',
    );
  });

  it('should end with the --help line when there is nothing extra', () => {
    expect(usage('bin/sync', 'Syncs.', [])).toBe(
      'Usage: bin/sync [options]\n\nSyncs.\n\nOptions:\n\n  --help                       show this help\n',
    );
  });
});
