import type { Source } from '../cases/case.model.js';

export const FACETS = ['source', 'status', 'severity', 'account', 'assignee'] as const;
export type Facet = (typeof FACETS)[number];

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
  /** Sorted set of ids scored by updatedAt / createdAt (epoch ms). */
  byDate(field: 'updatedAt' | 'createdAt'): string {
    return `${this.prefix}idx:${field}`;
  }
  /** Set of ids whose `facet` equals `value` (null is the empty string). */
  facet(facet: Facet, value: string | null): string {
    return `${this.prefix}idx:${facet}:${value ?? ''}`;
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
