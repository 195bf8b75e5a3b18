import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing, makeOpenedListingWithBids } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** An awarded procurement deal under publicity (3 days): bidder 0 won, bidder 1 lost, outsider never bid. */
async function awardedDeal(publicityDays = 3) {
  const township = await makeTownship(env.ctx, { publicityDays });
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const bidders = [await makeUser(env.ctx, 'bidder'), await makeUser(env.ctx, 'bidder')];
  const outsider = await makeUser(env.ctx, 'bidder');
  const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
    townshipId: township.id,
    basePrice: '80000.00',
    bids: [
      { bidderId: bidders[0].id, amount: '70000.00' },
      { bidderId: bidders[1].id, amount: '75000.00' },
    ],
  });
  const award = await as(env.app, staff.token)
    .post(`/api/v1/listings/${listing.id}/award`)
    .send({ bidId: bids[0].id })
    .expect(201);
  return { township, staff, bidders, outsider, listing, bids, award: award.body };
}

/** Moves the whole award back in time so its publicity is over. */
async function endPublicity(listingId: string) {
  await env.ctx.db
    .updateTable('awards')
    .set({ awarded_at: new Date(Date.now() - 5 * 86400_000), publicity_ends_at: new Date(Date.now() - 2 * 86400_000) })
    .where('listing_id', '=', listingId)
    .execute();
}

describe('objections (异议) during publicity', () => {
  it('lets a bidder who bid object: 201 {id, status: open}, stored, trailed, staff told', async () => {
    const { staff, bidders, listing } = await awardedDeal();
    const res = await as(env.app, bidders[1].token)
      .post(`/api/v1/listings/${listing.id}/objections`)
      .send({ text: '第一名资质存疑' })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'open' });
    const row = await env.ctx.db
      .selectFrom('objections')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      listing_id: listing.id,
      bidder_id: bidders[1].id,
      text: '第一名资质存疑',
      status: 'open',
    });
    expect(
      await env.ctx.db
        .selectFrom('audit')
        .select('seq')
        .where('listing_id', '=', listing.id)
        .where('action', '=', 'objection.raised')
        .executeTakeFirst(),
    ).toBeDefined();
    const note = await env.ctx.db
      .selectFrom('notifications')
      .select('message_key')
      .where('user_id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(note.message_key).toBe('notify.objectionRaised');
  });

  it('refuses anyone who did not bid with 403, and an empty text with 422', async () => {
    const { staff, outsider, bidders, listing } = await awardedDeal();
    expect(
      (
        await as(env.app, outsider.token)
          .post(`/api/v1/listings/${listing.id}/objections`)
          .send({ text: '我也有意见' })
          .expect(403)
      ).body.error.code,
    ).toBe('FORBIDDEN');
    await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/objections`).send({ text: 'x' }).expect(403);
    await request(env.app).post(`/api/v1/listings/${listing.id}/objections`).send({ text: 'x' }).expect(401);
    expect(
      (
        await as(env.app, bidders[1].token)
          .post(`/api/v1/listings/${listing.id}/objections`)
          .send({ text: '  ' })
          .expect(422)
      ).body.error.code,
    ).toBe('VALIDATION');
    const n = await env.ctx.db.selectFrom('objections').select('id').where('listing_id', '=', listing.id).execute();
    expect(n).toHaveLength(0);
  });

  it('refuses objections outside publicity with 409 INVALID_STATE (before the award and after it ends)', async () => {
    const { bidders, listing } = await awardedDeal();
    await endPublicity(listing.id);
    expect(
      (
        await as(env.app, bidders[1].token)
          .post(`/api/v1/listings/${listing.id}/objections`)
          .send({ text: '晚了' })
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    const township = await makeTownship(env.ctx);
    const { listing: opened } = await makeOpenedListingWithBids(env.ctx, {
      townshipId: township.id,
      bids: [{ bidderId: bidders[1].id, amount: '100.00' }],
    });
    expect(
      (
        await as(env.app, bidders[1].token)
          .post(`/api/v1/listings/${opened.id}/objections`)
          .send({ text: '早了' })
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
  });

  it('lets staff answer once (200 answered, then 409) and tells the objecting bidder', async () => {
    const { staff, bidders, listing } = await awardedDeal();
    const { body } = await as(env.app, bidders[1].token)
      .post(`/api/v1/listings/${listing.id}/objections`)
      .send({ text: '请核实' })
      .expect(201);
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await as(env.app, otherStaff.token)
      .post(`/api/v1/listings/${listing.id}/objections/${body.id}/answer`)
      .send({ text: '不是我们的' })
      .expect(403);
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/objections/${body.id}/answer`)
      .send({ text: '经核实，资质合格。' })
      .expect(200);
    expect(res.body).toEqual({ id: body.id, status: 'answered' });
    const row = await env.ctx.db
      .selectFrom('objections')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'answered', answer: '经核实，资质合格。', answered_by: staff.id });
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/objections/${body.id}/answer`)
          .send({ text: '再答' })
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/objections/00000000-0000-4000-8000-000000000000/answer`)
      .send({ text: 'x' })
      .expect(404);
    const inbox = await as(env.app, bidders[1].token).get('/api/v1/me/notifications').expect(200);
    expect(inbox.body[0]).toMatchObject({
      listingId: listing.id,
      read: false,
      text: expect.stringContaining('异议已答复'),
    });
  });

  it('lists objections for staff, auditors and admins; a bidder sees only their own', async () => {
    const { staff, bidders, listing } = await awardedDeal();
    await as(env.app, bidders[0].token)
      .post(`/api/v1/listings/${listing.id}/objections`)
      .send({ text: '甲' })
      .expect(201);
    await as(env.app, bidders[1].token)
      .post(`/api/v1/listings/${listing.id}/objections`)
      .send({ text: '乙' })
      .expect(201);
    const all = await as(env.app, staff.token).get(`/api/v1/listings/${listing.id}/objections`).expect(200);
    expect(all.body.map((o: { text: string }) => o.text)).toEqual(['甲', '乙']);
    expect(all.body[0]).toMatchObject({ id: expect.any(String), status: 'open', answer: null });
    const auditor = await makeUser(env.ctx, 'auditor');
    expect(
      (await as(env.app, auditor.token).get(`/api/v1/listings/${listing.id}/objections`).expect(200)).body,
    ).toHaveLength(2);
    const own = await as(env.app, bidders[1].token).get(`/api/v1/listings/${listing.id}/objections`).expect(200);
    expect(own.body.map((o: { text: string }) => o.text)).toEqual(['乙']);
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await as(env.app, otherStaff.token).get(`/api/v1/listings/${listing.id}/objections`).expect(403);
    await request(env.app).get(`/api/v1/listings/${listing.id}/objections`).expect(401);
  });
});

describe('POST /api/v1/listings/:id/contract', () => {
  it('refuses during publicity with 409 INVALID_STATE', async () => {
    const { staff, listing } = await awardedDeal();
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/contract`)
      .send({ signedAt: new Date().toISOString() })
      .expect(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    expect(
      await env.ctx.db.selectFrom('contracts').select('id').where('listing_id', '=', listing.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('refuses while an objection is unanswered (409 OBJECTION_OPEN), then concludes at the award amount', async () => {
    const { staff, bidders, listing } = await awardedDeal();
    const { body: objection } = await as(env.app, bidders[1].token)
      .post(`/api/v1/listings/${listing.id}/objections`)
      .send({ text: '有异议' })
      .expect(201);
    await endPublicity(listing.id);
    const blocked = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/contract`)
      .send({ signedAt: new Date().toISOString() })
      .expect(409);
    expect(blocked.body.error.code).toBe('OBJECTION_OPEN');
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/objections/${objection.id}/answer`)
      .send({ text: '已答复' })
      .expect(200);
    const signedAt = new Date().toISOString();
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/contract`)
      .send({ signedAt })
      .expect(200);
    expect(res.body).toMatchObject({
      id: listing.id,
      status: 'concluded',
      code: listing.code,
      basePrice: '80000.00',
      bidCount: 2,
    });
    const contract = await env.ctx.db
      .selectFrom('contracts')
      .selectAll()
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(contract.amount).toBe('70000.00');
    expect(contract.signed_at.toISOString()).toBe(signedAt);
    const row = await env.ctx.db
      .selectFrom('listings')
      .select(['state', 'concluded_at'])
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('concluded');
    expect(row.concluded_at).not.toBeNull();
    expect(
      await env.ctx.db
        .selectFrom('audit')
        .select('data')
        .where('listing_id', '=', listing.id)
        .where('action', '=', 'listing.concluded')
        .executeTakeFirst(),
    ).toBeDefined();
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/contract`).send({ signedAt }).expect(409))
        .body.error.code,
    ).toBe('INVALID_STATE');
  });

  it('takes an explicit amount and a plain date, and validates both', async () => {
    const { staff, listing } = await awardedDeal(0); // no publicity period at all
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/contract`)
          .send({ signedAt: 'next week' })
          .expect(422)
      ).body.error.code,
    ).toBe('VALIDATION');
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/contract`)
          .send({ signedAt: '2027-02-30' })
          .expect(422)
      ).body.error.code,
    ).toBe('VALIDATION');
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/contract`)
          .send({ signedAt: new Date().toISOString(), amount: '1.234' })
          .expect(422)
      ).body.error.code,
    ).toBe('INVALID_AMOUNT');
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/contract`)
          .send({ signedAt: 20261121 })
          .expect(400)
      ).body.error.code,
    ).toBe('BAD_REQUEST');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/contract`)
      .send({ signedAt: today, amount: 69500 })
      .expect(200);
    const contract = await env.ctx.db
      .selectFrom('contracts')
      .selectAll()
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(contract.amount).toBe('69500.00');
  });

  it('refuses a listing that was never awarded (409 INVALID_STATE) and other townships’ staff (403)', async () => {
    const { staff, listing } = await awardedDeal(0);
    const opened = await makeListing(env.ctx, { townshipId: listing.townshipId, state: 'opened' });
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${opened.id}/contract`)
          .send({ signedAt: new Date().toISOString() })
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await as(env.app, otherStaff.token)
      .post(`/api/v1/listings/${listing.id}/contract`)
      .send({ signedAt: new Date().toISOString() })
      .expect(403);
  });
});

describe('deposit refunds', () => {
  it('moves a refundable deposit to refunded once (then 409 INVALID_STATE), trailed', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const [winner, loser] = [await makeUser(env.ctx, 'bidder'), await makeUser(env.ctx, 'bidder')];
    const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
      townshipId: township.id,
      depositAmount: '2000.00',
      bids: [
        { bidderId: winner.id, amount: '40000.00' },
        { bidderId: loser.id, amount: '41000.00' },
      ],
    });
    const regs = await env.ctx.db
      .insertInto('registrations')
      .values([winner, loser].map((b) => ({ listing_id: listing.id, bidder_id: b.id, status: 'confirmed' as const })))
      .returning(['id', 'bidder_id'])
      .execute();
    const loserReg = regs.find((r) => r.bidder_id === loser.id)!.id;
    const winnerReg = regs.find((r) => r.bidder_id === winner.id)!.id;
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/registrations/${loserReg}/refund`)
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/award`).send({ bidId: bids[0].id }).expect(201);
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/registrations/${loserReg}/refund`)
      .expect(200);
    expect(res.body).toEqual({ id: loserReg, status: 'refunded' });
    const row = await env.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', loserReg)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'refunded', refunded_by: staff.id });
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/registrations/${loserReg}/refund`)
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    expect(
      (
        await as(env.app, staff.token)
          .post(`/api/v1/listings/${listing.id}/registrations/${winnerReg}/refund`)
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/registrations/00000000-0000-4000-8000-000000000000/refund`)
      .expect(404);
    await as(env.app, winner.token).post(`/api/v1/listings/${listing.id}/registrations/${loserReg}/refund`).expect(403);
    expect(
      await env.ctx.db
        .selectFrom('audit')
        .select('seq')
        .where('action', '=', 'registration.refunded')
        .where('listing_id', '=', listing.id)
        .execute(),
    ).toHaveLength(1);
  });
});

describe('inbox API', () => {
  it('shows award messages in the reader’s language and marks them read', async () => {
    const { bidders, listing } = await awardedDeal();
    const zh = await as(env.app, bidders[0].token).get('/api/v1/me/notifications').expect(200);
    expect(zh.body).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        text: expect.stringContaining(listing.title),
        listingId: listing.id,
        read: false,
      },
    ]);
    expect(zh.body[0].text).toMatch(/成交/);
    const en = await as(env.app, bidders[0].token)
      .get('/api/v1/me/notifications')
      .set('Accept-Language', 'en')
      .expect(200);
    expect(en.body[0].text).toMatch(/^You won/);
    await as(env.app, bidders[1].token).post(`/api/v1/me/notifications/${zh.body[0].id}/read`).expect(404);
    await as(env.app, bidders[0].token).post('/api/v1/me/notifications/nope/read').expect(404);
    await as(env.app, bidders[0].token).post(`/api/v1/me/notifications/${zh.body[0].id}/read`).expect(204);
    const after = await as(env.app, bidders[0].token).get('/api/v1/me/notifications').expect(200);
    expect(after.body[0].read).toBe(true);
    await request(env.app).get('/api/v1/me/notifications').expect(401);
  });
});
