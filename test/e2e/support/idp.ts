import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Compiled copies (the benchmarks) run from elsewhere; the kit's scripts stay in the source tree.
const IDP_DIR = existsSync(resolve(__dirname, '../idp/start'))
  ? resolve(__dirname, '../idp')
  : resolve(process.cwd(), 'test/e2e/idp');

/** Roles Caseboard grants (src/auth/app-role.ts), spelled out so this kit does not track src/. */
export type ExpectedRole = 'engineer' | 'partner' | 'lead' | 'admin';

export interface TestUser {
  username: string;
  password: string;
  email: string;
  displayName: string;
  /** As the IdP sends them in the `groups` attribute. */
  groups: readonly string[];
  /** As the IdP sends them in the `accounts` attribute (absent from the assertion when empty). */
  accounts: readonly string[];
  /** The most privileged role Caseboard should grant under ROLE_MAP; null: login refused. */
  role: ExpectedRole | null;
  /** Every role the groups map to, in Caseboard's APP_ROLES order. */
  roles: readonly ExpectedRole[];
  /** The accounts Caseboard should limit the user to; null: not limited. */
  accountScope: readonly string[] | null;
}

/** The IdP's logins (test/e2e/idp/config/authsources.php). */
export const USERS = {
  alice: {
    username: 'alice',
    password: 'alicepass',
    email: 'alice@example.com',
    displayName: 'Alice Example',
    groups: ['engineers'],
    accounts: [],
    role: 'engineer',
    roles: ['engineer'],
    accountScope: null,
  },
  bob: {
    username: 'bob',
    password: 'bobpass',
    email: 'bob@example.com',
    displayName: 'Bob Example',
    groups: ['leads', 'engineers'],
    accounts: [],
    role: 'lead',
    roles: ['engineer', 'lead'],
    accountScope: null,
  },
  carol: {
    username: 'carol',
    password: 'carolpass',
    email: 'carol@example.com',
    displayName: 'Carol Example',
    groups: ['admins'],
    accounts: [],
    role: 'admin',
    roles: ['admin'],
    accountScope: null,
  },
  dave: {
    username: 'dave',
    password: 'davepass',
    email: 'dave@example.com',
    displayName: 'Dave Example',
    groups: ['partners'],
    accounts: ['Globex'],
    role: 'partner',
    roles: ['partner'],
    accountScope: ['Globex'],
  },
  erin: {
    username: 'erin',
    password: 'erinpass',
    email: 'erin@example.com',
    displayName: 'Erin Example',
    groups: ['contractors'],
    accounts: [],
    role: null,
    roles: [],
    accountScope: null,
  },
} as const satisfies Record<string, TestUser>;

export type TestUserName = keyof typeof USERS;

/** SP entity IDs the IdP knows besides Caseboard's, all with Caseboard's ACS (probe use only). */
export const PROBE_SP_ENTITY_IDS = {
  /** plain: an IdP-signed response for another audience */
  otherSp: 'urn:probe:other-sp',
  /** only the <Response> is signed */
  responseOnly: 'urn:probe:resp-only',
  /** only the <Assertion> is signed */
  assertionOnly: 'urn:probe:assert-only',
} as const;

export interface StartIdpOptions {
  /** Caseboard's base URL, e.g. http://127.0.0.1:3000 (ACS and SLO are derived from it). */
  spBaseUrl: string;
  /** Default: a free port. */
  port?: number;
  /** Seconds an assertion stays valid (default 300). */
  assertionLifetime?: number;
  /** Default `${spBaseUrl}/saml/metadata`. */
  spEntityId?: string;
  /** Sign LogoutRequest/LogoutResponse redirects (default true). */
  signLogout?: boolean;
  /** Sign the <Response> for Caseboard (default true). */
  signResponse?: boolean;
  /** Sign the <Assertion> for Caseboard (default true). */
  signAssertion?: boolean;
}

export interface IdpHandle {
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  certPem: string;
  certFile: string;
  metadataUrl: string;
  /** http://127.0.0.1:<port>/simplesaml/ */
  baseUrl: string;
  port: number;
  spEntityId: string;
  stateDir: string;
  /** The php server's log (SimpleSAMLphp logs to it too): attach it when a spec fails. */
  logFile: string;
  /** Kills the whole php process group and removes the state dir; safe to call twice. */
  stop(): Promise<void>;
}

interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(
  script: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ScriptResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [join(IDP_DIR, script)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`test/e2e/idp/${script} did not finish in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Ports this process has handed out: a port picked but not yet bound must not be picked again. */
const handedOut = new Set<number>();

/**
 * A port that was free a moment ago on 127.0.0.1 (e.g. for the Caseboard the IdP will serve),
 * never one this process handed out before: the app's port is picked before the IdP's, and
 * nothing listens on it yet when the IdP's is picked.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

function parseKeyValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}

const onOff = (value: boolean | undefined): string => (value === false ? '0' : '1');

/**
 * Starts a SimpleSAMLphp IdP (test/e2e/idp/start) for one Caseboard instance, on its own port and
 * temp state dir so spec files can run in parallel. The first start on a machine installs the
 * Debian packages (about 20 s; needs root).
 */
export async function startIdp(opts: StartIdpOptions): Promise<IdpHandle> {
  const spBaseUrl = opts.spBaseUrl.replace(/\/+$/, '');
  const spEntityId = opts.spEntityId ?? `${spBaseUrl}/saml/metadata`;
  // a picked port can be taken by a parallel spec before php binds it: pick again
  const attempts = opts.port === undefined ? 5 : 1;
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = opts.port ?? (await freePort());
    const stateDir = mkdtempSync(join(tmpdir(), 'caseboard-idp-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      IDP_HOST: '127.0.0.1',
      IDP_PORT: String(port),
      IDP_STATE_DIR: stateDir,
      SP_BASEURL: spBaseUrl,
      SP_ENTITYID: spEntityId,
      SSP_ASSERTION_LIFETIME: String(opts.assertionLifetime ?? 300),
      SSP_SIGN_LOGOUT: onOff(opts.signLogout),
      SSP_SIGN_RESPONSE: onOff(opts.signResponse),
      SSP_SIGN_ASSERTION: onOff(opts.signAssertion),
    };
    const result = await runScript('start', env, 600_000);
    if (result.code === 0) {
      const v = parseKeyValues(result.stdout);
      const certFile = v.IDP_CERT_FILE;
      let stopped: Promise<void> | undefined;
      return {
        entityId: v.IDP_ENTITYID,
        ssoUrl: v.IDP_SSO_URL,
        sloUrl: v.IDP_SLO_URL,
        certPem: readFileSync(certFile, 'utf8'),
        certFile,
        metadataUrl: v.IDP_METADATA_URL,
        baseUrl: v.IDP_BASEURL,
        port,
        spEntityId,
        stateDir,
        logFile: v.IDP_LOG_FILE,
        stop: () =>
          (stopped ??= runScript('stop', env, 30_000).then((r) => {
            rmSync(stateDir, { recursive: true, force: true });
            if (r.code !== 0) throw new Error(`test/e2e/idp/stop failed:\n${r.stderr}`);
          })),
      };
    }
    rmSync(stateDir, { recursive: true, force: true });
    lastError = `test/e2e/idp/start exited ${result.code} (port ${port}):\n${result.stderr}`;
    if (!/already in use|Failed to listen/i.test(result.stderr)) break;
  }
  throw new Error(lastError);
}

export interface CaseboardSamlEnv {
  BASE_URL: string;
  SAML_ENTRY_POINT: string;
  SAML_LOGOUT_URL: string;
  SAML_ISSUER: string;
  SAML_IDP_ISSUER: string;
  SAML_IDP_CERT: string;
  SAML_GROUPS_ATTRIBUTE: string;
  SAML_ACCOUNTS_ATTRIBUTE: string;
  ROLE_MAP: string;
  SESSION_SECRET: string;
}

/** The Caseboard environment that trusts `idp`, for a Caseboard served at `baseUrl`. */
export function caseboardSamlEnv(idp: IdpHandle, baseUrl: string): CaseboardSamlEnv {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    BASE_URL: base,
    SAML_ENTRY_POINT: idp.ssoUrl,
    SAML_LOGOUT_URL: idp.sloUrl,
    SAML_ISSUER: `${base}/saml/metadata`,
    SAML_IDP_ISSUER: idp.entityId,
    SAML_IDP_CERT: idp.certPem,
    SAML_GROUPS_ATTRIBUTE: 'groups',
    SAML_ACCOUNTS_ATTRIBUTE: 'accounts',
    ROLE_MAP: 'engineers:engineer,leads:lead,admins:admin,partners:partner',
    SESSION_SECRET: randomBytes(32).toString('hex'),
  };
}
