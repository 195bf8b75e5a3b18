import { Kysely, PostgresDialect } from 'kysely';
import { createApp } from '../../server/app';
import type { Database } from '../../server/db/database';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { dbClockPlus, makeAuction } from '../helpers/auctions';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;
const bidUrl = (id: string) => `/api/v1/listings/${id}/auction/bids`;

async function setup(f: Parameters<typeof makeAuction>[1] extends infer F ? Partial<F> : never = {}) {
  const township = await makeTownship(env.ctx);
  const listing = await makeAuction(env.ctx, { townshipId: township.id, ...f });
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const [b1, b2, b3] = await Promise.all([1, 2, 3].map(() => makeUser(env.ctx, 'bidder')));
  return { township, listing, staff, b1, b2, b3 };
}

describe('POST /listings/:id/auction/bids', () => {
  it('takes a bid on the grid that beats the best and answers id, amount, at, endsAt and the alias', async () => {
    const { listing, b1, b2 } = await setup();
    const first = await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '10000' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ amount: '10000.00', alias: '1号', endsAt: listing.bidDeadline.toISOString() });
    expect(first.body.id).toEqual(expect.any(String));
    expect(new Date(first.body.at).toISOString()).toBe(first.body.at);
    const second = await as(env.app, b2.token).post(bidUrl(listing.id)).send({ amount: 11500 });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ amount: '11500.00', alias: '2号' });
    // the first bidder keeps their number
    const third = await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '12000.00' });
    expect(third.body.alias).toBe('1号');
    const rows = await env.ctx.db
      .selectFrom('auction_bids')
      .select(['seq', 'amount', 'bidder_id'])
      .where('listing_id', '=', listing.id)
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { seq: 1, amount: '10000.00', bidder_id: b1.id },
      { seq: 2, amount: '11500.00', bidder_id: b2.id },
      { seq: 3, amount: '12000.00', bidder_id: b1.id },
    ]);
  });

  it('refuses every bad bid with the API codes, in Chinese by default and in English on request, changing nothing', async () => {
    const { listing, b1, b2 } = await setup();
    await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '10500' }).expect(201);
    const cases: [unknown, number, string][] = [
      [{ amount: '-5' }, 422, 'INVALID_AMOUNT'],
      [{ amount: '1e5' }, 422, 'INVALID_AMOUNT'],
      [{ amount: '10500.001' }, 422, 'INVALID_AMOUNT'],
      [{}, 422, 'INVALID_AMOUNT'],
      [{ amount: '10750' }, 422, 'INVALID_INCREMENT'],
      [{ amount: '9500' }, 422, 'INVALID_INCREMENT'],
      [{ amount: '10500' }, 422, 'BID_NOT_BETTER'],
      [{ amount: '10000' }, 422, 'BID_NOT_BETTER'],
    ];
    for (const [body, status, code] of cases) {
      const res = await as(env.app, b2.token)
        .post(bidUrl(listing.id))
        .send(body as object);
      expect([res.status, res.body.error?.code]).toEqual([status, code]);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const notBetter = await as(env.app, b2.token)
      .post(bidUrl(listing.id))
      .set('Accept-Language', 'en')
      .send({ amount: '10500' });
    expect(notBetter.body.error).toMatchObject({ code: 'BID_NOT_BETTER', details: { nextMin: '11000.00' } });
    expect(notBetter.body.error.message).toContain('¥11,000.00');
    expect(notBetter.body.error.message).not.toMatch(/[\u4e00-\u9fff]/);
    const leading = await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '11000' });
    expect([leading.status, leading.body.error.code]).toEqual([409, 'ALREADY_LEADING']);
    const stored = await env.ctx.db
      .selectFrom('auction_bids')
      .select('id')
      .where('listing_id', '=', listing.id)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('falls for a procurement: the ceiling minus whole increments, lower wins', async () => {
    const { listing, b1, b2 } = await setup({ kind: 'procurement' });
    await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '48000' }).expect(201);
    const higher = await as(env.app, b2.token).post(bidUrl(listing.id)).send({ amount: '49000' });
    expect(higher.body.error).toMatchObject({ code: 'BID_NOT_BETTER', details: { nextMin: '47000.00' } });
    const over = await as(env.app, b2.token).post(bidUrl(listing.id)).send({ amount: '51000' });
    expect(over.body.error.code).toBe('INVALID_INCREMENT');
    await as(env.app, b2.token).post(bidUrl(listing.id)).send({ amount: '45000' }).expect(201);
  });

  it('refuses before bidOpensAt, at or after the end, without a confirmed deposit, and for non-bidders', async () => {
    const township = await makeTownship(env.ctx);
    const bidder = await makeUser(env.ctx, 'bidder');
    const early = await makeAuction(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    const r1 = await as(env.app, bidder.token).post(bidUrl(early.id)).send({ amount: '10000' });
    expect([r1.status, r1.body.error.code]).toEqual([409, 'BIDDING_NOT_OPEN']);

    const over = await makeAuction(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() - 2 * HOUR),
      bidDeadline: new Date(Date.now() - 1000),
    });
    const r2 = await as(env.app, bidder.token).post(bidUrl(over.id)).send({ amount: '10000' });
    expect([r2.status, r2.body.error.code]).toEqual([409, 'BIDDING_CLOSED']);

    const deposit = await makeAuction(env.ctx, { townshipId: township.id, depositAmount: '1000.00' });
    const r3 = await as(env.app, bidder.token).post(bidUrl(deposit.id)).send({ amount: '10000' });
    expect([r3.status, r3.body.error.code]).toEqual([403, 'NOT_REGISTERED']);
    const reg = await as(env.app, bidder.token).post(`/api/v1/listings/${deposit.id}/registrations`).expect(201);
    const r4 = await as(env.app, bidder.token).post(bidUrl(deposit.id)).send({ amount: '10000' });
    expect(r4.body.error.code).toBe('NOT_REGISTERED');
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${deposit.id}/registrations/${reg.body.id}/confirm`)
      .expect(200);
    await as(env.app, bidder.token).post(bidUrl(deposit.id)).send({ amount: '10000' }).expect(201);

    const r5 = await as(env.app, staff.token).post(bidUrl(deposit.id)).send({ amount: '10500' });
    expect(r5.status).toBe(403);
    const r6 = await as(env.app).post(bidUrl(deposit.id)).send({ amount: '10500' });
    expect(r6.status).toBe(401);
  });

  it('is 404 for a sealed listing, a draft and an id that cannot exist; a sealed offer on an auction is refused', async () => {
    const township = await makeTownship(env.ctx);
    const bidder = await makeUser(env.ctx, 'bidder');
    const sealed = await makeListing(env.ctx, { townshipId: township.id });
    const draft = await makeAuction(env.ctx, { townshipId: township.id, state: 'draft' });
    for (const id of [sealed.id, draft.id, 'not-a-uuid']) {
      expect((await as(env.app, bidder.token).post(bidUrl(id)).send({ amount: '10000' })).status).toBe(404);
      expect((await as(env.app).get(`/api/v1/listings/${id}/auction`)).status).toBe(404);
    }
    const auction = await makeAuction(env.ctx, { townshipId: township.id });
    const sealedOffer = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${auction.id}/bids`)
      .send({ amount: '10000' });
    expect([sealedOffer.status, sealedOffer.body.error.code]).toEqual([409, 'INVALID_STATE']);
  });

  it('extends the end to bid time + extensionSeconds for a bid inside the window, by the database clock', async () => {
    const township = await makeTownship(env.ctx);
    const [b1, b2] = await Promise.all([makeUser(env.ctx, 'bidder'), makeUser(env.ctx, 'bidder')]);
    const deadline = await dbClockPlus(env.ctx, 30_000);
    const listing = await makeAuction(env.ctx, {
      townshipId: township.id,
      bidDeadline: deadline,
      extensionSeconds: 60,
    });
    const bid = await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '10000' }).expect(201);
    const at = new Date(bid.body.at).getTime();
    expect(at).toBeLessThan(deadline.getTime());
    expect(new Date(bid.body.endsAt).getTime()).toBe(at + 60_000);
    const stored = await env.ctx.db
      .selectFrom('listings')
      .select('ends_at')
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(stored.ends_at!.getTime()).toBe(at + 60_000);
    // a bid outside the window leaves the end where it is
    const far = await makeAuction(env.ctx, { townshipId: township.id, extensionSeconds: 60 });
    const farBid = await as(env.app, b2.token).post(bidUrl(far.id)).send({ amount: '10000' }).expect(201);
    expect(farBid.body.endsAt).toBe(far.bidDeadline.toISOString());
    // the listing shows the current end
    const shown = await as(env.app).get(`/api/v1/listings/${listing.id}`).expect(200);
    expect(shown.body).toMatchObject({
      method: 'auction',
      increment: '500.00',
      extensionSeconds: 60,
      endsAt: bid.body.endsAt,
    });
  });
});

describe('a burst at one level', () => {
  it('takes exactly one of 30 concurrent bids at the same amount; the others learn the next minimum', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const bidders = await Promise.all(Array.from({ length: 30 }, () => makeUser(env.ctx, 'bidder')));
    const answers = await Promise.all(
      bidders.map((b) => as(env.app, b.token).post(bidUrl(listing.id)).send({ amount: '10500.00' })),
    );
    const accepted = answers.filter((a) => a.status === 201);
    expect(accepted).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(422);
      expect(a.body.error).toMatchObject({ code: 'BID_NOT_BETTER', details: { nextMin: '11000.00' } });
    }
    const rows = await env.ctx.db.selectFrom('auction_bids').selectAll().where('listing_id', '=', listing.id).execute();
    expect(rows.map((r) => r.id)).toEqual([accepted[0].body.id]);
  });

  it('loses and reorders nothing when bidders race upward: seq follows time and amounts strictly rise', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const bidders = await Promise.all(Array.from({ length: 12 }, () => makeUser(env.ctx, 'bidder')));
    const accepted: { id: string; amount: string }[] = [];
    // three rounds: everyone tries the next minimum they last heard of
    for (let round = 0; round < 3; round += 1) {
      const room = await as(env.app).get(`/api/v1/listings/${listing.id}/auction`).expect(200);
      const answers = await Promise.all(
        bidders.map((b) => as(env.app, b.token).post(bidUrl(listing.id)).send({ amount: room.body.nextMin })),
      );
      for (const a of answers) if (a.status === 201) accepted.push({ id: a.body.id, amount: a.body.amount });
    }
    const rows = await env.ctx.db
      .selectFrom('auction_bids')
      .select(['id', 'seq', 'amount', 'placed_at'])
      .where('listing_id', '=', listing.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.id).sort()).toEqual(accepted.map((a) => a.id).sort());
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i += 1) {
      expect(Number(rows[i].amount)).toBeGreaterThan(Number(rows[i - 1].amount));
      expect(rows[i].placed_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].placed_at.getTime());
    }
    expect(rows).toHaveLength(3);
  });
});

describe('GET /listings/:id/auction', () => {
  it('shows status, endsAt, increment, nextMin, bidCount, best and the history newest first, by alias only', async () => {
    const { listing, b1, b2 } = await setup();
    const empty = await as(env.app).get(`/api/v1/listings/${listing.id}/auction`).expect(200);
    expect(empty.body).toMatchObject({
      status: 'open',
      endsAt: listing.bidDeadline.toISOString(),
      increment: '500.00',
      nextMin: '10000.00',
      bidCount: 0,
      best: null,
      history: [],
    });
    await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '10000' }).expect(201);
    await as(env.app, b2.token).post(bidUrl(listing.id)).send({ amount: '12000' }).expect(201);
    const room = await as(env.app).get(`/api/v1/listings/${listing.id}/auction`).expect(200);
    expect(room.body).toMatchObject({ nextMin: '12500.00', bidCount: 2, best: { amount: '12000.00', alias: '2号' } });
    expect(room.body.history.map((h: { amount: string; alias: string }) => [h.amount, h.alias])).toEqual([
      ['12000.00', '2号'],
      ['10000.00', '1号'],
    ]);
    const text = JSON.stringify(room.body);
    for (const b of [b1, b2]) {
      expect(text).not.toContain(b.id);
      expect(text).not.toContain(b.name!);
      expect(text).not.toContain(b.username);
    }
  });
});

describe('closing: POST /listings/:id/open on an auction', () => {
  it('before the end 409 NOT_CLOSED; after it opened with each bidder ranked once, then award and refunds as for sealed', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const other = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    const [b1, b2] = await Promise.all([makeUser(env.ctx, 'bidder'), makeUser(env.ctx, 'bidder')]);
    const deadline = await dbClockPlus(env.ctx, 1500);
    const listing = await makeAuction(env.ctx, { townshipId: township.id, bidDeadline: deadline, extensionSeconds: 1 });
    await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '10000' }).expect(201);
    await as(env.app, b2.token).post(bidUrl(listing.id)).send({ amount: '10500' }).expect(201);
    const last = await as(env.app, b1.token).post(bidUrl(listing.id)).send({ amount: '11500' }).expect(201);
    const early = await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/open`);
    expect([early.status, early.body.error.code]).toEqual([409, 'NOT_CLOSED']);
    expect((await as(env.app, other.token).post(`/api/v1/listings/${listing.id}/open`)).status).toBe(403);

    const wait = new Date(last.body.endsAt).getTime() - Date.now() + 100;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    const late = await as(env.app, b2.token).post(bidUrl(listing.id)).send({ amount: '12000' });
    expect([late.status, late.body.error.code]).toEqual([409, 'BIDDING_CLOSED']);

    const closed = await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/open`).expect(200);
    expect(closed.body.status).toBe('opened');
    expect(
      closed.body.bids.map((b: { bidderId: string; amount: string; rank: number }) => [b.bidderId, b.amount, b.rank]),
    ).toEqual([
      [b1.id, '11500.00', 1],
      [b2.id, '10500.00', 2],
    ]);
    expect(closed.body.history).toHaveLength(3);
    const again = await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/open`);
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_STATE']);

    const audit = await env.ctx.db
      .selectFrom('audit')
      .select(['action', 'data'])
      .where('listing_id', '=', listing.id)
      .execute();
    const opened = audit.find((a) => a.action === 'listing.opened')!;
    expect(opened.data).toMatchObject({ method: 'auction', status: 'opened' });
    expect((opened.data.history as { alias: string; bidderId: string }[]).map((h) => [h.alias, h.bidderId])).toEqual([
      ['1号', b1.id],
      ['2号', b2.id],
      ['1号', b1.id],
    ]);

    const award = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: closed.body.bids[0].id })
      .expect(201);
    expect(award.body).toMatchObject({ amount: '11500.00', savings: '1500.00', bidderId: b1.id });
    const bidsAfter = await as(env.app, staff.token).get(`/api/v1/listings/${listing.id}/bids`).expect(200);
    expect(bidsAfter.body).toHaveLength(2);
  });

  it('fails (流标) when nobody bid, and the end marker is written once', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const listing = await makeAuction(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() - 2 * HOUR),
      bidDeadline: new Date(Date.now() - 1000),
    });
    const res = await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/open`).expect(200);
    expect(res.body).toMatchObject({ status: 'failed', bids: [] });
    const ends = await env.ctx.db.selectFrom('auction_ends').selectAll().where('listing_id', '=', listing.id).execute();
    expect(ends).toHaveLength(1);
    expect((await as(env.app).get(`/api/v1/listings/${listing.id}`)).body.status).toBe('failed');
  });
});

describe('listing terms: method, increment, extensionSeconds', () => {
  const inDays = (d: number) => new Date(Date.now() + d * 24 * HOUR).toISOString();
  const body = (over: Record<string, unknown> = {}) => ({
    kind: 'lease',
    category: 'water',
    title: '村集体鱼塘承包经营权',
    basePrice: '10000.00',
    leaseTermMonths: 60,
    bidOpensAt: inDays(7),
    bidDeadline: inDays(14),
    ...over,
  });

  it('creates a sealed listing by default and an auction with its increment and window', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const sealed = await as(env.app, staff.token).post('/api/v1/listings').send(body()).expect(201);
    expect(sealed.body.method).toBe('sealed');
    expect(sealed.body).not.toHaveProperty('increment');
    const auction = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ method: 'auction', increment: '500', extensionSeconds: 300 }))
      .expect(201);
    expect(auction.body).toMatchObject({ method: 'auction', increment: '500.00', extensionSeconds: 300 });
    expect(auction.body.endsAt).toBe(auction.body.bidDeadline);
    const patched = await as(env.app, staff.token)
      .patch(`/api/v1/listings/${auction.body.id}`)
      .send({ increment: 200.5, extensionSeconds: 120 })
      .expect(200);
    expect(patched.body).toMatchObject({ increment: '200.50', extensionSeconds: 120 });
    const back = await as(env.app, staff.token)
      .patch(`/api/v1/listings/${auction.body.id}`)
      .send({ method: 'sealed' })
      .expect(200);
    expect(back.body.method).toBe('sealed');
    const row = await env.ctx.db
      .selectFrom('listings')
      .select(['increment', 'extension_seconds'])
      .where('id', '=', auction.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ increment: null, extension_seconds: null });
  });

  it('refuses a bad increment or window with 422 VALIDATION and field details, only for an auction', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const bad: [Record<string, unknown>, string[]][] = [
      [{ method: 'auction' }, ['increment', 'extensionSeconds']],
      [{ method: 'auction', increment: '0', extensionSeconds: 300 }, ['increment']],
      [{ method: 'auction', increment: '-5', extensionSeconds: 300 }, ['increment']],
      [{ method: 'auction', increment: '1.234', extensionSeconds: 300 }, ['increment']],
      [{ method: 'auction', increment: '500', extensionSeconds: 0 }, ['extensionSeconds']],
      [{ method: 'dutch', increment: '500', extensionSeconds: 300 }, ['method']],
    ];
    for (const [over, fields] of bad) {
      const res = await as(env.app, staff.token).post('/api/v1/listings').send(body(over));
      expect([over, res.status, res.body.error.code]).toEqual([over, 422, 'VALIDATION']);
      expect(Object.keys(res.body.error.details.fields as object).sort()).toEqual(fields.sort());
    }
    // wrong types are 400 BAD_REQUEST, as for every field
    for (const extensionSeconds of [1.5, '300']) {
      const res = await as(env.app, staff.token)
        .post('/api/v1/listings')
        .send(body({ method: 'auction', increment: '500', extensionSeconds }));
      expect([res.status, res.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    }
    // a sealed listing ignores them
    await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ increment: '0', extensionSeconds: null }))
      .expect(201);
    const created = await env.ctx.db
      .selectFrom('listings')
      .select('id')
      .where('township_id', '=', township.id)
      .execute();
    expect(created).toHaveLength(1);
  });
});

describe('refusals in the user’s language', () => {
  it('says every auction refusal in Chinese by default (in auction words) and in English on request', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const [b1, b2] = await Promise.all([makeUser(env.ctx, 'bidder'), makeUser(env.ctx, 'bidder')]);
    const running = await makeAuction(env.ctx, { townshipId: township.id });
    await as(env.app, b1.token).post(bidUrl(running.id)).send({ amount: '10000' }).expect(201);
    const early = await makeAuction(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    const over = await makeAuction(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() - 2 * HOUR),
      bidDeadline: new Date(Date.now() - 1000),
    });
    const deposit = await makeAuction(env.ctx, { townshipId: township.id, depositAmount: '1000.00' });
    const cancelled = await makeAuction(env.ctx, { townshipId: township.id });
    await as(env.app, staff.token).post(`/api/v1/listings/${cancelled.id}/cancel`).send({ reason: '终止' }).expect(200);
    const cases: [string, { token: string }, string, object, number, string, RegExp | null][] = [
      ['BIDDING_NOT_OPEN', b2, bidUrl(early.id), { amount: '10000' }, 409, 'BIDDING_NOT_OPEN', /竞价/],
      ['BIDDING_CLOSED', b2, bidUrl(over.id), { amount: '10000' }, 409, 'BIDDING_CLOSED', /竞价已结束/],
      ['cancelled', b2, bidUrl(cancelled.id), { amount: '10000' }, 409, 'BIDDING_CLOSED', /竞价已结束/],
      ['NOT_REGISTERED', b2, bidUrl(deposit.id), { amount: '10000' }, 403, 'NOT_REGISTERED', null],
      ['ALREADY_LEADING', b1, bidUrl(running.id), { amount: '10500' }, 409, 'ALREADY_LEADING', null],
      ['INVALID_INCREMENT', b2, bidUrl(running.id), { amount: '10250' }, 422, 'INVALID_INCREMENT', /加价幅度/],
      ['BID_NOT_BETTER', b2, bidUrl(running.id), { amount: '10000' }, 422, 'BID_NOT_BETTER', null],
      ['INVALID_AMOUNT', b2, bidUrl(running.id), { amount: 'abc' }, 422, 'INVALID_AMOUNT', null],
      ['NOT_CLOSED', staff, `/api/v1/listings/${running.id}/open`, {}, 409, 'NOT_CLOSED', null],
      ['sealed offer', b2, `/api/v1/listings/${running.id}/bids`, { amount: '10000' }, 409, 'INVALID_STATE', /竞价/],
    ];
    for (const [name, who, url, body, status, code, words] of cases) {
      const zh = await as(env.app, who.token).post(url).send(body);
      const en = await as(env.app, who.token).post(url).set('Accept-Language', 'en').send(body);
      for (const res of [zh, en]) expect([name, res.status, res.body.error?.code]).toEqual([name, status, code]);
      expect([name, zh.body.error.message]).toEqual([name, expect.stringMatching(words ?? /[\u4e00-\u9fff]/)]);
      expect([name, en.body.error.message]).toEqual([name, expect.not.stringMatching(/[\u4e00-\u9fff]/)]);
      expect(en.body.error.message).toMatch(/[a-z]{3,}/);
      expect(en.body.error.message).not.toBe(code);
    }
    // nothing was taken by any of them
    const bids = await env.ctx.db
      .selectFrom('auction_bids')
      .select('seq')
      .where('listing_id', 'in', [running.id, early.id, over.id, deposit.id, cancelled.id])
      .execute();
    expect(bids).toEqual([{ seq: 1 }]);
  });
});

describe('the listing lock', () => {
  it('is held for few round trips once granted: off the grid 0, not better 1, an extending bid 3', async () => {
    // the same app on a db that logs every statement it sends; the lock is held from SELECT … FOR UPDATE to the end
    const sent: string[] = [];
    const counted = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: env.ctx.pool }),
      log: (e) => {
        if (e.level === 'query') sent.push(e.query.sql);
      },
    });
    const app = createApp({ ...env.ctx, db: counted });
    const township = await makeTownship(env.ctx);
    const [b1, b2] = await Promise.all([makeUser(env.ctx, 'bidder'), makeUser(env.ctx, 'bidder')]);
    const listing = await makeAuction(env.ctx, {
      townshipId: township.id,
      bidDeadline: await dbClockPlus(env.ctx, 30_000),
      extensionSeconds: 60,
    });
    const underLock = async (token: string, amount: string, status: number) => {
      sent.length = 0;
      await as(app, token).post(bidUrl(listing.id)).send({ amount }).expect(status);
      const from = sent.findIndex((q) => /for update/i.test(q));
      expect(from).toBeGreaterThanOrEqual(0);
      return sent.slice(from + 1).filter((q) => !/^(begin|commit|rollback)/i.test(q.trim())).length;
    };
    expect(await underLock(b1.token, '10250', 422)).toBe(0); // off the grid: decided on the locked row
    const extending = await underLock(b1.token, '10000', 201);
    expect(await underLock(b2.token, '10000', 422)).toBe(1); // not better: clock, best and number
    expect(extending).toBe(3); // clock, best and number; the new end; bidder, bid and NOTIFY
    const end = await env.ctx.db
      .selectFrom('listings')
      .select('ends_at')
      .where('id', '=', listing.id)
      .executeTakeFirst();
    expect(end?.ends_at).not.toBeNull();
  });
});
