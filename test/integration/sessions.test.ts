import crypto from 'node:crypto';
import request from 'supertest';
import { hashSessionId } from '../../server/accounts/session-store';
import { createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { signIn } from '../helpers/security';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** What express-session puts in the cookie for a session id, signed with a secret (cookie-signature's scheme). */
const cookieFor = (sid: string, secret: string) => {
  const mac = crypto.createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `tts.sid=${encodeURIComponent(`s:${sid}.${mac}`)}`;
};

describe('sessions in the database', () => {
  it('keep only the SHA-256 of each session id, and the cookie secret is not in the database', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const { agent, cookie } = await signIn(env.app, staff);
    await agent.get('/staff').expect(200);
    const sid = decodeURIComponent(cookie.replace(/^tts\.sid=/, ''))
      .replace(/^s:/, '')
      .split('.')[0];
    const rows = await env.ctx.db.selectFrom('sessions').select('sid').execute();
    expect(rows.map((r) => r.sid)).toContain(hashSessionId(sid));
    expect(rows.map((r) => r.sid)).not.toContain(sid);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.sid))).toBe(true);
    const secrets = await env.ctx.db.selectFrom('app_secrets').select(['name', 'value']).execute();
    expect(secrets.filter((s) => s.value === env.ctx.sessionSecret || s.name === 'session')).toEqual([]);
  });

  it('a cookie forged from what the database holds does not open /staff, even signed with the real secret', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const { agent, cookie } = await signIn(env.app, staff);
    await agent.get('/staff').expect(200);
    const stored = await env.ctx.db.selectFrom('sessions').select('sid').execute();
    for (const { sid } of stored) {
      const res = await request(env.app).get('/staff').set('Cookie', cookieFor(sid, env.ctx.sessionSecret));
      expect([302, 303, 401]).toContain(res.status);
    }
    // control: the real cookie still opens it, so the refusals above are not an accident
    await request(env.app).get('/staff').set('Cookie', cookie).expect(200);
    // and signing out removes the stored hash
    const home = await agent.get('/').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
    await request(env.app)
      .get('/staff')
      .set('Cookie', cookie)
      .expect((r) => expect(r.status).not.toBe(200));
  });

  it('bearer tokens are stored only as hashes too', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const rows = await env.ctx.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('user_id', '=', bidder.id)
      .execute();
    expect(rows).toEqual([{ token_hash: crypto.createHash('sha256').update(bidder.token).digest('hex') }]);
    const forged = await request(env.app).get('/api/v1/me').set('Authorization', `Bearer ${rows[0].token_hash}`);
    expect(forged.status).toBe(401);
  });
});
