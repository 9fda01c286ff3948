import { randomBytes } from 'node:crypto';

/**
 * API sessions: a token per initSession, valid until killed, until every session is expired (the
 * `expire-session` fault, a PHP GC pass) or after `idleMs` without use.
 */
export class GlpiSessions {
  private readonly lastUsed = new Map<string, number>();

  constructor(private readonly idleMs: number) {}

  open(): string {
    const token = randomBytes(13).toString('hex');
    this.lastUsed.set(token, Date.now());
    return token;
  }

  /** Whether the token is live; a live token's idle timer restarts. */
  touch(token: string): boolean {
    const last = this.lastUsed.get(token);
    const now = Date.now();
    if (last === undefined || now - last > this.idleMs) {
      this.lastUsed.delete(token);
      return false;
    }
    this.lastUsed.set(token, now);
    return true;
  }

  kill(token: string): void {
    this.lastUsed.delete(token);
  }

  expireAll(): void {
    this.lastUsed.clear();
  }
}
