import type { CacheItem, CacheProvider } from '@node-saml/passport-saml';
import type { Redis } from 'ioredis';

/**
 * Where node-saml keeps the IDs of AuthnRequests it sent, so a response is accepted once, only
 * for a request we made. In Redis, so it holds across web replicas.
 */
export class RedisSamlCache implements CacheProvider {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    const createdAt = Date.now();
    const stored = await this.redis.set(this.prefix + key, value, 'PX', this.ttlMs, 'NX');
    return stored === 'OK' ? { value, createdAt } : null;
  }

  async getAsync(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (key === null) return null;
    return this.redis.getdel(this.prefix + key);
  }
}
