import { sql } from 'kysely';
import request from 'supertest';
import { parseStatsFilter } from '../../server/stats/stats';
import { computeStats, statsToJson } from '../../server/stats/stats.service';
import type { StatsFilter } from '../../server/stats/stats';
import type { Listing } from '../../server/listings/listings';
import { createTestEnv, makeTownship, makeUser, TestEnv, unique } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { insertAward, insertBid } from './board-fixtures';

// The daily deal totals (deal_days, kept by triggers) must give the very statistics the awards
// themselves give, to the fen, whatever happens to awards and listings afterwards.

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
    computeStats(env.ctx.db, filter, 'daily'),
    computeStats(env.ctx.db, filter, 'awards'),
  ]);
  return { daily: statsToJson(daily), awards: statsToJson(awards) };
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

  it('follows a deal that is cancelled, changed, moved or removed after its award', async () => {
    const [cancelled, changed, moved, removed] = deals;
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
    const after = await expectSame({ district });
    expect(after.dealCount).toBe(10);
    expect(after.byMonth[0]).toMatchObject({ month: '2026-02', dealCount: 1, totalAmount: '12345.67' });
    await expectSame({ townshipId: townshipIds[0] });
    await expectSame({ townshipId: townshipIds[1] });

    // back into the deal states: counted again
    await env.ctx.db.updateTable('listings').set({ state: 'awarded' }).where('id', '=', cancelled.listing.id).execute();
    expect((await expectSame({ district })).dealCount).toBe(11);
    // a change to many rows in one statement
    await sql`UPDATE listings SET state = 'concluded' WHERE township_id = ANY(${townshipIds}::uuid[]) AND state = 'awarded'`.execute(
      env.ctx.db,
    );
    expect((await expectSame({ district })).dealCount).toBe(11);
  });

  it('reads the awards themselves for bounds inside a day, and the API agrees', async () => {
    const inside = parseStatsFilter({ district, from: '2026-03-31T23:59:59+08:00' });
    const { daily, awards } = await bothWays(inside);
    expect(daily).toEqual(awards);
    const api = await request(env.app).get('/api/v1/stats').query({ district }).expect(200);
    expect(api.body).toEqual((await bothWays(parseStatsFilter({ district }))).awards);
  });
});
