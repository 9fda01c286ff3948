import { Injectable } from '@nestjs/common';
import { CaseStore } from './case.store.js';

const OPEN = new Set(['new', 'open', 'pending']);

/** One day's backlog: open cases per account ('' = no account), for the trend chart. */
export interface BacklogSnapshot {
  date: string;
  openByAccount: Record<string, number>;
}

/** Daily backlog snapshots (one hash field per UTC date), written by the worker. */
@Injectable()
export class SnapshotStore {
  constructor(private readonly store: CaseStore) {}

  private get key(): string {
    return `${this.store.keys.prefix}snapshots`;
  }

  /** Counts today's open cases per account from the store and records them. */
  async take(now = new Date()): Promise<BacklogSnapshot> {
    const openByAccount: Record<string, number> = {};
    for await (const batch of this.store.scan()) {
      for (const c of batch) {
        if (!OPEN.has(c.status)) continue;
        const account = c.account ?? '';
        openByAccount[account] = (openByAccount[account] ?? 0) + 1;
      }
    }
    const snapshot = { date: now.toISOString().slice(0, 10), openByAccount };
    await this.store.client.hset(this.key, snapshot.date, JSON.stringify(snapshot));
    return snapshot;
  }

  async has(date: string): Promise<boolean> {
    return (await this.store.client.hexists(this.key, date)) === 1;
  }

  /** Open cases per day over the last `days`, within an account scope (null: all accounts). */
  async trend(
    scope: string[] | null,
    account: string | undefined,
    days: number,
  ): Promise<{ date: string; open: number }[]> {
    const all = await this.store.client.hgetall(this.key);
    const since = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    return Object.values(all)
      .map((json) => JSON.parse(json) as BacklogSnapshot)
      .filter((s) => s.date >= since)
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((s) => ({
        date: s.date,
        open: Object.entries(s.openByAccount)
          .filter(
            ([a]) =>
              (account === undefined || a === account) && (scope === null || scope.includes(a)),
          )
          .reduce((sum, [, n]) => sum + n, 0),
      }));
  }
}
