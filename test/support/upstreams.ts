import type { Source } from '../../src/cases/case.model.js';
import type { RunningSimulators } from '../simulators/index.js';

/** What each source's configured scope should hold, read straight from the simulators. */
export function expectedUpstream(sims: RunningSimulators): Record<Source, Map<string, number>> {
  return {
    // GLPI shows naive local timestamps to the second: an autumn-overlap hour reads as its
    // earlier instant.
    glpi: new Map(
      sims.glpi.tickets.map((t) => [String(t.id), sims.glpi.timezone.readBack(t.dateMod)]),
    ),
    jira: new Map(
      sims.jira.issues
        .filter((i) => i.project === 'SUP' || i.project === 'OPS')
        .map((i) => [i.key, i.updatedMs]),
    ),
    bugzilla: new Map(
      sims.bugzilla.bugs
        .filter((b) => b.product === 'Support')
        .map((b) => [String(b.id), b.lastChangeMs]),
    ),
  };
}

export const LISTING_PATH: Record<Source, RegExp> = {
  glpi: /\/search\/Ticket$/,
  jira: /\/rest\/api\/[23]\/search(\/jql)?$/,
  bugzilla: /^\/rest\/bug$/,
};

export function simulatorOf(sims: RunningSimulators, source: Source) {
  return source === 'glpi' ? sims.glpi : source === 'jira' ? sims.jira : sims.bugzilla;
}
