import { Reflector } from '@nestjs/core';

/** Decorated classes and methods, as the Reflector takes them. */
type Targets = Parameters<Reflector['getAllAndOverride']>[1];
type Target = Targets[number];

/**
 * A Reflector that remembers its `getAllAndOverride` answers per key and targets. Route
 * metadata is written by decorators when the classes load and never changes afterwards, while
 * guards ask for it on every request: the rate-limit guard alone asks six times per request.
 */
export class RememberedMetadata extends Reflector {
  private readonly answers = new WeakMap<Target, WeakMap<Target, Map<unknown, unknown>>>();

  override getAllAndOverride<T>(key: unknown, targets: Targets): T {
    if (targets.length !== 2) return super.getAllAndOverride<T>(key, targets);
    const [first, second] = targets;
    let byFirst = this.answers.get(first);
    if (byFirst === undefined) this.answers.set(first, (byFirst = new WeakMap()));
    let byKey = byFirst.get(second);
    if (byKey === undefined) byFirst.set(second, (byKey = new Map()));
    if (byKey.has(key)) return byKey.get(key) as T;
    const answer = super.getAllAndOverride<T>(key, targets);
    byKey.set(key, answer);
    return answer;
  }
}
