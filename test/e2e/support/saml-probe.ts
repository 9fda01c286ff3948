import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

/*
 * Plain-HTTP SAML client for security specs (notes §7 "probe-lib"): it drives Caseboard and the
 * real IdP like a browser would, but stops before posting the IdP's response, so a spec can
 * tamper with it, replay it or let it expire, and then post it itself.
 */

const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** One party's cookies (one host), enough for Caseboard's and SimpleSAMLphp's session cookies. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes the Set-Cookie headers of a response (deleting expired cookies). */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key, v = ''] = a.split('=').map((s) => s.trim());
        if (/^max-age$/i.test(key)) return Number(v) <= 0;
        if (/^expires$/i.test(key)) return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The Cookie request header value ('' when empty). */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  /** An independent copy, e.g. to replay from "another browser" that shares the session. */
  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, value] of this.cookies) copy.set(name, value);
    return copy;
  }
}

/**
 * fetch with a cookie jar and no automatic redirects (a 3xx comes back as is, Location readable).
 * `form` sends an application/x-www-form-urlencoded POST.
 */
export async function fetchWithCookies(
  url: string,
  jar: CookieJar,
  init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  const cookie = jar.header();
  if (cookie) headers.cookie = cookie;
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
  });
  jar.store(response);
  return response;
}

export interface MintedResponse {
  /** base64 SAMLResponse exactly as the IdP's auto-submit form carries it */
  samlResponse: string;
  relayState: string | undefined;
  /** the auto-submit form's action (Caseboard's ACS) */
  acsUrl: string;
  /** Caseboard's cookies from the login start (its session holds the returnTo) */
  spCookies: CookieJar;
  /** the IdP's session cookies: pass them to mint again without the login form (SSO) */
  idpCookies: CookieJar;
  /** the ID of the AuthnRequest the response answers (undefined when unsolicited) */
  requestId: string | undefined;
}

export interface Login {
  username: string;
  password: string;
}

interface HtmlForm {
  action: string;
  fields: Record<string, string>;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? '';
  });
}

function parseForm(html: string, pageUrl: string): HtmlForm | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const attr = (tag: string, name: string): string | undefined => {
    const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
    return m ? decodeEntities(m[1] ?? m[2]) : undefined;
  };
  const fields: Record<string, string> = {};
  for (const input of form[2].match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    if (name) fields[name] = attr(input, 'value') ?? '';
  }
  return { action: new URL(attr(form[1], 'action') ?? '', pageUrl).toString(), fields };
}

interface Page {
  url: string;
  response: Response;
  html: string;
}

/** Follows redirects by hand; `jarFor` gives each URL its party's jar (Caseboard or IdP). */
async function follow(
  url: string,
  jarFor: (url: string) => CookieJar,
  init: { form?: Record<string, string> } = {},
  stopAt?: (location: string) => boolean,
): Promise<Page> {
  let current = url;
  let form = init.form;
  for (let hop = 0; hop < 15; hop++) {
    const response = await fetchWithCookies(current, jarFor(current), { form });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, current).toString();
      if (stopAt?.(next)) return { url: next, response, html: '' };
      current = next;
      form = undefined;
      continue;
    }
    return { url: current, response, html: await response.text() };
  }
  throw new Error(`more than 15 redirects from ${url}`);
}

function jarRouter(spOrigin: string | undefined, spCookies: CookieJar, idpCookies: CookieJar) {
  return (url: string): CookieJar => (new URL(url).origin === spOrigin ? spCookies : idpCookies);
}

/** From an IdP page (login form or, with a live IdP session, the auto-submit form) to the response. */
async function completeAtIdp(
  page: Page,
  login: Login,
  jarFor: (url: string) => CookieJar,
): Promise<{ samlResponse: string; relayState: string | undefined; acsUrl: string }> {
  let current = page;
  let form = parseForm(current.html, current.url);
  if (form && 'AuthState' in form.fields && !('SAMLResponse' in form.fields)) {
    current = await follow(form.action, jarFor, {
      form: { ...form.fields, username: login.username, password: login.password },
    });
    if (/Incorrect username or password/.test(current.html)) {
      throw new Error(`the IdP refused the password of "${login.username}"`);
    }
    form = parseForm(current.html, current.url);
  }
  if (!form || !('SAMLResponse' in form.fields)) {
    throw new Error(
      `no SAMLResponse form at ${current.url} (HTTP ${current.response.status}):\n` +
        current.html.slice(0, 2000),
    );
  }
  return {
    samlResponse: form.fields.SAMLResponse,
    relayState: form.fields.RelayState,
    acsUrl: form.action,
  };
}

function loginUrl(baseUrl: string, returnTo: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/login?returnTo=${encodeURIComponent(returnTo)}`;
}

export interface MintOptions extends Login {
  /** Caseboard's base URL */
  baseUrl: string;
  /** default '/' */
  returnTo?: string;
  /** reuse an IdP session (from an earlier MintedResponse) instead of posting the form again */
  idpCookies?: CookieJar;
}

/**
 * A genuine SP-initiated response: GET `${baseUrl}/login?returnTo=…`, follow Caseboard's redirect
 * to the IdP, post the login form, and read the auto-submit form. Nothing is posted to the ACS.
 */
export async function mintResponse(opts: MintOptions): Promise<MintedResponse> {
  const spCookies = new CookieJar();
  const idpCookies = opts.idpCookies ?? new CookieJar();
  const spOrigin = new URL(opts.baseUrl).origin;
  const jarFor = jarRouter(spOrigin, spCookies, idpCookies);
  let requestId: string | undefined;
  const page = await follow(loginUrl(opts.baseUrl, opts.returnTo ?? '/'), (url) => {
    const request = new URL(url).searchParams.get('SAMLRequest');
    if (request && !requestId) requestId = readAuthnRequest(request).id;
    return jarFor(url);
  });
  if (new URL(page.url).origin === spOrigin) {
    throw new Error(
      `${opts.baseUrl}/login did not redirect to the IdP (HTTP ${page.response.status})`,
    );
  }
  return { ...(await completeAtIdp(page, opts, jarFor)), spCookies, idpCookies, requestId };
}

export interface MintUnsolicitedOptions extends Login {
  /** the IdP's SSOService.php URL (IdpHandle.ssoUrl) */
  ssoUrl: string;
  /** the SP entity ID the IdP should answer (Caseboard's `${baseUrl}/saml/metadata`) */
  spEntityId: string;
  relayState?: string;
  /** cookies to post the response with, e.g. those of a Caseboard session (default: none) */
  spCookies?: CookieJar;
  idpCookies?: CookieJar;
}

/** An unsolicited (IdP-initiated, no InResponseTo) response: SSOService.php?spentityid=… */
export async function mintUnsolicitedResponse(
  opts: MintUnsolicitedOptions,
): Promise<MintedResponse> {
  const spCookies = opts.spCookies ?? new CookieJar();
  const idpCookies = opts.idpCookies ?? new CookieJar();
  const url = new URL(opts.ssoUrl);
  url.searchParams.set('spentityid', opts.spEntityId);
  if (opts.relayState !== undefined) url.searchParams.set('RelayState', opts.relayState);
  const jarFor = (): CookieJar => idpCookies;
  const page = await follow(url.toString(), jarFor);
  return {
    ...(await completeAtIdp(page, opts, jarFor)),
    spCookies,
    idpCookies,
    requestId: undefined,
  };
}

export interface MintForIssuerOptions extends MintOptions {
  /** the SP entity ID to ask as (it becomes the Audience and the NameID's SPNameQualifier) */
  issuer: string;
  /**
   * the request ID to ask with (it becomes the InResponseTo); default: Caseboard's real one.
   * A random one (randomSamlId()) gives A6: IdP-signed, but answering a request never issued.
   */
  requestId?: string;
}

/**
 * An IdP-signed response to Caseboard's real AuthnRequest ID, asked for by another SP entity
 * (notes A4): Caseboard's own AuthnRequest is read from its redirect and not sent; a hand-made,
 * unsigned one with the same ID and `Issuer=opts.issuer` is sent instead. With `urn:probe:other-sp` the
 * result differs from a genuine response only in its audience; with Caseboard's own entity ID it
 * is the control (A5) that should be accepted.
 */
export async function mintResponseForIssuer(opts: MintForIssuerOptions): Promise<MintedResponse> {
  const spCookies = new CookieJar();
  const idpCookies = opts.idpCookies ?? new CookieJar();
  const spOrigin = new URL(opts.baseUrl).origin;
  const jarFor = jarRouter(spOrigin, spCookies, idpCookies);
  const redirect = await follow(
    loginUrl(opts.baseUrl, opts.returnTo ?? '/'),
    jarFor,
    {},
    (location) => new URL(location).searchParams.has('SAMLRequest'),
  );
  const original = new URL(redirect.url);
  const samlRequest = original.searchParams.get('SAMLRequest');
  if (!samlRequest) {
    throw new Error(`${opts.baseUrl}/login did not redirect with a SAMLRequest (${redirect.url})`);
  }
  const request = readAuthnRequest(samlRequest);
  const requestId = opts.requestId ?? request.id;
  const crafted = new URL(original.origin + original.pathname);
  crafted.searchParams.set(
    'SAMLRequest',
    encodeRedirectMessage(
      buildAuthnRequest({
        id: requestId,
        issuer: opts.issuer,
        destination: crafted.toString(),
        acsUrl: request.acsUrl ?? `${opts.baseUrl.replace(/\/+$/, '')}/login/callback`,
      }),
    ),
  );
  const relayState = original.searchParams.get('RelayState');
  if (relayState !== null) crafted.searchParams.set('RelayState', relayState);
  const page = await follow(crafted.toString(), jarFor);
  return {
    ...(await completeAtIdp(page, opts, jarFor)),
    spCookies,
    idpCookies,
    requestId,
  };
}

/** A4: an IdP-signed response for `urn:probe:other-sp` with Caseboard's valid InResponseTo. */
export function mintWrongAudienceResponse(opts: MintOptions): Promise<MintedResponse> {
  return mintResponseForIssuer({ ...opts, issuer: 'urn:probe:other-sp' });
}

export interface AcsResult {
  status: number;
  /** the Location header, if any (e.g. '/' after an accepted login) */
  location: string | null;
  body: string;
  /** the jar the post used, now holding whatever Caseboard set */
  spCookies: CookieJar;
}

/**
 * POSTs a (possibly mutated) response to the ACS with the SP cookies, like the IdP's auto-submit
 * form would; no redirect is followed.
 */
export async function postToAcs(
  minted: Pick<MintedResponse, 'acsUrl' | 'spCookies' | 'relayState' | 'samlResponse'>,
  overrides: { samlResponse?: string; spCookies?: CookieJar; relayState?: string } = {},
): Promise<AcsResult> {
  const spCookies = overrides.spCookies ?? minted.spCookies;
  const form: Record<string, string> = {
    SAMLResponse: overrides.samlResponse ?? minted.samlResponse,
  };
  const relayState = 'relayState' in overrides ? overrides.relayState : minted.relayState;
  if (relayState !== undefined) form.RelayState = relayState;
  const response = await fetchWithCookies(minted.acsUrl, spCookies, { form });
  return {
    status: response.status,
    location: response.headers.get('location'),
    body: await response.text(),
    spCookies,
  };
}

// ---- XML helpers ----------------------------------------------------------------------------

export function decodeSamlResponse(samlResponse: string): string {
  return Buffer.from(samlResponse, 'base64').toString('utf8');
}

export function encodeSamlResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** An HTTP-Redirect binding message: raw DEFLATE, then base64 (not yet URL-encoded). */
export function encodeRedirectMessage(xml: string): string {
  return deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}

export function decodeRedirectMessage(message: string): string {
  return inflateRawSync(Buffer.from(message, 'base64')).toString('utf8');
}

/*
 * The slice of @xmldom/xmldom (a dependency of xml-crypto and node-saml) used here. Its own typings
 * pull lib "dom" into the whole project's type check, so it is required untyped instead.
 */
interface XNode {
  nodeType: number;
  localName: string | null;
  parentNode: XNode | null;
  firstChild: XNode | null;
  childNodes: ArrayLike<XNode>;
  textContent: string | null;
  removeChild(child: XNode): XNode;
  appendChild(child: XNode): XNode;
}
interface XElement extends XNode {
  prefix: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XElement>;
}
interface XDocument extends XNode {
  documentElement: XElement | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XElement>;
  createElementNS(namespace: string, qualifiedName: string): XElement;
  createTextNode(data: string): XNode;
}
interface Xmldom {
  DOMParser: new () => { parseFromString(xml: string, mimeType: string): XDocument };
  XMLSerializer: new () => { serializeToString(node: XDocument): string };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xmldom = require('@xmldom/xmldom') as Xmldom;

function parseXml(xml: string): XDocument {
  return new xmldom.DOMParser().parseFromString(xml, 'text/xml');
}

function serialize(doc: XDocument): string {
  return new xmldom.XMLSerializer().serializeToString(doc);
}

function elements(root: XDocument | XElement, ns: string, localName: string): XElement[] {
  return Array.from(root.getElementsByTagNameNS(ns, localName));
}

function readAuthnRequest(samlRequest: string): { id: string; acsUrl: string | undefined } {
  const doc = parseXml(decodeRedirectMessage(samlRequest));
  const root = doc.documentElement;
  const id = root?.getAttribute('ID');
  if (!root || !id) throw new Error('SAMLRequest has no ID');
  return { id, acsUrl: root.getAttribute('AssertionConsumerServiceURL') || undefined };
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A minimal unsigned AuthnRequest asking for an HTTP-POST response (SSP does not require signed ones). */
export function buildAuthnRequest(r: {
  id: string;
  issuer: string;
  destination: string;
  acsUrl: string;
}): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}"` +
    ` ID="${escapeXml(r.id)}" Version="2.0" IssueInstant="${new Date().toISOString()}"` +
    ` Destination="${escapeXml(r.destination)}" AssertionConsumerServiceURL="${escapeXml(r.acsUrl)}"` +
    ` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${escapeXml(r.issuer)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`
  );
}

/** Removes every ds:Signature (Response's and Assertion's). */
export function stripSignatures(xml: string): string {
  const doc = parseXml(xml);
  for (const signature of elements(doc, NS.ds, 'Signature')) {
    signature.parentNode?.removeChild(signature);
  }
  return serialize(doc);
}

/** Replaces the values of attribute `name` in every assertion (signatures are left as they are). */
export function setAttributeValues(xml: string, name: string, values: readonly string[]): string {
  const doc = parseXml(xml);
  const attributes = elements(doc, NS.saml, 'Attribute').filter(
    (a) => a.getAttribute('Name') === name,
  );
  if (attributes.length === 0) throw new Error(`no saml:Attribute named "${name}"`);
  for (const attribute of attributes) {
    const existing = elements(attribute, NS.saml, 'AttributeValue');
    const template = existing[0];
    for (const value of existing) attribute.removeChild(value);
    for (const value of values) {
      const element = doc.createElementNS(
        NS.saml,
        template?.prefix ? `${template.prefix}:AttributeValue` : 'saml:AttributeValue',
      );
      const type = template?.getAttribute('xsi:type');
      if (type) element.setAttribute('xsi:type', type);
      element.appendChild(doc.createTextNode(value));
      attribute.appendChild(element);
    }
  }
  return serialize(doc);
}

/** Sets the text of every saml:Audience (signatures are left as they are). */
export function setAudience(xml: string, audience: string): string {
  const doc = parseXml(xml);
  for (const element of elements(doc, NS.saml, 'Audience')) {
    while (element.firstChild) element.removeChild(element.firstChild);
    element.appendChild(doc.createTextNode(audience));
  }
  return serialize(doc);
}

export interface ResponseSummary {
  id: string;
  issuer: string | undefined;
  destination: string | undefined;
  inResponseTo: string | undefined;
  nameId: string | undefined;
  audiences: string[];
  notBefore: Date | undefined;
  notOnOrAfter: Date | undefined;
  /** local names of the elements carrying a ds:Signature, e.g. ['Response', 'Assertion'] */
  signedElements: string[];
  attributes: Record<string, string[]>;
}

/** Reads the fields specs assert on (no signature check). */
export function inspectResponse(xml: string): ResponseSummary {
  const doc = parseXml(xml);
  const root = doc.documentElement;
  if (!root) throw new Error('empty SAML response');
  const text = (el: XNode | undefined): string | undefined => el?.textContent?.trim();
  const date = (value: string | null | undefined): Date | undefined =>
    value ? new Date(value) : undefined;
  const conditions = elements(doc, NS.saml, 'Conditions')[0];
  const attributes: Record<string, string[]> = {};
  for (const attribute of elements(doc, NS.saml, 'Attribute')) {
    attributes[attribute.getAttribute('Name') ?? ''] = elements(
      attribute,
      NS.saml,
      'AttributeValue',
    ).map((v) => v.textContent ?? '');
  }
  const issuer = Array.from(root.childNodes).find(
    (n) => n.nodeType === 1 && n.localName === 'Issuer',
  );
  return {
    id: root.getAttribute('ID') || '',
    issuer: text(issuer),
    // xmldom answers '' for an absent attribute
    destination: root.getAttribute('Destination') || undefined,
    inResponseTo: root.getAttribute('InResponseTo') || undefined,
    nameId: text(elements(doc, NS.saml, 'NameID')[0]),
    audiences: elements(doc, NS.saml, 'Audience').map((a) => text(a) ?? ''),
    notBefore: date(conditions?.getAttribute('NotBefore')),
    notOnOrAfter: date(conditions?.getAttribute('NotOnOrAfter')),
    signedElements: elements(doc, NS.ds, 'Signature').map((s) => s.parentNode?.localName ?? ''),
    attributes,
  };
}

export interface SigningKey {
  privateKeyPem: string;
  certPem: string;
}

/** A fresh self-signed RSA-2048 key and certificate (openssl), e.g. an attacker's. */
export function createSigningKey(commonName = 'attacker'): SigningKey {
  const dir = mkdtempSync(join(tmpdir(), 'caseboard-key-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-nodes', '-days', '2'].concat([
        '-subj',
        `/CN=${commonName}`,
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore', timeout: 30_000 },
    );
    return { privateKeyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sign(xml: string, element: 'Response' | 'Assertion', key: SigningKey): string {
  const target =
    element === 'Response' ? "/*[local-name(.)='Response']" : "//*[local-name(.)='Assertion']";
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certPem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  signer.addReference({
    xpath: target,
    digestAlgorithm: SHA256,
    transforms: [ENVELOPED, EXC_C14N],
  });
  // where SAML puts it: right after the element's own Issuer
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

/**
 * Drops the existing signatures and signs again with `key` (the way SimpleSAMLphp signs:
 * rsa-sha256, exc-c14n, enveloped, KeyInfo with the key's certificate): the Assertion first, then
 * the Response around it.
 */
export function resignResponse(
  xml: string,
  key: SigningKey,
  which: { response?: boolean; assertion?: boolean } = {},
): string {
  let signed = stripSignatures(xml);
  if (which.assertion ?? true) signed = sign(signed, 'Assertion', key);
  if (which.response ?? true) signed = sign(signed, 'Response', key);
  return signed;
}

/** A random ID in SAML's form (an NCName), e.g. for a forged InResponseTo. */
export function randomSamlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}
