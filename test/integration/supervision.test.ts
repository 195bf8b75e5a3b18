import crypto from 'node:crypto';
import request from 'supertest';
import type { AppContext } from '../../server/context';
import { as, createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { countDeal } from '../../server/stats/deal-days.repository';

let env: TestEnv;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);

/** An award inserted directly (the awards concept is tested elsewhere). */
async function insertAward(ctx: AppContext, listingId: string, publicityEndsAt: Date) {
  const bidder = await makeUser(ctx, 'bidder');
  const bid = await ctx.db
    .insertInto('bids')
    .values({
      listing_id: listingId,
      bidder_id: bidder.id,
      amount_sealed: crypto.randomBytes(16),
      amount: '40000.00',
      nonce: 'n',
      receipt: 'r',
      submitted_at: ago(40 * DAY),
      valid: true,
      rank: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('awards')
    .values({
      listing_id: listingId,
      bid_id: bid.id,
      bidder_id: bidder.id,
      kind: 'procurement',
      base_price: '50000.00',
      amount: '40000.00',
      savings: '10000.00',
      savings_rate: '0.2000',
      awarded_at: ago(35 * DAY),
      publicity_ends_at: publicityEndsAt,
    })
    .execute();
  await countDeal(ctx.db, listingId);
  return bidder;
}

let townA: Awaited<ReturnType<typeof makeTownship>>;
let townB: Awaited<ReturnType<typeof makeTownship>>;
let auditor: Awaited<ReturnType<typeof makeUser>>;
let staffA: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  env = await createTestEnv();
  townA = await makeTownship(env.ctx, { openWithinHours: 24, awardWithinDays: 3, contractWithinDays: 30 });
  townB = await makeTownship(env.ctx, { openWithinHours: 0 });
  auditor = await makeUser(env.ctx, 'auditor');
  staffA = await makeUser(env.ctx, 'staff', { townshipId: townA.id });
});
afterAll(async () => {
  await env.close();
});

type AlertBody = { listingId: string; step: string; level: string; dueAt: string; townshipId: string; code: string };
const alertOf = (body: AlertBody[], listingId: string) => body.filter((a) => a.listingId === listingId);

describe('GET /api/v1/supervision/alerts', () => {
  it('raises a card for a listing left unopened past its limit, and grades it by how late it is', async () => {
    const fresh = await makeListing(env.ctx, {
      townshipId: townA.id,
      bidOpensAt: ago(10 * DAY),
      bidDeadline: ago(2 * HOUR),
    });
    const nearly = await makeListing(env.ctx, {
      townshipId: townA.id,
      bidOpensAt: ago(10 * DAY),
      bidDeadline: ago(20 * HOUR),
    });
    const late = await makeListing(env.ctx, {
      townshipId: townA.id,
      bidOpensAt: ago(10 * DAY),
      bidDeadline: ago(30 * HOUR),
    });
    const veryLate = await makeListing(env.ctx, {
      townshipId: townA.id,
      bidOpensAt: ago(10 * DAY),
      bidDeadline: ago(49 * HOUR),
    });
    const opened = await makeListing(env.ctx, {
      townshipId: townA.id,
      state: 'opened',
      bidOpensAt: ago(10 * DAY),
      bidDeadline: ago(49 * HOUR),
      openedAt: ago(1 * HOUR),
    });
    const res = await as(env.app, auditor.token).get('/api/v1/supervision/alerts').expect(200);
    expect(alertOf(res.body, fresh.id)).toEqual([]);
    expect(alertOf(res.body, nearly.id)).toEqual([expect.objectContaining({ step: 'open', level: 'warning' })]);
    expect(alertOf(res.body, late.id)).toEqual([
      {
        listingId: late.id,
        step: 'open',
        level: 'yellow',
        dueAt: new Date(+late.bidDeadline + 24 * HOUR).toISOString(),
        code: late.code,
        title: late.title,
        townshipId: townA.id,
      },
    ]);
    expect(alertOf(res.body, veryLate.id)).toEqual([expect.objectContaining({ step: 'open', level: 'red' })]);
    expect(alertOf(res.body, opened.id)).toEqual([]); // opened in time for the award step
  });

  it('goes red at once when the limit is zero', async () => {
    const l = await makeListing(env.ctx, { townshipId: townB.id, bidOpensAt: ago(10 * DAY), bidDeadline: ago(60_000) });
    const res = await as(env.app, auditor.token).get(`/api/v1/supervision/alerts?townshipId=${townB.id}`).expect(200);
    expect(alertOf(res.body, l.id)).toEqual([expect.objectContaining({ step: 'open', level: 'red' })]);
    expect(res.body.every((a: AlertBody) => a.townshipId === townB.id)).toBe(true);
  });

  it('watches the award, the contract and objections', async () => {
    const unawarded = await makeListing(env.ctx, {
      townshipId: townA.id,
      state: 'opened',
      bidOpensAt: ago(40 * DAY),
      bidDeadline: ago(30 * DAY),
      openedAt: ago(30 * DAY),
    });
    const noContract = await makeListing(env.ctx, {
      townshipId: townA.id,
      state: 'awarded',
      bidOpensAt: ago(50 * DAY),
      bidDeadline: ago(40 * DAY),
      openedAt: ago(40 * DAY),
    });
    const bidder = await insertAward(env.ctx, noContract.id, ago(31 * DAY));
    await env.ctx.db
      .insertInto('objections')
      .values({ listing_id: noContract.id, bidder_id: bidder.id, text: '评标不公', created_at: ago(20 * DAY) })
      .execute();
    const res = await as(env.app, staffA.token).get('/api/v1/supervision/alerts').expect(200);
    expect(alertOf(res.body, unawarded.id)).toEqual([expect.objectContaining({ step: 'award', level: 'red' })]);
    const steps = alertOf(res.body, noContract.id)
      .map((a) => [a.step, a.level])
      .sort();
    expect(steps).toEqual([
      ['contract', 'yellow'],
      ['objection', 'red'],
    ]);
    // the contract recorded and the objection answered: the cards go away
    await env.ctx.db
      .insertInto('contracts')
      .values({ listing_id: noContract.id, signed_at: new Date(), amount: '40000.00' })
      .execute();
    await env.ctx.db
      .updateTable('listings')
      .set({ state: 'concluded', concluded_at: new Date() })
      .where('id', '=', noContract.id)
      .execute();
    await env.ctx.db
      .updateTable('objections')
      .set({ status: 'answered', answer: '已复核', answered_at: new Date() })
      .where('listing_id', '=', noContract.id)
      .execute();
    const after = await as(env.app, staffA.token).get('/api/v1/supervision/alerts').expect(200);
    expect(alertOf(after.body, noContract.id)).toEqual([]);
  });

  it('shows staff only their own township; refuses another township and bidders', async () => {
    const res = await as(env.app, staffA.token).get('/api/v1/supervision/alerts').expect(200);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.every((a: AlertBody) => a.townshipId === townA.id)).toBe(true);
    await as(env.app, staffA.token).get(`/api/v1/supervision/alerts?townshipId=${townA.id}`).expect(200);
    expect(
      (await as(env.app, staffA.token).get(`/api/v1/supervision/alerts?townshipId=${townB.id}`).expect(403)).body.error
        .code,
    ).toBe('FORBIDDEN');
    const bidder = await makeUser(env.ctx, 'bidder');
    await as(env.app, bidder.token).get('/api/v1/supervision/alerts').expect(403);
    await request(env.app).get('/api/v1/supervision/alerts').expect(401);
    await as(env.app, auditor.token).get('/api/v1/supervision/alerts?townshipId=bad').expect(404);
    const all = await as(env.app, auditor.token).get('/api/v1/supervision/alerts').expect(200);
    expect(new Set(all.body.map((a: AlertBody) => a.townshipId))).toEqual(new Set([townA.id, townB.id]));
  });
});

describe('the working-day calendar API', () => {
  it('lets an admin enter, list and delete holidays and make-up days, in the trail', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const created = await as(env.app, admin.token)
      .post('/api/v1/calendar/days')
      .send({ day: '2027-10-01', kind: 'holiday', name: '国庆节' })
      .expect(201);
    expect(created.body).toEqual({ day: '2027-10-01', kind: 'holiday', name: '国庆节' });
    await as(env.app, admin.token)
      .post('/api/v1/calendar/days')
      .send({ day: '2027-10-09', kind: 'workday', name: '国庆调休' })
      .expect(201);
    const list = await as(env.app, auditor.token).get('/api/v1/calendar/days?year=2027').expect(200);
    expect(list.body).toEqual([
      { day: '2027-10-01', kind: 'holiday', name: '国庆节' },
      { day: '2027-10-09', kind: 'workday', name: '国庆调休' },
    ]);
    const audit = await env.ctx.db.selectFrom('audit').select('action').where('action', 'like', 'calendar.%').execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar.day_saved', 'calendar.day_saved']);
    await as(env.app, admin.token).delete('/api/v1/calendar/days/2027-10-09').expect(204);
    await as(env.app, admin.token).delete('/api/v1/calendar/days/2027-10-09').expect(404);
    expect(await env.ctx.db.selectFrom('calendar_days').select('day').execute()).toEqual([{ day: '2027-10-01' }]);
  });

  it('refuses bad days and non-admins', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const bad = await as(env.app, admin.token)
      .post('/api/v1/calendar/days')
      .send({ day: '2027-02-30', kind: 'holiday' })
      .expect(422);
    expect(bad.body.error.details.fields.day).toBeDefined();
    expect(
      (
        await as(env.app, admin.token)
          .post('/api/v1/calendar/days')
          .send({ day: '2027-03-01', kind: 'party' })
          .expect(422)
      ).body.error.code,
    ).toBe('VALIDATION');
    expect(
      (
        await as(env.app, admin.token)
          .post('/api/v1/calendar/days')
          .send({ day: 20270301, kind: 'holiday' })
          .expect(400)
      ).body.error.code,
    ).toBe('BAD_REQUEST');
    await as(env.app, staffA.token)
      .post('/api/v1/calendar/days')
      .send({ day: '2027-03-01', kind: 'holiday' })
      .expect(403);
    await as(env.app, admin.token).delete('/api/v1/calendar/days/not-a-day').expect(404);
  });
});

describe('supervision pages', () => {
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

  it('shows the district page with cards and per-township counts', async () => {
    const agent = await signIn(auditor);
    const page = await agent.get('/supervision').expect(200);
    expect(page.text).toContain(townA.name);
    expect(page.text).toContain('红牌');
    expect(page.text).toMatch(/badge red/);
  });

  it('shows staff their township’s alerts on their dashboard', async () => {
    const agent = await signIn(staffA);
    const page = await agent.get('/staff').expect(200);
    expect(page.text).toContain('supervision-alerts');
    expect(page.text).toContain('level-red');
  });

  it('lets an admin manage the calendar on a page', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const agent = await signIn(admin);
    const page = await agent.get('/admin/calendar').expect(200);
    await agent
      .post('/admin/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), day: '2028-01-01', kind: 'holiday', name: '元旦' })
      .expect(303);
    expect(
      await env.ctx.db.selectFrom('calendar_days').select('kind').where('day', '=', '2028-01-01').executeTakeFirst(),
    ).toEqual({ kind: 'holiday' });
    const bad = await agent
      .post('/admin/calendar')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), day: 'someday', kind: 'holiday' })
      .expect(422);
    expect(bad.text).toContain('field-error');
  });
});
