import type { AppStack } from '../support/app-stack.js';
import { USERS, type TestUserName } from '../support/idp.js';
import {
  CookieJar,
  encodeRedirectMessage,
  fetchWithCookies,
  mintResponse,
  postToAcs,
  randomSamlId,
} from '../support/saml-probe.js';

/*
 * Small pieces the security specs share: signing in without a browser, asking as a session, a
 * token or nobody, reading the CSRF token, and forging SAML logout messages.
 */

export const SESSION_COOKIE = 'caseboard.sid';

/** Who asks: nobody, a SAML session (a cookie jar) or an API token. */
export type Caller =
  { kind: 'anonymous' } | { kind: 'session'; jar: CookieJar } | { kind: 'token'; token: string };

export const anonymous: Caller = { kind: 'anonymous' };

export interface Answer {
  status: number;
  location: string | null;
  contentType: string;
  headers: Headers;
  body: string;
}

/** One request as `caller`, redirects not followed; the body is read in full. */
export async function ask(
  baseUrl: string,
  path: string,
  caller: Caller,
  init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (caller.kind === 'token') headers.authorization = `Bearer ${caller.token}`;
  const jar = caller.kind === 'session' ? caller.jar : new CookieJar();
  const response = await fetchWithCookies(`${baseUrl}${path}`, jar, { ...init, headers });
  return {
    status: response.status,
    location: response.headers.get('location'),
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    body: await response.text(),
  };
}

/** A signed-in session for one of the IdP's users (real IdP, real ACS), as a cookie jar. */
export async function signIn(stack: AppStack, user: TestUserName): Promise<CookieJar> {
  const { username, password } = USERS[user];
  const minted = await mintResponse({ baseUrl: stack.baseUrl, username, password });
  const acs = await postToAcs(minted);
  if (acs.status !== 303) {
    throw new Error(`${user} could not sign in: ACS answered ${acs.status}\n${acs.body}`);
  }
  return acs.spCookies;
}

/** Whether the jar's session is signed in: the dashboard opens (200) instead of sending to /login. */
export async function isSignedIn(baseUrl: string, jar: CookieJar): Promise<boolean> {
  const response = await fetchWithCookies(`${baseUrl}/`, jar);
  await response.arrayBuffer();
  if (response.status === 200) return true;
  if (response.status === 303 && response.headers.get('location')?.startsWith('/login')) {
    return false;
  }
  throw new Error(`GET / answered ${response.status}: neither signed in nor sent to /login`);
}

/** The CSRF token a page embeds for its scripts and forms. */
export function csrfTokenOf(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]*)">/.exec(html);
  if (!match) throw new Error('the page has no csrf-token meta tag');
  return match[1];
}

/** The session cookie a Set-Cookie header line sets, with its attributes, or undefined. */
export function sessionSetCookie(headers: Headers): string | undefined {
  return headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
}

/** What the app printed since `mark` (a length of stack.app.output() taken earlier). */
export function outputSince(stack: AppStack, mark: number): string {
  return stack.app.output().slice(mark);
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** An unsigned LogoutRequest "from the IdP" for `nameId`: what an attacker can make. */
export function forgedLogoutRequest(stack: AppStack, nameId: string): string {
  return (
    `<samlp:LogoutRequest xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${randomSamlId()}"` +
    ` Version="2.0" IssueInstant="${new Date().toISOString()}"` +
    ` Destination="${stack.baseUrl}/logout/callback">` +
    `<saml:Issuer>${stack.idp.entityId}</saml:Issuer>` +
    `<saml:NameID Format="${EMAIL_FORMAT}">${nameId}</saml:NameID>` +
    `</samlp:LogoutRequest>`
  );
}

/** An unsigned LogoutResponse "from the IdP" answering a request never made. */
export function forgedLogoutResponse(stack: AppStack): string {
  return (
    `<samlp:LogoutResponse xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${randomSamlId()}"` +
    ` Version="2.0" IssueInstant="${new Date().toISOString()}"` +
    ` Destination="${stack.baseUrl}/logout/callback" InResponseTo="${randomSamlId()}">` +
    `<saml:Issuer>${stack.idp.entityId}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>` +
    `</samlp:Status></samlp:LogoutResponse>`
  );
}

/** The query string of an HTTP-Redirect binding message (`SAMLRequest=…` or `SAMLResponse=…`). */
export function redirectQuery(
  field: 'SAMLRequest' | 'SAMLResponse',
  xml: string,
  extra: Record<string, string> = {},
): string {
  return new URLSearchParams({ [field]: encodeRedirectMessage(xml), ...extra }).toString();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
