import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { seedDemo } from '../../seeds/seed';
import { insertAward, insertBid } from './board-fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('POST /api/v1/hall/entries', () => {
  it('records a day’s count for the staff member’s own township, audited', async () => {
    const tw = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    const res = await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ date: '2026-03-02', kind: 'service', count: 17 })
      .expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      townshipId: tw.id,
      date: '2026-03-02',
      kind: 'service',
      count: 17,
    });
    const row = await env.ctx.db
      .selectFrom('hall_entries')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      township_id: tw.id,
      entry_date: '2026-03-02',
      kind: 'service',
      count: 17,
      created_by: staff.id,
    });
    const audit = await env.ctx.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'hall.entry.recorded')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe(staff.username);
    expect(audit.data).toMatchObject({ entryId: res.body.id, count: 17 });
  });

  it('refuses other roles, bad input and future days, storing nothing', async () => {
    const tw = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    const bidder = await makeUser(env.ctx, 'bidder');
    const body = { date: '2026-03-02', kind: 'dispute', count: 1 };
    await as(env.app).post('/api/v1/hall/entries').send(body).expect(401);
    expect((await as(env.app, bidder.token).post('/api/v1/hall/entries').send(body).expect(403)).body.error.code).toBe(
      'FORBIDDEN',
    );
    const kind = await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ ...body, kind: 'party' })
      .expect(422);
    expect(kind.body.error.details.fields.kind).toBeDefined();
    expect(
      (
        await as(env.app, staff.token)
          .post('/api/v1/hall/entries')
          .send({ ...body, count: '3' })
          .expect(400)
      ).body.error.code,
    ).toBe('BAD_REQUEST');
    await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ ...body, count: -1 })
      .expect(422);
    await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ ...body, count: 1.5 })
      .expect(422);
    const day = await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ ...body, date: '2026-02-30' })
      .expect(422);
    expect(day.body.error.details.fields.date).toBeDefined();
    await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ ...body, date: '2999-01-01' })
      .expect(422);
    await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ ...body, date: undefined })
      .expect(422);
    const n = await env.ctx.db
      .selectFrom('hall_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('township_id', '=', tw.id)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});

describe('GET /api/v1/hall/stats', () => {
  it('sums recorded figures in scope and range, counts the board’s notices as information, and adds trading', async () => {
    const tw = await makeTownship(env.ctx, {}, '霍区');
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    const post = (date: string, kind: string, count: number) =>
      as(env.app, staff.token).post('/api/v1/hall/entries').send({ date, kind, count }).expect(201);
    await post('2026-01-10', 'service', 10);
    await post('2026-02-10', 'service', 5);
    await post('2026-02-11', 'dispute', 2);
    await post('2026-02-12', 'consultation', 7);
    await post('2026-02-13', 'info', 4);
    const published = await makeListing(env.ctx, { townshipId: tw.id }); // one announcement
    await makeListing(env.ctx, { townshipId: tw.id, state: 'draft' }); // not published: no notice
    const bidder = await makeUser(env.ctx, 'bidder');
    const done = await makeListing(env.ctx, { townshipId: tw.id, state: 'awarded', basePrice: '50000.00' });
    await insertAward(
      env.ctx,
      done,
      await insertBid(env.ctx, done, bidder.id, '42000.00', true),
      bidder.id,
      '42000.00',
    );
    expect(published.publishedAt).not.toBeNull();

    const res = await request(env.app).get(`/api/v1/hall/stats?townshipId=${tw.id}`).expect(200);
    expect(res.body).toEqual({
      servicesHandled: 15,
      disputesMediated: 2,
      consultations: 7,
      infoPublished: 4 + 2 + 1, // staff-recorded + two published listings' announcements + one result notice
      trading: { dealCount: 1, totalAmount: '42000.00', savingsTotal: '8000.00' },
    });
    const feb = await request(env.app)
      .get(`/api/v1/hall/stats?townshipId=${tw.id}&from=2026-02-01&to=2026-02-28`)
      .expect(200);
    expect(feb.body).toMatchObject({ servicesHandled: 5, disputesMediated: 2, infoPublished: 4 });
    const district = await request(env.app)
      .get(`/api/v1/hall/stats?district=${encodeURIComponent('霍区')}`)
      .expect(200);
    expect(district.body.servicesHandled).toBe(15);
    const bad = await request(env.app).get('/api/v1/hall/stats?from=yesterday').expect(422);
    expect(bad.body.error.code).toBe('VALIDATION');
  });

  it('gives 吉州区 the article’s hall figures after the demo seed, and seeding twice changes nothing', async () => {
    await seedDemo(env.ctx);
    const res = await request(env.app)
      .get(`/api/v1/hall/stats?district=${encodeURIComponent('吉州区')}`)
      .expect(200);
    expect(res.body.servicesHandled).toBe(52198);
    expect(res.body.disputesMediated).toBe(1753);
    expect(res.body.consultations).toBe(15312);
    expect(res.body.infoPublished).toBeGreaterThanOrEqual(2230);
    const townships = await env.ctx.db
      .selectFrom('townships')
      .select(['id', 'code'])
      .where('code', 'in', ['XQ', 'CT', 'QL'])
      .execute();
    for (const tw of townships) {
      const one = await request(env.app).get(`/api/v1/hall/stats?townshipId=${tw.id}`).expect(200);
      expect(one.body.servicesHandled).toBeGreaterThan(5000); // spread over all three townships
    }
    const months = await env.ctx.db
      .selectFrom('hall_entries')
      .select((eb) => eb.fn.count<string>('entry_date').distinct().as('n'))
      .where('created_by', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(months.n)).toBeGreaterThan(150);
    await seedDemo(env.ctx);
    const again = await request(env.app)
      .get(`/api/v1/hall/stats?district=${encodeURIComponent('吉州区')}`)
      .expect(200);
    expect(again.body).toEqual(res.body);
  });
});

describe('staff hall page', () => {
  it('is for staff only', async () => {
    await request(env.app).get('/staff/hall').expect(401);
  });
});
