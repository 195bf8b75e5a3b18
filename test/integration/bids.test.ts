import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { ListingFixture, makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;

async function setup(listing: Partial<ListingFixture> = {}) {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const bidder = await makeUser(env.ctx, 'bidder');
  const l = await makeListing(env.ctx, { townshipId: township.id, ...listing });
  return { township, staff, bidder, listing: l };
}

describe('POST /api/v1/listings/:id/bids', () => {
  it('accepts a sealed bid: 201 with receipt, amount stored only encrypted, submitted_at by the database clock', async () => {
    const { bidder, listing } = await setup();
    const res = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '42123.45' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      listingId: listing.id,
      amount: '42123.45',
      submittedAt: expect.any(String),
      receipt: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const row = await env.ctx.db.selectFrom('bids').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ amount: null, status: 'live', bidder_id: bidder.id, receipt: res.body.receipt });
    expect(row.submitted_at.toISOString()).toBe(res.body.submittedAt);
    expect(row.amount_sealed.length).toBeGreaterThan(28);
  });

  it('accepts a JSON number amount and keeps one live bid per bidder: the old one is superseded', async () => {
    const { bidder, listing } = await setup();
    const first = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: 45000 })
      .expect(201);
    expect(first.body.amount).toBe('45000.00');
    const second = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '44000.5' })
      .expect(201);
    const rows = await env.ctx.db
      .selectFrom('bids')
      .select(['id', 'status'])
      .where('listing_id', '=', listing.id)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === first.body.id)?.status).toBe('superseded');
    expect(rows.find((r) => r.id === second.body.id)?.status).toBe('live');
    const mine = await as(env.app, bidder.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(200);
    expect(mine.body).toEqual(second.body);
    expect(mine.body.amount).toBe('44000.50');
  });

  it.each([['12.345'], ['-5'], ['0'], ['1e4'], ['abc'], [null], [1e12], [{ v: 1 }]])(
    'refuses the amount %p with 422 INVALID_AMOUNT',
    async (amount) => {
      const { bidder, listing } = await setup();
      const res = await as(env.app, bidder.token)
        .post(`/api/v1/listings/${listing.id}/bids`)
        .send({ amount })
        .expect(422);
      expect(res.body.error.code).toBe('INVALID_AMOUNT');
      const n = await env.ctx.db.selectFrom('bids').select('id').where('listing_id', '=', listing.id).execute();
      expect(n).toHaveLength(0);
    },
  );

  it('refuses a missing amount with 422 INVALID_AMOUNT', async () => {
    const { bidder, listing } = await setup();
    const res = await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/bids`).send({}).expect(422);
    expect(res.body.error.code).toBe('INVALID_AMOUNT');
  });

  it('refuses above the ceiling (procurement) and below the reserve (lease) with 422 OUT_OF_RANGE', async () => {
    const { bidder, listing, township } = await setup({ basePrice: '50000.00' });
    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '50000.00' })
      .expect(201);
    const over = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '50000.01' })
      .expect(422);
    expect(over.body.error.code).toBe('OUT_OF_RANGE');
    expect(over.body.error.message).toContain('50,000.00');
    const lease = await makeListing(env.ctx, { townshipId: township.id, kind: 'lease', basePrice: '3000.00' });
    const under = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${lease.id}/bids`)
      .set('Accept-Language', 'en')
      .send({ amount: '2999.99' })
      .expect(422);
    expect(under.body.error.code).toBe('OUT_OF_RANGE');
    expect(under.body.error.message).toContain('reserve ¥3,000.00');
    await as(env.app, bidder.token).post(`/api/v1/listings/${lease.id}/bids`).send({ amount: '3000.00' }).expect(201);
  });

  it('refuses before bidOpensAt (409 BIDDING_NOT_OPEN) and at or after the deadline (409 BIDDING_CLOSED)', async () => {
    const { bidder, township } = await setup();
    const early = await makeListing(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    const a = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${early.id}/bids`)
      .send({ amount: '100' })
      .expect(409);
    expect(a.body.error.code).toBe('BIDDING_NOT_OPEN');
    const late = await makeListing(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() - 2 * HOUR),
      bidDeadline: new Date(Date.now() - 1000),
    });
    const b = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${late.id}/bids`)
      .send({ amount: '100' })
      .expect(409);
    expect(b.body.error.code).toBe('BIDDING_CLOSED');
    const stored = await env.ctx.db
      .selectFrom('bids')
      .select('id')
      .where('listing_id', 'in', [early.id, late.id])
      .execute();
    expect(stored).toHaveLength(0);
  });

  it('refuses bids on listings that are not published: 409 BIDDING_CLOSED, drafts 404', async () => {
    const { bidder, township } = await setup();
    for (const state of ['cancelled', 'opened', 'failed', 'awarded'] as const) {
      const l = await makeListing(env.ctx, { townshipId: township.id, state });
      const res = await as(env.app, bidder.token)
        .post(`/api/v1/listings/${l.id}/bids`)
        .send({ amount: '100' })
        .expect(409);
      expect(res.body.error.code).toBe('BIDDING_CLOSED');
    }
    const draft = await makeListing(env.ctx, { townshipId: township.id, state: 'draft' });
    expect(
      (await as(env.app, bidder.token).post(`/api/v1/listings/${draft.id}/bids`).send({ amount: '100' }).expect(404))
        .body.error.code,
    ).toBe('NOT_FOUND');
    await as(env.app, bidder.token).post('/api/v1/listings/not-a-uuid/bids').send({ amount: '100' }).expect(404);
    await as(env.app, bidder.token)
      .post('/api/v1/listings/00000000-0000-4000-8000-000000000000/bids')
      .send({ amount: '100' })
      .expect(404);
  });

  it('lets only bidders bid (401 anonymous, 403 staff)', async () => {
    const { staff, listing } = await setup();
    await as(env.app).post(`/api/v1/listings/${listing.id}/bids`).send({ amount: '100' }).expect(401);
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '100' })
      .expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('own bid: GET and DELETE /api/v1/listings/:id/bids/mine', () => {
  it('shows only the owner their bid; others get 404', async () => {
    const { bidder, listing } = await setup();
    const other = await makeUser(env.ctx, 'bidder');
    await as(env.app, other.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
    const bid = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '30000' })
      .expect(201);
    await as(env.app, other.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
    expect((await as(env.app, bidder.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(200)).body).toEqual(
      bid.body,
    );
  });

  it('withdraws before the deadline (204, status withdrawn), then there is no live bid', async () => {
    const { bidder, listing } = await setup();
    const bid = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '30000' })
      .expect(201);
    await as(env.app, bidder.token).delete(`/api/v1/listings/${listing.id}/bids/mine`).expect(204);
    const row = await env.ctx.db
      .selectFrom('bids')
      .select('status')
      .where('id', '=', bid.body.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('withdrawn');
    await as(env.app, bidder.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
    await as(env.app, bidder.token).delete(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
  });

  it('refuses to withdraw after the deadline with 409 BIDDING_CLOSED and keeps the bid live', async () => {
    const { bidder, listing } = await setup();
    const bid = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '30000' })
      .expect(201);
    await env.ctx.db
      .updateTable('listings')
      .set({ bid_deadline: new Date(Date.now() - 1000) })
      .where('id', '=', listing.id)
      .execute();
    const res = await as(env.app, bidder.token).delete(`/api/v1/listings/${listing.id}/bids/mine`).expect(409);
    expect(res.body.error.code).toBe('BIDDING_CLOSED');
    expect(
      (await env.ctx.db.selectFrom('bids').select('status').where('id', '=', bid.body.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('live');
  });
});

describe('sealing before opening', () => {
  it('answers 409 SEALED to staff, auditors and admins alike, with no count; bidders 403', async () => {
    const { bidder, staff, listing, township } = await setup();
    const auditor = await makeUser(env.ctx, 'auditor');
    const admin = await makeUser(env.ctx, 'admin');
    const empty = await makeListing(env.ctx, { townshipId: township.id });
    await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/bids`).send({ amount: '30000' }).expect(201);
    const answers = [];
    for (const user of [staff, auditor, admin]) {
      for (const l of [listing, empty]) {
        const res = await as(env.app, user.token).get(`/api/v1/listings/${l.id}/bids`).expect(409);
        expect(res.body.error.code).toBe('SEALED');
        expect(res.body.error.details).toBeUndefined();
        answers.push(res.body);
      }
    }
    // a listing with a bid answers exactly like one without
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    await as(env.app, bidder.token).get(`/api/v1/listings/${listing.id}/bids`).expect(403);
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await as(env.app, otherStaff.token).get(`/api/v1/listings/${listing.id}/bids`).expect(403);
  });

  it('leaves no plaintext amount in any stored row of bids, audit, notifications or registrations', async () => {
    const { bidder, listing } = await setup({ depositAmount: '0.00' });
    const amount = '43210.77';
    await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/bids`).send({ amount }).expect(201);
    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '43210.78' })
      .expect(201);
    for (const table of ['bids', 'audit', 'notifications', 'registrations', 'listings']) {
      const { rows } = await env.database.pool.query(`SELECT t::text AS row FROM ${table} t`);
      for (const { row } of rows) {
        expect(row).not.toContain('43210');
      }
    }
    // and no audit entry mentions the listing's bids at all
    const entries = await env.ctx.db
      .selectFrom('audit')
      .select('action')
      .where('listing_id', '=', listing.id)
      .execute();
    expect(entries).toEqual([]);
  });
});
