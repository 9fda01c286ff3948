import {
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CallerIdentity } from '../caller-identity.js';
import type { AuthedRequest } from '../request-context.js';
import { abilityFor } from './case-ability.js';
import { POLICY_KEY, type RoutePolicy } from './policy.decorator.js';

/** Raised for anonymous callers; the exception filter sends browsers to the login page. */
export class SignInRequiredException extends UnauthorizedException {
  constructor() {
    super('Sign in required');
  }
}

/**
 * The one gate: every route must declare a policy; the user comes from the session or a bearer
 * token; the CASL ability decides.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly caller: CallerIdentity,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(POLICY_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) {
      this.logger.error(`${req.method} ${req.path} declares no access policy; refusing it`);
      throw new ForbiddenException('This route declares no access policy');
    }
    const user = await this.caller.identify(req);
    if (user) {
      req.caseboardUser = user;
      req.ability = abilityFor(user);
    }
    if (policy.kind === 'public') return true;
    if (!user) throw new SignInRequiredException();
    if (policy.kind === 'signed-in') return true;
    if (!req.ability!.can(policy.action, policy.subject)) {
      throw new ForbiddenException(`Your role may not ${policy.action} ${policy.subject}`);
    }
    return true;
  }
}
