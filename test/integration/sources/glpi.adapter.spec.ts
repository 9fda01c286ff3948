import { GlpiSimulator } from '../../simulators/glpi.simulator.js';
import { adapterContract } from './adapter-contract.js';

let glpi: GlpiSimulator;

adapterContract({
  name: 'GLPI',
  source: 'glpi',
  listingPath: /\/search\/Ticket$/,
  start: async () => (glpi = await GlpiSimulator.start({ tickets: 120, seed: 11 })),
  expected: () => glpi.tickets.map((t) => ({ key: String(t.id), updated: new Date(t.dateMod) })),
  badCredentials: { GLPI_USER_TOKEN: 'wrong-token' },
  unknownKey: '99999999',
});
