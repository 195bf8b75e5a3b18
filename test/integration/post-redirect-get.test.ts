import crypto from 'node:crypto';
import { sql } from 'kysely';
import { TEST_PASSWORD, unique } from '../helpers/context';
import { confirmShare } from '../helpers/opening';
import { buildScene, makeWorld, Params, SceneName, Who, World } from '../helpers/scenes';
import { fillPath, listPageRoutes, signIn, snapshotDatabase } from '../helpers/security';
import { createTestEnv, TestEnv } from '../helpers/context';
import { localInputValue } from '../../server/http/time';

// POST/redirect/GET: every page form that changes something answers 303 with a Location, and
// loading that page (twice, as a reload would) changes nothing. Each form is filled so that it
// succeeds — a refusal re-shows its form with an error status and is not what is tested here.

type Actor = Exclude<Who, 'anon' | 'staffB'>;
type Agent = Awaited<ReturnType<typeof signIn>>['agent'];
interface Case {
  who: Actor;
  scene: SceneName;
  body?: (p: Params) => Record<string, string>;
  /** makes the scene's data ready for a successful post (through the pages, or by SQL for time travel) */
  prepare?: (p: Params, agent: Agent, csrf: string) => Promise<void>;
  multipart?: boolean;
}

const DAY = 24 * 3600_000;
const listingBody = () => ({
  kind: 'procurement',
  category: 'works',
  title: '村道硬化',
  description: '一公里混凝土路面',
  basePrice: '50000',
  depositAmount: '0',
  bidOpensAt: localInputValue(new Date(Date.now() + 6 * DAY)),
  bidDeadline: localInputValue(new Date(Date.now() + 9 * DAY)),
});
const TEXT = { text: '请说明工期' };

/** turns the scene's listing into an open auction (falling, in steps of 500 from the base price) */
const makeAuction = async (p: Params) => {
  await sql`UPDATE listings SET method = 'auction', increment = '500.00', extension_seconds = 300
            WHERE id = ${p.id}`.execute(env.ctx.db);
};

let env: TestEnv;
let world: World;

const CASES: Record<string, Case> = {
  'POST /login': {
    who: 'bidder',
    scene: 'none',
    body: () => ({ username: world.users.bidder.username, password: world.users.bidder.password }),
  },
  'POST /logout': { who: 'bidder', scene: 'none' },
  'POST /register': {
    who: 'bidder',
    scene: 'none',
    body: () => ({
      username: unique('reg'),
      password: 'a long enough password',
      name: '李四',
      idNumber: `3608021990${crypto.randomInt(10_000_000, 99_999_999)}`,
      phone: '13900003333',
    }),
  },
  'POST /admin/users': {
    who: 'admin',
    scene: 'none',
    body: () => ({ username: unique('aud'), password: 'a long enough password', role: 'auditor', name: '审计' }),
  },
  'POST /admin/townships': {
    who: 'admin',
    scene: 'none',
    body: () => ({ code: unique('P').slice(0, 12).toUpperCase(), name: '新镇', district: '测试区' }),
  },
  'POST /admin/townships/:id/rules': {
    who: 'admin',
    scene: 'none',
    body: () => ({
      'procurement.minAmount': '10000.00',
      'procurement.maxAmount': '2000000.00',
      'procurement.minValidBids': '3',
      'lease.minAmount': '1000.00',
      'lease.maxAmount': '2000000.00',
      'lease.minValidBids': '1',
      minNoticeDays: '4',
      publicityDays: '3',
      openWithinHours: '24',
      awardWithinDays: '3',
      contractWithinDays: '30',
      'deposit.account': '兴桥镇财政所 · 农商银行兴桥支行 · 6230 0000 0000 0001',
      'deposit.dueHours': '24',
      'deposit.refundRule': '成交后 5 个工作日内退还',
    }),
  },
  'POST /admin/calendar': {
    who: 'admin',
    scene: 'none',
    body: () => ({ day: `20${crypto.randomInt(40, 99)}-03-0${crypto.randomInt(1, 9)}`, kind: 'holiday', name: '假日' }),
  },
  'POST /admin/calendar/:day/delete': { who: 'admin', scene: 'none' },
  'POST /staff/listings': { who: 'staffA', scene: 'none', body: listingBody },
  'POST /staff/listings/:id/edit': { who: 'staffA', scene: 'draft', body: listingBody },
  'POST /staff/listings/:id/publish': {
    who: 'staffA',
    scene: 'draft',
    body: () => ({ confirm: '1' }),
    prepare: async (p) => {
      await sql`UPDATE listings SET bid_opens_at = now() + interval '6 days', bid_deadline = now() + interval '9 days'
                WHERE id = ${p.id}`.execute(env.ctx.db);
    },
  },
  'POST /staff/listings/:id/cancel': { who: 'staffA', scene: 'open', body: () => ({ reason: '资金未落实' }) },
  'POST /staff/listings/:id/relist': { who: 'staffA', scene: 'cancelled' },
  'POST /staff/listings/:id/documents': { who: 'staffA', scene: 'draft', multipart: true },
  'POST /staff/listings/:id/questions/:qid/answer': { who: 'staffA', scene: 'open', body: () => TEXT },
  'POST /listings/:id/questions': { who: 'bidder', scene: 'open', body: () => TEXT },
  'POST /listings/:id/bid': { who: 'bidder', scene: 'open', body: () => ({ amount: '40000.00', confirm: '1' }) },
  'POST /listings/:id/registration': { who: 'bidder', scene: 'deposit' },
  'POST /listings/:id/bid/withdraw': {
    who: 'bidder',
    scene: 'open',
    body: () => ({ confirm: '1' }),
    prepare: async (p, agent, csrf) => {
      await agent
        .post(`/listings/${p.id}/bid`)
        .type('form')
        .send({ _csrf: csrf, amount: '40000.00', confirm: '1' })
        .expect(303);
    },
  },
  'POST /staff/listings/:id/registrations/:regId/confirm': { who: 'staffA', scene: 'deposit' },
  'POST /staff/listings/:id/open': {
    who: 'staffA',
    scene: 'closed',
    body: () => ({ password: TEST_PASSWORD }),
    // the quorum of 2 needs a key holder from outside the township: the auditor confirms first
    prepare: async (p) => {
      await confirmShare(env.app, world.users.auditor, p.id).expect(200);
    },
  },
  'POST /staff/listings/:id/opening-shares': {
    who: 'auditor',
    scene: 'closed',
    body: () => ({ password: TEST_PASSWORD }),
  },
  'POST /staff/listings/:id/award': {
    who: 'staffA',
    scene: 'opened',
    body: (p) => ({ bidId: p.topBidId }),
  },
  'POST /listings/:id/objections': { who: 'bidder', scene: 'awarded', body: () => TEXT },
  'POST /staff/listings/:id/objections/:oid/answer': { who: 'staffA', scene: 'awarded', body: () => TEXT },
  'POST /staff/listings/:id/contract': {
    who: 'staffA',
    scene: 'awarded',
    body: () => ({ signedAt: localInputValue(new Date()).slice(0, 10) }),
    prepare: async (p) => {
      await sql`UPDATE awards SET awarded_at = now() - interval '5 days', publicity_ends_at = now() - interval '1 day' WHERE listing_id = ${p.id}`.execute(
        env.ctx.db,
      );
      await sql`UPDATE objections SET status = 'answered', answer = '已答复', answered_at = now() WHERE id = ${p.oid}`.execute(
        env.ctx.db,
      );
    },
  },
  'POST /staff/listings/:id/registrations/:regId/refund': { who: 'staffA', scene: 'awarded' },
  'POST /staff/disclosures': {
    who: 'staffA',
    scene: 'none',
    body: () => ({
      services: '服务',
      procedures: '流程',
      materials: '材料',
      timeLimits: '时限',
      fees: '收费',
      complaints: '投诉',
    }),
  },
  'POST /staff/hall': {
    who: 'staffA',
    scene: 'none',
    body: () => ({ date: '2026-11-20', kind: 'service', count: '2' }),
  },
  'POST /auditor/listings/:id/notes': { who: 'auditor', scene: 'awarded', body: () => TEXT },
  // a kept checkpoint of the empty log (size 0, the empty tree's root) is always extended
  'POST /auditor/verify': {
    who: 'auditor',
    scene: 'none',
    body: () => ({ kept: '0 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
  },
  'POST /inbox/:id/read': { who: 'bidder', scene: 'none' },
  'POST /listings/:id/auction/registration': { who: 'bidder', scene: 'deposit', prepare: makeAuction },
  'POST /listings/:id/auction/bid': {
    who: 'bidder',
    scene: 'open',
    prepare: makeAuction,
    body: () => ({ amount: '49500.00', confirm: '1' }),
  },
  'POST /staff/listings/:id/auction/close': { who: 'staffA', scene: 'closed', prepare: makeAuction },
};

beforeAll(async () => {
  env = await createTestEnv();
  world = await makeWorld(env.ctx);
});
afterAll(async () => {
  await env.close();
});

it('covers every form of the app', () => {
  const posts = listPageRoutes(env.app)
    .filter((r) => r.method === 'POST')
    .map((r) => r.key);
  expect(posts.filter((k) => !CASES[k])).toEqual([]);
  expect(Object.keys(CASES).filter((k) => !posts.includes(k))).toEqual([]);
});

describe('a successful post answers 303, and reloading where it leads changes nothing', () => {
  it.each(Object.keys(CASES))('%s', async (key) => {
    const c = CASES[key];
    const params = await buildScene(env.ctx, world, c.scene);
    if (key === 'POST /inbox/:id/read') params.id = params.notificationId;
    if (key === 'POST /admin/townships/:id/rules') params.id = world.a.id;
    if (c.scene === 'opened') {
      const top = await env.ctx.db
        .selectFrom('bids')
        .select('id')
        .where('listing_id', '=', params.id)
        .where('rank', '=', 1)
        .executeTakeFirstOrThrow();
      params.topBidId = top.id;
    }
    const { agent, csrf } = await signIn(env.app, world.users[c.who]);
    await c.prepare?.(params, agent, csrf);
    const url = fillPath(key.split(' ')[1], params);

    const res = c.multipart
      ? await agent
          .post(`${url}?_csrf=${encodeURIComponent(csrf)}`)
          .attach('file', Buffer.from('%PDF-1.4 test'), { filename: 'a.pdf', contentType: 'application/pdf' })
      : await agent
          .post(url)
          .type('form')
          .send({ ...(c.body?.(params) ?? {}), _csrf: csrf });
    expect({
      key,
      status: res.status,
      text: res.status === 303 ? '' : /role="alert">([^<]*)/.exec(res.text)?.[1],
    }).toEqual({
      key,
      status: 303,
      text: '',
    });
    const location = String(res.headers.location);
    expect(location.startsWith('/')).toBe(true);

    const before = await snapshotDatabase(env.ctx.db);
    for (let i = 0; i < 2; i += 1) {
      const page = await agent.get(location);
      expect({ key, location, status: page.status < 400 }).toEqual({ key, location, status: true });
    }
    expect(await snapshotDatabase(env.ctx.db)).toEqual(before);
  });
});

it('says what a form did once, on the page it leads to', async () => {
  const { agent, csrf } = await signIn(env.app, world.users.staffA);
  const res = await agent
    .post('/staff/hall')
    .type('form')
    .send({ _csrf: csrf, date: '2026-11-21', kind: 'service', count: '3' })
    .expect(303);
  expect(res.headers.location).toBe('/staff/hall');
  expect((await agent.get('/staff/hall').expect(200)).text).toContain('role="status"');
  expect((await agent.get('/staff/hall').expect(200)).text).not.toContain('role="status"');
});
