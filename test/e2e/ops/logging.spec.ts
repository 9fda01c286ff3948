import { waitFor } from '../../support/processes.js';
import { ask, csrfTokenOf, signIn } from '../security/security-kit.js';
import { startStack, type AppStack } from '../support/app-stack.js';

type LogLine = Record<string, unknown> & {
  req?: { id?: string; url?: string };
  requestId?: string;
  msg?: string;
};

/** JSON logs with request ids that follow enqueued jobs, and no secrets in them. */
describe('logs', () => {
  let stack: AppStack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ name: 'logs', env: { LOG_LEVEL: 'info' } });
    token = await stack.token('admin');
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const lines = (): LogLine[] =>
    stack.app
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        try {
          return JSON.parse(l) as LogLine;
        } catch {
          throw new Error(`not a JSON log line: ${l}`);
        }
      });

  it('should write every line as JSON, with the request id of each request', async () => {
    const id = 'trace-0123456789';
    const response = await fetch(`${stack.baseUrl}/api/v1/stats`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': id },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
    const line = await waitFor('the access line', () =>
      Promise.resolve(lines().find((l) => l.req?.id === id)),
    );
    expect(line.req?.url).toBe('/api/v1/stats');

    const minted = await fetch(`${stack.baseUrl}/api/v1/stats`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'bad id with spaces' },
    });
    const newId = minted.headers.get('x-request-id');
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should carry the request id of a Sync now into the job it enqueues', async () => {
    const carol = { kind: 'session' as const, jar: await signIn(stack, 'carol') };
    const page = await ask(stack.baseUrl, '/status', carol);
    const requestId = 'sync-now-request-42';
    const posted = await ask(stack.baseUrl, '/status/sync/jira', carol, {
      method: 'POST',
      form: { _csrf: csrfTokenOf(page.body) },
      headers: { 'x-request-id': requestId },
    });
    expect(posted.status).toBe(303);
    const done = await waitFor('the job log', () =>
      Promise.resolve(
        lines().find((l) => l.requestId === requestId && String(l.msg).endsWith('done')),
      ),
    );
    expect(done).toMatchObject({ source: 'jira', trigger: 'manual', requestId });
    const access = lines().find((l) => l.req?.id === requestId);
    expect(access?.req?.url).toBe('/status/sync/jira');
  });

  it('should never log tokens, cookies or SAML payloads', async () => {
    const jar = await signIn(stack, 'carol');
    const cookie = jar.header();
    expect(cookie).not.toBe('');
    expect((await ask(stack.baseUrl, '/cases', { kind: 'session', jar })).status).toBe(200);
    const payload = 'c2VjcmV0LXNhbWwtcGF5bG9hZA';
    await fetch(`${stack.baseUrl}/logout/callback?SAMLResponse=${payload}&Signature=s1gn4ture`);
    await waitFor('the logout callback line', () =>
      Promise.resolve(lines().some((l) => l.req?.url?.startsWith('/logout/callback'))),
    );
    const output = stack.app.output();
    expect(output).not.toContain(token);
    for (const part of cookie.split(/;\s*/)) expect(output).not.toContain(part.split('=')[1]);
    expect(output).not.toContain(payload);
    expect(output).not.toContain('s1gn4ture');
    expect(output).toContain('SAMLResponse=[redacted]');
    expect(output).not.toContain(stack.env.SESSION_SECRET);
    expect(output).not.toContain(stack.env.METRICS_TOKEN);
  });
});
