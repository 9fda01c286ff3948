import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { SupportCase } from '../cases/case.model.js';
import { APP_CONFIG, configuredSources, type AppConfig } from '../config/app-config.js';
import { retryDelay, sleep } from '../sources/http/retry-delay.js';
import { CaseStore } from '../store/case.store.js';
import { NOTIFIERS, type Delivery, type Notifier } from './notifiers/notifier.port.js';
import { redactor } from './redact.js';
import { WATCH_LOCK, WATCH_LOCK_MS } from './watch.constants.js';
import { WatchStore, type DeliveryError } from './watch.store.js';
import { evaluate, type Finding } from './watch-rules.js';
import type { WatchRule } from './watch-routing.js';

export interface DeliveryOutcome {
  target: string;
  /** Findings new to this destination (sent, or to send). */
  pending: number;
  state: 'sent' | 'failed' | 'nothing-new' | 'dry-run';
  attempts: number;
  error?: string;
  /** dry-run: what would have been sent. */
  preview?: string;
}

export interface WatchRunReport {
  at: string;
  dryRun: boolean;
  /** Findings per rule, before de-duplication. */
  findings: Record<WatchRule, number>;
  deliveries: DeliveryOutcome[];
  /** Last delivery error per destination still standing after this run. */
  errors: Record<string, DeliveryError>;
  /** Set when another run held the lease, so this one did nothing. */
  skipped?: string;
}

/**
 * One watcher pass: evaluate the rules over the stored cases and sync status, then send each
 * destination one digest of what it has not been told yet. A failed delivery is retried, then
 * recorded, and its findings stay unmarked so the next run tries again; it never throws for that.
 */
@Injectable()
export class WatchService implements OnApplicationShutdown {
  private readonly logger = new Logger(WatchService.name);
  private readonly redact: (text: string) => string;

  constructor(
    private readonly store: CaseStore,
    private readonly watchStore: WatchStore,
    @Inject(NOTIFIERS) private readonly notifiers: Notifier[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redact = redactor([config.watch.email?.smtpUrl, config.watch.slack?.webhookUrl]);
  }

  get channels(): string[] {
    return this.notifiers.map((n) => n.channel);
  }

  async findings(now: Date): Promise<Finding[]> {
    const cases: SupportCase[] = [];
    for await (const batch of this.store.scan()) cases.push(...batch);
    const sources = configuredSources(this.config);
    const statuses = await Promise.all(sources.map((s) => this.store.getSyncStatus(s)));
    return evaluate(cases, statuses, now, this.config.watch);
  }

  async run(
    options: { dryRun?: boolean; now?: Date; owner?: string } = {},
  ): Promise<WatchRunReport> {
    const dryRun = options.dryRun ?? false;
    const now = options.now ?? new Date();
    const owner = options.owner ?? `watch:${process.pid}:${now.getTime()}`;
    const report: WatchRunReport = {
      at: now.toISOString(),
      dryRun,
      findings: { 'new-case': 0, sla: 0, stale: 0, 'sync-failed': 0 },
      deliveries: [],
      errors: {},
    };
    // Two workers running the same tick must not both send the digest.
    if (!dryRun && !(await this.store.acquireLock(WATCH_LOCK, owner, WATCH_LOCK_MS))) {
      report.skipped = `another watcher run holds the lease (${(await this.store.lockHolder(WATCH_LOCK)) ?? 'unknown'})`;
      return report;
    }
    try {
      const findings = await this.findings(now);
      for (const f of findings) report.findings[f.rule]++;
      for (const notifier of this.notifiers) {
        for (const delivery of notifier.route(findings)) {
          report.deliveries.push(await this.deliver(notifier, delivery, now, dryRun));
        }
      }
      report.errors = await this.watchStore.errors();
      if (!dryRun) await this.watchStore.recordRun(report);
      return report;
    } finally {
      if (!dryRun) await this.store.releaseLock(WATCH_LOCK, owner).catch(() => undefined);
    }
  }

  private async deliver(
    notifier: Notifier,
    delivery: Delivery,
    now: Date,
    dryRun: boolean,
  ): Promise<DeliveryOutcome> {
    const fresh = await this.watchStore.unsent(delivery.target, delivery.findings);
    const outcome: DeliveryOutcome = {
      target: delivery.target,
      pending: fresh.length,
      state: 'nothing-new',
      attempts: 0,
    };
    if (fresh.length === 0) return outcome;
    const digest = { target: delivery.target, findings: fresh };
    if (dryRun) {
      return { ...outcome, state: 'dry-run', preview: notifier.preview(digest, now) };
    }
    const { retries, retryBaseMs } = this.config.watch;
    for (let attempt = 0; ; attempt++) {
      outcome.attempts = attempt + 1;
      try {
        await notifier.send(digest, now);
        await this.watchStore.markSent(delivery.target, fresh);
        this.logger.log(`sent ${fresh.length} finding(s) to ${delivery.target}`);
        return { ...outcome, state: 'sent' };
      } catch (error) {
        const message = this.redact(error instanceof Error ? error.message : String(error));
        if (attempt < retries && notifier.isTransient(error)) {
          await sleep(retryDelay(attempt, retryBaseMs, retryBaseMs * 16));
          continue;
        }
        this.logger.warn(
          `delivery to ${delivery.target} failed after ${attempt + 1} attempt(s): ${message}; the next run retries`,
        );
        await this.watchStore.recordError(delivery.target, { at: now.toISOString(), message });
        return { ...outcome, state: 'failed', error: message };
      }
    }
  }

  onApplicationShutdown(): void {
    for (const notifier of this.notifiers) (notifier as { close?: () => void }).close?.();
  }
}
