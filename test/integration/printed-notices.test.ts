import request from 'supertest';
import { createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing, makeOpenedListingWithBids } from '../helpers/fixtures';
import { signIn } from '../helpers/security';

// Printed notices state their amounts in 大写 as well as in numerals (the announcement 公告, the result notice
// 成交公示 with its contract), in both languages, since what is printed is the station's Chinese record.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('大写 on printed notices', () => {
  it('the announcement states the base price and the deposit in capitals', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, {
      townshipId: township.id,
      basePrice: '50000.00',
      depositAmount: '1005.50',
    });
    const page = await request(env.app).get(`/listings/${listing.id}`).expect(200);
    expect(page.text).toContain('大写：伍万元整');
    expect(page.text).toContain('大写：壹仟零伍元伍角');
    const en = await request(env.app).get(`/listings/${listing.id}`).set('Accept-Language', 'en').expect(200);
    expect(en.text).toContain('In Chinese capitals: 伍万元整');
  });

  it('a listing without a deposit prints no capitals for it', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, basePrice: '12000.00', depositAmount: '0' });
    const page = await request(env.app).get(`/listings/${listing.id}`).expect(200);
    expect(page.text).toContain('大写：壹万贰仟元整');
    expect(page.text).not.toContain('大写：零元整');
  });

  it('the result notice states the base price, the award and the contract in capitals', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const bidder = await makeUser(env.ctx, 'bidder', { name: '刘建国' });
    const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
      townshipId: township.id,
      basePrice: '50000.00',
      bids: [{ bidderId: bidder.id, amount: '42105.08' }],
    });
    const { agent } = await signIn(env.app, staff);
    const form = await agent.get(`/staff/listings/${listing.id}/award`).expect(200);
    await agent
      .post(`/staff/listings/${listing.id}/award`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), bidId: bids[0].id })
      .expect(303);

    let notice = await request(env.app).get(`/listings/${listing.id}/result`).expect(200);
    expect(notice.text).toContain('大写：伍万元整');
    expect(notice.text).toContain('大写：肆万贰仟壹佰零伍元零捌分');

    await env.ctx.db
      .insertInto('contracts')
      .values({ listing_id: listing.id, signed_at: new Date(), amount: '42000.00', recorded_by: staff.id })
      .execute();
    notice = await request(env.app).get(`/listings/${listing.id}/result`).expect(200);
    expect(notice.text).toContain('大写：肆万贰仟元整');
  });
});
