import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing, makeOpenedListingWithBids } from '../helpers/fixtures';
import { defaultRules } from '../../server/townships/townships';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** A township with staff, three bidders and an opened procurement listing: 42000 < 45000 < 48000. */
async function openedDeal(
  opts: { kind?: 'procurement' | 'lease'; basePrice?: string; amounts?: string[]; valid?: boolean[] } = {},
) {
  const township = await makeTownship(env.ctx, { publicityDays: 3 });
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const bidders = [
    await makeUser(env.ctx, 'bidder'),
    await makeUser(env.ctx, 'bidder'),
    await makeUser(env.ctx, 'bidder'),
  ];
  const amounts = opts.amounts ?? ['42000.00', '45000.00', '48000.00'];
  const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
    townshipId: township.id,
    kind: opts.kind ?? 'procurement',
    basePrice: opts.basePrice ?? '50000.00',
    bids: amounts.map((amount, i) => ({ bidderId: bidders[i].id, amount, valid: opts.valid?.[i] ?? true })),
  });
  return { township, staff, bidders, listing, bids };
}

describe('POST /api/v1/listings/:id/award', () => {
  it('awards the top-ranked bid: 201 with the award object, listing awarded, trail written', async () => {
    const { staff, bidders, listing, bids } = await openedDeal();
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(201);
    expect(res.body).toEqual({
      listingId: listing.id,
      bidId: bids[0].id,
      bidderId: bidders[0].id,
      bidderName: bidders[0].name,
      kind: 'procurement',
      basePrice: '50000.00',
      amount: '42000.00',
      savings: '8000.00',
      savingsRate: '0.1600',
      awardedAt: expect.any(String),
      publicityEndsAt: expect.any(String),
    });
    expect(new Date(res.body.publicityEndsAt).getTime() - new Date(res.body.awardedAt).getTime()).toBe(
      3 * 24 * 3600_000,
    );
    const stored = await env.ctx.db
      .selectFrom('awards')
      .selectAll()
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      bid_id: bids[0].id,
      amount: '42000.00',
      savings: '8000.00',
      savings_rate: '0.1600',
      awarded_by: staff.id,
      reason: null,
    });
    const row = await env.ctx.db
      .selectFrom('listings')
      .select('state')
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('awarded');
    const audit = await env.ctx.db
      .selectFrom('audit')
      .selectAll()
      .where('listing_id', '=', listing.id)
      .where('action', '=', 'listing.awarded')
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe(staff.username);
    expect(audit.data).toMatchObject({ bidId: bids[0].id, amount: '42000.00', topRanked: true });
  });

  it('gives a township without rules of its own the default publicity, as townships/ does', async () => {
    const { township, staff, listing, bids } = await openedDeal();
    await env.ctx.db.deleteFrom('township_rules').where('township_id', '=', township.id).execute();
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(201);
    const days = (new Date(res.body.publicityEndsAt).getTime() - new Date(res.body.awardedAt).getTime()) / 86_400_000;
    expect(days).toBe(defaultRules().publicityDays);
  });

  it('is public to read afterwards, and 404 before there is an award', async () => {
    const { staff, listing, bids } = await openedDeal();
    await request(env.app).get(`/api/v1/listings/${listing.id}/award`).expect(404);
    const made = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(201);
    const res = await request(env.app).get(`/api/v1/listings/${listing.id}/award`).expect(200);
    expect(res.body).toEqual(made.body);
    await request(env.app).get('/api/v1/listings/not-an-id/award').expect(404);
  });

  it('counts a lease as increased revenue: award − reserve', async () => {
    const { staff, listing, bids } = await openedDeal({
      kind: 'lease',
      basePrice: '36000.00',
      amounts: ['48000.00', '40000.00'],
    });
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(201);
    expect(res.body).toMatchObject({
      kind: 'lease',
      basePrice: '36000.00',
      amount: '48000.00',
      savings: '12000.00',
      savingsRate: '0.3333',
    });
  });

  it('requires a written reason for a valid bid that is not the top one (422 REASON_REQUIRED), and keeps it', async () => {
    const { staff, listing, bids } = await openedDeal();
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[1].id })
      .expect(422);
    expect(res.body.error.code).toBe('REASON_REQUIRED');
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[1].id, reason: '   ' })
      .expect(422);
    expect(
      await env.ctx.db.selectFrom('awards').select('id').where('listing_id', '=', listing.id).executeTakeFirst(),
    ).toBeUndefined();
    const ok = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[1].id, reason: '第一名书面放弃成交' })
      .expect(201);
    expect(ok.body).toMatchObject({ amount: '45000.00', savings: '5000.00', savingsRate: '0.1000' });
    const stored = await env.ctx.db
      .selectFrom('awards')
      .select('reason')
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(stored.reason).toBe('第一名书面放弃成交');
  });

  it('refuses an invalid bid, a bid of another listing and a made-up id with 422 INVALID_BID', async () => {
    const { staff, listing, bids } = await openedDeal({ valid: [true, false, true] });
    const other = await openedDeal();
    for (const bidId of [bids[1].id, other.bids[0].id, 'not-a-bid', '00000000-0000-4000-8000-000000000000']) {
      const res = await as(env.app, staff.token)
        .post(`/api/v1/listings/${listing.id}/award`)
        .send({ bidId, reason: 'x' })
        .expect(422);
      expect(res.body.error.code).toBe('INVALID_BID');
    }
    const row = await env.ctx.db
      .selectFrom('listings')
      .select('state')
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('opened');
  });

  it('refuses a listing that is not opened with 409 INVALID_STATE, and an awarded one with 409 ALREADY_AWARDED', async () => {
    const { township, staff, listing, bids } = await openedDeal();
    const published = await makeListing(env.ctx, {
      townshipId: township.id,
      state: 'published',
      bidDeadline: new Date(Date.now() - 1000),
      bidOpensAt: new Date(Date.now() - 86400_000),
    });
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${published.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    const failed = await makeListing(env.ctx, { townshipId: township.id, state: 'failed' });
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${failed.id}/award`)
          .send({ bidId: bids[0].id })
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/award`).send({ bidId: bids[0].id }).expect(201);
    const again = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[1].id, reason: 'r' })
      .expect(409);
    expect(again.body.error.code).toBe('ALREADY_AWARDED');
  });

  it('lets only the township’s own staff award (403 otherwise, 401 anonymous, 404 unknown)', async () => {
    const { listing, bids, bidders } = await openedDeal();
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    expect(
      (
        await as(env.app, otherStaff.token)
          .post(`/api/v1/listings/${listing.id}/award`)
          .send({ bidId: bids[0].id })
          .expect(403)
      ).body.error.code,
    ).toBe('FORBIDDEN');
    await as(env.app, bidders[0].token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(403);
    await as(env.app, (await makeUser(env.ctx, 'admin')).token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(403);
    await request(env.app).post(`/api/v1/listings/${listing.id}/award`).send({ bidId: bids[0].id }).expect(401);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: listing.townshipId });
    await as(env.app, staff.token)
      .post('/api/v1/listings/00000000-0000-4000-8000-000000000000/award')
      .send({ bidId: bids[0].id })
      .expect(404);
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/award`).send({ bidId: 42 }).expect(400)).body
        .error.code,
    ).toBe('BAD_REQUEST');
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/award`).send({}).expect(422)).body.error
        .code,
    ).toBe('VALIDATION');
  });

  it('awards once under concurrent requests: exactly one 201, the rest 409 ALREADY_AWARDED', async () => {
    const { staff, listing, bids } = await openedDeal();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/award`)
          .send(i % 2 ? { bidId: bids[1].id, reason: 'r' } : { bidId: bids[0].id }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 201);
    expect(losers.map((r) => [r.status, r.body.error.code])).toEqual(Array(5).fill([409, 'ALREADY_AWARDED']));
    const n = await env.ctx.db
      .selectFrom('awards')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    const entries = await env.ctx.db
      .selectFrom('audit')
      .select('seq')
      .where('listing_id', '=', listing.id)
      .where('action', '=', 'listing.awarded')
      .execute();
    expect(entries).toHaveLength(1);
  });

  it('maps the one-award-per-listing constraint to 409 ALREADY_AWARDED even if the state was missed', async () => {
    const { staff, listing, bids } = await openedDeal();
    // an award row that got in without the listing's state moving: the unique constraint still holds
    await env.ctx.db
      .insertInto('awards')
      .values({
        listing_id: listing.id,
        bid_id: bids[1].id,
        bidder_id: bids[1].bidderId,
        kind: 'procurement',
        base_price: '50000.00',
        amount: '45000.00',
        savings: '5000.00',
        savings_rate: '0.1000',
        awarded_at: new Date(),
        publicity_ends_at: new Date(),
      })
      .execute();
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: bids[0].id })
      .expect(409);
    expect(res.body.error.code).toBe('ALREADY_AWARDED');
    const row = await env.ctx.db
      .selectFrom('listings')
      .select('state')
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('opened'); // nothing half-written
  });

  it('makes every registration but the winner’s refundable and tells every bidder in the inbox', async () => {
    const { staff, bidders, listing, bids } = await openedDeal();
    const onlyRegistered = await makeUser(env.ctx, 'bidder');
    for (const [bidder, status] of [
      [bidders[0], 'confirmed'],
      [bidders[1], 'confirmed'],
      [onlyRegistered, 'pending'],
    ] as const) {
      await env.ctx.db
        .insertInto('registrations')
        .values({ listing_id: listing.id, bidder_id: bidder.id, status })
        .execute();
    }
    await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/award`).send({ bidId: bids[0].id }).expect(201);
    const regs = await env.ctx.db
      .selectFrom('registrations')
      .select(['bidder_id', 'status'])
      .where('listing_id', '=', listing.id)
      .execute();
    const statusOf = (id: string) => regs.find((r) => r.bidder_id === id)?.status;
    expect(statusOf(bidders[0].id)).toBe('confirmed');
    expect(statusOf(bidders[1].id)).toBe('refundable');
    expect(statusOf(onlyRegistered.id)).toBe('refundable');
    const notes = await env.ctx.db
      .selectFrom('notifications')
      .select(['user_id', 'message_key'])
      .where('listing_id', '=', listing.id)
      .execute();
    expect(notes.map((n) => n.user_id).sort()).toEqual([...bidders.map((b) => b.id), onlyRegistered.id].sort());
    expect(notes.find((n) => n.user_id === bidders[0].id)?.message_key).toBe('notify.awardedWinner');
    expect(notes.find((n) => n.user_id === bidders[2].id)?.message_key).toBe('notify.awarded');
  });
});
