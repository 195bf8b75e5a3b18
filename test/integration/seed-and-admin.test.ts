import request from 'supertest';
import { ensureAdmin } from '../../server/accounts/accounts.service';
import { seedDemo } from '../../seeds/seed';
import { DEMO_ACCOUNTS } from '../../seeds/demo-accounts';
import { createTestEnv, TestEnv } from '../helpers/context';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const TABLES = [
  'townships',
  'township_rules',
  'users',
  'listings',
  'bids',
  'awards',
  'contracts',
  'hall_entries',
  'audit',
] as const;
async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await env.ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

describe('demo seeds', () => {
  it('create the three 吉州区 townships and every demo account, and seeding twice changes nothing', async () => {
    await seedDemo(env.ctx);
    const first = await counts();
    const townships = await request(env.app).get('/api/v1/townships?district=吉州区').expect(200);
    expect(townships.body.map((t: { name: string }) => t.name).sort()).toEqual(['兴桥镇', '曲濑镇', '长塘镇'].sort());
    for (const a of DEMO_ACCOUNTS) {
      const res = await request(env.app)
        .post('/api/v1/auth/token')
        .send({ username: a.username, password: a.password })
        .expect(200);
      expect(res.body.user.role).toBe(a.role);
    }
    await seedDemo(env.ctx);
    expect(await counts()).toEqual(first);
  });
});

describe('ADMIN_USERNAME and ADMIN_PASSWORD', () => {
  it('ensure that admin exists, and reset its password when it changed', async () => {
    await ensureAdmin(env.ctx, 'district-root', 'first admin password');
    await request(env.app)
      .post('/api/v1/auth/token')
      .send({ username: 'district-root', password: 'first admin password' })
      .expect(200);
    await ensureAdmin(env.ctx, 'district-root', 'second admin password');
    await request(env.app)
      .post('/api/v1/auth/token')
      .send({ username: 'district-root', password: 'first admin password' })
      .expect(401);
    const res = await request(env.app)
      .post('/api/v1/auth/token')
      .send({ username: 'district-root', password: 'second admin password' })
      .expect(200);
    expect(res.body.user.role).toBe('admin');
    const n = await env.ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('username', '=', 'district-root')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });
});
