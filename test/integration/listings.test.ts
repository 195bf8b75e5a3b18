import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  // a key holder from outside the townships, so publishing can seal (quorum 2 needs one)
  await makeUser(env.ctx, 'auditor');
});
afterAll(async () => {
  await env.close();
});

const DAY = 24 * 3600_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const body = (over: Record<string, unknown> = {}) => ({
  kind: 'procurement',
  category: 'works',
  title: '村道硬化工程',
  description: '硬化村道 1.2 公里',
  location: '兴桥村',
  quantity: '1.2 公里',
  basePrice: '50000.00',
  depositAmount: '1000',
  bidOpensAt: inDays(7),
  bidDeadline: inDays(14),
  ...over,
});

async function setup() {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  return { township, staff };
}
const listingCount = async (townshipId: string) =>
  Number(
    (
      await env.ctx.db
        .selectFrom('listings')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('township_id', '=', townshipId)
        .executeTakeFirstOrThrow()
    ).n,
  );
const auditActions = async (listingId: string) =>
  (
    await env.ctx.db.selectFrom('audit').select('action').where('listing_id', '=', listingId).orderBy('seq').execute()
  ).map((r) => r.action);

describe('POST /api/v1/listings', () => {
  it('lets a township with no rules of its own trade under the default rules, as every concept does', async () => {
    const { township, staff } = await setup();
    await env.ctx.db.deleteFrom('township_rules').where('township_id', '=', township.id).execute();
    await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ basePrice: '10000.00' }))
      .expect(201);
    // the default band: procurement from 10,000 yuan
    const below = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ basePrice: '9999.99' }));
    expect(below.status).toBe(422);
    expect(await listingCount(township.id)).toBe(1);
  });

  it('creates a draft in the staff member’s township with a human code, and audits it', async () => {
    const { township, staff } = await setup();
    const res = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send({ ...body(), townshipId: township.id })
      .expect(201);
    const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    expect(res.body).toMatchObject({
      code: `${township.code}-${year}-0001`,
      townshipId: township.id,
      kind: 'procurement',
      category: 'works',
      status: 'draft',
      basePrice: '50000.00',
      depositAmount: '1000.00',
      leaseTermMonths: null,
      relistedFrom: null,
      publishedAt: null,
      location: '兴桥村',
    });
    expect(res.body).not.toHaveProperty('bidCount');
    const row = await env.ctx.db
      .selectFrom('listings')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'draft', base_price: '50000.00', created_by: staff.id });
    expect(await auditActions(res.body.id)).toEqual(['listing.created']);
  });

  it('creates a lease with its term and refuses a lease without one', async () => {
    const { township, staff } = await setup();
    const lease = { kind: 'lease', category: 'shop', basePrice: 12000 };
    const ok = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ ...lease, leaseTermMonths: 36 }))
      .expect(201);
    expect(ok.body).toMatchObject({ kind: 'lease', leaseTermMonths: 36, basePrice: '12000.00' });
    const bad = await as(env.app, staff.token).post('/api/v1/listings').send(body(lease)).expect(422);
    expect(bad.body.error.code).toBe('VALIDATION');
    expect(bad.body.error.details.fields).toHaveProperty('leaseTermMonths');
    expect(await listingCount(township.id)).toBe(1);
  });

  it('refuses amounts outside the band with BELOW_THRESHOLD / ABOVE_TOWNSHIP_LIMIT, bounds inclusive', async () => {
    const { township, staff } = await setup();
    const below = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ basePrice: '9999.99' }))
      .expect(422);
    expect(below.body.error.code).toBe('BELOW_THRESHOLD');
    expect(below.body.error.message).toContain('10,000.00');
    const above = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .set('Accept-Language', 'en')
      .send(body({ basePrice: '2000000.01' }))
      .expect(422);
    expect(above.body.error.code).toBe('ABOVE_TOWNSHIP_LIMIT');
    expect(above.body.error.message).toMatch(/county/);
    expect(await listingCount(township.id)).toBe(0);
    await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ basePrice: '10000.00' }))
      .expect(201);
    await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(body({ basePrice: 2000000 }))
      .expect(201);
  });

  it.each([
    ['more than two decimals', '100.001'],
    ['negative', '-5'],
    ['zero', '0'],
    ['exponent', '1e5'],
    ['not a number', 'abc'],
    ['10^12', '1000000000000'],
    ['a boolean', true],
  ])('refuses a basePrice that is %s with 422 INVALID_AMOUNT', async (_what, basePrice) => {
    const { township, staff } = await setup();
    const res = await as(env.app, staff.token).post('/api/v1/listings').send(body({ basePrice })).expect(422);
    expect(res.body.error.code).toBe('INVALID_AMOUNT');
    expect(await listingCount(township.id)).toBe(0);
  });

  it.each([
    ['an unknown category for the kind', { category: 'shop' }, 'category'],
    ['a deadline not after the opening', { bidDeadline: inDays(7) }, 'bidDeadline'],
    ['bids opening sooner than the notice period', { bidOpensAt: inDays(4), bidDeadline: inDays(10) }, 'bidOpensAt'],
    ['a title over 200 characters', { title: '长'.repeat(201) }, 'title'],
    ['a description over 5000 characters', { description: 'x'.repeat(5001) }, 'description'],
    ['an unknown kind', { kind: 'gift' }, 'kind'],
    ['a missing title', { title: undefined }, 'title'],
    ['a date without a time', { bidOpensAt: '2030-01-01' }, 'bidOpensAt'],
  ])('refuses %s with 422 VALIDATION naming the field, storing nothing', async (_what, over, field) => {
    const { township, staff } = await setup();
    const res = await as(env.app, staff.token).post('/api/v1/listings').send(body(over)).expect(422);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details.fields).toHaveProperty(field);
    expect(await listingCount(township.id)).toBe(0);
  });

  it('refuses bidders (403), anonymous callers (401) and wrong JSON types (400)', async () => {
    const { township, staff } = await setup();
    const bidder = await makeUser(env.ctx, 'bidder');
    expect((await as(env.app, bidder.token).post('/api/v1/listings').send(body()).expect(403)).body.error.code).toBe(
      'FORBIDDEN',
    );
    await request(env.app).post('/api/v1/listings').send(body()).expect(401);
    expect(
      (
        await as(env.app, staff.token)
          .post('/api/v1/listings')
          .send(body({ title: 42 }))
          .expect(400)
      ).body.error.code,
    ).toBe('BAD_REQUEST');
    expect(await listingCount(township.id)).toBe(0);
  });

  it('gives 20 concurrent creates 20 distinct consecutive numbers', async () => {
    const { township, staff } = await setup();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => as(env.app, staff.token).post('/api/v1/listings').send(body())),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => Number(r.body.code.split('-').pop())).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.every((r) => r.body.code.startsWith(`${township.code}-`))).toBe(true);
  });
});

describe('PATCH /api/v1/listings/:id', () => {
  it('edits a draft, re-checking the band, and audits the change', async () => {
    const { staff } = await setup();
    const created = (await as(env.app, staff.token).post('/api/v1/listings').send(body()).expect(201)).body;
    const res = await as(env.app, staff.token)
      .patch(`/api/v1/listings/${created.id}`)
      .send({ title: '村道硬化（二期）', basePrice: '60000' })
      .expect(200);
    expect(res.body).toMatchObject({
      title: '村道硬化（二期）',
      basePrice: '60000.00',
      category: 'works',
      code: created.code,
    });
    const below = await as(env.app, staff.token)
      .patch(`/api/v1/listings/${created.id}`)
      .send({ basePrice: '500', depositAmount: '0' })
      .expect(422);
    expect(below.body.error.code).toBe('BELOW_THRESHOLD');
    const row = await env.ctx.db
      .selectFrom('listings')
      .select(['title', 'base_price'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ title: '村道硬化（二期）', base_price: '60000.00' });
    expect(await auditActions(created.id)).toEqual(['listing.created', 'listing.updated']);
  });

  it('refuses edits after publication with 409 INVALID_STATE and other townships with 403', async () => {
    const { township, staff } = await setup();
    const other = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    const published = await makeListing(env.ctx, {
      townshipId: township.id,
      state: 'published',
      bidOpensAt: new Date(Date.now() + DAY),
      bidDeadline: new Date(Date.now() + 2 * DAY),
    });
    const res = await as(env.app, staff.token)
      .patch(`/api/v1/listings/${published.id}`)
      .send({ title: 'x' })
      .expect(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    const draft = await makeListing(env.ctx, { townshipId: township.id, state: 'draft', title: '原名' });
    expect(
      (await as(env.app, other.token).patch(`/api/v1/listings/${draft.id}`).send({ title: '改名' }).expect(403)).body
        .error.code,
    ).toBe('FORBIDDEN');
    const row = await env.ctx.db
      .selectFrom('listings')
      .select('title')
      .where('id', '=', draft.id)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe('原名');
    await as(env.app, staff.token).patch('/api/v1/listings/not-a-uuid').send({ title: 'x' }).expect(404);
  });
});

describe('publish, cancel, relist', () => {
  it('publishes a draft once: it reads announced until bids open', async () => {
    const { staff } = await setup();
    const created = (await as(env.app, staff.token).post('/api/v1/listings').send(body()).expect(201)).body;
    const res = await as(env.app, staff.token).post(`/api/v1/listings/${created.id}/publish`).expect(200);
    expect(res.body.status).toBe('announced');
    expect(new Date(res.body.publishedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${created.id}/publish`).expect(409)).body.error.code,
    ).toBe('INVALID_STATE');
    expect(await auditActions(created.id)).toEqual(['listing.created', 'listing.published']);
  });

  it('checks the notice rule again at publication', async () => {
    const { township, staff } = await setup();
    const draft = await makeListing(env.ctx, {
      townshipId: township.id,
      state: 'draft',
      bidOpensAt: new Date(Date.now() + 2 * DAY),
      bidDeadline: new Date(Date.now() + 9 * DAY),
    });
    const res = await as(env.app, staff.token).post(`/api/v1/listings/${draft.id}/publish`).expect(422);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details.fields).toHaveProperty('bidOpensAt');
    const row = await env.ctx.db
      .selectFrom('listings')
      .select(['state', 'published_at'])
      .where('id', '=', draft.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'draft', published_at: null });
  });

  it('checks the band again at publication (the rules may have changed)', async () => {
    const { township, staff } = await setup();
    const draft = await makeListing(env.ctx, {
      townshipId: township.id,
      state: 'draft',
      basePrice: '3000000.00',
      bidOpensAt: new Date(Date.now() + 8 * DAY),
      bidDeadline: new Date(Date.now() + 9 * DAY),
    });
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${draft.id}/publish`).expect(422)).body.error.code,
    ).toBe('ABOVE_TOWNSHIP_LIMIT');
  });

  it('cancels with a reason before an award, never after', async () => {
    const { township, staff } = await setup();
    const open = await makeListing(env.ctx, { townshipId: township.id });
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${open.id}/cancel`).send({}).expect(422)).body.error
        .details.fields,
    ).toHaveProperty('reason');
    const res = await as(env.app, staff.token)
      .post(`/api/v1/listings/${open.id}/cancel`)
      .send({ reason: '村民代表会议决定暂缓' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: '村民代表会议决定暂缓' });
    const entry = await env.ctx.db
      .selectFrom('audit')
      .select('data')
      .where('listing_id', '=', open.id)
      .where('action', '=', 'listing.cancelled')
      .executeTakeFirstOrThrow();
    expect(entry.data).toMatchObject({ from: 'open', reason: '村民代表会议决定暂缓' });
    for (const state of ['awarded', 'concluded', 'cancelled'] as const) {
      const l = await makeListing(env.ctx, { townshipId: township.id, state });
      expect(
        (
          await as(env.app, staff.token)
            .post(`/api/v1/listings/${l.id}/cancel`)
            .send({ reason: '试图终止' })
            .expect(409)
        ).body.error.code,
      ).toBe('INVALID_STATE');
      const row = await env.ctx.db
        .selectFrom('listings')
        .select(['state', 'cancel_reason'])
        .where('id', '=', l.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state, cancel_reason: null });
    }
  });

  it('relists a failed listing as a new draft with the same terms', async () => {
    const { township, staff } = await setup();
    const failed = await makeListing(env.ctx, {
      townshipId: township.id,
      state: 'failed',
      kind: 'lease',
      category: 'forest',
      basePrice: '8000.00',
      leaseTermMonths: 120,
    });
    const res = await as(env.app, staff.token).post(`/api/v1/listings/${failed.id}/relist`).expect(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      relistedFrom: failed.id,
      kind: 'lease',
      category: 'forest',
      basePrice: '8000.00',
      leaseTermMonths: 120,
      title: failed.title,
    });
    expect(res.body.id).not.toBe(failed.id);
    expect(res.body.code).not.toBe(failed.code);
    expect(await auditActions(res.body.id)).toEqual(['listing.relisted']);
    const open = await makeListing(env.ctx, { townshipId: township.id });
    expect(
      (await as(env.app, staff.token).post(`/api/v1/listings/${open.id}/relist`).expect(409)).body.error.code,
    ).toBe('INVALID_STATE');
  });
});

describe('reading listings', () => {
  it('hides drafts from everyone but their township’s staff', async () => {
    const { township, staff } = await setup();
    const other = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    const draft = await makeListing(env.ctx, { townshipId: township.id, state: 'draft' });
    await request(env.app).get(`/api/v1/listings/${draft.id}`).expect(404);
    await as(env.app, other.token).get(`/api/v1/listings/${draft.id}`).expect(404);
    await as(env.app, staff.token).get(`/api/v1/listings/${draft.id}`).expect(200);
    const publicList = await request(env.app).get(`/api/v1/listings?townshipId=${township.id}`).expect(200);
    expect(publicList.body).toEqual({ items: [], total: 0 });
    const own = await as(env.app, staff.token).get(`/api/v1/listings?townshipId=${township.id}`).expect(200);
    expect(own.body.total).toBe(1);
  });

  it('filters on the effective status computed from the clock', async () => {
    const { township } = await setup();
    const H = 3600_000;
    const announced = await makeListing(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() + H),
      bidDeadline: new Date(Date.now() + 2 * H),
    });
    const open = await makeListing(env.ctx, { townshipId: township.id });
    const closed = await makeListing(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() - 2 * H),
      bidDeadline: new Date(Date.now() - H),
    });
    const lease = await makeListing(env.ctx, {
      townshipId: township.id,
      state: 'cancelled',
      kind: 'lease',
      title: '水库水面承包',
    });
    const ids = async (qs: string) =>
      (await request(env.app).get(`/api/v1/listings?townshipId=${township.id}&${qs}`).expect(200)).body.items.map(
        (l: { id: string }) => l.id,
      );
    expect(await ids('status=announced')).toEqual([announced.id]);
    expect(await ids('status=open')).toEqual([open.id]);
    expect(await ids('status=closed')).toEqual([closed.id]);
    expect(await ids('kind=lease')).toEqual([lease.id]);
    expect(await ids('q=水库')).toEqual([lease.id]);
    expect(await ids('category=shop')).toEqual([lease.id]);
    const page = await request(env.app).get(`/api/v1/listings?townshipId=${township.id}&pageSize=2&page=2`).expect(200);
    expect(page.body.total).toBe(4);
    expect(page.body.items).toHaveLength(2);
    expect((await request(env.app).get('/api/v1/listings?status=bogus').expect(422)).body.error.code).toBe(
      'VALIDATION',
    );
  });

  it('shows no bid count before opening and the live bid count after', async () => {
    const { township } = await setup();
    const bidders = await Promise.all([makeUser(env.ctx, 'bidder'), makeUser(env.ctx, 'bidder')]);
    const closed = await makeListing(env.ctx, {
      townshipId: township.id,
      bidOpensAt: new Date(Date.now() - 7200_000),
      bidDeadline: new Date(Date.now() - 3600_000),
    });
    const opened = await makeListing(env.ctx, { townshipId: township.id, state: 'opened' });
    for (const l of [closed, opened]) {
      for (const [i, b] of bidders.entries()) {
        await env.ctx.db
          .insertInto('bids')
          .values({
            listing_id: l.id,
            bidder_id: b.id,
            amount_sealed: Buffer.from('x'),
            nonce: 'n',
            receipt: `r${i}`,
            submitted_at: new Date(),
            status: i === 0 ? 'live' : 'withdrawn',
          })
          .execute();
      }
    }
    const before = await request(env.app).get(`/api/v1/listings/${closed.id}`).expect(200);
    expect(before.body.status).toBe('closed');
    expect(before.body).not.toHaveProperty('bidCount');
    const after = await request(env.app).get(`/api/v1/listings/${opened.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'opened', bidCount: 1 });
  });
});
