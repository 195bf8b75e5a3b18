import request from 'supertest';
import { as, createTestEnv, csrfFrom, makeUser, TestEnv, unique } from '../helpers/context';

// small numbers so the test is quick: a pair locks after 3 failures, an address after 6, and a username
// alone is slowed from its 3rd failure (150 ms, doubling, at most 300 ms)
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({
    TRUST_PROXY: 'true',
    LOGIN_LIMIT_PER_USERNAME_AND_ADDRESS: '3',
    LOGIN_LIMIT_PER_ADDRESS: '6',
    LOGIN_SLOW_AFTER: '3',
    LOGIN_SLOW_BASE_MS: '150',
    LOGIN_SLOW_MAX_MS: '300',
  });
});
afterAll(async () => {
  await env.close();
});

const token = (from: string, username: string, password: string) =>
  request(env.app).post('/api/v1/auth/token').set('X-Forwarded-For', from).send({ username, password });

let n = 0;
const address = () => `203.0.113.${(n += 1)}`;

describe('sign-in throttling (OWASP ASVS 2.2.1)', () => {
  it('locks the stranger’s address for that username, not the bidder, who is only slowed down', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const stranger = address();
    for (let i = 0; i < 3; i += 1) await token(stranger, bidder.username, 'a wrong password').expect(401);
    // the stranger is now refused even with the right password
    const locked = await token(stranger, bidder.username, bidder.password).expect(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(locked.headers['retry-after']).toBeDefined();
    // the bidder, from home, gets in: later than usual, but gets in
    const started = Date.now();
    const res = await token(address(), bidder.username, bidder.password).expect(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('cannot be turned into a lock-out by many addresses: the delay grows to its cap and the right password still works', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    for (let i = 0; i < 6; i += 1) {
      const from = address();
      await token(from, bidder.username, 'a wrong password').expect(401);
      await token(from, bidder.username, 'another wrong one').expect(401);
    }
    const failures = await env.ctx.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('username', '=', bidder.username.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(Number(failures.n)).toBe(12);
    const started = Date.now();
    await token(address(), bidder.username, bidder.password).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // a success clears the username's failures: the next sign-in is not slowed
    expect(
      Number(
        (
          await env.ctx.db
            .selectFrom('login_failures')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('username', '=', bidder.username.toLowerCase())
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(0);
  });

  it('locks an address that tries many usernames, and only that address', async () => {
    const sprayer = address();
    for (let i = 0; i < 6; i += 1) await token(sprayer, unique('nobody'), 'a wrong password').expect(401);
    const victim = await makeUser(env.ctx, 'bidder');
    expect((await token(sprayer, victim.username, victim.password).expect(429)).body.error.code).toBe('RATE_LIMITED');
    await token(address(), victim.username, victim.password).expect(200);
    const me = await token(address(), victim.username, victim.password).expect(200);
    await as(env.app, me.body.token as string)
      .get('/api/v1/me')
      .expect(200);
  });

  it('answers the sign-in page with 429 and a message, not a 500, once the pair is locked', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const from = address();
    const agent = request.agent(env.app);
    const form = await agent.get('/login').set('X-Forwarded-For', from).expect(200);
    for (let i = 0; i < 3; i += 1)
      await agent
        .post('/login')
        .set('X-Forwarded-For', from)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), username: bidder.username, password: 'a wrong password' });
    const res = await agent
      .post('/login')
      .set('X-Forwarded-For', from)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: bidder.username, password: bidder.password });
    expect(res.status).toBe(429);
    expect(res.text).toMatch(/稍后|过多|频繁/);
  });
});
