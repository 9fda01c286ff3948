import { APP_ROLES, type AppRole } from '../auth/app-role.js';
import { TokenModule } from '../auth/auth.module.js';
import { TokenStore } from '../auth/tokens/token.store.js';
import { UsageError, parseFlags, usage, type FlagSpec } from './cli-args.js';
import { runCli } from './cli-runtime.js';

const FLAGS: FlagSpec[] = [
  { name: 'name', value: 'NAME', description: 'what the token is for (create)' },
  {
    name: 'role',
    value: 'ROLE',
    description: 'role the token acts with (create)',
    choices: APP_ROLES,
  },
  {
    name: 'accounts',
    value: 'A,B',
    description: 'limit the token to these accounts (create; required for partner)',
    repeatable: true,
  },
  {
    name: 'id',
    value: 'ID',
    description: 'the token to revoke (revoke; or give it as an argument)',
  },
];

const HELP = usage(
  'bin/token create|list|revoke',
  'API tokens for scripts (sent as `Authorization: Bearer <token>` to /api/*; admin tokens also open\n/admin/queues). `create` prints the token once, alone on the last line; only its hash is stored.\n\n  bin/token create --name nightly-report --role lead\n  bin/token create --name globex-portal --role partner --accounts Globex\n  bin/token list\n  bin/token revoke 3f9c0a1b2c3d',
  FLAGS,
);

type Args =
  | { command: 'create'; name: string; role: AppRole; accounts: string[] | null }
  | { command: 'list' }
  | { command: 'revoke'; id: string };

function parse(argv: string[]): Args | 'help' {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return 'help';
  const positional = rest.filter(
    (a, i) =>
      !a.startsWith('--') &&
      (i === 0 || !rest[i - 1].startsWith('--') || rest[i - 1].includes('=')),
  );
  const flags = parseFlags(
    rest.filter((a) => !positional.includes(a)),
    FLAGS,
  );
  if (flags.help) return 'help';
  switch (command) {
    case 'create': {
      const name = flags.name as string | undefined;
      const role = flags.role as AppRole | undefined;
      if (!name) throw new UsageError('create needs --name');
      if (!role) throw new UsageError(`create needs --role (${APP_ROLES.join(', ')})`);
      const accounts = (flags.accounts as string[] | undefined)?.filter(Boolean) ?? null;
      if (role === 'partner' && !accounts?.length)
        throw new UsageError('a partner token needs --accounts');
      return { command, name, role, accounts };
    }
    case 'list':
      return { command };
    case 'revoke': {
      const id = (flags.id as string | undefined) ?? positional[0];
      if (!id) throw new UsageError('revoke needs the token id');
      return { command, id };
    }
    default:
      throw new UsageError(`unknown command "${command}" (create, list or revoke)`);
  }
}

void runCli({
  parse: () => parse(process.argv.slice(2)),
  help: HELP,
  scopes: [],
  imports: [TokenModule],
  main: async (app, _config, args) => {
    const tokens = app.get(TokenStore);
    if (args.command === 'create') {
      const { token, record } = await tokens.create(args.name, args.role, args.accounts);
      const scope = record.accounts ? ` for ${record.accounts.join(', ')}` : '';
      process.stdout.write(
        `Created token ${record.id} "${record.name}" (${record.role}${scope}). It is shown only now:\n${token}\n`,
      );
      return 0;
    }
    if (args.command === 'list') {
      for (const t of await tokens.list()) {
        process.stdout.write(
          `${t.id}  ${t.role.padEnd(8)}  ${t.createdAt}  ${t.name}${t.accounts ? `  [${t.accounts.join(', ')}]` : ''}\n`,
        );
      }
      return 0;
    }
    if (!(await tokens.revoke(args.id))) {
      process.stderr.write(`error: no token ${args.id}\n`);
      return 1;
    }
    process.stdout.write(`Revoked token ${args.id}\n`);
    return 0;
  },
});
