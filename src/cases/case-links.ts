import type { CaseLink, Source } from './case.model.js';

/** Where each configured upstream's web UI lives; a source that is not configured is absent. */
export interface UpstreamBases {
  glpi?: string;
  jira?: string;
  bugzilla?: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "https://host/x" also matches "http://host/x" and any letter case of the host. */
function basePattern(base: string): string {
  const withoutScheme = base.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  const slash = withoutScheme.indexOf('/');
  const host = slash < 0 ? withoutScheme : withoutScheme.slice(0, slash);
  const path = slash < 0 ? '' : withoutScheme.slice(slash);
  // Spelled out per letter: the JIRA pattern cannot use the `i` flag (issue keys are upper case).
  const anyCaseHost = escape(host).replace(
    /[a-z]/gi,
    (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`,
  );
  return `https?://${anyCaseHost}${escape(path)}`;
}

/** GLPI's API base ends in /apirest.php (or /api); its web UI is the folder above. */
export function glpiWebRoot(apiUrl: string): string {
  return apiUrl.replace(/\/+$/, '').replace(/\/(apirest\.php|api)$/i, '');
}

export function upstreamCaseUrl(bases: UpstreamBases, source: Source, key: string): string | null {
  switch (source) {
    case 'glpi':
      return bases.glpi ? `${bases.glpi}/front/ticket.form.php?id=${key}` : null;
    case 'jira':
      return bases.jira ? `${bases.jira}/browse/${key}` : null;
    case 'bugzilla':
      return bases.bugzilla ? `${bases.bugzilla}/show_bug.cgi?id=${key}` : null;
  }
}

/**
 * Finds links to cases of the configured upstreams in free text or URL lists: a GLPI ticket
 * form URL, a JIRA /browse/KEY URL or a Bugzilla show_bug.cgi?id=N URL.
 */
export class CaseLinkDetector {
  private readonly patterns: { source: Source; regex: RegExp }[] = [];

  constructor(bases: UpstreamBases) {
    if (bases.glpi) {
      this.patterns.push({
        source: 'glpi',
        regex: new RegExp(
          `${basePattern(bases.glpi)}/front/ticket\\.form\\.php\\?(?:[^\\s"'<>#]*?&)?id=(\\d+)`,
          'gi',
        ),
      });
    }
    if (bases.jira) {
      this.patterns.push({
        source: 'jira',
        regex: new RegExp(`${basePattern(bases.jira)}/browse/([A-Z][A-Z0-9_]*-\\d+)`, 'g'),
      });
    }
    if (bases.bugzilla) {
      this.patterns.push({
        source: 'bugzilla',
        regex: new RegExp(
          `${basePattern(bases.bugzilla)}/show_bug\\.cgi\\?(?:[^\\s"'<>#]*?&)?id=(\\d+)`,
          'gi',
        ),
      });
    }
  }

  find(text: string | null | undefined): CaseLink[] {
    if (!text || this.patterns.length === 0) return [];
    const links: CaseLink[] = [];
    for (const { source, regex } of this.patterns) {
      regex.lastIndex = 0;
      for (const match of text.matchAll(regex)) links.push({ source, key: match[1] });
    }
    return links;
  }

  findAll(texts: Iterable<string | null | undefined>): CaseLink[] {
    const links: CaseLink[] = [];
    for (const text of texts) links.push(...this.find(text));
    return links;
  }
}
