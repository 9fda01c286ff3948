import type { CaseStatus, Severity, Source } from './case.model.js';

/**
 * Default raw → normalized vocabularies. Keys are compared case-insensitively; an env map
 * (e.g. GLPI_STATUS_MAP="7:pending") overrides or extends them.
 * Fallbacks for unknown raw values: status → open (an unclassified case stays visible as work),
 * severity → normal. Unknown values are counted and reported, never dropped.
 */
export const STATUS_FALLBACK: CaseStatus = 'open';
export const SEVERITY_FALLBACK: Severity = 'normal';

export const DEFAULT_GLPI_STATUS: Record<string, CaseStatus> = {
  '1': 'new',
  '2': 'open',
  '3': 'open',
  '4': 'pending',
  '5': 'solved',
  '6': 'closed',
};

export const DEFAULT_GLPI_PRIORITY: Record<string, Severity> = {
  '6': 'urgent',
  '5': 'urgent',
  '4': 'high',
  '3': 'normal',
  '2': 'low',
  '1': 'low',
};

/** JIRA: keys are matched against the status name first, then the status category key. */
export const DEFAULT_JIRA_STATUS: Record<string, CaseStatus> = {
  new: 'new',
  indeterminate: 'open',
  done: 'closed',
};

export const DEFAULT_JIRA_PRIORITY: Record<string, Severity> = {
  highest: 'urgent',
  blocker: 'urgent',
  critical: 'urgent',
  high: 'high',
  major: 'high',
  medium: 'normal',
  normal: 'normal',
  low: 'low',
  lowest: 'low',
  minor: 'low',
  trivial: 'low',
};

export const DEFAULT_BUGZILLA_STATUS: Record<string, CaseStatus> = {
  unconfirmed: 'new',
  new: 'new',
  confirmed: 'open',
  assigned: 'open',
  in_progress: 'open',
  reopened: 'open',
  resolved: 'solved',
  verified: 'solved',
  closed: 'closed',
};

export const DEFAULT_BUGZILLA_SEVERITY: Record<string, Severity> = {
  blocker: 'urgent',
  critical: 'urgent',
  major: 'high',
  normal: 'normal',
  minor: 'low',
  trivial: 'low',
  enhancement: 'low',
};

export type VocabularyField = 'status' | 'severity';

export interface UnknownValue {
  source: Source;
  field: VocabularyField;
  raw: string;
}

/** Parses "raw:normalized,raw2:normalized2"; values must belong to `allowed`. */
export function parseVocabularyMap<T extends string>(
  text: string,
  allowed: readonly T[],
): { map: Record<string, T> } | { error: string } {
  const map: Record<string, T> = {};
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const colon = entry.lastIndexOf(':');
    const raw = colon > 0 ? entry.slice(0, colon).trim() : '';
    const value = colon > 0 ? entry.slice(colon + 1).trim() : '';
    if (!raw || !value) return { error: `"${entry.trim()}" is not raw:value` };
    if (!(allowed as readonly string[]).includes(value)) {
      return { error: `"${value}" is not one of ${allowed.join(', ')}` };
    }
    map[raw.toLowerCase()] = value as T;
  }
  return { map };
}

export function mergeVocabulary<T extends string>(
  defaults: Record<string, T>,
  overrides: Record<string, T>,
): Record<string, T> {
  const merged: Record<string, T> = {};
  for (const [k, v] of Object.entries(defaults)) merged[k.toLowerCase()] = v;
  for (const [k, v] of Object.entries(overrides)) merged[k.toLowerCase()] = v;
  return merged;
}

/** Maps raw vocabulary with a fallback and reports each unknown value to `onUnknown`. */
export class VocabularyMapper<T extends string> {
  constructor(
    private readonly source: Source,
    private readonly field: VocabularyField,
    private readonly table: Record<string, T>,
    private readonly fallback: T,
    private readonly onUnknown: (unknown: UnknownValue) => void,
  ) {}

  /** The first candidate found in the table wins; the first non-empty candidate names an unknown. */
  map(...candidates: (string | null | undefined)[]): T {
    for (const candidate of candidates) {
      if (candidate === null || candidate === undefined) continue;
      const hit = this.table[candidate.toLowerCase()];
      if (hit !== undefined) return hit;
    }
    const raw = candidates.find((c) => c !== null && c !== undefined && c !== '') ?? '(empty)';
    this.onUnknown({ source: this.source, field: this.field, raw });
    return this.fallback;
  }
}
