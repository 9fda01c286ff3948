import { BugzillaSimulator } from './bugzilla.simulator.js';
import { GlpiSimulator } from './glpi.simulator.js';
import { JiraSimulator, type JiraFlavor } from './jira.simulator.js';
import { DEFAULT_SEED, World } from './world.js';

export {
  BugzillaSimulator,
  type BugzillaBugPatch,
  type BugzillaSimulatorOptions,
} from './bugzilla.simulator.js';
export { BugzillaBug } from './bugzilla.records.js';
export {
  FaultPlan,
  FAULT_KINDS,
  type FaultKind,
  type FaultRule,
  type RequestLogEntry,
} from './faults.js';
export {
  GlpiSimulator,
  type GlpiSimulatorOptions,
  type GlpiTicketPatch,
} from './glpi.simulator.js';
export { GlpiTicket } from './glpi.records.js';
export {
  JiraSimulator,
  type JiraFlavor,
  type JiraIssuePatch,
  type JiraSimulatorOptions,
} from './jira.simulator.js';
export { JiraIssue } from './jira.records.js';
export { parseJql, JqlError } from './jql.js';
export { type PeerUrls } from './links.js';
export { type SimulatorOptions, type SimulatorStats } from './simulator-server.js';
export { TimeZone } from './time-zone.js';
export { World, type LinkRef, type SystemName, type WorldOptions } from './world.js';

export interface StartSimulatorsOptions {
  seed?: number;
  /** Record counts (defaults 2000 / 400 / 400). */
  glpi?: number;
  jira?: number;
  bugzilla?: number;
  jiraFlavor?: JiraFlavor;
  host?: string;
  ports?: { glpi?: number; jira?: number; bugzilla?: number };
}

export interface RunningSimulators {
  glpi: GlpiSimulator;
  jira: JiraSimulator;
  bugzilla: BugzillaSimulator;
  /** Union of the three simulators' env vars. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the three simulators over one shared world, then points each one's cross-system links at
 * the others' live URLs.
 */
export async function startSimulators(
  options: StartSimulatorsOptions = {},
): Promise<RunningSimulators> {
  const world = World.create({
    seed: options.seed ?? DEFAULT_SEED,
    glpi: options.glpi ?? 2000,
    jira: options.jira ?? 400,
    bugzilla: options.bugzilla ?? 400,
  });
  const host = options.host;
  const [g, j, b] = await Promise.allSettled([
    GlpiSimulator.start({ world, host, port: options.ports?.glpi }),
    JiraSimulator.start({
      world,
      host,
      port: options.ports?.jira,
      flavor: options.jiraFlavor ?? 'cloud',
    }),
    BugzillaSimulator.start({ world, host, port: options.ports?.bugzilla }),
  ]);
  if (g.status === 'rejected' || j.status === 'rejected' || b.status === 'rejected') {
    for (const r of [g, j, b]) if (r.status === 'fulfilled') await r.value.close();
    const failure = [g, j, b].find((r) => r.status === 'rejected');
    throw failure?.reason instanceof Error ? failure.reason : new Error(String(failure?.reason));
  }
  const [glpi, jira, bugzilla] = [g.value, j.value, b.value];
  const peers = { glpi: glpi.url, jira: jira.url, bugzilla: bugzilla.url };
  for (const sim of [glpi, jira, bugzilla]) sim.connectPeers(peers);
  return {
    glpi,
    jira,
    bugzilla,
    env: { ...glpi.env, ...jira.env, ...bugzilla.env },
    close: async () => {
      await Promise.all([glpi.close(), jira.close(), bugzilla.close()]);
    },
  };
}
