import { startStack, type AppStack } from '../support/app-stack.js';
import { USERS } from '../support/idp.js';
import {
  CookieJar,
  createSigningKey,
  decodeSamlResponse,
  encodeSamlResponse,
  fetchWithCookies,
  inspectResponse,
  mintResponse,
  mintResponseForIssuer,
  mintUnsolicitedResponse,
  mintWrongAudienceResponse,
  postToAcs,
  randomSamlId,
  resignResponse,
  setAttributeValues,
  stripSignatures,
  type AcsResult,
  type MintedResponse,
} from '../support/saml-probe.js';
import {
  SESSION_COOKIE,
  anonymous,
  ask,
  forgedLogoutRequest,
  forgedLogoutResponse,
  isSignedIn,
  outputSince,
  redirectQuery,
  sessionSetCookie,
  signIn,
  sleep,
} from './security-kit.js';

/*
 * The SAML tampering set of notes §7 against Caseboard's ACS, with the real SimpleSAMLphp IdP
 * minting the genuine responses. Rejected means: 401, and no session that works afterwards.
 */

const SKEW_MS = 5000;
const alice = { username: USERS.alice.username, password: USERS.alice.password };

describe('SAML sign-in (tampering set)', () => {
  let stack: AppStack;
  /** the IdP issues assertions valid for 2 s there, for the expiry probe */
  let shortLived: AppStack;
  let expiring: MintedResponse;

  beforeAll(async () => {
    [stack, shortLived] = await Promise.all([
      startStack({ name: 'sec-saml' }),
      startStack({ name: 'sec-saml-expiry', assertionLifetime: 2 }),
    ]);
    // minted now, posted by the last test once it has expired (the other tests run meanwhile)
    expiring = await mintResponse({ baseUrl: shortLived.baseUrl, ...alice });
  }, 120_000);
  afterAll(() => Promise.all([stack?.stop(), shortLived?.stop()]));

  const mint = (username: keyof typeof USERS = 'alice', returnTo?: string) =>
    mintResponse({
      baseUrl: stack.baseUrl,
      username: USERS[username].username,
      password: USERS[username].password,
      returnTo,
    });

  const tamper = (minted: MintedResponse, change: (xml: string) => string) =>
    encodeSamlResponse(change(decodeSamlResponse(minted.samlResponse)));

  /** 401, the reason in the page or the log, and the jar that posted is not signed in. */
  async function expectRejected(result: AcsResult, reason: RegExp, logMark: number) {
    expect(result.status).toBe(401);
    expect(result.location).toBeNull();
    expect(`${result.body}\n${outputSince(stack, logMark)}`).toMatch(reason);
    expect(await isSignedIn(stack.baseUrl, result.spCookies)).toBe(false);
  }

  describe('genuine responses', () => {
    it('should sign in and send the user back to returnTo (303)', async () => {
      const minted = await mint('alice', '/cases?source=jira');
      const result = await postToAcs(minted);
      expect({ status: result.status, location: result.location }).toEqual({
        status: 303,
        location: '/cases?source=jira',
      });
      const page = await fetchWithCookies(`${stack.baseUrl}/cases?source=jira`, result.spCookies);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(USERS.alice.displayName);
    });

    it.each([
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      'http:evil.example',
      '/\t/evil.example',
    ])('should refuse the open redirect returnTo=%s (lands on /)', async (returnTo) => {
      const result = await postToAcs(await mint('alice', returnTo));
      expect({ status: result.status, location: result.location }).toEqual({
        status: 303,
        location: '/',
      });
    });

    it('should give a new session id at login (no session fixation)', async () => {
      const minted = await mint();
      const before = minted.spCookies.get(SESSION_COOKIE);
      expect(before).toBeDefined();
      const preLogin = minted.spCookies.clone();
      const result = await postToAcs(minted);
      expect(result.status).toBe(303);
      const after = result.spCookies.get(SESSION_COOKIE);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect(await isSignedIn(stack.baseUrl, result.spCookies)).toBe(true);
      // the cookie an attacker could have planted before login is not signed in
      expect(await isSignedIn(stack.baseUrl, preLogin)).toBe(false);
    });

    it('should set the session cookie HttpOnly and SameSite=Lax', async () => {
      const minted = await mint();
      const response = await fetchWithCookies(minted.acsUrl, minted.spCookies, {
        form: {
          SAMLResponse: minted.samlResponse,
          ...(minted.relayState ? { RelayState: minted.relayState } : {}),
        },
      });
      expect(response.status).toBe(303);
      const cookie = sessionSetCookie(response.headers);
      expect(cookie).toBeDefined();
      const attributes = cookie!.split(';').map((a) => a.trim().toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('path=/');
      // the stack runs on plain http; Secure is for https BASE_URLs
      expect(attributes).not.toContain('secure');
    });

    it('should refuse a user in no mapped group (403, naming her groups)', async () => {
      const result = await postToAcs(await mint('erin'));
      expect(result.status).toBe(403);
      expect(result.location).toBeNull();
      for (const group of USERS.erin.groups) expect(result.body).toContain(group);
      expect(result.body).toContain(USERS.erin.displayName);
      expect(await isSignedIn(stack.baseUrl, result.spCookies)).toBe(false);
    });

    it('should serve the SP metadata', async () => {
      const metadata = await ask(stack.baseUrl, '/saml/metadata', anonymous);
      expect(metadata.status).toBe(200);
      expect(metadata.contentType).toMatch(/^application\/samlmetadata\+xml/);
      expect(metadata.body).toContain(`entityID="${stack.env.SAML_ISSUER}"`);
      expect(metadata.body).toMatch(
        new RegExp(`AssertionConsumerService[^>]*Location="${stack.baseUrl}/login/callback"`),
      );
      expect(metadata.body).not.toMatch(/PRIVATE KEY/);
    });
  });

  describe('tampered responses', () => {
    it('should reject an unsigned response (signatures stripped)', async () => {
      const minted = await mint();
      const mark = stack.app.output().length;
      const result = await postToAcs(minted, { samlResponse: tamper(minted, stripSignatures) });
      await expectRejected(result, /signature/i, mark);
    });

    it('should reject a response whose groups were changed to admins, signatures kept', async () => {
      const minted = await mint();
      const samlResponse = tamper(minted, (xml) => setAttributeValues(xml, 'groups', ['admins']));
      expect(inspectResponse(decodeSamlResponse(samlResponse)).attributes.groups).toEqual([
        'admins',
      ]);
      const mark = stack.app.output().length;
      await expectRejected(await postToAcs(minted, { samlResponse }), /signature/i, mark);
    });

    it("should reject the same change re-signed with an attacker's key", async () => {
      const minted = await mint();
      const attacker = createSigningKey('attacker');
      const samlResponse = tamper(minted, (xml) =>
        resignResponse(setAttributeValues(xml, 'groups', ['admins']), attacker),
      );
      expect(inspectResponse(decodeSamlResponse(samlResponse)).signedElements.sort()).toEqual([
        'Assertion',
        'Response',
      ]);
      const mark = stack.app.output().length;
      await expectRejected(await postToAcs(minted, { samlResponse }), /signature/i, mark);
    });

    it('should reject a response for another audience (IdP-signed, valid InResponseTo)', async () => {
      const minted = await mintWrongAudienceResponse({ baseUrl: stack.baseUrl, ...alice });
      expect(inspectResponse(decodeSamlResponse(minted.samlResponse)).audiences).toEqual([
        'urn:probe:other-sp',
      ]);
      const mark = stack.app.output().length;
      await expectRejected(await postToAcs(minted), /audience/i, mark);
    });

    it('should accept the control of the audience probe (same path, our audience)', async () => {
      const minted = await mintResponseForIssuer({
        baseUrl: stack.baseUrl,
        ...alice,
        issuer: stack.idp.spEntityId,
      });
      const result = await postToAcs(minted);
      expect(result.status).toBe(303);
      expect(await isSignedIn(stack.baseUrl, result.spCookies)).toBe(true);
    });

    it('should reject an IdP-signed response to a request ID never issued', async () => {
      const minted = await mintResponseForIssuer({
        baseUrl: stack.baseUrl,
        ...alice,
        issuer: stack.idp.spEntityId,
        requestId: randomSamlId(),
      });
      const mark = stack.app.output().length;
      await expectRejected(await postToAcs(minted), /InResponseTo/i, mark);
    });

    it('should reject an unsolicited (IdP-initiated) response', async () => {
      const minted = await mintUnsolicitedResponse({
        ssoUrl: stack.idp.ssoUrl,
        spEntityId: stack.idp.spEntityId,
        ...alice,
      });
      expect(inspectResponse(decodeSamlResponse(minted.samlResponse)).inResponseTo).toBeUndefined();
      const mark = stack.app.output().length;
      await expectRejected(await postToAcs(minted), /InResponseTo/i, mark);
    });

    it('should accept a genuine response once, and reject its replay from any browser', async () => {
      const minted = await mint();
      const preLogin = minted.spCookies.clone();
      const first = await postToAcs(minted);
      expect(first.status).toBe(303);

      const mark = stack.app.output().length;
      const sameBrowser = await postToAcs(minted);
      expect(sameBrowser.status).toBe(401);
      expect(`${sameBrowser.body}${outputSince(stack, mark)}`).toMatch(/InResponseTo/i);

      for (const jar of [new CookieJar(), preLogin]) {
        const replay = await postToAcs(minted, { spCookies: jar });
        await expectRejected(replay, /InResponseTo/i, mark);
      }
    });
  });

  describe('single logout messages', () => {
    it('should refuse an unsigned HTTP-Redirect LogoutRequest, and keep the user signed in', async () => {
      const jar = await signIn(stack, 'alice');
      const query = redirectQuery('SAMLRequest', forgedLogoutRequest(stack, USERS.alice.email));
      const response = await fetchWithCookies(`${stack.baseUrl}/logout/callback?${query}`, jar);
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Unsigned logout message refused/);
      expect(await isSignedIn(stack.baseUrl, jar)).toBe(true);
    });

    it('should refuse an unsigned HTTP-Redirect LogoutResponse, and keep the user signed in', async () => {
      const jar = await signIn(stack, 'alice');
      const query = redirectQuery('SAMLResponse', forgedLogoutResponse(stack));
      const response = await fetchWithCookies(`${stack.baseUrl}/logout/callback?${query}`, jar);
      expect(response.status).toBe(400);
      expect(await isSignedIn(stack.baseUrl, jar)).toBe(true);
    });

    it('should refuse a LogoutRequest with a forged signature, and keep the user signed in', async () => {
      const jar = await signIn(stack, 'alice');
      const query = redirectQuery('SAMLRequest', forgedLogoutRequest(stack, USERS.alice.email), {
        SigAlg: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        Signature: Buffer.from('not a signature').toString('base64'),
      });
      const response = await fetchWithCookies(`${stack.baseUrl}/logout/callback?${query}`, jar);
      expect(response.status).toBe(400);
      expect(await isSignedIn(stack.baseUrl, jar)).toBe(true);
    });

    it('should refuse an unsigned HTTP-POST LogoutRequest, and keep the user signed in', async () => {
      const jar = await signIn(stack, 'alice');
      const xml = forgedLogoutRequest(stack, USERS.alice.email);
      const response = await fetchWithCookies(`${stack.baseUrl}/logout/callback`, jar, {
        form: { SAMLRequest: Buffer.from(xml).toString('base64') },
      });
      expect(response.status).toBe(400);
      expect(await isSignedIn(stack.baseUrl, jar)).toBe(true);
    });

    it('should neither start a sign-in nor end the session on a logout callback without a message', async () => {
      const jar = await signIn(stack, 'alice');
      const response = await fetchWithCookies(`${stack.baseUrl}/logout/callback`, jar);
      expect({ status: response.status, location: response.headers.get('location') }).toEqual({
        status: 400,
        location: null,
      });
      expect(await isSignedIn(stack.baseUrl, jar)).toBe(true);
    });

    it('should end the session at GET /logout and send the user to the IdP', async () => {
      const jar = await signIn(stack, 'alice');
      const cookieBefore = jar.clone();
      const response = await fetchWithCookies(`${stack.baseUrl}/logout`, jar);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(
        new RegExp(`^${stack.idp.sloUrl.replace(/[.?]/g, '\\$&')}\\?SAMLRequest=`),
      );
      expect(jar.get(SESSION_COOKIE)).toBeUndefined();
      // replaying the old cookie does not work either: the session is gone from the store
      expect(await isSignedIn(stack.baseUrl, cookieBefore)).toBe(false);
    });
  });

  // last: its response was minted in beforeAll and has been ageing while the others ran
  describe('expiry', () => {
    it('should accept a response from the short-lived IdP when posted at once (control)', async () => {
      const fresh = await mintResponse({ baseUrl: shortLived.baseUrl, ...alice });
      const result = await postToAcs(fresh);
      expect(result.status).toBe(303);
    });

    it('should reject an expired assertion (NotOnOrAfter + the 5 s skew passed)', async () => {
      const { notOnOrAfter } = inspectResponse(decodeSamlResponse(expiring.samlResponse));
      expect(notOnOrAfter).toBeDefined();
      const wait = notOnOrAfter!.getTime() + SKEW_MS + 1500 - Date.now();
      if (wait > 0) await sleep(wait);
      const mark = shortLived.app.output().length;
      const result = await postToAcs(expiring);
      expect(result.status).toBe(401);
      expect(`${result.body}\n${shortLived.app.output().slice(mark)}`).toMatch(
        /subject confirmation|expired|NotOnOrAfter/i,
      );
      expect(await isSignedIn(shortLived.baseUrl, result.spCookies)).toBe(false);
    }, 30_000);
  });
});
