import type { CaseLinkDetector } from '../cases/case-links.js';
import type { UpstreamPolicy } from '../config/app-config.js';
import type { CaseStatus, Severity, Source } from '../cases/case.model.js';
import {
  SEVERITY_FALLBACK,
  STATUS_FALLBACK,
  VocabularyMapper,
  mergeVocabulary,
  type UnknownValue,
} from '../cases/vocabulary.js';
import type { UpstreamObserver } from './http/upstream-observer.js';

/** What every adapter gets besides its own settings. */
export interface SourceContext {
  policy: UpstreamPolicy;
  observer: UpstreamObserver;
  links: CaseLinkDetector;
  onUnknownValue: (unknown: UnknownValue) => void;
}

/** A source's status and severity mappers: its defaults, overridden by its *_MAP settings. */
export function vocabularyFor(
  source: Source,
  ctx: SourceContext,
  status: { defaults: Record<string, CaseStatus>; overrides: Record<string, CaseStatus> },
  severity: { defaults: Record<string, Severity>; overrides: Record<string, Severity> },
): { status: VocabularyMapper<CaseStatus>; severity: VocabularyMapper<Severity> } {
  return {
    status: new VocabularyMapper(
      source,
      'status',
      mergeVocabulary(status.defaults, status.overrides),
      STATUS_FALLBACK,
      ctx.onUnknownValue,
    ),
    severity: new VocabularyMapper(
      source,
      'severity',
      mergeVocabulary(severity.defaults, severity.overrides),
      SEVERITY_FALLBACK,
      ctx.onUnknownValue,
    ),
  };
}
