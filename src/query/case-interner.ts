import type { SupportCase } from '../cases/case.model.js';

/**
 * Gives the fields whose values repeat from case to case (vocabularies, accounts, people,
 * products, labels) one shared copy per value. JSON.parse makes a new string for every
 * occurrence: at 100k cases that is some 700k strings where a few thousand distinct values
 * would do, which the collector has to visit on every full collection.
 */
export class CaseInterner {
  private readonly strings = new Map<string, string>();

  /** Rewrites `c` in place (the caller owns it: freshly parsed) and returns it. */
  intern(c: SupportCase): SupportCase {
    c.source = this.one(c.source);
    c.status = this.one(c.status);
    c.severity = this.one(c.severity);
    c.statusRaw = this.maybe(c.statusRaw);
    c.severityRaw = this.maybe(c.severityRaw);
    c.assignee = this.maybe(c.assignee);
    c.requester = this.maybe(c.requester);
    c.account = this.maybe(c.account);
    c.product = this.maybe(c.product);
    c.component = this.maybe(c.component);
    for (let i = 0; i < c.labels.length; i++) c.labels[i] = this.one(c.labels[i]);
    for (const link of c.links) link.source = this.one(link.source);
    return c;
  }

  private one<T extends string>(value: T): T {
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    this.strings.set(value, value);
    return value;
  }

  private maybe(value: string | null): string | null {
    return value === null ? null : this.one(value);
  }
}
