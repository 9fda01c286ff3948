import { type LinkRef, type SystemName } from './world.js';

const PLACEHOLDERS: Record<SystemName, string> = {
  glpi: 'http://glpi.invalid/apirest.php',
  jira: 'http://jira.invalid',
  bugzilla: 'http://bugzilla.invalid',
};

/** Base URLs of the three systems, as Caseboard is configured with them. */
export type PeerUrls = Partial<Record<SystemName, string>>;

/**
 * Renders cross-system links from the peers' live base URLs. Until peers are wired (a simulator
 * started alone) links point at placeholder `.invalid` hosts.
 */
export class LinkRenderer {
  private readonly bases: Record<SystemName, string> = { ...PLACEHOLDERS };

  setPeers(peers: PeerUrls): void {
    for (const [system, url] of Object.entries(peers) as [SystemName, string | undefined][]) {
      if (url) this.bases[system] = url.replace(/\/+$/, '');
    }
  }

  url(ref: LinkRef): string {
    const base = this.bases[ref.system];
    switch (ref.system) {
      case 'glpi':
        return `${base.replace(/\/apirest\.php$/, '')}/front/ticket.form.php?id=${ref.key}`;
      case 'jira':
        return `${base}/browse/${ref.key}`;
      case 'bugzilla':
        return `${base}/show_bug.cgi?id=${ref.key}`;
    }
  }
}

export const SYSTEM_TITLES: Record<SystemName, string> = {
  glpi: 'GLPI',
  jira: 'JIRA',
  bugzilla: 'Bugzilla',
};
