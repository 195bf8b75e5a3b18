import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const H = 3600_000;
async function setup(f: Parameters<typeof makeListing>[1] extends infer T ? Partial<T> : never = {}) {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const bidder = await makeUser(env.ctx, 'bidder', { name: '李四' });
  const listing = await makeListing(env.ctx, { townshipId: township.id, ...f });
  return { township, staff, bidder, listing };
}
const questionCount = async (listingId: string) =>
  Number(
    (
      await env.ctx.db
        .selectFrom('questions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('listing_id', '=', listingId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('public Q&A (答疑)', () => {
  it('a bidder asks, the township’s staff answer, the public reads it without the asker', async () => {
    const { staff, bidder, listing } = await setup({
      bidOpensAt: new Date(Date.now() + H),
      bidDeadline: new Date(Date.now() + 2 * H),
    });
    const asked = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/questions`)
      .send({ text: '保证金可以现金缴纳吗？' })
      .expect(201);
    expect(asked.body).toMatchObject({ id: expect.any(String), text: '保证金可以现金缴纳吗？' });
    const answered = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/questions/${asked.body.id}/answer`)
      .send({ text: '只接受银行转账。' })
      .expect(200);
    expect(answered.body).toMatchObject({
      id: asked.body.id,
      answer: '只接受银行转账。',
      answeredAt: expect.any(String),
    });
    const list = await request(env.app).get(`/api/v1/listings/${listing.id}/questions`).expect(200);
    expect(list.body).toEqual([
      {
        id: asked.body.id,
        text: '保证金可以现金缴纳吗？',
        answer: '只接受银行转账。',
        askedAt: expect.any(String),
        answeredAt: expect.any(String),
      },
    ]);
    const raw = JSON.stringify(list.body);
    expect(raw).not.toContain(bidder.id);
    expect(raw).not.toContain('李四');
    // the asker is never written to the audit trail (who is interested is sealed like the bids)
    const audit = await env.ctx.db
      .selectFrom('audit')
      .select(['actor', 'action', 'data'])
      .where('listing_id', '=', listing.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['listing.question_answered']);
    expect(JSON.stringify(audit)).not.toContain(bidder.username);
    const again = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/questions/${asked.body.id}/answer`)
      .send({ text: '改口' })
      .expect(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
  });

  it('takes questions only while published and before the deadline', async () => {
    const closed = await setup({ bidOpensAt: new Date(Date.now() - 2 * H), bidDeadline: new Date(Date.now() - H) });
    expect(
      (
        await as(env.app, closed.bidder.token)
          .post(`/api/v1/listings/${closed.listing.id}/questions`)
          .send({ text: '还能报吗？' })
          .expect(409)
      ).body.error.code,
    ).toBe('INVALID_STATE');
    const draft = await setup({ state: 'draft' });
    await as(env.app, draft.bidder.token)
      .post(`/api/v1/listings/${draft.listing.id}/questions`)
      .send({ text: '草稿？' })
      .expect(404);
    expect(await questionCount(closed.listing.id)).toBe(0);
    expect(await questionCount(draft.listing.id)).toBe(0);
  });

  it('refuses text over 1000 characters, staff asking, anonymous asking and other townships answering', async () => {
    const { staff, bidder, listing } = await setup();
    const long = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/questions`)
      .send({ text: '问'.repeat(1001) })
      .expect(422);
    expect(long.body.error.details.fields).toHaveProperty('text');
    await as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/questions`).send({ text: '自问' }).expect(403);
    await request(env.app).post(`/api/v1/listings/${listing.id}/questions`).send({ text: '匿名' }).expect(401);
    expect(await questionCount(listing.id)).toBe(0);
    const q = (
      await as(env.app, bidder.token)
        .post(`/api/v1/listings/${listing.id}/questions`)
        .send({ text: '工期多长？' })
        .expect(201)
    ).body;
    const other = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await as(env.app, other.token)
      .post(`/api/v1/listings/${listing.id}/questions/${q.id}/answer`)
      .send({ text: '三个月' })
      .expect(403);
    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/questions/${q.id}/answer`)
      .send({ text: '三个月' })
      .expect(403);
    const row = await env.ctx.db
      .selectFrom('questions')
      .select('answer')
      .where('id', '=', q.id)
      .executeTakeFirstOrThrow();
    expect(row.answer).toBeNull();
  });
});
