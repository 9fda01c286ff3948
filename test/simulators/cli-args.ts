import { parseArgs } from 'node:util';
import { type StartSimulatorsOptions } from './index.js';

export const USAGE = `Usage: bin/simulators [options]

Starts the GLPI, JIRA and Bugzilla simulators and stays up until SIGINT/SIGTERM.

Options:
  --cases N              GLPI tickets; JIRA issues and Bugzilla bugs default to N/5 (default 2000)
  --glpi N               GLPI tickets
  --jira N               JIRA issues
  --bugzilla N           Bugzilla bugs
  --seed S               dataset seed (default 42)
  --jira-flavor F        cloud | datacenter (default cloud)
  --host H               listen address (default 127.0.0.1)
  --glpi-port P          port for GLPI (default: any free port)
  --jira-port P          port for JIRA
  --bugzilla-port P      port for Bugzilla
  --env-file PATH        write the Caseboard env (KEY=value lines) to PATH
  --help                 show this help

Control each simulator over HTTP under /_sim/ (health, stats, faults, mutate, update, remove).`;

export interface CliOptions {
  help: boolean;
  envFile?: string;
  start: StartSimulatorsOptions;
}

/** Parses argv; throws an Error with a user-facing message on a bad flag or value. */
export function parseCliArgs(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      cases: { type: 'string' },
      seed: { type: 'string' },
      glpi: { type: 'string' },
      jira: { type: 'string' },
      bugzilla: { type: 'string' },
      'jira-flavor': { type: 'string' },
      host: { type: 'string' },
      'glpi-port': { type: 'string' },
      'jira-port': { type: 'string' },
      'bugzilla-port': { type: 'string' },
      'env-file': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return { help: true, start: {} };
  const cases = count(values.cases, '--cases') ?? 2000;
  const flavor = values['jira-flavor'] ?? 'cloud';
  if (flavor !== 'cloud' && flavor !== 'datacenter') {
    throw new Error(`--jira-flavor must be cloud or datacenter, got '${flavor}'`);
  }
  return {
    help: false,
    envFile: values['env-file'],
    start: {
      seed: count(values.seed, '--seed') ?? 42,
      glpi: count(values.glpi, '--glpi') ?? cases,
      jira: count(values.jira, '--jira') ?? Math.floor(cases / 5),
      bugzilla: count(values.bugzilla, '--bugzilla') ?? Math.floor(cases / 5),
      jiraFlavor: flavor,
      host: values.host ?? '127.0.0.1',
      ports: {
        glpi: port(values['glpi-port'], '--glpi-port'),
        jira: port(values['jira-port'], '--jira-port'),
        bugzilla: port(values['bugzilla-port'], '--bugzilla-port'),
      },
    },
  };
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new Error(`${flag} expects a non-negative integer, got '${value}'`);
  }
  return Number(value);
}

function port(value: string | undefined, flag: string): number | undefined {
  const n = count(value, flag);
  if (n !== undefined && n > 65535) throw new Error(`${flag} must be a port number (0-65535)`);
  return n;
}

/** KEY=value lines; values with spaces or shell/dotenv specials are double-quoted. */
export function formatEnv(env: Record<string, string>): string {
  return (
    Object.entries(env)
      .map(([key, value]) =>
        /^[\w./:@=,-]*$/.test(value)
          ? `${key}=${value}`
          : `${key}="${value.replace(/(["\\$`])/g, '\\$1')}"`,
      )
      .join('\n') + '\n'
  );
}
