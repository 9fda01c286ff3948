import type { Source } from '../cases/case.model.js';

/** Every Redis key Caseboard writes, under one configurable prefix. */
export class StoreKeys {
  constructor(readonly prefix: string) {}

  /** Hash: case id → serialized case (its own links only; links pointing at it live in `in`). */
  get cases(): string {
    return `${this.prefix}cases`;
  }
  /** Set: ids of the cases whose own links point at `id`. */
  inbound(id: string): string {
    return `${this.prefix}in:${id}`;
  }
  /** Set of the ids of one source's cases. */
  sourceIds(source: Source): string {
    return `${this.prefix}ids:${source}`;
  }
  /**
   * Sorted set: every case id (removed ones too) scored by the store version that last wrote
   * it. Readers that keep a copy (the web role's index) fetch only what changed since theirs.
   */
  get changes(): string {
    return `${this.prefix}changes`;
  }
  /** Counter bumped by every applied run. */
  get version(): string {
    return `${this.prefix}version`;
  }
  /** Hash: upstream uid → case id, for sources whose key can change (JIRA issue moves). */
  uids(source: Source): string {
    return `${this.prefix}uid:${source}`;
  }
  cursor(source: Source): string {
    return `${this.prefix}cursor:${source}`;
  }
  syncStatus(source: Source): string {
    return `${this.prefix}sync:${source}`;
  }
  lock(name: string): string {
    return `${this.prefix}lock:${name}`;
  }
  get bullPrefix(): string {
    return `${this.prefix}bull`;
  }
}
