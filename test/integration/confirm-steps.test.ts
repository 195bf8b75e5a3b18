import request from 'supertest';
import { createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { signIn } from '../helpers/security';

// Withdrawing a bid and publishing a listing ask first, without JavaScript: the button is a link to a page that
// says what will happen, whose form posts confirm=1. A post without it changes nothing and is sent to that page
// (303), so an old form or a stray click never withdraws or publishes. The API is unchanged.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const DAY = 24 * 3600_000;
const hiddenConfirm = '<input type="hidden" name="confirm" value="1">';

describe('withdrawing a bid asks first', () => {
  it('leads from the bid page to a confirmation; only its post withdraws', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, basePrice: '50000.00' });
    const bidder = await makeUser(env.ctx, 'bidder');
    const { agent, csrf } = await signIn(env.app, bidder);
    await agent
      .post(`/listings/${listing.id}/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '41000.00', confirm: '1' })
      .expect(303);

    const form = await agent.get(`/listings/${listing.id}/bid`).expect(200);
    expect(form.text).toContain(`href="/listings/${listing.id}/bid/withdraw"`);
    expect(form.text).not.toContain(`action="/listings/${listing.id}/bid/withdraw"`); // no one-click withdrawal
    const mine = await agent.get('/bidder/bids').expect(200);
    expect(mine.text).toContain(`href="/listings/${listing.id}/bid/withdraw"`);

    const ask = await agent.get(`/listings/${listing.id}/bid/withdraw`).expect(200);
    expect(ask.text).toContain('确认撤回报价');
    expect(ask.text).toContain('¥41,000.00');
    expect(ask.text).toContain('肆万壹仟元整');
    expect(ask.text).toContain(hiddenConfirm);
    expect(ask.text).toContain(`href="/listings/${listing.id}/bid"`); // the way back keeps the bid

    const stray = await agent.post(`/listings/${listing.id}/bid/withdraw`).type('form').send({ _csrf: csrf });
    expect(stray.status).toBe(303);
    expect(stray.headers.location).toBe(`/listings/${listing.id}/bid/withdraw`);
    // the bid is still there: the bidder's own sealed copy still reads back
    expect((await agent.get(`/listings/${listing.id}/bid`).expect(200)).text).toContain('¥41,000.00');

    const done = await agent
      .post(`/listings/${listing.id}/bid/withdraw`)
      .type('form')
      .send({ _csrf: csrf, confirm: '1' })
      .expect(303);
    expect(done.headers.location).toBe('/bidder/bids?withdrawn=1');
    expect((await agent.get(`/listings/${listing.id}/bid`).expect(200)).text).not.toContain('¥41,000.00');
    // with nothing left to withdraw, the confirmation leads back to the bid page
    const gone = await agent.get(`/listings/${listing.id}/bid/withdraw`).expect(303);
    expect(gone.headers.location).toBe(`/listings/${listing.id}/bid`);
  });

  it('in English too', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, basePrice: '50000.00' });
    const { agent, csrf } = await signIn(env.app, await makeUser(env.ctx, 'bidder'));
    await agent
      .post(`/listings/${listing.id}/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '41000.00', confirm: '1' })
      .expect(303);
    const ask = await agent.get(`/listings/${listing.id}/bid/withdraw`).set('Accept-Language', 'en').expect(200);
    expect(ask.text).toContain('Withdraw your bid?');
    expect(ask.text).toContain('Yes, withdraw it');
  });
});

/** A township's staff member and a draft of theirs ready to publish (with an auditor to hold a key share). */
async function draftToPublish(over: Partial<Parameters<typeof makeListing>[1]> = {}) {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  await makeUser(env.ctx, 'auditor'); // a key holder from outside the township, as publishing a sealed listing needs
  const draft = await makeListing(env.ctx, {
    townshipId: township.id,
    state: 'draft',
    depositAmount: '0',
    bidOpensAt: new Date(Date.now() + 6 * DAY),
    bidDeadline: new Date(Date.now() + 9 * DAY),
    ...over,
  });
  return { staff, draft };
}

describe('publishing a listing asks first', () => {
  it('shows the terms as they will go out; only the confirmed post publishes', async () => {
    const { staff, draft } = await draftToPublish({ basePrice: '50000.00' });
    const { agent, csrf } = await signIn(env.app, staff);
    const state = async () =>
      (await env.ctx.db.selectFrom('listings').select('state').where('id', '=', draft.id).executeTakeFirstOrThrow())
        .state;

    for (const path of [`/listings/${draft.id}`, '/staff']) {
      const page = await agent.get(path).expect(200);
      expect(page.text).toContain(`href="/staff/listings/${draft.id}/publish"`);
      expect(page.text).not.toContain(`action="/staff/listings/${draft.id}/publish"`);
    }
    const ask = await agent.get(`/staff/listings/${draft.id}/publish`).expect(200);
    expect(ask.text).toContain('确认发布公告');
    expect(ask.text).toContain('条款不能再修改');
    expect(ask.text).toContain('¥50,000.00');
    expect(ask.text).toContain('大写：伍万元整');
    expect(ask.text).toContain(hiddenConfirm);

    const stray = await agent.post(`/staff/listings/${draft.id}/publish`).type('form').send({ _csrf: csrf });
    expect(stray.status).toBe(303);
    expect(stray.headers.location).toBe(`/staff/listings/${draft.id}/publish`);
    expect(await state()).toBe('draft');

    const done = await agent
      .post(`/staff/listings/${draft.id}/publish`)
      .type('form')
      .send({ _csrf: csrf, confirm: '1' })
      .expect(303);
    expect(done.headers.location).toBe(`/listings/${draft.id}`);
    expect(await state()).toBe('published');
    // once published there is nothing to confirm: the question leads to the announcement
    const after = await agent.get(`/staff/listings/${draft.id}/publish`).expect(303);
    expect(after.headers.location).toBe(`/listings/${draft.id}`);
  });

  it('leaves the API as it was: POST /api/v1/listings/:id/publish needs no confirmation', async () => {
    const { staff, draft } = await draftToPublish();
    const res = await request(env.app)
      .post(`/api/v1/listings/${draft.id}/publish`)
      .set('Authorization', `Bearer ${staff.token}`)
      .expect(200);
    expect((res.body as { status: string }).status).toBe('announced');
  });
});
