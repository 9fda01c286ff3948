import { formatEnv, parseCliArgs } from './cli-args.js';

describe(parseCliArgs.name, () => {
  it('should derive JIRA and Bugzilla sizes from --cases', () => {
    expect(parseCliArgs(['--cases', '1000']).start).toMatchObject({
      glpi: 1000,
      jira: 200,
      bugzilla: 200,
    });
    expect(parseCliArgs([]).start).toMatchObject({
      glpi: 2000,
      jira: 400,
      bugzilla: 400,
      seed: 42,
      jiraFlavor: 'cloud',
    });
  });

  it('should let explicit sizes, ports and flavour win', () => {
    const options = parseCliArgs([
      '--cases=1000',
      '--jira=7',
      '--jira-flavor',
      'datacenter',
      '--glpi-port',
      '8081',
      '--env-file',
      '/tmp/x.env',
    ]);
    expect(options.start).toMatchObject({
      glpi: 1000,
      jira: 7,
      bugzilla: 200,
      jiraFlavor: 'datacenter',
    });
    expect(options.start.ports).toEqual({ glpi: 8081, jira: undefined, bugzilla: undefined });
    expect(options.envFile).toBe('/tmp/x.env');
  });

  it('should reject unknown flags and bad values', () => {
    expect(() => parseCliArgs(['--nope'])).toThrow();
    expect(() => parseCliArgs(['--cases', 'many'])).toThrow(/--cases/);
    expect(() => parseCliArgs(['--jira-flavor', 'server'])).toThrow(/cloud or datacenter/);
    expect(() => parseCliArgs(['--glpi-port', '70000'])).toThrow(/port/);
  });

  it('should recognise --help', () => {
    expect(parseCliArgs(['--help']).help).toBe(true);
  });
});

describe(formatEnv.name, () => {
  it('should quote values with spaces', () => {
    expect(formatEnv({ A: 'http://x:1/apirest.php', JIRA_JQL: 'project in (SUP, OPS)' })).toBe(
      'A=http://x:1/apirest.php\nJIRA_JQL="project in (SUP, OPS)"\n',
    );
  });
});
