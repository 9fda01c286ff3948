import { GlpiSimulator } from './glpi.simulator.js';

type Row = Record<string, unknown>;
interface SearchBody {
  totalcount: number;
  count: number;
  sort: number[];
  order: string[];
  data?: Row[];
  'content-range': string;
}

describe(GlpiSimulator.name, () => {
  let glpi: GlpiSimulator;
  let session: string;

  const headers = () => ({ 'App-Token': glpi.appToken, 'Session-Token': session });
  const search = (query: string, extra: Record<string, string> = {}) =>
    fetch(`${glpi.url}/search/Ticket?${query}`, { headers: { ...headers(), ...extra } });
  const since = (value: string, range = '0-49') =>
    `criteria[0][field]=19&criteria[0][searchtype]=morethan&criteria[0][value]=${encodeURIComponent(value)}` +
    `&forcedisplay[0]=2&forcedisplay[1]=19&sort=19&order=ASC&range=${range}`;
  const login = async () => {
    const res = await fetch(`${glpi.url}/initSession`, {
      headers: { 'App-Token': glpi.appToken, Authorization: `user_token ${glpi.userToken}` },
    });
    return ((await res.json()) as { session_token: string }).session_token;
  };

  beforeAll(async () => {
    glpi = await GlpiSimulator.start({ tickets: 300, seed: 7, timezone: 'Europe/Paris' });
  });
  afterAll(() => glpi.close());
  beforeEach(async () => {
    glpi.faults.clear();
    session = await login();
  });

  describe('initSession', () => {
    it('should open a session with App-Token and user_token headers', () => {
      expect(session).toMatch(/^[0-9a-f]{26}$/);
    });

    it('should accept the tokens as query parameters', async () => {
      const res = await fetch(
        `${glpi.url}/initSession?app_token=${glpi.appToken}&user_token=${glpi.userToken}`,
      );
      expect(res.status).toBe(200);
    });

    it('should answer 400 ERROR_APP_TOKEN_PARAMETERS_MISSING without an app token', async () => {
      const res = await fetch(`${glpi.url}/initSession`, {
        headers: { Authorization: `user_token ${glpi.userToken}` },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as string[])[0]).toBe('ERROR_APP_TOKEN_PARAMETERS_MISSING');
    });

    it('should answer 400 ERROR_WRONG_APP_TOKEN_PARAMETER for a wrong app token', async () => {
      const res = await fetch(`${glpi.url}/initSession`, {
        headers: { 'App-Token': 'nope', Authorization: `user_token ${glpi.userToken}` },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as string[])[0]).toBe('ERROR_WRONG_APP_TOKEN_PARAMETER');
    });

    it('should answer 401 ERROR_GLPI_LOGIN_USER_TOKEN for a bad user token', async () => {
      const res = await fetch(`${glpi.url}/initSession`, {
        headers: { 'App-Token': glpi.appToken, Authorization: 'user_token wrong' },
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as string[])[0]).toBe('ERROR_GLPI_LOGIN_USER_TOKEN');
    });

    it('should fail with the user-token error under a bad-credentials fault', async () => {
      glpi.faults.add({ kind: 'bad-credentials', path: '/apirest.php/initSession' });
      const res = await fetch(`${glpi.url}/initSession`, {
        headers: { 'App-Token': glpi.appToken, Authorization: `user_token ${glpi.userToken}` },
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as string[])[0]).toBe('ERROR_GLPI_LOGIN_USER_TOKEN');
    });
  });

  describe('sessions', () => {
    it('should kill a session, after which the token is invalid', async () => {
      const killed = await fetch(`${glpi.url}/killSession`, { headers: headers() });
      expect(killed.status).toBe(200);
      expect(await killed.json()).toBe(true);
      const res = await search(since('2000-01-01 00:00:00'));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual([
        'ERROR_SESSION_TOKEN_INVALID',
        'session_token seems invalid',
      ]);
    });

    it('should answer 400 ERROR_SESSION_TOKEN_MISSING without a session token', async () => {
      const res = await fetch(`${glpi.url}/search/Ticket`, {
        headers: { 'App-Token': glpi.appToken },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as string[])[0]).toBe('ERROR_SESSION_TOKEN_MISSING');
    });

    it('should expire every session under an expire-session fault', async () => {
      glpi.faults.add({ kind: 'expire-session' });
      const res = await search(since('2000-01-01 00:00:00'));
      expect(res.status).toBe(401);
      expect(glpi.requests.at(-1)).toMatchObject({ status: 401, fault: 'expire-session' });
      session = await login();
      expect((await search(since('2000-01-01 00:00:00'))).status).toBe(206);
    });

    it('should expire idle sessions after sessionIdleSeconds', async () => {
      const short = await GlpiSimulator.start({ tickets: 5, sessionIdleSeconds: 0.05 });
      try {
        const init = await fetch(`${short.url}/initSession`, {
          headers: { 'App-Token': short.appToken, Authorization: `user_token ${short.userToken}` },
        });
        const token = ((await init.json()) as { session_token: string }).session_token;
        await new Promise((resolve) => setTimeout(resolve, 120));
        const res = await fetch(`${short.url}/search/Ticket`, {
          headers: { 'App-Token': short.appToken, 'Session-Token': token },
        });
        expect(res.status).toBe(401);
      } finally {
        await short.close();
      }
    });
  });

  describe('search/Ticket', () => {
    it('should page with 206 + Content-Range and finish with 200 on a page covering everything', async () => {
      const first = await search(since('2000-01-01 00:00:00', '0-99'));
      expect(first.status).toBe(206);
      expect(first.headers.get('content-range')).toBe('0-99/300');
      expect(first.headers.get('accept-range')).toBe('Ticket 1000');
      const body = (await first.json()) as SearchBody;
      expect(body).toMatchObject({ totalcount: 300, count: 100, sort: [19], order: ['ASC'] });
      expect(body['content-range']).toBe('0-99/300');
      const all = await search(since('2000-01-01 00:00:00', '0-999'));
      expect(all.status).toBe(200);
      expect(all.headers.get('content-range')).toBe('0-299/300');
    });

    it('should sort by date_mod then id, matching the tickets view', async () => {
      const body = (await (
        await search(since('2000-01-01 00:00:00', '0-999'))
      ).json()) as SearchBody;
      expect(body.data!.map((r) => r['2'])).toEqual(glpi.tickets.map((t) => t.id));
    });

    it('should apply morethan strictly, reading the value in the GLPI timezone', async () => {
      const pivot = glpi.tickets[150];
      const local = glpi.timezone.formatNaive(pivot.dateMod);
      const body = (await (await search(since(local, '0-999'))).json()) as SearchBody;
      // The naive wall time names the earlier instant when it falls in an autumn overlap.
      const after = glpi.timezone.readBack(pivot.dateMod);
      const expected = glpi.tickets.filter((t) => t.dateMod > after).map((t) => t.id);
      expect(body.data!.map((r) => r['2'])).toEqual(expected);
      expect(body.data![0]['19']).toBe(
        glpi.timezone.formatNaive(glpi.ticket(String(expected[0]))!.dateMod),
      );
    });

    it('should return only forcedisplayed columns plus id, with GLPI value shapes', async () => {
      const body = (await (
        await search(
          'forcedisplay[0]=1&forcedisplay[1]=5&forcedisplay[2]=80&forcedisplay[3]=21&range=0-299',
        )
      ).json()) as SearchBody;
      const rows = body.data!;
      expect(Object.keys(rows[0]).sort()).toEqual(['1', '2', '21', '5', '80']);
      expect(rows.every((r) => typeof r['2'] === 'number')).toBe(true);
      expect(rows.some((r) => r['5'] === null)).toBe(true);
      expect(rows.some((r) => typeof r['5'] === 'string')).toBe(true);
      expect(rows.some((r) => Array.isArray(r['5']))).toBe(true);
      expect(rows[0]['80']).toMatch(/^Root entity > /);
      expect(rows[0]['21']).toMatch(/^&lt;p&gt;/);
    });

    it('should entity-encode planted XSS unless X-GLPI-Sanitized-Content is false', async () => {
      const query =
        'criteria[0][field]=2&criteria[0][searchtype]=equals&criteria[0][value]=4&forcedisplay[0]=1';
      const encoded = (await (await search(query)).json()) as SearchBody;
      expect(encoded.data![0]['1']).toBe(
        '&lt;script&gt;alert(1)&lt;/script&gt; Report export broken',
      );
      const raw = (await (
        await search(query, { 'X-GLPI-Sanitized-Content': 'false' })
      ).json()) as SearchBody;
      expect(raw.data![0]['1']).toBe('<script>alert(1)</script> Report export broken');
    });

    it('should carry an unknown status and priority on the odd-vocabulary ticket', async () => {
      const query =
        'criteria[0][field]=2&criteria[0][searchtype]=equals&criteria[0][value]=8&forcedisplay[0]=12&forcedisplay[1]=3';
      const body = (await (await search(query)).json()) as SearchBody;
      expect(body.data![0]).toMatchObject({ '12': 7, '3': 0 });
    });

    it('should answer 200 without a data key and content-range 0--1/0 on zero hits', async () => {
      const res = await search(since('2999-01-01 00:00:00'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-range')).toBeNull();
      const body = (await res.json()) as SearchBody;
      expect(body).not.toHaveProperty('data');
      expect(body).toMatchObject({ totalcount: 0, count: 0, 'content-range': '0--1/0' });
    });

    it('should answer 206 without data when start equals the total and 400 beyond it', async () => {
      const at = await search(since('2000-01-01 00:00:00', '300-399'));
      expect(at.status).toBe(206);
      expect(await at.json()).not.toHaveProperty('data');
      const beyond = await search(since('2000-01-01 00:00:00', '301-399'));
      expect(beyond.status).toBe(400);
      expect(((await beyond.json()) as string[])[0]).toBe('ERROR_RANGE_EXCEED_TOTAL');
    });

    it('should reject a bad criteria field id and an unknown forcedisplay id', async () => {
      const bad = await search(
        'criteria[0][field]=9999&criteria[0][searchtype]=equals&criteria[0][value]=1',
      );
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual(['ERROR', 'Bad field ID in search criteria']);
      expect((await search('forcedisplay[0]=9999')).status).toBe(400);
    });

    it('should skip records when an offset pager meets change-between-pages', async () => {
      glpi.faults.add({ kind: 'change-between-pages', count: 3 });
      const ids: unknown[] = [];
      for (let start = 0; ; start += 50) {
        const res = await search(since('2000-01-01 00:00:00', `${start}-${start + 49}`));
        const body = (await res.json()) as SearchBody;
        ids.push(...(body.data ?? []).map((r) => r['2']));
        if (start + 50 >= body.totalcount) break;
      }
      // The first page's 3 oldest tickets moved to the end: served twice, and 3 others never.
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(297);
      const moved = glpi.tickets.slice(-3).map((t) => t.id);
      expect(moved).toEqual(expect.arrayContaining(ids.slice(0, 3)));
    });
  });

  describe('Ticket items', () => {
    it('should return raw columns of one ticket and 404 ERROR_ITEM_NOT_FOUND for unknown ids', async () => {
      const res = await fetch(`${glpi.url}/Ticket/12`, { headers: headers() });
      expect(res.status).toBe(200);
      expect(res.headers.get('last-modified')).toBeTruthy();
      expect(await res.json()).toMatchObject({
        id: 12,
        status: expect.any(Number) as unknown,
        date_mod: expect.any(String) as unknown,
      });
      const missing = await fetch(`${glpi.url}/Ticket/999999`, { headers: headers() });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as string[])[0]).toBe('ERROR_ITEM_NOT_FOUND');
    });

    it('should list deterministic followups with a Content-Range', async () => {
      const ticket = glpi.tickets.find((t) => t.id === 4)!;
      const res = await fetch(`${glpi.url}/Ticket/${ticket.id}/ITILFollowup`, {
        headers: headers(),
      });
      const followups = (await res.json()) as Row[];
      expect(followups.length).toBeGreaterThan(0);
      expect(res.headers.get('content-range')).toBe(
        `0-${followups.length - 1}/${followups.length}`,
      );
      expect(followups[0]).toMatchObject({
        itemtype: 'Ticket',
        items_id: 4,
        users_id: expect.any(Number) as unknown,
      });
    });

    it('should answer 400 for unknown resources and 405 for unsupported methods', async () => {
      const unknown = await fetch(`${glpi.url}/Computer/1`, { headers: headers() });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as string[])[0]).toBe(
        'ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM',
      );
      const post = await fetch(`${glpi.url}/Ticket/1`, {
        method: 'PUT',
        headers: headers(),
        body: '{}',
      });
      expect(post.status).toBe(405);
    });
  });

  describe('changes', () => {
    it('should move mutated tickets to the end with strictly increasing second-precision stamps', () => {
      const first = glpi.mutate(2);
      const stampA = glpi.ticket(first[0])!.dateMod;
      const second = glpi.mutate(2);
      const stampB = glpi.ticket(second[0])!.dateMod;
      expect(stampA % 1000).toBe(0);
      expect(stampB).toBeGreaterThan(stampA);
      expect(glpi.tickets.slice(-2).map((t) => t.key)).toEqual(expect.arrayContaining(second));
    });

    it('should apply a patch and keep the solve date consistent', () => {
      const key = glpi.tickets[0].key;
      glpi.update(key, { status: 5 });
      const t = glpi.ticket(key)!;
      expect(t.status).toBe(5);
      expect(t.solveDate).not.toBeNull();
      expect(glpi.tickets.at(-1)).toBe(t);
    });

    it('should purge removed tickets from listings', async () => {
      const key = glpi.tickets[10].key;
      glpi.remove(key);
      const res = await fetch(`${glpi.url}/Ticket/${key}`, { headers: headers() });
      expect(res.status).toBe(404);
      expect(glpi.tickets).toHaveLength(299);
    });
  });
});
