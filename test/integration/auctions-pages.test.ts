import request from 'supertest';
import { as, createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { dbClockPlus, makeAuction } from '../helpers/auctions';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

async function signIn(role: 'staff' | 'bidder', townshipId?: string) {
  const user = await makeUser(env.ctx, role, { townshipId });
  const agent = request.agent(env.app);
  const login = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(login.text), username: user.username, password: user.password })
    .expect(303);
  return { user, agent };
}

describe('the auction room page', () => {
  it('shows the live state and the rules to anyone, with the next valid amount and a sign-in link', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id, depositAmount: '2000.00' });
    const page = await request(env.app).get(`/listings/${listing.id}/auction`).expect(200);
    expect(page.text).toContain(`data-auction="${listing.id}"`);
    expect(page.text).toMatch(/\/static\/auction\.[0-9a-f]+\.js|\/static\/auction\.js/);
    expect(page.text).toContain('¥500.00'); // the increment
    expect(page.text).toContain('结束前 300 秒内有人出价');
    expect(page.text).toContain('¥2,000.00'); // the deposit rule
    expect(page.text).toContain('登录后出价');
    expect(page.text).not.toContain('name="amount"');
  });

  it('takes a bid in two steps (amount in 大写, then confirm), answers 303 and shows it after the redirect', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const { agent, user } = await signIn('bidder');
    const room = await agent.get(`/listings/${listing.id}/auction`).expect(200);
    expect(room.text).toMatch(/name="amount"[^>]*value="10000.00"/); // the next valid amount, filled in
    const csrf = csrfFrom(room.text);
    const confirm = await agent
      .post(`/listings/${listing.id}/auction/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '10,500' })
      .expect(200);
    expect(confirm.text).toContain('¥10,500.00');
    expect(confirm.text).toContain('壹万零伍佰元整');
    expect(confirm.text).toContain('name="confirm" value="1"');
    expect(
      await env.ctx.db.selectFrom('auction_bids').select('id').where('listing_id', '=', listing.id).execute(),
    ).toHaveLength(0);

    const posted = await agent
      .post(`/listings/${listing.id}/auction/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '10500.00', confirm: '1' })
      .expect(303);
    expect(posted.headers.location).toBe(`/listings/${listing.id}/auction?accepted=1`);
    const after = await agent.get(posted.headers.location).expect(200);
    expect(after.text).toContain('出价成功');
    expect(after.text).toContain('1号');
    expect(after.text).toContain('您当前领先');
    expect(after.text).not.toContain(user.name!);
    // the leader is not offered a form to outbid itself
    expect(after.text).not.toContain('name="amount"');
  });

  it('answers a refused bid on the room page with the reason and the status code, storing nothing', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const { agent } = await signIn('bidder');
    const csrf = csrfFrom((await agent.get(`/listings/${listing.id}/auction`).expect(200)).text);
    const offGrid = await agent
      .post(`/listings/${listing.id}/auction/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '10250' })
      .expect(422);
    expect(offGrid.text).toContain('加价幅度');
    const other = await makeUser(env.ctx, 'bidder');
    await as(env.app, other.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '11000' })
      .expect(201);
    const stale = await agent
      .post(`/listings/${listing.id}/auction/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '10500', confirm: '1' })
      .expect(422);
    expect(stale.text).toContain('¥11,500.00'); // the new least valid bid, said and filled in
    const noCsrf = await agent
      .post(`/listings/${listing.id}/auction/bid`)
      .type('form')
      .send({ amount: '11500', confirm: '1' });
    expect(noCsrf.status).toBe(403);
    expect(
      await env.ctx.db.selectFrom('auction_bids').select('id').where('listing_id', '=', listing.id).execute(),
    ).toHaveLength(1);
  });
});

describe('the staff console', () => {
  it('watches the room, offers the close only after the end, and the close leads to the result record', async () => {
    const township = await makeTownship(env.ctx);
    const { agent } = await signIn('staff', township.id); // first: signing in is slow on a loaded machine
    const endsAt = await dbClockPlus(env.ctx, 2500);
    const listing = await makeAuction(env.ctx, { townshipId: township.id, bidDeadline: endsAt, extensionSeconds: 2 });
    const bidder = await makeUser(env.ctx, 'bidder');
    const bid = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '10000' })
      .expect(201);
    const running = await agent.get(`/staff/listings/${listing.id}/auction`).expect(200);
    expect(running.text).toContain('1号');
    expect(running.text).not.toContain(bidder.name!);
    expect(running.text).not.toContain('/auction/close');
    // the sealed opening page of an auction leads here while it runs
    const opening = await agent.get(`/staff/listings/${listing.id}/opening`).expect(303);
    expect(opening.headers.location).toBe(`/staff/listings/${listing.id}/auction`);

    const end = new Date(bid.body.endsAt as string).getTime();
    await new Promise((r) => setTimeout(r, Math.max(0, end - Date.now() + 150)));
    const over = await agent.get(`/staff/listings/${listing.id}/auction`).expect(200);
    expect(over.text).toContain('/auction/close');
    const closed = await agent
      .post(`/staff/listings/${listing.id}/auction/close`)
      .type('form')
      .send({ _csrf: csrfFrom(over.text) })
      .expect(303);
    expect(closed.headers.location).toBe(`/staff/listings/${listing.id}/opening`);
    const record = await agent.get(closed.headers.location).expect(200);
    expect(record.text).toContain(bidder.name!); // the record names the bidders once it is closed
    expect(record.text).toContain('¥10,000.00');
  });
});

describe('deposits from the room', () => {
  it('registers from the room (303 back to it), and the sealed bid form of an auction leads to the room', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id, depositAmount: '1000.00' });
    const { agent, user } = await signIn('bidder');
    const room = await agent.get(`/listings/${listing.id}/auction`).expect(200);
    expect(room.text).toContain(`action="/listings/${listing.id}/auction/registration"`);
    expect(room.text).not.toContain('name="amount"');
    const done = await agent
      .post(`/listings/${listing.id}/auction/registration`)
      .type('form')
      .send({ _csrf: csrfFrom(room.text) })
      .expect(303);
    expect(done.headers.location).toBe(`/listings/${listing.id}/auction?registered=1`);
    const reg = await env.ctx.db
      .selectFrom('registrations')
      .select('status')
      .where('listing_id', '=', listing.id)
      .where('bidder_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(reg.status).toBe('pending');
    const sealedForm = await agent.get(`/listings/${listing.id}/bid`).expect(303);
    expect(sealedForm.headers.location).toBe(`/listings/${listing.id}/auction`);
    const announcement = await agent.get(`/listings/${listing.id}`).expect(200);
    expect(announcement.text).toContain(`href="/listings/${listing.id}/auction"`);
    expect(announcement.text).toContain('网络竞价规则');
    expect(announcement.text).toContain('结束前 300 秒内有人出价');
  });
});

describe('the hall screens', () => {
  it('show live auctions on the kiosk and the LED ticker with their best bid, ready to go live', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id, title: '村集体鱼塘承包经营权' });
    const bidder = await makeUser(env.ctx, 'bidder');
    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '12000' })
      .expect(201);
    const kiosk = await request(env.app).get(`/board/kiosk?townshipId=${township.id}`).expect(200);
    expect(kiosk.text).toContain('正在进行的网络竞价');
    expect(kiosk.text).toContain(`data-auction="${listing.id}"`);
    expect(kiosk.text).toContain('¥12,000.00');
    expect(kiosk.text).toMatch(/\/static\/auction\.[0-9a-f]+\.js|\/static\/auction\.js/);
    const ticker = await request(env.app).get(`/board/ticker?townshipId=${township.id}`).expect(200);
    expect(ticker.text).toContain(`data-auction="${listing.id}"`);
    expect(ticker.text).toContain('¥12,000.00');
    expect(ticker.text).toContain('1号');
    expect(ticker.text).not.toContain(bidder.name!);
  });
});
