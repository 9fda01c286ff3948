import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SAML, ValidateInResponseTo } from '@node-saml/passport-saml';
import { startIdp, USERS, type IdpHandle } from '../support/idp';
import {
  createSigningKey,
  decodeSamlResponse,
  encodeSamlResponse,
  inspectResponse,
  mintUnsolicitedResponse,
  resignResponse,
  setAttributeValues,
  stripSignatures,
} from '../support/saml-probe';

/*
 * The IdP kit on its own (no Caseboard): two instances side by side, what each user's assertion
 * carries, and that the probe helpers produce what the security specs rely on.
 */

const SP_A = 'http://127.0.0.1:3901';
const SP_B = 'http://127.0.0.1:3902';

function validator(idp: IdpHandle, idpCert = idp.certPem): SAML {
  return new SAML({
    callbackUrl: `${SP_A}/login/callback`,
    issuer: idp.spEntityId,
    audience: idp.spEntityId,
    idpIssuer: idp.entityId,
    idpCert,
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    validateInResponseTo: ValidateInResponseTo.never,
    acceptedClockSkewMs: 5000,
  });
}

function mintFor(idp: IdpHandle, user: { username: string; password: string }, sp?: string) {
  return mintUnsolicitedResponse({
    ssoUrl: idp.ssoUrl,
    spEntityId: sp ?? idp.spEntityId,
    ...user,
  });
}

describe(startIdp.name, () => {
  let a: IdpHandle;
  let b: IdpHandle;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startIdp({ spBaseUrl: SP_A }),
      startIdp({ spBaseUrl: SP_B, assertionLifetime: 60 }),
    ]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('should run two instances side by side, each with its own port, key and state', () => {
    expect(a.port).not.toBe(b.port);
    expect(a.stateDir).not.toBe(b.stateDir);
    expect(a.certPem).not.toBe(b.certPem);
    expect(a.entityId).toBe(`http://127.0.0.1:${a.port}/simplesaml/saml2/idp/metadata.php`);
    expect(a.spEntityId).toBe(`${SP_A}/saml/metadata`);
  });

  it('should serve its metadata with the signing certificate', async () => {
    const response = await fetch(a.metadataUrl);
    expect(response.headers.get('content-type')).toBe('application/samlmetadata+xml');
    const metadata = await response.text();
    expect(metadata).toContain(`entityID="${a.entityId}"`);
    const certBody = a.certPem.replace(/-----[A-Z ]+-----|\s/g, '');
    expect(metadata.replace(/\s/g, '')).toContain(certBody);
  });

  it('should send SSO to the login form', async () => {
    const url = `${a.ssoUrl}?spentityid=${encodeURIComponent(a.spEntityId)}`;
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('/module.php/core/loginuserpass.php');
  });

  it.each(Object.values(USERS))(
    'should assert the attributes of $username',
    async ({ username, password, email, displayName, groups, accounts }) => {
      const minted = await mintFor(a, { username, password });
      const summary = inspectResponse(decodeSamlResponse(minted.samlResponse));
      expect(minted.acsUrl).toBe(`${SP_A}/login/callback`);
      expect(summary).toMatchObject({
        issuer: a.entityId,
        destination: `${SP_A}/login/callback`,
        inResponseTo: undefined,
        nameId: email,
        audiences: [a.spEntityId],
        signedElements: ['Response', 'Assertion'],
      });
      expect(summary.attributes).toEqual({
        uid: [username],
        email: [email],
        displayName: [displayName],
        groups: [...groups],
        ...(accounts.length > 0 ? { accounts: [...accounts] } : {}),
      });
      const { profile } = await validator(a).validatePostResponseAsync({
        SAMLResponse: minted.samlResponse,
      });
      expect(profile?.nameID).toBe(email);
    },
  );

  it('should refuse a wrong password', async () => {
    await expect(mintFor(a, { username: 'alice', password: 'bobpass' })).rejects.toThrow(
      'the IdP refused the password of "alice"',
    );
  });

  it('should keep an assertion valid for the configured lifetime', async () => {
    const summary = inspectResponse(
      decodeSamlResponse((await mintFor(b, USERS.alice)).samlResponse),
    );
    const seconds = (summary.notOnOrAfter!.getTime() - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(50);
    expect(seconds).toBeLessThanOrEqual(61);
  });

  it('should sign only what the probe-only SP entities ask for', async () => {
    const signed = async (sp: string) =>
      inspectResponse(decodeSamlResponse((await mintFor(a, USERS.alice, sp)).samlResponse));
    await expect(signed('urn:probe:resp-only')).resolves.toMatchObject({
      signedElements: ['Response'],
      audiences: ['urn:probe:resp-only'],
    });
    await expect(signed('urn:probe:assert-only')).resolves.toMatchObject({
      signedElements: ['Assertion'],
    });
    await expect(signed('urn:probe:other-sp')).resolves.toMatchObject({
      signedElements: ['Response', 'Assertion'],
      audiences: ['urn:probe:other-sp'],
    });
  });

  it('should give tampering specs responses that only the right key validates', async () => {
    const xml = decodeSamlResponse((await mintFor(a, USERS.alice)).samlResponse);
    const promoted = setAttributeValues(xml, 'groups', ['admins']);
    expect(inspectResponse(promoted).attributes.groups).toEqual(['admins']);
    expect(inspectResponse(stripSignatures(xml)).signedElements).toEqual([]);

    const attacker = createSigningKey();
    const forged = resignResponse(promoted, attacker);
    expect(inspectResponse(forged).signedElements).toEqual(['Response', 'Assertion']);

    const post = (idp: IdpHandle, doc: string, cert?: string) =>
      validator(idp, cert).validatePostResponseAsync({ SAMLResponse: encodeSamlResponse(doc) });
    await expect(post(a, stripSignatures(xml))).rejects.toThrow(/signature/i);
    await expect(post(a, promoted)).rejects.toThrow(/signature/i);
    await expect(post(a, forged)).rejects.toThrow(/signature/i);
    // the forgery itself is well formed: it validates against the attacker's own certificate
    const { profile } = await post(a, forged, attacker.certPem);
    expect(profile?.groups).toBe('admins');
    // and one instance's responses do not validate against another's key
    await expect(post(a, xml, b.certPem)).rejects.toThrow(/signature/i);
  });

  it('should stop the whole process group and free the port', async () => {
    const pid = readFileSync(`${b.stateDir}/php.pid`, 'utf8').trim();
    await b.stop();
    await b.stop();
    await expect(fetch(b.metadataUrl)).rejects.toThrow();
    const live = execFileSync('ps', ['-eo', 'pgid=,stat='])
      .toString()
      .split('\n')
      .filter((line) => line.trim().split(/\s+/)[0] === pid && !/\sZ/.test(line));
    expect(live).toEqual([]);
  });
});
