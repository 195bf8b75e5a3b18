import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv, unique } from '../helpers/context';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ LOGIN_LIMIT_PER_USERNAME: '3', LOGIN_LIMIT_PER_ADDRESS: '1000' });
});
afterAll(async () => {
  await env.close();
});

const bidderBody = (username = unique('b')) => ({
  username,
  password: 'a long enough phrase',
  name: '张三',
  idNumber: '360802199001011234',
  phone: '13900001111',
});

describe('POST /api/v1/bidders', () => {
  it('registers a bidder and stores only an argon2id hash', async () => {
    const body = bidderBody();
    const res = await request(env.app).post('/api/v1/bidders').send(body).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), username: body.username, role: 'bidder' });
    const row = await env.ctx.db
      .selectFrom('users')
      .select(['password_hash', 'role'])
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.password_hash).not.toContain(body.password);
  });

  it('refuses a taken username with 409 USERNAME_TAKEN, case-insensitively', async () => {
    const body = bidderBody();
    await request(env.app).post('/api/v1/bidders').send(body).expect(201);
    const res = await request(env.app)
      .post('/api/v1/bidders')
      .send({ ...body, username: body.username.toUpperCase() })
      .expect(409);
    expect(res.body.error.code).toBe('USERNAME_TAKEN');
  });

  it('refuses a short password with 422 VALIDATION naming the field, in Chinese by default', async () => {
    const res = await request(env.app)
      .post('/api/v1/bidders')
      .send({ ...bidderBody(), password: 'short' })
      .expect(422);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details.fields.password).toMatch(/10/);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('answers in English on request and refuses common passwords', async () => {
    const res = await request(env.app)
      .post('/api/v1/bidders')
      .set('Accept-Language', 'en-US,en;q=0.9')
      .send({ ...bidderBody(), password: 'qwertyuiop' })
      .expect(422);
    expect(res.body.error.details.fields.password).toMatch(/too common/);
  });

  it('answers 400 BAD_REQUEST to malformed JSON and to wrong field types, storing nothing', async () => {
    const before = await env.ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const bad = await request(env.app)
      .post('/api/v1/bidders')
      .set('Content-Type', 'application/json')
      .send('{"username": ')
      .expect(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    const typed = await request(env.app)
      .post('/api/v1/bidders')
      .send({ ...bidderBody(), username: 12345 })
      .expect(400);
    expect(typed.body.error.code).toBe('BAD_REQUEST');
    const after = await env.ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('tokens', () => {
  it('issues a token that identifies the user, and revokes it', async () => {
    const body = bidderBody();
    await request(env.app).post('/api/v1/bidders').send(body).expect(201);
    const res = await request(env.app)
      .post('/api/v1/auth/token')
      .send({ username: body.username, password: body.password })
      .expect(200);
    expect(res.body).toMatchObject({
      token: expect.any(String),
      user: { username: body.username, role: 'bidder', townshipId: null },
    });
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const stored = await env.ctx.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('token_hash', '=', res.body.token)
      .executeTakeFirst();
    expect(stored).toBeUndefined(); // only the hash is stored
    await as(env.app, res.body.token).get('/api/v1/me').expect(200);
    await as(env.app, res.body.token).delete('/api/v1/auth/token').expect(204);
    const after = await as(env.app, res.body.token).get('/api/v1/me').expect(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('gives the same 401 INVALID_CREDENTIALS for an unknown user and a wrong password', async () => {
    const user = await makeUser(env.ctx, 'bidder');
    const a = await request(env.app)
      .post('/api/v1/auth/token')
      .send({ username: user.username, password: 'wrong password!!' })
      .expect(401);
    const b = await request(env.app)
      .post('/api/v1/auth/token')
      .send({ username: unique('nobody'), password: 'wrong password!!' })
      .expect(401);
    expect(a.body.error).toEqual(b.body.error);
    expect(a.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('rate-limits failures per username in PostgreSQL with 429 RATE_LIMITED, even for the right password', async () => {
    const user = await makeUser(env.ctx, 'bidder');
    for (let i = 0; i < 3; i++)
      await request(env.app)
        .post('/api/v1/auth/token')
        .send({ username: user.username, password: 'not the password' })
        .expect(401);
    const res = await request(env.app)
      .post('/api/v1/auth/token')
      .send({ username: user.username, password: user.password })
      .expect(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    const n = await env.ctx.db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('username', '=', user.username.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
  });

  it('refuses a garbage bearer token with 401', async () => {
    const res = await as(env.app, 'not-a-token').get('/api/v1/me').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('POST /api/v1/users (admin)', () => {
  it('lets the admin create staff bound to a township, and nobody else', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const township = await makeTownship(env.ctx);
    const body = { username: unique('s'), password: 'staff password 123', role: 'staff', townshipId: township.id };
    const res = await as(env.app, admin.token).post('/api/v1/users').send(body).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      username: body.username,
      role: 'staff',
      townshipId: township.id,
    });
    const bidder = await makeUser(env.ctx, 'bidder');
    await as(env.app, bidder.token)
      .post('/api/v1/users')
      .send({ ...body, username: unique('s') })
      .expect(403);
    await as(env.app)
      .post('/api/v1/users')
      .send({ ...body, username: unique('s') })
      .expect(401);
  });

  it('requires a township for staff (422) and writes the creation to the audit trail', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const res = await as(env.app, admin.token)
      .post('/api/v1/users')
      .send({ username: unique('s'), password: 'staff password 123', role: 'staff' })
      .expect(422);
    expect(res.body.error.details.fields.townshipId).toBeDefined();
    const username = unique('a');
    await as(env.app, admin.token)
      .post('/api/v1/users')
      .send({ username, password: 'auditor password 1', role: 'auditor' })
      .expect(201);
    const entry = await env.ctx.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'user.created')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.data).toMatchObject({ username, role: 'auditor' });
    expect(JSON.stringify(entry.data)).not.toContain('password');
  });
});

describe('errors and health', () => {
  it('answers unknown API paths with 404 NOT_FOUND in the envelope', async () => {
    const res = await request(env.app).get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
  it('reports health when the database answers', async () => {
    await request(env.app).get('/healthz').expect(200, { ok: true });
  });
});
