import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv, unique } from '../helpers/context';
import { makeListing, makeOpenedListingWithBids } from '../helpers/fixtures';
import { rebuildDealDays } from '../../server/stats/deal-days.service';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** Awards an opened listing through the API, then dates the award (and its listing state) as asked, as an import would. */
async function deal(
  townshipId: string,
  kind: 'procurement' | 'lease',
  basePrice: string,
  amount: string,
  awardedAt: string,
  state: 'awarded' | 'concluded' = 'concluded',
) {
  const staff = await makeUser(env.ctx, 'staff', { townshipId });
  const bidder = await makeUser(env.ctx, 'bidder');
  const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
    townshipId,
    kind,
    basePrice,
    bids: [{ bidderId: bidder.id, amount }],
  });
  await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/award`).send({ bidId: bids[0].id }).expect(201);
  await env.ctx.db
    .updateTable('awards')
    .set({ awarded_at: new Date(awardedAt) })
    .where('listing_id', '=', listing.id)
    .execute();
  await env.ctx.db.updateTable('listings').set({ state }).where('id', '=', listing.id).execute();
  await rebuildDealDays(env.ctx); // the award's day was changed past the use cases, as an import would
  return listing;
}

describe('GET /api/v1/stats', () => {
  it('sums deals exactly to the fen, per kind, per township and per Shanghai month', async () => {
    const district = unique('区');
    const a = await makeTownship(env.ctx, {}, district);
    const b = await makeTownship(env.ctx, {}, district);
    const idle = await makeTownship(env.ctx, {}, district);
    await deal(a.id, 'procurement', '50000.10', '42000.00', '2026-01-31T16:30:00Z'); // 2026-02-01 00:30 in Shanghai
    await deal(a.id, 'procurement', '0.30', '0.10', '2026-02-10T02:00:00Z', 'awarded');
    await deal(b.id, 'lease', '36000.00', '48000.20', '2026-01-15T02:00:00Z');
    await makeListing(env.ctx, { townshipId: a.id, state: 'failed' });
    await makeListing(env.ctx, { townshipId: b.id, state: 'published' });
    await makeListing(env.ctx, { townshipId: b.id, state: 'opened' }); // opened, not yet a deal: counts nowhere
    const res = await request(env.app).get('/api/v1/stats').query({ district }).expect(200);
    expect(res.body).toEqual({
      dealCount: 3,
      totalAmount: '90000.30',
      savingsTotal: '20000.50',
      procurement: { count: 2, baseTotal: '50000.40', awardTotal: '42000.10', savings: '8000.30' },
      lease: { count: 1, baseTotal: '36000.00', awardTotal: '48000.20', savings: '12000.20' },
      failedCount: 1,
      openCount: 1,
      byTownship: [a, b, idle]
        .sort((x, y) => x.code.localeCompare(y.code))
        .map((t) => ({
          townshipId: t.id,
          name: t.name,
          ...(t.id === a.id
            ? { dealCount: 2, totalAmount: '42000.10', savingsTotal: '8000.30' }
            : t.id === b.id
              ? { dealCount: 1, totalAmount: '48000.20', savingsTotal: '12000.20' }
              : { dealCount: 0, totalAmount: '0.00', savingsTotal: '0.00' }),
        })),
      byMonth: [
        { month: '2026-01', dealCount: 1, totalAmount: '48000.20', savingsTotal: '12000.20' },
        { month: '2026-02', dealCount: 2, totalAmount: '42000.10', savingsTotal: '8000.30' },
      ],
    });
  });

  it('filters by township and by inclusive days in Asia/Shanghai, or by ISO instants', async () => {
    const district = unique('区');
    const t = await makeTownship(env.ctx, {}, district);
    const other = await makeTownship(env.ctx, {}, district);
    await deal(t.id, 'procurement', '20000.00', '18000.00', '2025-12-31T15:59:59Z'); // 2025-12-31 23:59:59 Shanghai
    await deal(t.id, 'procurement', '20000.00', '17000.00', '2025-12-31T16:00:00Z'); // 2026-01-01 00:00 Shanghai
    await deal(other.id, 'lease', '1000.00', '1500.00', '2026-01-05T02:00:00Z');
    const one = await request(env.app).get('/api/v1/stats').query({ townshipId: t.id }).expect(200);
    expect(one.body).toMatchObject({ dealCount: 2, totalAmount: '35000.00', savingsTotal: '5000.00' });
    expect(one.body.byTownship).toEqual([
      { townshipId: t.id, name: t.name, dealCount: 2, totalAmount: '35000.00', savingsTotal: '5000.00' },
    ]);
    const january = await request(env.app)
      .get('/api/v1/stats')
      .query({ district, from: '2026-01-01', to: '2026-01-31' })
      .expect(200);
    expect(january.body).toMatchObject({ dealCount: 2, totalAmount: '18500.00' });
    const lastDay = await request(env.app).get('/api/v1/stats').query({ district, to: '2025-12-31' }).expect(200);
    expect(lastDay.body).toMatchObject({ dealCount: 1, totalAmount: '18000.00' });
    const instant = await request(env.app)
      .get('/api/v1/stats')
      .query({ district, from: '2025-12-31T16:00:00Z', to: '2025-12-31T16:00:00Z' })
      .expect(200);
    expect(instant.body).toMatchObject({ dealCount: 1, totalAmount: '17000.00' });
    const none = await request(env.app)
      .get('/api/v1/stats')
      .query({ district: unique('无此区') })
      .expect(200);
    expect(none.body).toMatchObject({
      dealCount: 0,
      totalAmount: '0.00',
      savingsTotal: '0.00',
      byTownship: [],
      byMonth: [],
    });
  });

  it('refuses unreadable filters with 422 VALIDATION naming the field', async () => {
    for (const [query, field] of [
      [{ from: '2026-02-30' }, 'from'],
      [{ to: 'tomorrow' }, 'to'],
      [{ townshipId: 'XQ' }, 'townshipId'],
      [{ from: '2026-03-01', to: '2026-02-01' }, 'to'],
    ] as const) {
      const res = await request(env.app).get('/api/v1/stats').query(query).expect(422);
      expect(res.body.error.code).toBe('VALIDATION');
      expect(Object.keys(res.body.error.details.fields)).toEqual([field]);
    }
  });
});
