import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppRole } from '../auth/app-role.js';
import { accountScope } from '../auth/casl/case-scope.js';
import { SignedIn } from '../auth/casl/policy.decorator.js';
import type { AuthedRequest } from '../auth/request-context.js';
import { ApiThrottlerGuard } from './api-throttler.guard.js';

/** The caller as the API sees it: never SAML session details or token hashes. */
export interface CallerView {
  name: string;
  email: string | null;
  roles: AppRole[];
  /**
   * Accounts whose cases the caller may read, as the access rules apply them (an admin reads
   * every account whatever its token says); null means every account.
   */
  accounts: string[] | null;
  via: 'saml' | 'token';
}

@ApiTags('me')
@ApiBearerAuth()
@UseGuards(ApiThrottlerGuard)
@Controller('api/v1')
export class MeApiController {
  /** Lets a script check its token (and a user their roles) before relying on them. */
  @SignedIn()
  @Get('me')
  @ApiOperation({
    summary: 'Who the caller is: name, roles, account restriction, session or token',
  })
  me(@Req() req: AuthedRequest): CallerView {
    const { name, email, roles, via } = req.caseboardUser!;
    return { name, email, roles, accounts: accountScope(req.ability!), via };
  }
}
