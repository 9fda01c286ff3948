import { writeFileSync } from 'node:fs';
import { formatEnv, parseCliArgs, USAGE, type CliOptions } from './cli-args.js';
import { startSimulators } from './index.js';

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`simulators: ${error instanceof Error ? error.message : String(error)}`);
    console.error('Run with --help for usage.');
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  const sims = await startSimulators(options.start);
  const { glpi, jira, bugzilla } = sims;
  console.log(
    `GLPI      ${glpi.url}  (${glpi.tickets.length} tickets, timezone ${glpi.timezone.name})`,
  );
  console.log(`          App-Token: ${glpi.appToken}  user_token: ${glpi.userToken}`);
  console.log(`JIRA      ${jira.url}  (${jira.issues.length} issues, ${jira.flavor})`);
  console.log(
    jira.flavor === 'cloud'
      ? `          Basic auth: ${jira.email} / ${jira.apiToken}`
      : `          Bearer PAT: ${jira.pat}`,
  );
  console.log(`Bugzilla  ${bugzilla.url}  (${bugzilla.bugs.length} bugs)`);
  console.log(`          api_key: ${bugzilla.apiKey}`);
  console.log(`Control   <url-root>/_sim/{health,stats,faults,mutate,update,remove,requests}`);
  console.log(`Started in ${Date.now() - started} ms`);
  if (options.envFile) {
    writeFileSync(options.envFile, formatEnv(sims.env));
    console.log(`Wrote ${options.envFile}`);
  } else {
    process.stdout.write(formatEnv(sims.env));
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal} received, closing`);
    sims.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  console.log('ready');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
