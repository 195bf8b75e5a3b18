import request from 'supertest';
import { createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('tts.sid='))?.split(';')[0];
}

describe('pages: sign-in, sessions and CSRF', () => {
  it('shows the Chinese home page by default and English on request, with the language remembered', async () => {
    const zh = await request(env.app).get('/').expect(200);
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(zh.text).toContain('乡镇公共资源交易站');
    const en = await request(env.app).get('/?lang=en').expect(200);
    expect(en.text).toContain('<html lang="en">');
    const cookie = ([] as string[]).concat(en.headers['set-cookie'] ?? []).find((c) => c.startsWith('lang=en'));
    expect(cookie).toBeDefined();
    const again = await request(env.app).get('/').set('Cookie', 'lang=en').expect(200);
    expect(again.text).toContain('Township Public Resource Trading Station');
  });

  it('sends a Content-Security-Policy that allows no inline script', async () => {
    const res = await request(env.app).get('/login').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
  });

  it.each([
    ['admin', '/admin'],
    ['staff', '/staff'],
    ['auditor', '/auditor'],
    ['bidder', '/bidder'],
  ] as const)('signs a %s in, regenerating the session, and lands on %s', async (role, home) => {
    const township = await makeTownship(env.ctx);
    const user = await makeUser(env.ctx, role, { townshipId: role === 'staff' ? township.id : undefined });
    const agent = request.agent(env.app);
    const form = await agent.get('/login').expect(200);
    const before = sessionCookie(form);
    expect(before).toBeDefined();
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: user.username, password: user.password })
      .expect(303);
    expect(res.headers.location).toBe(home);
    const after = sessionCookie(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before); // session fixation: the id changes at sign-in
    const desk = await agent.get(home).expect(200);
    expect(desk.text).toContain(user.username);
    // the old (pre-login) session id is not signed in
    await request(env.app).get(home).set('Cookie', before!).expect(401);
  });

  it('refuses a form post without the CSRF token, and with a wrong one', async () => {
    const user = await makeUser(env.ctx, 'bidder');
    const agent = request.agent(env.app);
    await agent.get('/login').expect(200);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password })
      .expect(403);
    expect(res.text).toContain('页面已过期');
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: 'forged', username: user.username, password: user.password })
      .expect(403);
  });

  it('shows wrong credentials on the login page with 401, and signs out with a token-protected form', async () => {
    const user = await makeUser(env.ctx, 'auditor');
    const agent = request.agent(env.app);
    const form = await agent.get('/login');
    const wrong = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: user.username, password: 'definitely wrong' })
      .expect(401);
    expect(wrong.text).toContain('用户名或密码不正确');
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), username: user.username, password: user.password })
      .expect(303);
    const desk = await agent.get('/auditor').expect(200);
    await agent.post('/logout').type('form').send({}).expect(403);
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(desk.text) })
      .expect(303);
    await agent.get('/auditor').expect(401);
  });

  it('keeps sessions in PostgreSQL so another app instance on the same database knows them', async () => {
    const user = await makeUser(env.ctx, 'bidder');
    const agent = request.agent(env.app);
    const form = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: user.username, password: user.password })
      .expect(303);
    const cookie = sessionCookie(res)!;
    const rows = await env.ctx.db.selectFrom('sessions').select('sid').execute();
    expect(rows.length).toBeGreaterThan(0);
    const { createApp } = await import('../../server/app');
    const second = createApp(env.ctx); // a second instance: same database, no shared memory
    const desk = await request(second).get('/bidder').set('Cookie', cookie).expect(200);
    expect(desk.text).toContain(user.username);
  });

  it('registers a bidder through the page and explains a refused password in Chinese', async () => {
    const agent = request.agent(env.app);
    const form = await agent.get('/register').expect(200);
    const bad = await agent
      .post('/register')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        username: 'pagebidder1',
        password: 'short',
        name: '王五',
        idNumber: '360802199001011234',
        phone: '13900002222',
      })
      .expect(422);
    expect(bad.text).toContain('密码至少 10 个字符');
    const ok = await agent
      .post('/register')
      .type('form')
      .send({
        _csrf: csrfFrom(bad.text),
        username: 'pagebidder1',
        password: 'a good long password',
        name: '王五',
        idNumber: '360802199001011234',
        phone: '13900002222',
      })
      .expect(303);
    expect(ok.headers.location).toBe('/login?registered=1');
    const row = await env.ctx.db
      .selectFrom('users')
      .select(['role', 'name'])
      .where('username', '=', 'pagebidder1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'bidder', name: '王五' });
  });

  it('shows a friendly Chinese error page for unknown pages and role pages for the wrong role', async () => {
    const notFound = await request(env.app).get('/no/such/page').expect(404);
    expect(notFound.text).toContain('找不到');
    expect(notFound.headers['content-type']).toMatch(/html/);
    const bidder = await makeUser(env.ctx, 'bidder');
    const agent = request.agent(env.app);
    const form = await agent.get('/login');
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: bidder.username, password: bidder.password })
      .expect(303);
    const denied = await agent.get('/admin/users').expect(403);
    expect(denied.text).toContain('没有权限');
  });
});
