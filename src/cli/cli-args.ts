/** A tiny flag parser: the bin scripts take a handful of flags and must answer --help. */
export interface FlagSpec {
  name: string;
  /** Takes a value (`--out FILE` or `--out=FILE`); otherwise a boolean switch. */
  value?: string;
  description: string;
  choices?: readonly string[];
  repeatable?: boolean;
}

export class UsageError extends Error {}

export type ParsedFlags = Record<string, string | string[] | boolean | undefined>;

export function parseFlags(argv: string[], specs: FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const flags: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      flags.help = true;
      continue;
    }
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    const spec = m ? byName.get(m[1]) : undefined;
    if (!m || !spec) throw new UsageError(`unknown argument "${arg}"`);
    if (!spec.value) {
      if (m[2] !== undefined) throw new UsageError(`--${spec.name} takes no value`);
      flags[spec.name] = true;
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(`--${spec.name} needs a value (${spec.value})`);
    const values = spec.repeatable ? value.split(',').map((v) => v.trim()) : [value];
    for (const v of values) {
      if (spec.choices && !spec.choices.includes(v)) {
        throw new UsageError(
          `--${spec.name} must be one of ${spec.choices.join(', ')}; got "${v}"`,
        );
      }
    }
    if (spec.repeatable)
      flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), ...values];
    else flags[spec.name] = value;
  }
  return flags;
}

export function usage(command: string, summary: string, specs: FlagSpec[], extra = ''): string {
  const lines = specs.map((s) => {
    const left = `  --${s.name}${s.value ? ` ${s.value}` : ''}`;
    const choices = s.choices ? ` (${s.choices.join('|')})` : '';
    return `${left.padEnd(30)} ${s.description}${choices}`;
  });
  return `Usage: ${command} [options]\n\n${summary}\n\nOptions:\n${lines.join('\n')}\n  ${'--help'.padEnd(28)} show this help\n${extra}`;
}
