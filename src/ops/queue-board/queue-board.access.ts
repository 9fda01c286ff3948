import { ForbiddenException, type ArgumentsHost } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { SignInRequiredException } from '../../auth/casl/access.guard.js';
import { abilityFor } from '../../auth/casl/case-ability.js';
import type { CallerIdentity } from '../../auth/caller-identity.js';
import type { AuthedRequest } from '../../auth/request-context.js';
import { HttpExceptionFilter } from '../../common/http-exception.filter.js';

/**
 * Bull Board is mounted as Express middleware, outside Nest's guards: this applies the same
 * rules by hand (session or admin token, CASL `manage Queue`) and answers refusals through the
 * same error filter as every other route.
 */
export function queueBoardAccess(caller: CallerIdentity) {
  const filter = new HttpExceptionFilter();
  const refuse = (error: unknown, req: AuthedRequest, res: Response) => {
    const host = {
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    } as unknown as ArgumentsHost;
    filter.catch(error, host);
  };
  return (req: AuthedRequest, res: Response, next: NextFunction): void => {
    caller
      .identify(req)
      .then((user) => {
        if (!user) return refuse(new SignInRequiredException(), req, res);
        const ability = abilityFor(user);
        if (!ability.can('manage', 'Queue'))
          return refuse(new ForbiddenException('Your role may not manage Queue'), req, res);
        req.caseboardUser = user;
        req.ability = ability;
        next();
      })
      .catch((error: unknown) => refuse(error, req, res));
  };
}
