import { sql } from 'kysely';
import { Decimal } from '../../server/http/money';
import request from 'supertest';
import { parseStatsFilter } from '../../server/stats/stats';
import { statsToJson } from '../../server/stats/stats.json';
import { computeStats } from '../../server/stats/stats.service';
import { rebuildDealDays } from '../../server/stats/deal-days.service';
import type { StatsFilter } from '../../server/stats/stats';
import type { Listing } from '../../server/listings/listings';
import { as, createTestEnv, makeTownship, makeUser, TestEnv, unique } from '../helpers/context';
import { closedAuction } from '../helpers/auctions';
import { makeListing, makeOpenedListingWithBids } from '../helpers/fixtures';
import { insertAward, insertBid } from './board-fixtures';

// The daily deal totals (deal_days) are kept by the use case that makes a deal, in its transaction:
// after every step they must equal the totals computed from scratch over the awards, row by row, and
// give the very statistics the awards themselves give, to the fen.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** Both ways, as the API would print them. */
async function bothWays(filter: StatsFilter) {
  const [daily, awards] = await Promise.all([
    computeStats(env.ctx, filter, 'daily'),
    computeStats(env.ctx, filter, 'awards'),
  ]);
  return { daily: statsToJson(daily), awards: statsToJson(awards) };
}

/** The stored totals of these townships, as rows (a row at zero deals, as the old triggers left after a reversal, is none). */
async function dealDayRows(townshipIds: string[]) {
  const { rows } = await sql<DayRow>`
    SELECT township_id, day, kind, deals, base_total, award_total, savings FROM deal_days
     WHERE township_id = ANY(${townshipIds}::uuid[]) AND deals <> 0 ORDER BY township_id, day, kind`.execute(
    env.ctx.db,
  );
  return rows;
}
interface DayRow {
  township_id: string;
  day: string;
  kind: string;
  deals: number;
  base_total: string;
  award_total: string;
  savings: string;
}

/**
 * The same rows from scratch, written here on purpose and not taken from the app: every award of an
 * awarded or concluded listing, on its day in Asia/Shanghai, whole-term amounts (API.md "Lease price basis").
 */
async function fromScratch(townshipIds: string[]) {
  const { rows } = await sql<DayRow>`
    SELECT l.township_id, (a.awarded_at AT TIME ZONE 'Asia/Shanghai')::date AS day, a.kind, count(*)::int AS deals,
           sum(coalesce(a.term_base_price, a.base_price)) AS base_total,
           sum(coalesce(a.term_amount, a.amount)) AS award_total, sum(a.savings) AS savings
      FROM awards a JOIN listings l ON l.id = a.listing_id
     WHERE l.state IN ('awarded', 'concluded') AND l.township_id = ANY(${townshipIds}::uuid[])
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(env.ctx.db);
  return rows;
}

async function expectSame(query: Record<string, string>) {
  const { daily, awards } = await bothWays(parseStatsFilter(query));
  expect(daily).toEqual(awards);
  return daily;
}

describe('daily deal totals', () => {
  const district = unique('区');
  let deals: { listing: Listing; awardId: string }[] = [];
  let townshipIds: string[] = [];

  beforeAll(async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const towns = [await makeTownship(env.ctx, {}, district), await makeTownship(env.ctx, {}, district)];
    townshipIds = towns.map((t) => t.id);
    // around Shanghai midnights and a month's end: 2026-03-31 23:59:59 and 2026-04-01 00:00 in Beijing time
    const times = [
      '2026-03-31T15:59:59.999Z',
      '2026-03-31T16:00:00.000Z',
      '2026-04-15T03:00:00Z',
      '2026-05-01T00:00:00Z',
      '2026-05-20T12:34:56Z',
      '2026-06-30T16:30:00Z',
    ];
    deals = [];
    for (let i = 0; i < 12; i += 1) {
      const kind = i % 3 === 0 ? 'lease' : 'procurement';
      const listing = await makeListing(env.ctx, {
        townshipId: townshipIds[i % 2],
        kind,
        state: i % 4 === 0 ? 'concluded' : 'awarded',
        basePrice: `${30000 + i * 1111}.${String(i).padStart(2, '0')}`,
      });
      const amount = kind === 'lease' ? `${32000 + i * 977}.35` : `${27000 + i * 1013}.65`;
      const bid = await insertBid(env.ctx, listing, bidder.id, amount, true);
      const award = await insertAward(env.ctx, listing, bid, bidder.id, amount, new Date(times[i % times.length]));
      deals.push({ listing, awardId: award.id });
    }
  });

  it('agrees with the awards for a district, a township, whole days and a month boundary', async () => {
    expect(await dealDayRows(townshipIds)).toEqual(await fromScratch(townshipIds));
    const all = await expectSame({ district });
    expect(all.dealCount).toBe(12);
    expect(all.byMonth.map((m: { month: string }) => m.month)).toEqual(['2026-03', '2026-04', '2026-05', '2026-07']);
    await expectSame({ townshipId: townshipIds[1] });
    // the day 2026-04-01 in Beijing starts at 2026-03-31T16:00Z: the deal one millisecond before is March's
    const april = await expectSame({ district, from: '2026-04-01', to: '2026-04-30' });
    expect(april.dealCount).toBe(4);
    await expectSame({ district, to: '2026-03-31' });
    await expectSame({ district, from: '2026-05-01', to: '2026-05-01' });
  });

  it('no longer follows edits made past the use cases; a rebuild brings the totals back to the awards', async () => {
    const [cancelled, changed, moved, removed] = deals;
    const before = await dealDayRows(townshipIds);
    // what no use case does (an award changed or removed, a deal's listing cancelled or moved), as an import might
    await env.ctx.db
      .updateTable('listings')
      .set({ state: 'cancelled' })
      .where('id', '=', cancelled.listing.id)
      .execute();
    await env.ctx.db
      .updateTable('awards')
      .set({ amount: '12345.67', savings: '1.01', awarded_at: new Date('2026-02-02T02:00:00Z') })
      .where('id', '=', changed.awardId)
      .execute();
    await env.ctx.db
      .updateTable('listings')
      .set({ township_id: townshipIds[0] === moved.listing.townshipId ? townshipIds[1] : townshipIds[0] })
      .where('id', '=', moved.listing.id)
      .execute();
    await env.ctx.db.deleteFrom('awards').where('id', '=', removed.awardId).execute();
    // no trigger moved anything: the totals are what the use cases left
    expect(await dealDayRows(townshipIds)).toEqual(before);
    expect(await dealDayRows(townshipIds)).not.toEqual(await fromScratch(townshipIds));

    expect(await rebuildDealDays(env.ctx)).toBeGreaterThanOrEqual(10);
    expect(await dealDayRows(townshipIds)).toEqual(await fromScratch(townshipIds));
    const after = await expectSame({ district });
    expect(after.dealCount).toBe(10);
    expect(after.byMonth[0]).toMatchObject({ month: '2026-02', dealCount: 1, totalAmount: '12345.67' });
    await expectSame({ townshipId: townshipIds[0] });
    await expectSame({ townshipId: townshipIds[1] });
  });

  it('reads the awards themselves for bounds inside a day, and the API agrees', async () => {
    const inside = parseStatsFilter({ district, from: '2026-03-31T23:59:59+08:00' });
    const { daily, awards } = await bothWays(inside);
    expect(daily).toEqual(awards);
    const api = await request(env.app).get('/api/v1/stats').query({ district }).expect(200);
    expect(api.body).toEqual((await bothWays(parseStatsFilter({ district }))).awards);
  });
});

describe('the use cases that change deals keep the totals', () => {
  const HOUR = 3600_000;

  /** A township with staff, and opened listings there with two ranked bids each, for awards through the API. */
  async function township() {
    const t = await makeTownship(env.ctx, { publicityDays: 3 }, unique('区'));
    const staff = await makeUser(env.ctx, 'staff', { townshipId: t.id });
    const [b1, b2] = [await makeUser(env.ctx, 'bidder'), await makeUser(env.ctx, 'bidder')];
    const opened = async (
      f: { kind?: 'procurement' | 'lease'; priceBasis?: 'term' | 'year'; amounts?: string[] } = {},
    ) =>
      makeOpenedListingWithBids(env.ctx, {
        townshipId: t.id,
        kind: f.kind ?? 'procurement',
        priceBasis: f.priceBasis,
        leaseTermMonths: f.kind === 'lease' ? 30 : null,
        basePrice: f.kind === 'lease' ? '12000.00' : '50000.00',
        bids: (f.amounts ?? ['42000.10', '45000.00']).map((amount, i) => ({ bidderId: [b1, b2][i].id, amount })),
      });
    const award = (listingId: string, bidId: string) =>
      as(env.app, staff.token).post(`/api/v1/listings/${listingId}/award`).send({ bidId });
    return { t, staff, b1, b2, opened, award };
  }

  it('an award (procurement, a lease for the term, a yearly lease), and nothing that is refused or changes no deal', async () => {
    const { t, staff, opened, award } = await township();
    const same = async () => expect(await dealDayRows([t.id])).toEqual(await fromScratch([t.id]));

    const first = await opened();
    await award(first.listing.id, first.bids[0].id).expect(201);
    await same();
    const [row] = await dealDayRows([t.id]);
    expect(row).toMatchObject({ kind: 'procurement', deals: 1, base_total: '50000.00', award_total: '42000.10' });
    expect(row.savings).toBe('7999.90');

    const term = await opened({ kind: 'lease', amounts: ['13000.00', '12500.00'] });
    await award(term.listing.id, term.bids[0].id).expect(201);
    // 12,000 a year for 30 months: base 30,000.00, award 13,000 × 2.5 = 32,500.00 over the whole term
    const yearly = await opened({ kind: 'lease', priceBasis: 'year', amounts: ['13000.00', '12500.00'] });
    await award(yearly.listing.id, yearly.bids[0].id).expect(201);
    await same();
    const lease = (await dealDayRows([t.id])).find((r) => r.kind === 'lease')!;
    expect(lease).toMatchObject({ deals: 2, base_total: '42000.00', award_total: '45500.00', savings: '3500.00' });

    // refused: a second award, an award of an invalid choice, a cancellation after the award
    const before = await dealDayRows([t.id]);
    await award(first.listing.id, first.bids[1].id).expect(409);
    const other = await opened();
    await award(other.listing.id, '00000000-0000-4000-8000-000000000000').expect(422);
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${first.listing.id}/cancel`)
      .send({ reason: '测试' })
      .expect(409);
    expect(await dealDayRows([t.id])).toEqual(before);

    // the contract concludes the deal: it stays one deal, on its award's day
    await env.ctx.db
      .updateTable('awards')
      .set({ publicity_ends_at: new Date(Date.now() - HOUR) })
      .where('listing_id', '=', first.listing.id)
      .execute();
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${first.listing.id}/contract`)
      .send({ signedAt: new Date().toISOString() })
      .expect(200);
    expect(await dealDayRows([t.id])).toEqual(before);
    await same();
    await expectSame({ townshipId: t.id });
  });

  it('an auction closed and then awarded counts once, as a sealed opening does', async () => {
    const { t, staff, b1, b2, award } = await township();
    const { listing, closed } = await closedAuction(env, t.id, staff.token, [
      { token: b1.token, amount: '10000' },
      { token: b2.token, amount: '10500' },
    ]);
    expect(await dealDayRows([t.id])).toEqual([]); // opened is no deal yet
    await award(listing.id, closed.body.bids[0].id).expect(201);
    const rows = await dealDayRows([t.id]);
    expect(rows).toEqual(await fromScratch([t.id]));
    expect(rows).toMatchObject([{ kind: 'lease', deals: 1, award_total: '10500.00' }]);
  });

  it('awards recorded at the same moment on one township, day and kind all count, and a rebuild meanwhile loses none', async () => {
    const { t, opened, award } = await township();
    const listings = await Promise.all(
      Array.from({ length: 8 }, (_, i) => opened({ amounts: [`${40000 + i}.01`, '45000.00'] })),
    );
    const awardAll = (ls: typeof listings) => Promise.all(ls.map((l) => award(l.listing.id, l.bids[0].id)));
    const [early, , late] = await Promise.all([
      awardAll(listings.slice(0, 4)),
      rebuildDealDays(env.ctx),
      awardAll(listings.slice(4)),
    ]);
    expect([...early, ...late].map((a) => a.status)).toEqual(Array(8).fill(201));
    const rows = await dealDayRows([t.id]);
    expect(rows).toEqual(await fromScratch([t.id]));
    expect(rows.reduce((n, r) => n + r.deals, 0)).toBe(8);
    // 8 × 40,000.01 + (0 + 1 + … + 7)
    expect(rows.reduce((sum, r) => sum.plus(r.award_total), new Decimal(0)).toFixed(2)).toBe('320028.08');
  });
});
