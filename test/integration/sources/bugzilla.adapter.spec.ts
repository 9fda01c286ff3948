import { BugzillaSimulator } from '../../simulators/bugzilla.simulator.js';
import { adapterContract } from './adapter-contract.js';

let bugzilla: BugzillaSimulator;

adapterContract({
  name: 'Bugzilla',
  source: 'bugzilla',
  listingPath: /^\/rest\/bug$/,
  // The server caps pages below what Caseboard asks for, as Red Hat's does.
  start: async () =>
    (bugzilla = await BugzillaSimulator.start({ bugs: 150, seed: 13, maxLimit: 20 })),
  expected: () =>
    bugzilla.bugs
      .filter((b) => b.product === 'Support')
      .map((b) => ({ key: String(b.id), updated: new Date(b.lastChangeMs) })),
  badCredentials: { BUGZILLA_API_KEY: 'wrong-key' },
  unknownKey: '99999999',
});
