import { Controller, Get, Header, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import passport from 'passport';
import { Public, SignedIn } from '../casl/policy.decorator.js';
import type { AuthedRequest } from '../request-context.js';
import type { SessionUser } from '../session-user.js';
import { safeReturnTo } from './return-to.js';
import { NoRoleError, SamlService } from './saml.service.js';

type Outcome = { user?: SessionUser; error?: unknown };

function hasMessage(fields: unknown): boolean {
  const f = (fields ?? {}) as Record<string, unknown>;
  return typeof f.SAMLResponse === 'string' || typeof f.SAMLRequest === 'string';
}

function badRequest(res: Response, message: string): void {
  res.status(400).render('error', { status: 400, title: 'Bad request', message });
}

function authenticate(
  req: Request,
  res: Response,
  options: passport.AuthenticateOptions,
): Promise<Outcome> {
  return new Promise((resolve) => {
    // Some outcomes (an IdP-initiated logout) answer with a redirect and call neither callback.
    res.once('finish', () => resolve({}));
    const next: NextFunction = (error?: unknown) => resolve({ error });
    const handler = passport.authenticate(
      'saml',
      options,
      (error: unknown, user: SessionUser | false) => {
        resolve({ error: error ?? undefined, user: user || undefined });
      },
    ) as RequestHandler;
    void handler(req, res, next);
  });
}

/** SP-initiated SAML login, the assertion consumer, single logout and SP metadata. */
@ApiExcludeController()
@Controller()
export class SamlController {
  private readonly logger = new Logger(SamlController.name);

  constructor(private readonly saml: SamlService) {}

  @Public()
  @Get('login')
  login(@Req() req: Request, @Res() res: Response, @Query('returnTo') returnTo?: string): void {
    req.session.returnTo = safeReturnTo(returnTo);
    // The redirect to the IdP happens inside; it also records the AuthnRequest ID in Redis.
    const start = passport.authenticate('saml', { session: false }) as RequestHandler;
    void start(req, res, (error?: unknown) => {
      this.logger.error(
        `could not start SAML login: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
      res.status(500).render('error', {
        status: 500,
        title: 'Sign-in unavailable',
        message: 'The sign-in service could not be reached. Try again later.',
      });
    });
  }

  @Public()
  @Post('login/callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Without a SAML message passport would start a new sign-in; this endpoint only consumes.
    if (!hasMessage(req.body)) return badRequest(res, 'No SAML response in the request.');
    const { user, error } = await authenticate(req, res, { session: false });
    if (error instanceof NoRoleError) {
      this.logger.warn(
        `refused sign-in: ${error.message} (groups: ${error.groups.join(', ') || 'none'})`,
      );
      return res
        .status(403)
        .render('refused', { title: 'No access', who: error.who, groups: error.groups });
    }
    if (error || !user) {
      const reason =
        error instanceof Error ? error.message : 'the identity provider did not vouch for you';
      this.logger.warn(`rejected SAML response: ${reason}`);
      return res.status(401).render('error', {
        status: 401,
        title: 'Sign-in failed',
        message: `Sign-in failed: ${reason}.`,
      });
    }
    const returnTo = safeReturnTo(req.session.returnTo);
    // A fresh session id at login defeats session fixation.
    req.session.regenerate((regenError) => {
      if (regenError)
        return res
          .status(500)
          .render('error', { status: 500, title: 'Error', message: 'Could not start a session.' });
      req.session.user = user;
      req.session.signedInAt = Date.now();
      this.logger.log(`signed in: ${user.id} as ${user.roles.join('+')}`);
      req.session.save(() => res.redirect(303, returnTo));
    });
  }

  @SignedIn()
  @Get('logout')
  async logout(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const user = req.session.user;
    const idpUrl = user ? await this.saml.logoutUrl(req, user) : null;
    req.session.destroy(() => {
      res.clearCookie('caseboard.sid');
      res.redirect(303, idpUrl ?? '/signed-out');
    });
  }

  @Public()
  @Get('logout/callback')
  async logoutCallback(@Req() req: Request, @Res() res: Response): Promise<void> {
    // node-saml accepts unsigned HTTP-Redirect logout messages (node-saml#419): refuse them here.
    const q = req.query;
    if (!hasMessage(q)) return badRequest(res, 'No SAML logout message in the request.');
    if (!q.Signature) {
      return res.status(400).render('error', {
        status: 400,
        title: 'Bad request',
        message: 'Unsigned logout message refused.',
      });
    }
    await this.finishLogout(req, res);
  }

  @Public()
  @Post('logout/callback')
  async logoutCallbackPost(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!hasMessage(req.body)) return badRequest(res, 'No SAML logout message in the request.');
    await this.finishLogout(req, res);
  }

  @Public()
  @Get('saml/metadata')
  @Header('Content-Type', 'application/samlmetadata+xml')
  metadata(): string {
    return this.saml.metadata();
  }

  @Public()
  @Get('signed-out')
  signedOut(@Res() res: Response): void {
    res.render('signed-out', { title: 'Signed out' });
  }

  private async finishLogout(req: Request, res: Response): Promise<void> {
    const { error } = await authenticate(req, res, { session: false });
    if (res.headersSent) {
      // An IdP-initiated LogoutRequest, answered with a redirect: end our session too.
      req.session?.destroy(() => undefined);
      return;
    }
    if (error) {
      this.logger.warn(
        `rejected logout message: ${error instanceof Error ? error.message : 'invalid message'}`,
      );
      return res
        .status(400)
        .render('error', { status: 400, title: 'Bad request', message: 'Logout message refused.' });
    }
    req.session?.destroy(() => res.redirect(303, '/signed-out'));
  }
}
