import crypto from 'node:crypto';
import type { Listing } from '../../server/listings/listings';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { ListingFixture, makeListing } from '../helpers/fixtures';
import { countDeal } from '../../server/stats/deal-days.repository';

let env: TestEnv;
let auditor: Awaited<ReturnType<typeof makeUser>>;
const DAY = 24 * 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms);
type Bidder = Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  env = await createTestEnv();
  auditor = await makeUser(env.ctx, 'auditor');
});
afterAll(async () => {
  await env.close();
});

/** A deal past opening with a 10-day bidding window (so no SHORT_BIDDING_WINDOW unless asked). */
const deal = (townshipId: string, f: Partial<ListingFixture> = {}) =>
  makeListing(env.ctx, {
    townshipId,
    state: 'awarded',
    bidOpensAt: ago(30 * DAY),
    bidDeadline: ago(20 * DAY),
    openedAt: ago(20 * DAY),
    ...f,
  });

async function bid(
  listing: Listing,
  bidder: Bidder,
  amount: string | null,
  extra: { valid?: boolean; rank?: number | null } = {},
) {
  return env.ctx.db
    .insertInto('bids')
    .values({
      listing_id: listing.id,
      bidder_id: bidder.id,
      amount_sealed: crypto.randomBytes(16),
      amount,
      nonce: 'n',
      receipt: crypto.randomBytes(8).toString('hex'),
      submitted_at: ago(25 * DAY),
      valid: amount === null ? null : (extra.valid ?? true),
      rank: amount === null ? null : (extra.rank ?? null),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

async function award(listing: Listing, bidId: string, bidder: Bidder, amount: string, awardedAt = ago(19 * DAY)) {
  await env.ctx.db
    .insertInto('awards')
    .values({
      listing_id: listing.id,
      bid_id: bidId,
      bidder_id: bidder.id,
      kind: listing.kind,
      base_price: listing.basePrice.toFixed(2),
      amount,
      savings: '0.00',
      savings_rate: '0.0000',
      awarded_at: awardedAt,
      publicity_ends_at: new Date(+awardedAt + 3 * DAY),
    })
    .execute();
  await countDeal(env.ctx.db, listing.id);
}

/** Three ranked valid bids by fresh bidders, the award to `winnerRank`. */
async function rankedDeal(townshipId: string, amounts: string[], winnerRank = 1, f: Partial<ListingFixture> = {}) {
  const listing = await deal(townshipId, f);
  const bidders: Bidder[] = [];
  const ids: string[] = [];
  for (const [i, amount] of amounts.entries()) {
    const b = await makeUser(env.ctx, 'bidder');
    bidders.push(b);
    ids.push((await bid(listing, b, amount, { rank: i + 1 })).id);
  }
  await award(listing, ids[winnerRank - 1], bidders[winnerRank - 1], amounts[winnerRank - 1]);
  return { listing, bidders };
}

async function flagsOf(townshipId: string): Promise<Record<string, string[]>> {
  const res = await as(env.app, auditor.token).get(`/api/v1/audit/flags?townshipId=${townshipId}`).expect(200);
  const out: Record<string, string[]> = {};
  for (const f of res.body as { listingId: string; code: string; detail: string }[]) {
    expect(f.detail).toEqual(expect.any(String));
    (out[f.listingId] ??= []).push(f.code);
  }
  return out;
}

describe('GET /api/v1/audit/flags', () => {
  it('flags each warning sign on the deal that shows it, and nothing on a clean deal', async () => {
    const t = await makeTownship(env.ctx);
    const clean = await rankedDeal(t.id, ['40000.00', '42000.00', '45000.00']);
    const notTop = await rankedDeal(t.id, ['40000.00', '42000.00', '45000.00'], 2);
    const near = await rankedDeal(t.id, ['49600.00', '49700.00', '49900.00']);
    const savings = await rankedDeal(t.id, ['30000.00', '42000.00', '45000.00']);
    const short = await rankedDeal(t.id, ['40000.00', '42000.00', '45000.00'], 1, {
      bidOpensAt: ago(22 * DAY),
      bidDeadline: ago(20 * DAY),
    });
    const limit = await rankedDeal(t.id, ['1700000.00', '1800000.00', '1900000.00'], 1, { basePrice: '1950000.00' });

    const single = await deal(t.id);
    const lone = await makeUser(env.ctx, 'bidder');
    const other = await makeUser(env.ctx, 'bidder');
    const loneBid = await bid(single, lone, '41000.00', { rank: 1 });
    await bid(single, other, '0.50', { valid: false });
    await award(single, loneBid.id, lone, '41000.00');

    const got = await flagsOf(t.id);
    expect(got[clean.listing.id]).toBeUndefined();
    expect(got[notTop.listing.id]).toEqual(['AWARD_NOT_TOP']);
    expect(got[near.listing.id]).toEqual(['NEAR_BASE_PRICE']);
    expect(got[savings.listing.id]).toEqual(['LARGE_SAVINGS']);
    expect(got[short.listing.id]).toEqual(['SHORT_BIDDING_WINDOW']);
    expect(got[limit.listing.id]).toEqual(['NEAR_TOWNSHIP_LIMIT']);
    expect(got[single.id]).toEqual(['SINGLE_VALID_BID']);
  });

  it('flags identical offers and shared phone or ID numbers among bidders after opening', async () => {
    const t = await makeTownship(env.ctx);
    const identical = await deal(t.id, { state: 'opened' });
    await bid(identical, await makeUser(env.ctx, 'bidder'), '41000.00', { rank: 1 });
    await bid(identical, await makeUser(env.ctx, 'bidder'), '41000.00', { rank: 2 });
    const shared = await deal(t.id, { state: 'opened' });
    await bid(shared, await makeUser(env.ctx, 'bidder', { phone: '13812345678' }), '41000.00', { rank: 1 });
    await bid(shared, await makeUser(env.ctx, 'bidder', { phone: '13812345678' }), '42000.00', { rank: 2 });
    const sharedId = await deal(t.id, { state: 'failed' });
    await bid(sharedId, await makeUser(env.ctx, 'bidder', { idNumber: '360802199001011234' }), '41000.00', { rank: 1 });
    await bid(sharedId, await makeUser(env.ctx, 'bidder', { idNumber: '360802199001011234' }), '42000.00', { rank: 2 });
    const got = await flagsOf(t.id);
    expect(got[identical.id]).toEqual(['IDENTICAL_BIDS']);
    expect(got[shared.id]).toEqual(['SHARED_CONTACT']);
    expect(got[sharedId.id]).toEqual(['SHARED_CONTACT']);
  });

  it('never flags a deal whose bids are still sealed', async () => {
    const t = await makeTownship(env.ctx);
    // closed, not opened: short window, same phones, sealed (no amount) bids — nothing may show
    const sealed = await makeListing(env.ctx, {
      townshipId: t.id,
      state: 'published',
      basePrice: '1990000.00',
      bidOpensAt: ago(2 * DAY),
      bidDeadline: ago(3600_000),
    });
    await bid(sealed, await makeUser(env.ctx, 'bidder', { phone: '13700000000' }), null);
    await bid(sealed, await makeUser(env.ctx, 'bidder', { phone: '13700000000' }), null);
    const cancelledBeforeOpening = await makeListing(env.ctx, {
      townshipId: t.id,
      state: 'cancelled',
      basePrice: '1990000.00',
      bidOpensAt: ago(2 * DAY),
      bidDeadline: ago(DAY),
    });
    const got = await flagsOf(t.id);
    expect(got[sealed.id]).toBeUndefined();
    expect(got[cancelledBeforeOpening.id]).toBeUndefined();
  });

  it('flags a bidder who won three deals in a township within 12 months', async () => {
    const t = await makeTownship(env.ctx);
    const winner = await makeUser(env.ctx, 'bidder');
    const won: string[] = [];
    for (const daysAgo of [300, 200, 100]) {
      const l = await deal(t.id);
      const b = await bid(l, winner, '40000.00', { rank: 1 });
      await bid(l, await makeUser(env.ctx, 'bidder'), '42000.00', { rank: 2 });
      await bid(l, await makeUser(env.ctx, 'bidder'), '44000.00', { rank: 3 });
      await award(l, b.id, winner, '40000.00', ago(daysAgo * DAY));
      won.push(l.id);
    }
    const got = await flagsOf(t.id);
    for (const id of won) expect(got[id]).toEqual(['REPEAT_WINNER']);
  });

  it('flags a relisting on terms more than 20 % kinder to bidders', async () => {
    const t = await makeTownship(env.ctx);
    const failed = await deal(t.id, { state: 'failed', kind: 'lease', basePrice: '10000.00' });
    const relisted = await deal(t.id, {
      state: 'opened',
      kind: 'lease',
      basePrice: '7500.00',
      relistedFrom: failed.id,
    });
    const fair = await deal(t.id, { state: 'opened', kind: 'lease', basePrice: '9000.00', relistedFrom: failed.id });
    const got = await flagsOf(t.id);
    expect(got[relisted.id]).toEqual(['RELIST_PRICE_CUT']);
    expect(got[fair.id]).toBeUndefined();
  });

  it('is for auditors and admins only, with a readable detail in the caller’s language', async () => {
    const t = await makeTownship(env.ctx);
    await rankedDeal(t.id, ['40000.00', '42000.00', '45000.00'], 3);
    const admin = await makeUser(env.ctx, 'admin');
    const en = await as(env.app, admin.token)
      .get(`/api/v1/audit/flags?townshipId=${t.id}`)
      .set('Accept-Language', 'en')
      .expect(200);
    expect(en.body).toEqual([
      {
        listingId: expect.any(String),
        code: 'AWARD_NOT_TOP',
        detail: 'Awarded to a bid other than the top-ranked (rank 3)',
      },
    ]);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: t.id });
    await as(env.app, staff.token).get('/api/v1/audit/flags').expect(403);
    await as(env.app, auditor.token).get('/api/v1/audit/flags?townshipId=x').expect(404);
    const all = await as(env.app, auditor.token).get('/api/v1/audit/flags').expect(200);
    expect(all.body.length).toBeGreaterThan(10);
  });
});
