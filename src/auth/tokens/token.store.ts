import { hash as digestOf, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AppRole } from '../app-role.js';
import { CaseStore } from '../../store/case.store.js';

export interface ApiToken {
  id: string;
  name: string;
  role: AppRole;
  accounts: string[] | null;
  createdAt: string;
}

interface StoredToken extends ApiToken {
  hash: string;
}

const visibleOf = ({ hash: _omit, ...visible }: StoredToken): ApiToken => visible;

// The one-shot digest: a Hash object per request cost more than the digest itself.
const hash = (token: string) => digestOf('sha256', token, 'hex');

/** How long a looked-up token is trusted without asking Redis again (bounds revocation delay). */
const CACHE_MS = 5000;

/**
 * API tokens for scripts. Only a SHA-256 of each token is stored; the token itself is shown
 * once, at creation.
 */
@Injectable()
export class TokenStore {
  private readonly cache = new Map<string, { token: ApiToken | null; until: number }>();

  constructor(private readonly store: CaseStore) {}

  private get key(): string {
    return `${this.store.keys.prefix}tokens`;
  }
  private get byHash(): string {
    return `${this.store.keys.prefix}tokens:hash`;
  }

  async create(
    name: string,
    role: AppRole,
    accounts: string[] | null,
  ): Promise<{ token: string; record: ApiToken }> {
    const id = randomBytes(6).toString('hex');
    const token = `cbt_${id}_${randomBytes(24).toString('base64url')}`;
    const record: StoredToken = {
      id,
      name,
      role,
      accounts,
      createdAt: new Date().toISOString(),
      hash: hash(token),
    };
    await this.store.client
      .multi()
      .hset(this.key, id, JSON.stringify(record))
      .hset(this.byHash, record.hash, id)
      .exec();
    return { token, record: visibleOf(record) };
  }

  async list(): Promise<ApiToken[]> {
    const all = await this.store.client.hvals(this.key);
    return all
      .map((json) => visibleOf(JSON.parse(json) as StoredToken))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revoke(id: string): Promise<boolean> {
    const json = await this.store.client.hget(this.key, id);
    if (!json) return false;
    const record = JSON.parse(json) as StoredToken;
    await this.store.client.multi().hdel(this.key, id).hdel(this.byHash, record.hash).exec();
    this.cache.clear();
    return true;
  }

  /** The token's record, or null for an unknown or revoked token. */
  async verify(token: string): Promise<ApiToken | null> {
    if (!/^cbt_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/.test(token)) return null;
    // Cached by digest, never by the token itself: no plain token is held past its request.
    const digest = hash(token);
    const cached = this.cache.get(digest);
    if (cached && cached.until > Date.now()) return cached.token;
    const id = await this.store.client.hget(this.byHash, digest);
    const json = id ? await this.store.client.hget(this.key, id) : null;
    // Found by its digest, so a match needs no second comparison.
    const found: ApiToken | null = json ? visibleOf(JSON.parse(json) as StoredToken) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(digest, { token: found, until: Date.now() + CACHE_MS });
    return found;
  }
}
