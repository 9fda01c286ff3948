import type {} from 'express-session';
import type { AppRole } from './app-role.js';

/** Who is asking: a person signed in with SAML, or a script with an API token. */
export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  roles: AppRole[];
  /** Accounts this user is limited to; null means every account. */
  accounts: string[] | null;
  via: 'saml' | 'token';
  /** For SAML single logout. */
  saml?: { nameID: string; nameIDFormat: string; sessionIndex?: string };
  tokenId?: string;
}

declare module 'express-session' {
  interface SessionData {
    user?: SessionUser;
    /** When the user signed in (ms); sessions end this long after, however active. */
    signedInAt?: number;
    returnTo?: string;
    csrfToken?: string;
  }
}
