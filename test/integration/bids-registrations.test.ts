import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

async function depositListing(extra: { depositAmount?: string } = {}) {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const bidder = await makeUser(env.ctx, 'bidder');
  const listing = await makeListing(env.ctx, {
    townshipId: township.id,
    depositAmount: extra.depositAmount ?? '2000.00',
  });
  return { township, staff, bidder, listing };
}

describe('registration and deposits', () => {
  it('registers (201 pending), refuses the bid until staff confirm the deposit (403 NOT_REGISTERED), then accepts it', async () => {
    const { staff, bidder, listing } = await depositListing();
    const reg = await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/registrations`).expect(201);
    expect(reg.body).toEqual({ id: expect.any(String), status: 'pending' });
    const pending = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '30000' })
      .expect(403);
    expect(pending.body.error.code).toBe('NOT_REGISTERED');

    const confirmed = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/registrations/${reg.body.id}/confirm`)
      .expect(200);
    expect(confirmed.body).toEqual({ id: reg.body.id, status: 'confirmed' });
    const row = await env.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', reg.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'confirmed', confirmed_by: staff.id, bidder_id: bidder.id });
    expect(row.confirmed_at).toBeInstanceOf(Date);
    // confirming again answers the same
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/registrations/${reg.body.id}/confirm`)
      .expect(200, { id: reg.body.id, status: 'confirmed' });
    await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/bids`).send({ amount: '30000' }).expect(201);
  });

  it('refuses a bid without any registration with 403 NOT_REGISTERED, storing nothing', async () => {
    const { bidder, listing } = await depositListing();
    const res = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .send({ amount: '30000' })
      .expect(403);
    expect(res.body.error.code).toBe('NOT_REGISTERED');
    expect(
      await env.ctx.db.selectFrom('bids').select('id').where('listing_id', '=', listing.id).execute(),
    ).toHaveLength(0);
  });

  it('refuses registering twice with 409 ALREADY_REGISTERED, naming the existing registration', async () => {
    const { bidder, listing } = await depositListing();
    const reg = await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/registrations`).expect(201);
    const again = await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/registrations`).expect(409);
    expect(again.body.error).toMatchObject({
      code: 'ALREADY_REGISTERED',
      details: { id: reg.body.id, status: 'pending' },
    });
    expect(
      await env.ctx.db.selectFrom('registrations').select('id').where('listing_id', '=', listing.id).execute(),
    ).toHaveLength(1);
  });

  it('needs no registration without a deposit: registering is refused (409 DEPOSIT_NOT_REQUIRED), bidding works', async () => {
    const { bidder, listing } = await depositListing({ depositAmount: '0.00' });
    const res = await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/registrations`).expect(409);
    expect(res.body.error.code).toBe('DEPOSIT_NOT_REQUIRED');
    await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/bids`).send({ amount: '30000' }).expect(201);
  });

  it('registers only while published and before the deadline', async () => {
    const { bidder, township } = await depositListing();
    const announced = await makeListing(env.ctx, {
      townshipId: township.id,
      depositAmount: '500.00',
      bidOpensAt: new Date(Date.now() + 3600_000),
      bidDeadline: new Date(Date.now() + 7200_000),
    });
    await as(env.app, bidder.token).post(`/api/v1/listings/${announced.id}/registrations`).expect(201);
    const closed = await makeListing(env.ctx, {
      townshipId: township.id,
      depositAmount: '500.00',
      bidOpensAt: new Date(Date.now() - 7200_000),
      bidDeadline: new Date(Date.now() - 1000),
    });
    expect(
      (await as(env.app, bidder.token).post(`/api/v1/listings/${closed.id}/registrations`).expect(409)).body.error.code,
    ).toBe('REGISTRATION_CLOSED');
    const cancelled = await makeListing(env.ctx, {
      townshipId: township.id,
      depositAmount: '500.00',
      state: 'cancelled',
    });
    expect(
      (await as(env.app, bidder.token).post(`/api/v1/listings/${cancelled.id}/registrations`).expect(409)).body.error
        .code,
    ).toBe('REGISTRATION_CLOSED');
    const draft = await makeListing(env.ctx, { townshipId: township.id, depositAmount: '500.00', state: 'draft' });
    await as(env.app, bidder.token).post(`/api/v1/listings/${draft.id}/registrations`).expect(404);
  });

  it('lets only the township’s staff confirm; unknown registrations are 404', async () => {
    const { bidder, listing, staff } = await depositListing();
    const reg = await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/registrations`).expect(201);
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await as(env.app, otherStaff.token)
      .post(`/api/v1/listings/${listing.id}/registrations/${reg.body.id}/confirm`)
      .expect(403);
    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/registrations/${reg.body.id}/confirm`)
      .expect(403);
    await as(env.app, (await makeUser(env.ctx, 'admin')).token)
      .post(`/api/v1/listings/${listing.id}/registrations/${reg.body.id}/confirm`)
      .expect(403);
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/registrations/00000000-0000-4000-8000-000000000000/confirm`)
      .expect(404);
    await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/registrations/nope/confirm`).expect(404);
    expect(
      (
        await env.ctx.db
          .selectFrom('registrations')
          .select('status')
          .where('id', '=', reg.body.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('pending');
  });

  it('lists registrations to the township’s staff, auditors and admins only; never audits them before opening', async () => {
    const { bidder, listing, staff } = await depositListing();
    const reg = await as(env.app, bidder.token).post(`/api/v1/listings/${listing.id}/registrations`).expect(201);
    const list = await as(env.app, staff.token).get(`/api/v1/listings/${listing.id}/registrations`).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: reg.body.id, bidderId: bidder.id, bidderName: bidder.name, status: 'pending' }),
    ]);
    await as(env.app, (await makeUser(env.ctx, 'auditor')).token)
      .get(`/api/v1/listings/${listing.id}/registrations`)
      .expect(200);
    await as(env.app, (await makeUser(env.ctx, 'admin')).token)
      .get(`/api/v1/listings/${listing.id}/registrations`)
      .expect(200);
    await as(env.app, bidder.token).get(`/api/v1/listings/${listing.id}/registrations`).expect(403);
    await as(env.app).get(`/api/v1/listings/${listing.id}/registrations`).expect(401);
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await as(env.app, otherStaff.token).get(`/api/v1/listings/${listing.id}/registrations`).expect(403);
    const audit = await env.ctx.db.selectFrom('audit').select('action').where('listing_id', '=', listing.id).execute();
    expect(audit).toEqual([]);
  });
});
