import type { CaseLinkDetector } from '../cases/case-links.js';
import type { UpstreamPolicy } from '../config/app-config.js';
import type { UnknownValue } from '../cases/vocabulary.js';
import type { UpstreamObserver } from './http/upstream-observer.js';

/** What every adapter gets besides its own settings. */
export interface SourceContext {
  policy: UpstreamPolicy;
  observer: UpstreamObserver;
  links: CaseLinkDetector;
  onUnknownValue: (unknown: UnknownValue) => void;
}
