import type { ChainableCommander } from 'ioredis';

const CHUNK = 1000;

const STAMP = `local v = redis.call('GET', KEYS[1])
local args = {}
for i = 1, #ARGV do args[2 * i - 1] = v; args[2 * i] = ARGV[i] end
return redis.call('ZADD', KEYS[2], unpack(args))`;

/**
 * Groups the many small writes of a sync run into a few large commands (one SADD per set,
 * one HSET per thousand fields...), so a 100k-case run queues thousands of commands in its
 * MULTI instead of a million.
 */
export class WriteBatch {
  private readonly hashSets = new Map<string, string[]>();
  private readonly hashDels = new Map<string, string[]>();
  private readonly zAdds = new Map<string, (string | number)[]>();
  private readonly zRems = new Map<string, string[]>();
  private readonly sAdds = new Map<string, string[]>();
  private readonly sRems = new Map<string, string[]>();
  private stamped: { versionKey: string; changesKey: string; ids: string[] } | undefined;

  hset(key: string, field: string, value: string): void {
    push(this.hashSets, key, field, value);
  }
  hdel(key: string, field: string): void {
    push(this.hashDels, key, field);
  }
  zadd(key: string, score: number, member: string): void {
    push(this.zAdds, key, score, member);
  }
  zrem(key: string, member: string): void {
    push(this.zRems, key, member);
  }
  sadd(key: string, member: string): void {
    push(this.sAdds, key, member);
  }
  srem(key: string, member: string): void {
    push(this.sRems, key, member);
  }

  /**
   * Records `id` as changed by this batch's transaction: the version counter is bumped and
   * read inside the transaction, so a reader never sees a version without its changes.
   */
  stamp(versionKey: string, changesKey: string, id: string): void {
    this.stamped ??= { versionKey, changesKey, ids: [] };
    this.stamped.ids.push(id);
  }

  /** Removals first: within one run no member is both removed from and added to one key. */
  writeTo(tx: ChainableCommander): void {
    for (const [key, fields] of this.hashDels) chunked(fields, 1, (part) => tx.hdel(key, ...part));
    for (const [key, members] of this.zRems) chunked(members, 1, (part) => tx.zrem(key, ...part));
    for (const [key, members] of this.sRems) chunked(members, 1, (part) => tx.srem(key, ...part));
    for (const [key, pairs] of this.hashSets) chunked(pairs, 2, (part) => tx.hset(key, ...part));
    for (const [key, pairs] of this.zAdds) chunked(pairs, 2, (part) => tx.zadd(key, ...part));
    for (const [key, members] of this.sAdds) chunked(members, 1, (part) => tx.sadd(key, ...part));
    if (this.stamped) {
      const { versionKey, changesKey, ids } = this.stamped;
      tx.incr(versionKey);
      chunked(ids, 1, (part) => tx.eval(STAMP, 2, versionKey, changesKey, ...part));
    }
  }
}

function push<T>(map: Map<string, T[]>, key: string, ...values: T[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values);
}

function chunked<T>(values: T[], width: number, write: (part: T[]) => unknown): void {
  const size = CHUNK * width;
  for (let i = 0; i < values.length; i += size) write(values.slice(i, i + size));
}
