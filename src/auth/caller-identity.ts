import { Injectable, UnauthorizedException } from '@nestjs/common';
import { acceptsBearer, type AuthedRequest } from './request-context.js';
import type { SessionUser } from './session-user.js';
import { TokenStore } from './tokens/token.store.js';

/** Who is calling: a bearer token where tokens are accepted, else the session's user. */
@Injectable()
export class CallerIdentity {
  constructor(private readonly tokens: TokenStore) {}

  async identify(req: AuthedRequest): Promise<SessionUser | undefined> {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ') && acceptsBearer(req)) {
      const token = await this.tokens.verify(header.slice(7).trim());
      if (!token) throw new UnauthorizedException('Invalid or revoked API token');
      return {
        id: `token:${token.id}`,
        name: token.name,
        email: null,
        roles: [token.role],
        accounts: token.accounts,
        via: 'token',
        tokenId: token.id,
      };
    }
    return req.session?.user;
  }
}
