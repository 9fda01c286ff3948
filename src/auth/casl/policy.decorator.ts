import { SetMetadata } from '@nestjs/common';
import type { Action, Subject } from './case-ability.js';

export const POLICY_KEY = 'caseboard:policy';

/** Every route declares one of these; a route without one is refused (and fails a test). */
export type RoutePolicy =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'ability'; action: Action; subject: Subject };

/** Open to anyone: login, SAML endpoints, liveness. */
export const Public = () => SetMetadata(POLICY_KEY, { kind: 'public' } satisfies RoutePolicy);

/** Any signed-in user, whatever the role (e.g. logout). */
export const SignedIn = () => SetMetadata(POLICY_KEY, { kind: 'signed-in' } satisfies RoutePolicy);

/** Signed in, and the ability allows `action` on `subject`. */
export const Can = (action: Action, subject: Subject) =>
  SetMetadata(POLICY_KEY, { kind: 'ability', action, subject } satisfies RoutePolicy);
