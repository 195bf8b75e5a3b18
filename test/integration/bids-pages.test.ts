import { Kysely, PostgresDialect } from 'kysely';
import request from 'supertest';
import { createApp } from '../../server/app';
import type { Database } from '../../server/db/database';
import { createTestEnv, csrfFrom, makeTownship, makeUser, TEST_PASSWORD, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

async function signIn(role: 'staff' | 'bidder' | 'auditor', townshipId?: string, app = env.app) {
  const user = await makeUser(env.ctx, role, { townshipId });
  const agent = request.agent(app);
  const login = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(login.text), username: user.username, password: user.password })
    .expect(303);
  return { user, agent };
}

describe('bidder pages', () => {
  it('takes an offer in two steps: the confirmation shows numerals and 大写, only the second post stores the bid', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, basePrice: '50000.00' });
    const { agent, user } = await signIn('bidder');
    const form = await agent.get(`/listings/${listing.id}/bid`).expect(200);
    expect(form.text).toContain('data-capitals="bid-capitals"');
    expect(form.text).toMatch(/\/static\/bids\.[0-9a-f]{10}\.js/);
    expect(form.text).toContain(`data-countdown="${listing.bidDeadline.toISOString()}"`);
    const csrf = csrfFrom(form.text);

    const confirm = await agent
      .post(`/listings/${listing.id}/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '42,123.45' })
      .expect(200);
    expect(confirm.text).toContain('¥42,123.45');
    expect(confirm.text).toContain('肆万贰仟壹佰贰拾叁元肆角伍分');
    expect(confirm.text).toContain('name="confirm" value="1"');
    expect(confirm.text).toContain('确认提交');
    expect(
      await env.ctx.db.selectFrom('bids').select('id').where('listing_id', '=', listing.id).execute(),
    ).toHaveLength(0);

    const posted = await agent
      .post(`/listings/${listing.id}/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '42123.45', confirm: '1' })
      .expect(303);
    expect(posted.headers.location).toBe(`/listings/${listing.id}/bid/receipt`);
    const row = await env.ctx.db
      .selectFrom('bids')
      .select(['receipt', 'bidder_id'])
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(row.bidder_id).toBe(user.id);
    // the receipt is a page of its own: reloading it shows the same receipt and places nothing
    for (let i = 0; i < 3; i += 1) {
      const done = await agent.get(String(posted.headers.location)).expect(200);
      expect(done.text).toContain(row.receipt);
      // the short form a villager copies down: the first 16 hex characters in groups of four
      expect(done.text).toContain(row.receipt.slice(0, 16).match(/.{4}/g)!.join(' '));
      expect(done.text).toContain('抄在纸上');
    }
    expect(
      await env.ctx.db.selectFrom('bids').select('id').where('listing_id', '=', listing.id).execute(),
    ).toHaveLength(1);

    const mine = await agent.get('/bidder/bids').expect(200);
    expect(mine.text).toContain(listing.title);
    expect(mine.text).toContain(row.receipt);
    expect(mine.text).toContain('data-countdown=');
    expect(mine.text).toContain(`/listings/${listing.id}/bid/withdraw`);

    await agent
      .post(`/listings/${listing.id}/bid/withdraw`)
      .type('form')
      .send({ _csrf: csrf, confirm: '1' })
      .expect(303);
    expect(
      (
        await env.ctx.db
          .selectFrom('bids')
          .select('status')
          .where('listing_id', '=', listing.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('withdrawn');
  });

  it('explains a refused amount on the form and stores nothing', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, basePrice: '50000.00' });
    const { agent } = await signIn('bidder');
    const csrf = csrfFrom((await agent.get(`/listings/${listing.id}/bid`)).text);
    const over = await agent
      .post(`/listings/${listing.id}/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '60000' })
      .expect(422);
    expect(over.text).toContain('最高限价');
    const bad = await agent
      .post(`/listings/${listing.id}/bid`)
      .type('form')
      .send({ _csrf: csrf, amount: '1.234' })
      .expect(422);
    expect(bad.text).toContain('金额格式不正确');
    expect(
      await env.ctx.db.selectFrom('bids').select('id').where('listing_id', '=', listing.id).execute(),
    ).toHaveLength(0);
  });

  it('offers registration where a deposit is asked, and the bid form only once it is confirmed', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, depositAmount: '2000.00' });
    const { agent } = await signIn('bidder');
    const page = await agent.get(`/listings/${listing.id}/bid`).expect(200);
    expect(page.text).toContain(`action="/listings/${listing.id}/registration"`);
    expect(page.text).not.toContain('data-capitals=');
    await agent
      .post(`/listings/${listing.id}/registration`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const after = await agent.get(`/listings/${listing.id}/bid?registered=1`).expect(200);
    expect(after.text).toContain('待确认保证金');
    expect(after.text).not.toContain('data-capitals=');
  });

  it('links “my offers” from the bidder desk', async () => {
    const { agent } = await signIn('bidder');
    expect((await agent.get('/bidder').expect(200)).text).toContain('href="/bidder/bids"');
  });
});

describe('the bidder’s own page', () => {
  it('reads a fixed number of queries however many listings the bidder is in', async () => {
    // the same app on a db that counts every query it sends
    let queries = 0;
    const counted = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: env.ctx.pool }),
      log: (e) => {
        if (e.level === 'query') queries += 1;
      },
    });
    const { user: bidder, agent } = await signIn('bidder', undefined, createApp({ ...env.ctx, db: counted }));
    const township = await makeTownship(env.ctx);
    const join = async () => {
      const listing = await makeListing(env.ctx, { townshipId: township.id, depositAmount: '1000.00' });
      await env.ctx.db.insertInto('registrations').values({ listing_id: listing.id, bidder_id: bidder.id }).execute();
      return listing;
    };
    const titles = [(await join()).title];
    const read = async () => {
      queries = 0;
      const page = await agent.get('/bidder/bids').expect(200);
      return { page: page.text, queries };
    };
    const one = await read();
    for (let i = 0; i < 5; i += 1) titles.push((await join()).title);
    const six = await read();
    for (const title of titles) expect(six.page).toContain(title);
    expect(one.queries).toBeGreaterThan(0);
    expect(six.queries).toBe(one.queries);
  });
});

describe('staff pages', () => {
  it('confirms deposits from the registrations page', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, depositAmount: '2000.00' });
    const bidder = await makeUser(env.ctx, 'bidder', { name: '李四家庭农场' });
    const reg = await env.ctx.db
      .insertInto('registrations')
      .values({ listing_id: listing.id, bidder_id: bidder.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { agent } = await signIn('staff', township.id);
    const page = await agent.get(`/staff/listings/${listing.id}/registrations`).expect(200);
    expect(page.text).toContain('李四家庭农场');
    await agent
      .post(`/staff/listings/${listing.id}/registrations/${reg.id}/confirm`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(
      (await env.ctx.db.selectFrom('registrations').select('status').where('id', '=', reg.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('confirmed');
  });

  it('offers 开标 only after the deadline, shows nothing of the bids before, then the printable record', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id, kind: 'lease', basePrice: '3000.00' });
    const bidder = await makeUser(env.ctx, 'bidder', { name: '王五' });
    const { agent } = await signIn('staff', township.id);
    await request(env.app)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .set('Authorization', `Bearer ${bidder.token}`)
      .send({ amount: '3888.00' })
      .expect(201);

    const before = await agent.get(`/staff/listings/${listing.id}/opening`).expect(200);
    expect(before.text).not.toContain(`/staff/listings/${listing.id}/open"`);
    expect(before.text).not.toContain('3,888');
    expect(before.text).not.toContain('王五');
    const early = await agent
      .post(`/staff/listings/${listing.id}/open`)
      .type('form')
      .send({ _csrf: csrfFrom(before.text), password: TEST_PASSWORD })
      .expect(409);
    expect(early.text).toContain('报价截止时间未到');

    await env.ctx.db
      .updateTable('listings')
      .set({ bid_deadline: new Date(Date.now() - 1000) })
      .where('id', '=', listing.id)
      .execute();
    const closed = await agent.get(`/staff/listings/${listing.id}/opening`).expect(200);
    expect(closed.text).toContain(`action="/staff/listings/${listing.id}/open"`);
    expect(closed.text).toContain('name="password"');
    expect(closed.text).toContain('已有 0 人确认，需 2 人');
    expect(closed.text).not.toContain('3,888');
    // the opener alone is not the quorum: one confirmation must come from outside the township
    const short = await agent
      .post(`/staff/listings/${listing.id}/open`)
      .type('form')
      .send({ _csrf: csrfFrom(closed.text), password: TEST_PASSWORD })
      .expect(409);
    expect(short.text).toContain('开标确认人数不足');
    // an auditor confirms from a phone: a password form, POST then redirect
    const { agent: auditorAgent, user: auditor } = await signIn('auditor');
    const page = await auditorAgent.get(`/staff/listings/${listing.id}/opening`).expect(200);
    expect(page.text).toContain(`action="/staff/listings/${listing.id}/opening-shares"`);
    expect(page.text).toContain(auditor.name!);
    const wrong = await auditorAgent
      .post(`/staff/listings/${listing.id}/opening-shares`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: 'not the password' })
      .expect(401);
    expect(wrong.text).toContain('用户名或密码不正确');
    const done = await auditorAgent
      .post(`/staff/listings/${listing.id}/opening-shares`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: auditor.password })
      .expect(303);
    expect(done.headers.location).toBe(`/staff/listings/${listing.id}/opening?confirmed=1`);
    const after = await auditorAgent.get(done.headers.location).expect(200);
    expect(after.text).toContain('您的开标确认已记录');
    expect(after.text).toContain('已有 2 人确认，需 2 人');
    await agent
      .post(`/staff/listings/${listing.id}/open`)
      .type('form')
      .send({ _csrf: csrfFrom(closed.text), password: TEST_PASSWORD })
      .expect(303);

    const record = await agent.get(`/staff/listings/${listing.id}/opening`).expect(200);
    expect(record.text).toContain('开标记录');
    expect(record.text).toContain('¥3,888.00');
    expect(record.text).toContain('叁仟捌佰捌拾捌元整');
    expect(record.text).toContain('王五');
    expect(record.text).toMatch(/\/static\/print\.[0-9a-f]{10}\.css/);
    const { receipt } = await env.ctx.db
      .selectFrom('bids')
      .select('receipt')
      .where('listing_id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(record.text).toContain(receipt);
  });
});
