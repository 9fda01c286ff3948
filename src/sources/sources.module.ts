import { Module } from '@nestjs/common';
import { CaseLinkDetector } from '../cases/case-links.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BugzillaAdapter } from './bugzilla/bugzilla.adapter.js';
import { CASE_SOURCES, type CaseSource } from './case-source.port.js';
import { GlpiAdapter } from './glpi/glpi.adapter.js';
import {
  NOOP_OBSERVER,
  UPSTREAM_OBSERVER,
  type UpstreamObserver,
} from './http/upstream-observer.js';
import { JiraAdapter } from './jira/jira.adapter.js';
import type { SourceContext } from './source-context.js';
import { VocabularyMonitor } from './vocabulary.monitor.js';

/** Adding a source: write its adapter (port + mapper), then add one line here. */
export function createSources(config: AppConfig, ctx: SourceContext): CaseSource[] {
  const { glpi, jira, bugzilla } = config.sources;
  return [
    glpi && new GlpiAdapter(glpi, ctx),
    jira && new JiraAdapter(jira, ctx),
    bugzilla && new BugzillaAdapter(bugzilla, ctx),
  ].filter((s): s is GlpiAdapter | JiraAdapter | BugzillaAdapter => Boolean(s));
}

@Module({
  providers: [
    VocabularyMonitor,
    {
      provide: CASE_SOURCES,
      // The metrics module provides the observer in the app; the CLI runs without one.
      inject: [APP_CONFIG, VocabularyMonitor, { token: UPSTREAM_OBSERVER, optional: true }],
      useFactory: (
        config: AppConfig,
        vocabulary: VocabularyMonitor,
        observer: UpstreamObserver | undefined,
      ) =>
        createSources(config, {
          policy: config.upstream,
          observer: observer ?? NOOP_OBSERVER,
          links: new CaseLinkDetector(config.upstreamBases),
          onUnknownValue: vocabulary.record,
        }),
    },
  ],
  exports: [CASE_SOURCES, VocabularyMonitor],
})
export class SourcesModule {}
