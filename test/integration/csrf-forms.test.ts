import request from 'supertest';
import { createTestEnv, TestEnv } from '../helpers/context';
import { buildScene, makeWorld, SceneName, USERS, Who, World } from '../helpers/scenes';
import { fillPath, listPageRoutes, signIn, snapshotDatabase } from '../helpers/security';

// Every page form (every POST page route, found by walking the routers) refuses a post without the
// session's CSRF token — none, a forged one, another session's — even from a signed-in user of the
// right role, and nothing changes. With the right token the same post gets past the check, which
// proves the refusal came from the token and not from the role.
// Session fixation at sign-in is covered in pages-auth.test.ts.

type Actor = Exclude<Who, 'anon' | 'staffB'>;
interface Form {
  who: Actor;
  scene: SceneName;
  alias?: Record<string, string>;
  multipart?: boolean;
}

const FORMS: Record<string, Form> = {
  'POST /login': { who: 'bidder', scene: 'none' },
  'POST /logout': { who: 'bidder', scene: 'none' },
  'POST /register': { who: 'bidder', scene: 'none' },
  'POST /admin/users': { who: 'admin', scene: 'none' },
  'POST /admin/townships': { who: 'admin', scene: 'none' },
  'POST /admin/townships/:id/rules': { who: 'admin', scene: 'none' },
  'POST /admin/calendar': { who: 'admin', scene: 'none' },
  'POST /admin/calendar/:day/delete': { who: 'admin', scene: 'none' },
  'POST /staff/listings': { who: 'staffA', scene: 'none' },
  'POST /staff/listings/:id/edit': { who: 'staffA', scene: 'draft' },
  'POST /staff/listings/:id/publish': { who: 'staffA', scene: 'draft' },
  'POST /staff/listings/:id/cancel': { who: 'staffA', scene: 'open' },
  'POST /staff/listings/:id/relist': { who: 'staffA', scene: 'cancelled' },
  'POST /staff/listings/:id/documents': { who: 'staffA', scene: 'draft', multipart: true },
  'POST /staff/listings/:id/questions/:qid/answer': { who: 'staffA', scene: 'open' },
  'POST /listings/:id/questions': { who: 'bidder', scene: 'open' },
  'POST /listings/:id/bid': { who: 'bidder', scene: 'open' },
  'POST /listings/:id/registration': { who: 'bidder', scene: 'deposit' },
  'POST /listings/:id/auction/bid': { who: 'bidder', scene: 'open' },
  'POST /listings/:id/auction/registration': { who: 'bidder', scene: 'deposit' },
  'POST /staff/listings/:id/auction/close': { who: 'staffA', scene: 'closed' },
  'POST /listings/:id/bid/withdraw': { who: 'bidder', scene: 'open' },
  'POST /staff/listings/:id/registrations/:regId/confirm': { who: 'staffA', scene: 'deposit' },
  'POST /staff/listings/:id/open': { who: 'staffA', scene: 'closed' },
  'POST /staff/listings/:id/opening-shares': { who: 'auditor', scene: 'closed' },
  'POST /staff/listings/:id/award': { who: 'staffA', scene: 'opened' },
  'POST /listings/:id/objections': { who: 'bidder', scene: 'awarded' },
  'POST /staff/listings/:id/objections/:oid/answer': { who: 'staffA', scene: 'awarded' },
  'POST /staff/listings/:id/contract': { who: 'staffA', scene: 'awarded' },
  'POST /staff/listings/:id/registrations/:regId/refund': { who: 'staffA', scene: 'awarded' },
  'POST /staff/disclosures': { who: 'staffA', scene: 'none' },
  'POST /staff/hall': { who: 'staffA', scene: 'none' },
  'POST /auditor/listings/:id/notes': { who: 'auditor', scene: 'awarded' },
  'POST /auditor/verify': { who: 'auditor', scene: 'none' },
  'POST /inbox/:id/read': { who: 'bidder', scene: 'none', alias: { id: 'notificationId' } },
};

/** A plausible filled-in form, so that a post that gets past the token would really change something. */
const FIELDS = {
  text: '请说明',
  reason: '资金未落实',
  amount: '40000.00',
  title: '村道硬化',
  kind: 'service',
  count: '2',
  date: '2026-11-20',
  signedAt: '2026-11-21T10:00',
  username: 'csrfvictim1',
  password: 'a long enough password',
  name: '李四',
  idNumber: '360802199001011235',
  phone: '13900003333',
  code: 'CSRF1',
  district: '测试区',
  day: '2031-01-02',
};

let env: TestEnv;
let world: World;
let sessions: Record<Actor, Awaited<ReturnType<typeof signIn>>>;
beforeAll(async () => {
  env = await createTestEnv();
  world = await makeWorld(env.ctx);
  const actors = USERS.filter((w): w is Actor => w !== 'staffB');
  sessions = Object.fromEntries(
    await Promise.all(actors.map(async (who) => [who, await signIn(env.app, world.users[who])])),
  ) as typeof sessions;
});
afterAll(async () => {
  await env.close();
});

const postRoutes = () =>
  listPageRoutes(env.app)
    .filter((r) => r.method === 'POST')
    .map((r) => r.key);
const refusedForCsrf = (res: request.Response) => res.status === 403 && res.text.includes('页面已过期');

it('knows every form of the app (a new POST page route needs a line here)', () => {
  const routes = postRoutes();
  expect(routes.length).toBeGreaterThan(20);
  expect(routes.filter((k) => !FORMS[k])).toEqual([]);
  expect(Object.keys(FORMS).filter((k) => !routes.includes(k))).toEqual([]);
});

describe('every form refuses a post without the right token', () => {
  it.each(Object.keys(FORMS))('%s', async (key) => {
    const form = FORMS[key];
    const params = await buildScene(env.ctx, world, form.scene);
    for (const [name, from] of Object.entries(form.alias ?? {})) params[name] = params[from];
    const url = fillPath(key.split(' ')[1], params);
    const { agent, csrf } = sessions[form.who];
    const otherSession = form.who === 'admin' ? sessions.auditor : sessions.admin;
    const send = (token: string | undefined) => {
      if (form.multipart) {
        const t = agent.post(token ? `${url}?_csrf=${encodeURIComponent(token)}` : url);
        return t
          .field('title', '公告')
          .attach('file', Buffer.from('%PDF-1.4 test'), { filename: 'a.pdf', contentType: 'application/pdf' });
      }
      return agent
        .post(url)
        .type('form')
        .send(token ? { ...FIELDS, _csrf: token } : FIELDS);
    };

    const before = await snapshotDatabase(env.ctx.db);
    for (const token of [undefined, 'forged-token', '', otherSession.csrf, `${csrf}x`]) {
      const res = await send(token);
      expect({ token, status: res.status, csrf: refusedForCsrf(res) }).toEqual({ token, status: 403, csrf: true });
    }
    expect(await snapshotDatabase(env.ctx.db)).toEqual(before);

    // the header works for scripts (views/static/*.js); a forged header is refused the same way
    const forgedHeader = await agent.post(url).set('X-CSRF-Token', 'forged').type('form').send(FIELDS);
    expect(refusedForCsrf(forgedHeader)).toBe(true);
    expect(await snapshotDatabase(env.ctx.db)).toEqual(before);

    // control: the right token passes the check (signing out is done with a session of its own)
    if (key === 'POST /logout') {
      const own = await signIn(env.app, world.users.bidder);
      const res = await own.agent.post(url).type('form').send({ _csrf: own.csrf });
      expect(res.status).toBe(303);
    } else {
      const res = await send(csrf);
      expect(refusedForCsrf(res)).toBe(false);
      expect(res.status).toBeLessThan(500);
    }
  });
});

it('refuses a post from a browser with no session at all', async () => {
  const before = await snapshotDatabase(env.ctx.db);
  for (const key of postRoutes()) {
    const params = await buildScene(env.ctx, world, 'none');
    const url = fillPath(key.split(' ')[1], {
      ...params,
      id: params.id,
      qid: params.id,
      regId: params.id,
      oid: params.id,
    });
    const res = await request(env.app)
      .post(url)
      .type('form')
      .send({ ...FIELDS, _csrf: sessions.bidder.csrf });
    expect({ key, status: res.status }).toEqual({ key, status: 403 });
  }
  // buildScene('none') adds a notification and a calendar day per call; nothing else may differ
  const after = await snapshotDatabase(env.ctx.db);
  for (const table of [
    'listings',
    'bids',
    'awards',
    'users',
    'townships',
    'hall_entries',
    'questions',
    'registrations',
    'objections',
    'review_notes',
  ] as const) {
    expect({ table, v: after[table] }).toEqual({ table, v: before[table] });
  }
});
