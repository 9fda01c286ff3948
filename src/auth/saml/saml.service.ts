import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Strategy,
  ValidateInResponseTo,
  type Profile,
  type VerifiedCallback,
} from '@node-saml/passport-saml';
import type { Request } from 'express';
import passport from 'passport';
import { APP_CONFIG, type AppConfig, type WebConfig } from '../../config/app-config.js';
import { RedisFactory } from '../../store/redis.factory.js';
import { StoreKeys } from '../../store/store.keys.js';
import { accountsFromAssertion, rolesFromGroups } from '../role-mapping.js';
import type { SessionUser } from '../session-user.js';
import { RedisSamlCache } from './redis-cache.provider.js';

const REQUEST_ID_TTL_MS = 10 * 60_000;

/** The IdP vouched for the person, but no IdP group of theirs maps to a Caseboard role. */
export class NoRoleError extends Error {
  constructor(
    readonly who: string,
    readonly groups: string[],
  ) {
    super(`${who} belongs to no group that grants a Caseboard role`);
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/**
 * SP side of SAML: strict validation (both signatures, audience, IdP issuer, small skew,
 * InResponseTo always, with a Redis request-ID cache).
 */
@Injectable()
export class SamlService {
  private readonly logger = new Logger(SamlService.name);
  readonly strategy: Strategy;
  private readonly web: WebConfig;

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisFactory) {
    if (!config.web) throw new Error('SamlService needs the web configuration');
    this.web = config.web;
    const saml = this.web.saml;
    const keys = new StoreKeys(config.redis.keyPrefix);
    this.strategy = new Strategy(
      {
        name: 'saml',
        callbackUrl: `${this.web.baseUrl}/login/callback`,
        logoutCallbackUrl: `${this.web.baseUrl}/logout/callback`,
        entryPoint: saml.entryPoint,
        logoutUrl: saml.logoutUrl ?? saml.entryPoint,
        issuer: saml.issuer,
        audience: saml.issuer,
        idpIssuer: saml.idpIssuer,
        idpCert: saml.idpCert,
        privateKey: saml.privateKey,
        wantAuthnResponseSigned: true,
        wantAssertionsSigned: true,
        validateInResponseTo: ValidateInResponseTo.always,
        requestIdExpirationPeriodMs: REQUEST_ID_TTL_MS,
        cacheProvider: new RedisSamlCache(
          redis.create('aux'),
          `${keys.prefix}saml:req:`,
          REQUEST_ID_TTL_MS,
        ),
        acceptedClockSkewMs: saml.clockSkewMs,
        identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        signatureAlgorithm: 'sha256',
        disableRequestedAuthnContext: true,
        passReqToCallback: false,
      },
      (profile: Profile | null, done: VerifiedCallback) => {
        try {
          done(null, this.userFrom(profile) as unknown as Record<string, unknown>);
        } catch (error) {
          done(error as Error);
        }
      },
      (profile: Profile | null, done: VerifiedCallback) => done(null, profile ?? undefined),
    );
    passport.use('saml', this.strategy as unknown as passport.Strategy);
  }

  userFrom(profile: Profile | null): SessionUser {
    if (!profile?.nameID) throw new Error('the SAML assertion names no subject');
    const saml = this.web.saml;
    const rawGroups = profile[saml.groupsAttribute];
    const groups = (Array.isArray(rawGroups) ? rawGroups : [rawGroups]).filter(
      (g): g is string => typeof g === 'string',
    );
    const roles = rolesFromGroups(rawGroups, saml.roleMap);
    const name = text(profile.displayName) ?? text(profile.uid) ?? profile.nameID;
    if (roles.length === 0) throw new NoRoleError(name, groups);
    return {
      id: profile.nameID,
      name,
      email: text(profile.email) ?? (profile.nameID.includes('@') ? profile.nameID : null),
      roles,
      accounts: accountsFromAssertion(roles, profile[saml.accountsAttribute]),
      via: 'saml',
      saml: {
        nameID: profile.nameID,
        nameIDFormat:
          profile.nameIDFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        sessionIndex: profile.sessionIndex,
      },
    };
  }

  metadata(): string {
    return this.strategy.generateServiceProviderMetadata(null, null);
  }

  /** The IdP URL that ends the user's IdP session too (SLO), or null without an IdP logout URL. */
  async logoutUrl(req: Request, user: SessionUser): Promise<string | null> {
    if (!this.web.saml.logoutUrl || !user.saml) return null;
    const withUser = Object.assign(req, {
      user: {
        nameID: user.saml.nameID,
        nameIDFormat: user.saml.nameIDFormat,
        sessionIndex: user.saml.sessionIndex,
      },
    });
    return new Promise((resolve) => {
      this.strategy.logout(withUser as never, (error, url) => {
        if (error) this.logger.warn(`single logout request failed: ${error.message}`);
        resolve(error ? null : (url ?? null));
      });
    });
  }
}
