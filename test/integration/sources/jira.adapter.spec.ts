import { JiraSimulator } from '../../simulators/jira.simulator.js';
import { adapterContract } from './adapter-contract.js';

for (const flavor of ['cloud', 'datacenter'] as const) {
  let jira: JiraSimulator;
  adapterContract({
    name: `JIRA ${flavor}`,
    source: 'jira',
    listingPath: flavor === 'cloud' ? /\/rest\/api\/3\/search\/jql$/ : /\/rest\/api\/2\/search$/,
    start: async () =>
      (jira = await JiraSimulator.start({
        issues: 150,
        flavor,
        seed: 12,
        userTimeZone: 'America/New_York',
      })),
    expected: () =>
      jira.issues
        .filter((i) => i.project === 'SUP' || i.project === 'OPS')
        .map((i) => ({ key: i.key, updated: new Date(i.updatedMs) })),
    badCredentials: flavor === 'cloud' ? { JIRA_API_TOKEN: 'wrong' } : { JIRA_PAT: 'wrong' },
    unknownKey: 'SUP-999999',
  });
}
