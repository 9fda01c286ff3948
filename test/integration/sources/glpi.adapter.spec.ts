import { GlpiSimulator } from '../../simulators/glpi.simulator.js';
import { World } from '../../simulators/world.js';
import { adapterContract, adapterFor, listAll, type ContractSubject } from './adapter-contract.js';

let glpi: GlpiSimulator;

const subject: ContractSubject = {
  name: 'GLPI',
  source: 'glpi',
  listingPath: /\/search\/Ticket$/,
  start: async () => (glpi = await GlpiSimulator.start({ tickets: 120, seed: 11 })),
  // GLPI's datetimes are naive local times: an autumn-overlap hour reads as its earlier instant.
  expected: () =>
    glpi.tickets.map((t) => ({
      key: String(t.id),
      updated: new Date(glpi.timezone.readBack(t.dateMod)),
      changedAt: t.dateMod,
    })),
  badCredentials: { GLPI_USER_TOKEN: 'wrong-token' },
  unknownKey: '99999999',
};

adapterContract(subject);

describe('GLPI adapter across the autumn DST overlap', () => {
  // 02:40 CET on 26 October 2025: Paris showed the wall times 02:00–02:59 twice that night, and
  // every ticket whose last change would lie in the future is stamped with this instant.
  const now = Date.UTC(2025, 9, 26, 1, 40);
  let sim: GlpiSimulator;

  beforeAll(async () => {
    const world = World.create({ seed: 7, glpi: 150, jira: 1, bugzilla: 1, now });
    sim = await GlpiSimulator.start({ world, timezone: 'Europe/Paris' });
  });
  afterAll(() => sim.close());

  it('should read overlap times as the earlier instant, list each ticket once and miss no later change', async () => {
    const inOverlap = sim.tickets.filter((t) => sim.timezone.readBack(t.dateMod) !== t.dateMod);
    expect(inOverlap.length).toBeGreaterThan(0);
    const { adapter } = adapterFor(subject, sim);

    const records = await listAll(adapter, null);
    expect(records.map((r) => r.case.key).sort()).toEqual(sim.tickets.map((t) => t.key).sort());
    const updated = new Map(records.map((r) => [r.case.key, Date.parse(r.case.updatedAt)]));
    for (const t of inOverlap) expect(updated.get(t.key)).toBe(t.dateMod - 3_600_000);

    // A cursor taken from what was read never lies after the truth, so the next change is listed.
    const cursor = Math.max(...updated.values());
    const changed = sim.mutate(3);
    const next = await listAll(adapter, new Date(cursor + 1));
    for (const key of changed) expect(next.map((r) => r.case.key)).toContain(key);
  });
});
