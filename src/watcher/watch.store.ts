import { Injectable } from '@nestjs/common';
import { CaseStore } from '../store/case.store.js';
import type { Finding } from './watch-rules.js';

/** How long a "notified" mark lasts: a case still matching after this is reminded once more. */
export const SENT_TTL_SECONDS = 30 * 24 * 3600;

export interface DeliveryError {
  at: string;
  message: string;
}

/**
 * The watcher's Redis state: which (destination, rule, subject) was notified with which
 * fingerprint, the last delivery error per destination, and the last run's report.
 */
@Injectable()
export class WatchStore {
  constructor(private readonly store: CaseStore) {}

  private key(part: string): string {
    return `${this.store.keys.prefix}watch:${part}`;
  }

  private sentKey(target: string, f: Finding): string {
    return this.key(`sent:${target}:${f.rule}:${f.subject}`);
  }

  /** The findings not yet notified to `target` with their current fingerprint. */
  async unsent(target: string, findings: Finding[]): Promise<Finding[]> {
    if (findings.length === 0) return [];
    const marks = await this.store.client.mget(...findings.map((f) => this.sentKey(target, f)));
    return findings.filter((f, i) => marks[i] !== f.fingerprint);
  }

  async markSent(target: string, findings: Finding[]): Promise<void> {
    const tx = this.store.client.multi();
    for (const f of findings)
      tx.set(this.sentKey(target, f), f.fingerprint, 'EX', SENT_TTL_SECONDS);
    tx.hdel(this.key('errors'), target);
    await tx.exec();
  }

  async recordError(target: string, error: DeliveryError): Promise<void> {
    await this.store.client.hset(this.key('errors'), target, JSON.stringify(error));
  }

  async errors(): Promise<Record<string, DeliveryError>> {
    const all = await this.store.client.hgetall(this.key('errors'));
    return Object.fromEntries(
      Object.entries(all).map(([target, json]) => [target, JSON.parse(json) as DeliveryError]),
    );
  }

  async recordRun(report: unknown): Promise<void> {
    await this.store.client.set(this.key('last-run'), JSON.stringify(report));
  }
}
