import request from 'supertest';
import { createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeOpenedListingWithBids } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

async function signIn(user: { username: string; password: string }) {
  const agent = request.agent(env.app);
  const form = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), username: user.username, password: user.password })
    .expect(303);
  return agent;
}

describe('award pages', () => {
  it('lets staff award from the ranked bids, asking a reason for another bid, then shows the printable result', async () => {
    const township = await makeTownship(env.ctx, { publicityDays: 3 });
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const [b1, b2] = [
      await makeUser(env.ctx, 'bidder', { name: '刘建国' }),
      await makeUser(env.ctx, 'bidder', { name: '曾小红' }),
    ];
    const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
      townshipId: township.id,
      basePrice: '50000.00',
      title: '兴桥镇钟家村水渠修缮工程',
      bids: [
        { bidderId: b1.id, amount: '42000.00' },
        { bidderId: b2.id, amount: '45000.00' },
      ],
    });
    const agent = await signIn(staff);
    const page = await agent.get(`/staff/listings/${listing.id}/award`).expect(200);
    expect(page.text).toContain('¥42,000.00');
    expect(page.text).toMatch(/value="[^"]+" checked data-top/); // the top bid is preselected
    expect(page.text).toContain('name="reason"'); // shown without JS, with its hint
    expect(page.text).toMatch(/\/static\/awards\.[0-9a-f]{10}\.js/);
    const refused = await agent
      .post(`/staff/listings/${listing.id}/award`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), bidId: bids[1].id })
      .expect(422);
    expect(refused.text).toContain('必须书面说明理由');
    const done = await agent
      .post(`/staff/listings/${listing.id}/award`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), bidId: bids[1].id, reason: '第一名放弃' })
      .expect(303);
    expect(done.headers.location).toBe(`/staff/listings/${listing.id}/award?done=1`);
    const award = await env.ctx.db
      .selectFrom('awards')
      .select(['bid_id', 'reason'])
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(award).toEqual({ bid_id: bids[1].id, reason: '第一名放弃' });

    const result = await request(env.app).get(`/listings/${listing.id}/result`).expect(200);
    expect(result.text).toContain('成交结果公示');
    expect(result.text).toContain('兴桥镇钟家村水渠修缮工程');
    expect(result.text).toContain('曾小红');
    expect(result.text).toContain('¥5,000.00');
    expect(result.text).toMatch(/\/static\/print\.[0-9a-f]{10}\.css/);
    expect(result.text).not.toContain('action="/listings/'); // no objection form for the public

    const bidderAgent = await signIn(b1);
    const asBidder = await bidderAgent.get(`/listings/${listing.id}/result`).expect(200);
    expect(asBidder.text).toContain(`action="/listings/${listing.id}/objections"`);
    await bidderAgent
      .post(`/listings/${listing.id}/objections`)
      .type('form')
      .send({ _csrf: csrfFrom(asBidder.text), text: '请说明放弃原因' })
      .expect(303);
    const objections = await agent.get(`/staff/listings/${listing.id}/objections`).expect(200);
    expect(objections.text).toContain('请说明放弃原因');
    const inbox = await bidderAgent.get('/inbox').expect(200);
    expect(inbox.text).toContain('兴桥镇钟家村水渠修缮工程');
  });

  it('answers 404 for a result that does not exist and 403 for another township’s staff', async () => {
    await request(env.app).get('/listings/00000000-0000-4000-8000-000000000000/result').expect(404);
    const township = await makeTownship(env.ctx);
    const bidder = await makeUser(env.ctx, 'bidder');
    const { listing } = await makeOpenedListingWithBids(env.ctx, {
      townshipId: township.id,
      bids: [{ bidderId: bidder.id, amount: '100.00' }],
    });
    await request(env.app).get(`/listings/${listing.id}/result`).expect(404);
    const other = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    const agent = await signIn(other);
    await agent.get(`/staff/listings/${listing.id}/award`).expect(403);
  });
});
