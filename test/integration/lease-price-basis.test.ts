import request from 'supertest';
import { statsToJson } from '../../server/stats/stats.json';
import { computeStats } from '../../server/stats/stats.service';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeOpenedListingWithBids } from '../helpers/fixtures';

// API.md "Lease price basis": priceBasis (term | year), area and areaUnit on leases; a yearly price's
// award carries termAmount and whole-term savings, and every total counts whole-term amounts.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  // publishing splits the sealing key among holders: at the default quorum of 2 one must be an auditor
  await makeUser(env.ctx, 'auditor');
});
afterAll(async () => {
  await env.close();
});

const DAY = 24 * 3600_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const lease = (over: Record<string, unknown> = {}) => ({
  kind: 'lease',
  category: 'land',
  title: '兴桥村东片耕地承包',
  basePrice: '24000.00',
  leaseTermMonths: 36,
  bidOpensAt: inDays(7),
  bidDeadline: inDays(14),
  ...over,
});
async function staffOfNewTownship() {
  const township = await makeTownship(env.ctx);
  return { township, staff: await makeUser(env.ctx, 'staff', { townshipId: township.id }) };
}

describe('priceBasis, area and areaUnit on listings', () => {
  it('stores and shows a yearly price with its area; a lease defaults to a whole-term price', async () => {
    const { staff } = await staffOfNewTownship();
    const api = as(env.app, staff.token);
    const res = await api
      .post('/api/v1/listings')
      .send(lease({ priceBasis: 'year', area: '12.5', areaUnit: 'mu' }))
      .expect(201);
    expect(res.body).toMatchObject({ priceBasis: 'year', area: '12.50', areaUnit: 'mu', leaseTermMonths: 36 });
    expect((await api.get(`/api/v1/listings/${res.body.id}`).expect(200)).body).toMatchObject({
      priceBasis: 'year',
      area: '12.50',
      areaUnit: 'mu',
    });
    const plain = await api.post('/api/v1/listings').send(lease()).expect(201);
    expect(plain.body).toMatchObject({ priceBasis: 'term', area: null, areaUnit: null });
    const row = await env.ctx.db
      .selectFrom('listings')
      .select(['price_basis', 'area', 'area_unit'])
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ price_basis: 'year', area: '12.50', area_unit: 'mu' });
  });

  it.each([
    ['an unknown basis', { priceBasis: 'month' }, 'priceBasis'],
    ['a negative area', { area: '-3', areaUnit: 'mu' }, 'area'],
    ['an area with three decimals', { area: '1.234', areaUnit: 'sqm' }, 'area'],
    ['an area that is not a number', { area: '十亩', areaUnit: 'mu' }, 'area'],
    ['an area without its unit', { area: '10' }, 'areaUnit'],
    ['a unit without an area', { areaUnit: 'sqm' }, 'area'],
    ['an unknown unit', { area: '10', areaUnit: 'acre' }, 'areaUnit'],
  ])('refuses %s with 422 VALIDATION and creates nothing', async (_name, over, field) => {
    const { township, staff } = await staffOfNewTownship();
    const res = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .set('Accept-Language', 'en')
      .send(lease(over))
      .expect(422);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(Object.keys(res.body.error.details.fields)).toContain(field);
    const rows = await env.ctx.db.selectFrom('listings').select('id').where('township_id', '=', township.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses a yearly basis or an area on a procurement listing', async () => {
    const { staff } = await staffOfNewTownship();
    const procurement = lease({ kind: 'procurement', category: 'works', basePrice: '50000.00', leaseTermMonths: null });
    const api = as(env.app, staff.token).post('/api/v1/listings');
    const res = await api.send({ ...procurement, priceBasis: 'year', area: '3', areaUnit: 'mu' }).expect(422);
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['area', 'areaUnit', 'priceBasis']);
    const ok = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send({ ...procurement, priceBasis: 'term' })
      .expect(201);
    expect(ok.body).toMatchObject({ priceBasis: 'term', area: null, areaUnit: null });
  });

  it('applies the township band to the whole-term value of a yearly price', async () => {
    const { staff } = await staffOfNewTownship(); // lease band 1,000–2,000,000
    const api = as(env.app, staff.token);
    // ¥700,000 a year for 36 months is a ¥2,100,000 deal: the county centre's
    const res = await api
      .post('/api/v1/listings')
      .send(lease({ basePrice: '700000.00', priceBasis: 'year' }))
      .expect(422);
    expect(res.body.error.code).toBe('ABOVE_TOWNSHIP_LIMIT');
    await api
      .post('/api/v1/listings')
      .send(lease({ basePrice: '700000.00' }))
      .expect(201);
  });

  it('PATCH changes the basis and area, keeps them otherwise, and drops them when a draft becomes procurement', async () => {
    const { staff } = await staffOfNewTownship();
    const api = as(env.app, staff.token);
    const { body } = await api.post('/api/v1/listings').send(lease()).expect(201);
    const year = await api
      .patch(`/api/v1/listings/${body.id}`)
      .send({ priceBasis: 'year', area: 350, areaUnit: 'sqm' })
      .expect(200);
    expect(year.body).toMatchObject({ priceBasis: 'year', area: '350.00', areaUnit: 'sqm' });
    const kept = await api.patch(`/api/v1/listings/${body.id}`).send({ title: '改名' }).expect(200);
    expect(kept.body).toMatchObject({ priceBasis: 'year', area: '350.00', areaUnit: 'sqm' });
    const cleared = await api.patch(`/api/v1/listings/${body.id}`).send({ area: null, areaUnit: null }).expect(200);
    expect(cleared.body).toMatchObject({ priceBasis: 'year', area: null, areaUnit: null });
    const procurement = await api
      .patch(`/api/v1/listings/${body.id}`)
      .send({ kind: 'procurement', category: 'works', basePrice: '50000.00' })
      .expect(200);
    expect(procurement.body).toMatchObject({ priceBasis: 'term', area: null, leaseTermMonths: null });
  });

  it('shows 元/年, the whole-term total and the area in 亩 on the listing page', async () => {
    const { staff } = await staffOfNewTownship();
    const { body } = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(lease({ priceBasis: 'year', area: '12.5', areaUnit: 'mu' }))
      .expect(201);
    await as(env.app, staff.token).post(`/api/v1/listings/${body.id}/publish`).expect(200);
    const page = await request(env.app).get(`/listings/${body.id}`).expect(200);
    expect(page.text).toContain('¥24,000.00/年');
    expect(page.text).toContain('全期合计 ¥72,000.00');
    expect(page.text).toContain('12.5 亩');
    const en = await request(env.app).get(`/listings/${body.id}?lang=en`).expect(200);
    expect(en.text).toContain('¥24,000.00 a year');
  });
});

describe('the award of a yearly-priced lease', () => {
  async function awardedYearLease(townshipId: string, months: number, base: string, amount: string) {
    const staff = await makeUser(env.ctx, 'staff', { townshipId });
    const bidder = await makeUser(env.ctx, 'bidder');
    const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
      townshipId,
      kind: 'lease',
      category: 'land',
      basePrice: base,
      leaseTermMonths: months,
      priceBasis: 'year',
      bids: [{ bidderId: bidder.id, amount }],
    });
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(201);
    return { listing, award: res.body as Record<string, string> };
  }

  it('adds termAmount and takes savings and the rate over the whole term, half-up to the fen', async () => {
    const township = await makeTownship(env.ctx);
    const { listing, award } = await awardedYearLease(township.id, 30, '12345.67', '13000.00');
    expect(award).toMatchObject({
      kind: 'lease',
      basePrice: '12345.67',
      amount: '13000.00',
      termAmount: '32500.00',
      savings: '1635.83', // 654.33 × 30 ÷ 12 = 1635.825
      savingsRate: '0.0530', // 1635.83 ÷ 30864.18
    });
    const stored = await env.ctx.db
      .selectFrom('awards')
      .select(['amount', 'term_amount', 'term_base_price', 'savings'])
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      amount: '13000.00',
      term_amount: '32500.00',
      term_base_price: '30864.18',
      savings: '1635.83',
    });
    expect((await request(env.app).get(`/api/v1/listings/${listing.id}/award`).expect(200)).body.termAmount).toBe(
      '32500.00',
    );
  });

  it('counts whole-term amounts in the statistics (daily totals and awards alike), exports and open data', async () => {
    const township = await makeTownship(env.ctx);
    const { listing } = await awardedYearLease(township.id, 36, '24000.00', '26000.00');
    const stats = (await request(env.app).get(`/api/v1/stats?townshipId=${township.id}`).expect(200)).body;
    expect(stats).toMatchObject({
      dealCount: 1,
      totalAmount: '78000.00',
      savingsTotal: '6000.00',
      lease: { count: 1, baseTotal: '72000.00', awardTotal: '78000.00', savings: '6000.00' },
    });
    const [daily, awards] = await Promise.all([
      computeStats(env.ctx, { townshipId: township.id }, 'daily'),
      computeStats(env.ctx, { townshipId: township.id }, 'awards'),
    ]);
    expect(statsToJson(daily)).toEqual(statsToJson(awards));

    const csv = (await request(env.app).get(`/api/v1/stats/deals.csv?townshipId=${township.id}`).expect(200)).text;
    const [header, row] = csv.slice(1).trim().split('\r\n');
    expect(header.split(',').slice(-3)).toEqual(['计价方式', '租期（月）', '全期成交金额（元）']);
    expect(row.split(',').slice(-3)).toEqual(['元/年', '36', '78000.00']);

    const ocds = (await request(env.app).get(`/api/v1/ocds/releases?townshipId=${township.id}`).expect(200)).body;
    const awardRelease = (ocds.releases as { tag: string[]; awards?: { value: { amount: number } }[] }[]).find((r) =>
      r.tag.includes('award'),
    );
    expect(awardRelease?.awards?.[0].value.amount).toBe(78000);
    expect(listing.id).toBeTruthy();
  });
});
