import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CallerIdentity } from './caller-identity.js';
import { AccessGuard } from './casl/access.guard.js';
import { SamlController } from './saml/saml.controller.js';
import { SamlService } from './saml/saml.service.js';
import { TokenStore } from './tokens/token.store.js';

/** SAML sign-in, API tokens, and the access guard every route goes through. */
@Module({
  controllers: [SamlController],
  providers: [
    SamlService,
    TokenStore,
    CallerIdentity,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokenStore, CallerIdentity],
})
export class AuthModule {}

/** Token management for bin/token, without SAML. */
@Module({ providers: [TokenStore], exports: [TokenStore] })
export class TokenModule {}
