import crypto from 'node:crypto';
import { computeReceipt, makeNonce, sealAmount } from '../../server/bids/seal';
import { Decimal } from '../../server/http/money';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { ListingFixture, makeListing } from '../helpers/fixtures';
import { openAtQuorum } from '../helpers/opening';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

type User = Awaited<ReturnType<typeof makeUser>>;

async function setup(listing: Partial<ListingFixture> = {}) {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const auditor = await makeUser(env.ctx, 'auditor');
  const l = await makeListing(env.ctx, { townshipId: township.id, ...listing });
  return { township, staff, auditor, listing: l };
}

async function bid(user: User, listingId: string, amount: string) {
  return (await as(env.app, user.token).post(`/api/v1/listings/${listingId}/bids`).send({ amount }).expect(201)).body;
}

/** The deadline passes: moved into the past in the database, as the clock would. */
async function closeBidding(listingId: string) {
  await env.ctx.db
    .updateTable('listings')
    .set({ bid_deadline: new Date(Date.now() - 1000) })
    .where('id', '=', listingId)
    .execute();
}

/** A bid stored behind the API's back, to reach cases the API refuses at the door. */
// bids stored one after another get strictly later times, even within one millisecond
let lastStoredAt = 0;
async function storeBidDirectly(listingId: string, bidderId: string, amount: string, sealedFor = listingId) {
  const nonce = makeNonce();
  lastStoredAt = Math.max(Date.now(), lastStoredAt + 1);
  const submittedAt = new Date(lastStoredAt);
  await env.ctx.db
    .insertInto('bids')
    .values({
      listing_id: listingId,
      bidder_id: bidderId,
      amount_sealed: sealAmount(env.ctx.sealKey, new Decimal(amount), sealedFor, bidderId),
      nonce,
      receipt: computeReceipt({ listingId, bidderId, amount, submittedAt: submittedAt.toISOString(), nonce }),
      submitted_at: submittedAt,
    })
    .execute();
}

describe('POST /api/v1/listings/:id/open', () => {
  it('refuses before the deadline with 409 NOT_CLOSED and changes nothing', async () => {
    const { staff, listing } = await setup();
    const res = await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/open`).expect(409);
    expect(res.body.error.code).toBe('NOT_CLOSED');
    const row = await env.ctx.db
      .selectFrom('listings')
      .select(['state', 'opened_at'])
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'published', opened_at: null });
  });

  it('refuses listings not in the published state with 409 INVALID_STATE', async () => {
    const { staff, township } = await setup();
    for (const state of ['draft', 'opened', 'failed', 'cancelled', 'awarded'] as const) {
      const l = await makeListing(env.ctx, {
        townshipId: township.id,
        state,
        bidOpensAt: new Date(Date.now() - 7200_000),
        bidDeadline: new Date(Date.now() - 3600_000),
      });
      const res = await as(env.app, staff.token).post(`/api/v1/listings/${l.id}/open`).expect(409);
      expect(res.body.error.code).toBe('INVALID_STATE');
    }
  });

  it('is for the township’s staff only', async () => {
    const { listing } = await setup();
    await closeBidding(listing.id);
    const otherStaff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    expect(
      (await as(env.app, otherStaff.token).post(`/api/v1/listings/${listing.id}/open`).expect(403)).body.error.code,
    ).toBe('FORBIDDEN');
    for (const role of ['bidder', 'auditor', 'admin'] as const) {
      await as(env.app, (await makeUser(env.ctx, role)).token)
        .post(`/api/v1/listings/${listing.id}/open`)
        .expect(403);
    }
    await as(env.app).post(`/api/v1/listings/${listing.id}/open`).expect(401);
  });

  it('opens procurement bids: ranks lowest first with ties to the earlier bid, writes results, audits and notifies', async () => {
    const { staff, auditor, listing } = await setup({ basePrice: '50000.00' });
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => makeUser(env.ctx, 'bidder')));
    const bidA = await bid(a, listing.id, '45000.00');
    const bidB = await bid(b, listing.id, '42000.00'); // tie with C, earlier
    const bidC = await bid(c, listing.id, '42000.00');
    await bid(d, listing.id, '49000.00');
    const bidD = await bid(d, listing.id, '41000.50'); // replaces D's first bid
    await closeBidding(listing.id);
    // still sealed after the deadline until the opening
    expect(
      (await as(env.app, staff.token).get(`/api/v1/listings/${listing.id}/bids`).expect(409)).body.error.code,
    ).toBe('SEALED');

    const res = await openAtQuorum(env.app, staff, listing.id, [auditor]);
    expect(res.body.status).toBe('opened');
    expect(res.body.bids.map((x: { id: string; rank: number; amount: string }) => [x.id, x.rank, x.amount])).toEqual([
      [bidD.id, 1, '41000.50'],
      [bidB.id, 2, '42000.00'],
      [bidC.id, 3, '42000.00'],
      [bidA.id, 4, '45000.00'],
    ]);
    expect(res.body.bids[0]).toEqual({
      id: bidD.id,
      bidderId: d.id,
      bidderName: d.name,
      amount: '41000.50',
      submittedAt: bidD.submittedAt,
      receipt: bidD.receipt,
      nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
      rank: 1,
      valid: true,
      invalidReason: null,
    });
    // every bidder can recompute their receipt from the published nonce
    for (const x of res.body.bids) {
      expect(
        computeReceipt({
          listingId: listing.id,
          bidderId: x.bidderId,
          amount: x.amount,
          submittedAt: x.submittedAt,
          nonce: x.nonce,
        }),
      ).toBe(x.receipt);
    }

    const rows = await env.ctx.db
      .selectFrom('bids')
      .select(['id', 'amount', 'rank', 'valid', 'status'])
      .where('listing_id', '=', listing.id)
      .execute();
    expect(rows.find((r) => r.id === bidD.id)).toMatchObject({ amount: '41000.50', rank: 1, valid: true });
    expect(rows.filter((r) => r.status === 'superseded')).toEqual([
      expect.objectContaining({ amount: null, rank: null }),
    ]);
    const l = await env.ctx.db
      .selectFrom('listings')
      .select(['state', 'opened_at', 'failed_at'])
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(l.state).toBe('opened');
    expect(l.opened_at).toBeInstanceOf(Date);
    expect(l.failed_at).toBeNull();

    const audit = await env.ctx.db.selectFrom('audit').selectAll().where('listing_id', '=', listing.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'listing.opened', actor: staff.username });
    const data = audit[0].data as { bids: { receipt: string; amount: string; rank: number }[] };
    expect(data.bids.map((x) => [x.receipt, x.amount, x.rank])).toEqual(
      res.body.bids.map((x: { receipt: string; amount: string; rank: number }) => [x.receipt, x.amount, x.rank]),
    );

    const notes = await env.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('listing_id', '=', listing.id)
      .execute();
    expect(notes.map((n) => n.user_id).sort()).toEqual([a.id, b.id, c.id, d.id].sort());
    expect(notes[0]).toMatchObject({
      message_key: 'notify.listingOpened',
      params: { code: listing.code, title: listing.title },
    });

    // after opening the record is readable by staff, auditors and admins (bidders still 403)
    for (const user of [staff, await makeUser(env.ctx, 'auditor'), await makeUser(env.ctx, 'admin')]) {
      expect((await as(env.app, user.token).get(`/api/v1/listings/${listing.id}/bids`).expect(200)).body).toEqual(
        res.body.bids,
      );
    }
    await as(env.app, a.token).get(`/api/v1/listings/${listing.id}/bids`).expect(403);
    // and cannot be opened twice, nor bid on
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/open`).expect(409)).body.error.code,
    ).toBe('INVALID_STATE');
    expect(
      (await as(env.app, a.token).post(`/api/v1/listings/${listing.id}/bids`).send({ amount: '100' }).expect(409)).body
        .error.code,
    ).toBe('BIDDING_CLOSED');
  });

  it('ranks a lease highest first', async () => {
    const { staff, auditor, listing } = await setup({ kind: 'lease', basePrice: '3000.00' });
    const [a, b] = await Promise.all([1, 2].map(() => makeUser(env.ctx, 'bidder')));
    const low = await bid(a, listing.id, '3000.00');
    const high = await bid(b, listing.id, '3600.00');
    await closeBidding(listing.id);
    const res = await openAtQuorum(env.app, staff, listing.id, [auditor]);
    expect(res.body.status).toBe('opened');
    expect(res.body.bids.map((x: { id: string }) => x.id)).toEqual([high.id, low.id]);
  });

  it('fails the deal (流标) with fewer valid bids than the township’s minimum: state failed, audit listing.failed, bidders told', async () => {
    const { staff, auditor, listing } = await setup(); // procurement needs 3 valid bids by default
    const [a, b] = await Promise.all([1, 2].map(() => makeUser(env.ctx, 'bidder')));
    await bid(a, listing.id, '40000');
    await bid(b, listing.id, '41000');
    await closeBidding(listing.id);
    const res = await openAtQuorum(env.app, staff, listing.id, [auditor]);
    expect(res.body.status).toBe('failed');
    expect(res.body.bids).toHaveLength(2);
    const l = await env.ctx.db
      .selectFrom('listings')
      .select(['state', 'opened_at', 'failed_at'])
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(l.state).toBe('failed');
    expect(l.failed_at).toBeInstanceOf(Date);
    const audit = await env.ctx.db.selectFrom('audit').select('action').where('listing_id', '=', listing.id).execute();
    expect(audit).toEqual([{ action: 'listing.failed' }]);
    const notes = await env.ctx.db
      .selectFrom('notifications')
      .select(['user_id', 'message_key'])
      .where('listing_id', '=', listing.id)
      .execute();
    expect(notes).toHaveLength(2);
    expect(notes.every((n) => n.message_key === 'notify.listingFailed')).toBe(true);
    // the record stays readable after a failed opening
    expect((await as(env.app, staff.token).get(`/api/v1/listings/${listing.id}/bids`).expect(200)).body).toHaveLength(
      2,
    );
  });

  it('opens a listing with no bids at all as failed', async () => {
    const { staff, auditor, listing } = await setup();
    await closeBidding(listing.id);
    expect((await openAtQuorum(env.app, staff, listing.id, [auditor])).body).toEqual({
      status: 'failed',
      bids: [],
    });
  });

  it('sets aside bids without a confirmed deposit, out of range or unreadable, with a reason, after the valid ones', async () => {
    const { staff, auditor, listing, township } = await setup({ depositAmount: '1000.00', basePrice: '50000.00' });
    await env.ctx.db
      .updateTable('township_rules')
      .set({ procurement_min_valid_bids: 1 })
      .where('township_id', '=', township.id)
      .execute();
    const [ok, pending, over, tampered] = await Promise.all([1, 2, 3, 4].map(() => makeUser(env.ctx, 'bidder')));
    const registered = [];
    for (const u of [ok, pending, over, tampered]) {
      registered.push(
        (await as(env.app, u.token).post(`/api/v1/listings/${listing.id}/registrations`).expect(201)).body.id,
      );
    }
    for (const id of [registered[0], registered[2], registered[3]]) {
      await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/registrations/${id}/confirm`).expect(200);
    }
    const good = await bid(ok, listing.id, '45000.00');
    await storeBidDirectly(listing.id, pending.id, '30000.00'); // registered, deposit never confirmed
    await storeBidDirectly(listing.id, over.id, '60000.00'); // above the ceiling
    await storeBidDirectly(listing.id, tampered.id, '20000.00', crypto.randomUUID()); // sealed for another listing
    await closeBidding(listing.id);

    const res = await openAtQuorum(env.app, staff, listing.id, [auditor]);
    expect(res.body.status).toBe('opened');
    const summary = res.body.bids.map(
      (x: {
        bidderId: string;
        valid: boolean;
        rank: number | null;
        invalidReason: string | null;
        amount: string | null;
      }) => [x.bidderId, x.valid, x.rank, x.invalidReason, x.amount],
    );
    expect(summary).toEqual([
      [ok.id, true, 1, null, '45000.00'],
      [pending.id, false, null, 'NOT_REGISTERED', '30000.00'],
      [over.id, false, null, 'OUT_OF_RANGE', '60000.00'],
      [tampered.id, false, null, 'UNREADABLE', null],
    ]);
    expect(res.body.bids[0].id).toBe(good.id);
    const stored = await env.ctx.db
      .selectFrom('bids')
      .select(['bidder_id', 'valid', 'invalid_reason'])
      .where('listing_id', '=', listing.id)
      .execute();
    expect(stored.find((s) => s.bidder_id === pending.id)).toEqual({
      bidder_id: pending.id,
      valid: false,
      invalid_reason: 'NOT_REGISTERED',
    });
    // the audit entry lists the registrations too, now that they may be known
    const entry = await env.ctx.db
      .selectFrom('audit')
      .select('data')
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect((entry.data as { registrations: unknown[] }).registrations).toHaveLength(4);
  });
});
