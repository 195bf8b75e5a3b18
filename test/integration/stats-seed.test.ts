import request from 'supertest';
import { as, createTestEnv, makeUser, TestEnv } from '../helpers/context';
import { seedDemo } from '../../seeds/seed';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const count = async (table: 'listings' | 'awards' | 'bids' | 'contracts') =>
  Number(
    (
      await env.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the demo seed’s deal history', () => {
  it('gives 吉州区 65 deals, 6,310,000.00 yuan traded and 1,020,000.00 yuan 增收节资, and seeding again changes nothing', async () => {
    await seedDemo(env.ctx);
    const res = await request(env.app).get('/api/v1/stats').query({ district: '吉州区' }).expect(200);
    expect(res.body).toMatchObject({ dealCount: 65, totalAmount: '6310000.00', savingsTotal: '1020000.00' });
    expect(res.body.procurement.count + res.body.lease.count).toBe(65);
    expect(res.body.failedCount).toBeGreaterThanOrEqual(2); // other seed steps may add more
    expect(res.body.openCount).toBeGreaterThanOrEqual(3);
    expect(res.body.byTownship.map((t: { name: string }) => t.name).sort()).toEqual(
      ['兴桥镇', '曲濑镇', '长塘镇'].sort(),
    );
    expect(res.body.byMonth[0].month.startsWith('2011-')).toBe(true);
    const awardedUnderPublicity = await env.ctx.db
      .selectFrom('awards')
      .select('id')
      .where('publicity_ends_at', '>', new Date())
      .execute();
    expect(awardedUnderPublicity).toHaveLength(3);

    const before = await Promise.all((['listings', 'awards', 'bids', 'contracts'] as const).map(count));
    await seedDemo(env.ctx);
    expect(await Promise.all((['listings', 'awards', 'bids', 'contracts'] as const).map(count))).toEqual(before);
    const again = await request(env.app).get('/api/v1/stats').query({ district: '吉州区' }).expect(200);
    expect(again.body).toEqual(res.body);
  });

  it('gives every seeded deal its trail: an awarded, concluded deal shows each step on its timeline', async () => {
    await seedDemo(env.ctx);
    const auditor = await makeUser(env.ctx, 'auditor');
    const deal = await env.ctx.db
      .selectFrom('listings')
      .select(['id', 'code'])
      .where('state', '=', 'concluded')
      .orderBy('published_at')
      .executeTakeFirstOrThrow();
    const timeline = await as(env.app, auditor.token).get(`/api/v1/audit/log?listingId=${deal.id}`).expect(200);
    expect(timeline.body.map((e: { action: string }) => e.action)).toEqual([
      'listing.created',
      'listing.published',
      'listing.opened',
      'listing.awarded',
      'listing.concluded',
    ]);
    expect(timeline.body[0].data).toMatchObject({ code: deal.code, imported: true, occurredAt: expect.any(String) });
    const withoutTrail = await env.ctx.db
      .selectFrom('listings as l')
      .select('l.code')
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('audit as a').select('a.seq').whereRef('a.listing_id', '=', 'l.id'))),
      )
      .execute();
    expect(withoutTrail).toEqual([]);
    expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body.valid).toBe(true);
  });
});
