import crypto from 'node:crypto';
import request from 'supertest';
import { issueToken } from '../../server/accounts/accounts.service';
import { as, createTestEnv, TEST_PASSWORD, TestEnv, unique } from '../helpers/context';
import { buildScene, EVERYONE, makeWorld, SceneName, USERS, Who, World } from '../helpers/scenes';
import { fillPath, listApiRoutes, listPageRoutes, signIn, snapshotDatabase } from '../helpers/security';

// Every route × every role. "allow": the role gets past the access check (any answer but 401/403,
// never 5xx). Everyone else is refused — anonymous 401, a signed-in wrong role or township 403 —
// and the database is exactly as before. "hidden": refused with 403 or 404 (a draft or someone
// else's record is not even admitted to exist). A new route without a line here fails the test.

interface Case {
  scene: SceneName;
  allow: Who[];
  hidden?: Who[];
  body?: (w: World) => object;
  /** the call revokes the caller's own token: give each role a fresh one */
  freshToken?: boolean;
}

const staffOfA: Who[] = ['staffA'];
const staff: Who[] = ['staffA', 'staffB'];
const readers: Who[] = ['staffA', 'auditor', 'admin'];
const reviewers: Who[] = ['auditor', 'admin'];
const admin: Who[] = ['admin'];
const bidder: Who[] = ['bidder'];
const others: Who[] = ['anon', 'bidder', 'staffB'];

const listingBody = (w: World) => ({
  kind: 'procurement',
  category: 'works',
  title: '村道硬化',
  description: '2 公里',
  basePrice: '50000.00',
  bidOpensAt: new Date(Date.now() + 10 * 86400_000).toISOString(),
  bidDeadline: new Date(Date.now() + 12 * 86400_000).toISOString(),
  townshipId: w.a.id,
});

const API: Record<string, Case[]> = {
  'POST /auth/token': [
    { scene: 'none', allow: EVERYONE, body: (w) => ({ username: w.users.auditor.username, password: TEST_PASSWORD }) },
  ],
  'DELETE /auth/token': [{ scene: 'none', allow: USERS, freshToken: true }],
  'GET /me': [{ scene: 'none', allow: USERS }],
  'POST /bidders': [
    {
      scene: 'none',
      allow: EVERYONE,
      body: () => ({
        username: unique('b'),
        password: 'a long enough password',
        name: '张三',
        idNumber: '360802199001011234',
        phone: '13900001111',
      }),
    },
  ],
  'POST /users': [
    {
      scene: 'none',
      allow: admin,
      body: () => ({ username: unique('a'), password: 'a long enough password', role: 'auditor' }),
    },
  ],
  'GET /users': [{ scene: 'none', allow: admin }],
  'GET /townships': [{ scene: 'none', allow: EVERYONE }],
  'POST /townships': [
    {
      scene: 'none',
      allow: admin,
      body: () => ({ code: unique('Z').slice(0, 12).toUpperCase(), name: '新镇', district: '测试区' }),
    },
  ],
  'GET /townships/:id': [{ scene: 'none', allow: EVERYONE }],
  'GET /townships/:id/rules': [{ scene: 'none', allow: EVERYONE }],
  'PUT /townships/:id/rules': [{ scene: 'none', allow: admin, body: () => ({}) }],
  // the body names township A: staff of B get 403, never a listing silently created in their own
  'POST /listings': [{ scene: 'none', allow: staffOfA, body: listingBody }],
  'GET /listings': [{ scene: 'none', allow: EVERYONE }],
  'GET /listings/:id': [
    { scene: 'open', allow: EVERYONE },
    { scene: 'draft', allow: staffOfA, hidden: [...others, 'auditor', 'admin'] },
  ],
  'PATCH /listings/:id': [{ scene: 'draft', allow: staffOfA, hidden: ['staffB'], body: () => ({ title: '改名' }) }],
  'POST /listings/:id/publish': [{ scene: 'draft', allow: staffOfA, hidden: ['staffB'] }],
  'POST /listings/:id/cancel': [{ scene: 'open', allow: staffOfA, body: () => ({ reason: '资金未落实' }) }],
  'POST /listings/:id/relist': [{ scene: 'cancelled', allow: staffOfA }],
  'POST /listings/:id/documents': [{ scene: 'draft', allow: staffOfA, hidden: ['staffB'] }],
  'GET /listings/:id/documents': [{ scene: 'open', allow: EVERYONE }],
  'GET /listings/:id/documents/:docId': [{ scene: 'open', allow: EVERYONE }],
  'POST /listings/:id/questions': [{ scene: 'open', allow: bidder, body: () => ({ text: '需要什么资质？' }) }],
  'POST /listings/:id/questions/:qid/answer': [{ scene: 'open', allow: staffOfA, body: () => ({ text: '三级资质' }) }],
  'GET /listings/:id/questions': [{ scene: 'open', allow: EVERYONE }],
  'POST /listings/:id/registrations': [{ scene: 'deposit', allow: bidder }],
  'POST /listings/:id/registrations/:regId/confirm': [{ scene: 'deposit', allow: staffOfA }],
  'GET /listings/:id/registrations': [{ scene: 'deposit', allow: readers }],
  'POST /listings/:id/bids': [{ scene: 'open', allow: bidder, body: () => ({ amount: '40000.00' }) }],
  'GET /listings/:id/bids/mine': [{ scene: 'open', allow: bidder }],
  'DELETE /listings/:id/bids/mine': [{ scene: 'open', allow: bidder }],
  'GET /listings/:id/bids': [
    { scene: 'opened', allow: readers },
    { scene: 'open', allow: readers },
  ],
  'POST /listings/:id/open': [{ scene: 'closed', allow: staffOfA, body: () => ({ password: TEST_PASSWORD }) }],
  'GET /listings/:id/seal': [{ scene: 'open', allow: EVERYONE }],
  'POST /listings/:id/opening-shares': [
    { scene: 'closed', allow: ['staffA', 'auditor'], body: () => ({ password: TEST_PASSWORD }) },
  ],
  // on a sealed listing the auction room is 404 to everyone; the roles are what is checked here
  'GET /listings/:id/auction': [{ scene: 'open', allow: EVERYONE }],
  'GET /listings/:id/auction/events': [{ scene: 'open', allow: EVERYONE }],
  'POST /listings/:id/auction/bids': [{ scene: 'open', allow: bidder, body: () => ({ amount: '40000.00' }) }],
  'POST /listings/:id/award': [{ scene: 'opened', allow: staffOfA, body: () => ({ bidId: crypto.randomUUID() }) }],
  'GET /listings/:id/award': [{ scene: 'awarded', allow: EVERYONE }],
  'POST /listings/:id/objections': [{ scene: 'awarded', allow: bidder, body: () => ({ text: '有异议' }) }],
  'GET /listings/:id/objections': [{ scene: 'awarded', allow: ['bidder', ...readers] }],
  'POST /listings/:id/objections/:oid/answer': [
    { scene: 'awarded', allow: staffOfA, body: () => ({ text: '已复核' }) },
  ],
  'POST /listings/:id/contract': [
    { scene: 'awarded', allow: staffOfA, body: () => ({ signedAt: new Date().toISOString() }) },
  ],
  'POST /listings/:id/registrations/:regId/refund': [{ scene: 'awarded', allow: staffOfA }],
  'GET /board': [{ scene: 'none', allow: EVERYONE }],
  'GET /stats': [{ scene: 'none', allow: EVERYONE }],
  'GET /stats/deals.csv': [{ scene: 'none', allow: EVERYONE }],
  'GET /stats/deals.xlsx': [{ scene: 'none', allow: EVERYONE }],
  'GET /hall/stats': [{ scene: 'none', allow: EVERYONE }],
  'POST /hall/entries': [
    { scene: 'none', allow: staff, body: () => ({ date: '2026-11-20', kind: 'service', count: 3 }) },
  ],
  'GET /ocds/releases': [{ scene: 'none', allow: EVERYONE }],
  'GET /openapi.json': [{ scene: 'none', allow: EVERYONE }],
  'GET /audit/checkpoint': [{ scene: 'none', allow: EVERYONE }],
  'GET /audit/proof': [{ scene: 'none', allow: EVERYONE }],
  'GET /audit/consistency': [{ scene: 'none', allow: EVERYONE }],
  'GET /audit/log': [{ scene: 'none', allow: reviewers }],
  'GET /audit/verify': [{ scene: 'none', allow: reviewers }],
  'GET /audit/export': [{ scene: 'none', allow: reviewers }],
  'GET /audit/flags': [{ scene: 'none', allow: reviewers }],
  'GET /audit/listings/:id/notes': [{ scene: 'awarded', allow: reviewers }],
  'POST /audit/listings/:id/notes': [{ scene: 'awarded', allow: reviewers, body: () => ({ text: '已核查' }) }],
  'GET /supervision/alerts': [{ scene: 'none', allow: ['staffA', 'staffB', 'auditor', 'admin'] }],
  'GET /calendar/days': [{ scene: 'none', allow: USERS }],
  'POST /calendar/days': [
    { scene: 'none', allow: admin, body: () => ({ day: '2031-05-06', kind: 'holiday', name: '调休' }) },
  ],
  'DELETE /calendar/days/:day': [{ scene: 'none', allow: admin }],
  'GET /me/notifications': [{ scene: 'none', allow: USERS }],
  'POST /me/notifications/:id/read': [
    { scene: 'none', allow: bidder, hidden: ['staffA', 'staffB', 'auditor', 'admin'] },
  ],
};

// notification ids and calendar days travel in :id / :day of those two routes
const PARAM_ALIASES: Record<string, Record<string, string>> = {
  'POST /me/notifications/:id/read': { id: 'notificationId' },
};

const PAGES: Record<string, { scene: SceneName; allow: Who[]; hidden?: Who[] }> = {
  'GET /healthz': { scene: 'none', allow: EVERYONE },
  'GET /': { scene: 'none', allow: EVERYONE },
  'GET /favicon.ico': { scene: 'none', allow: EVERYONE },
  'GET /robots.txt': { scene: 'none', allow: EVERYONE },
  'GET /login': { scene: 'none', allow: EVERYONE },
  'GET /register': { scene: 'none', allow: EVERYONE },
  'GET /listings': { scene: 'none', allow: EVERYONE },
  'GET /listings/:id': { scene: 'open', allow: EVERYONE },
  'GET /listings/:id/documents/:docId': { scene: 'open', allow: EVERYONE },
  'GET /listings/:id/result': { scene: 'awarded', allow: EVERYONE },
  'GET /board': { scene: 'none', allow: EVERYONE },
  'GET /board/kiosk': { scene: 'none', allow: EVERYONE },
  'GET /board/ticker': { scene: 'none', allow: EVERYONE },
  'GET /stats': { scene: 'none', allow: EVERYONE },
  'GET /admin': { scene: 'none', allow: admin },
  'GET /admin/users': { scene: 'none', allow: admin },
  'GET /admin/townships': { scene: 'none', allow: admin },
  'GET /admin/townships/:id/rules': { scene: 'none', allow: admin },
  'GET /admin/calendar': { scene: 'none', allow: admin },
  'GET /bidder': { scene: 'none', allow: bidder },
  'GET /bidder/bids': { scene: 'none', allow: bidder },
  'GET /listings/:id/bid': { scene: 'open', allow: bidder },
  'GET /listings/:id/bid/receipt': { scene: 'open', allow: bidder },
  'GET /listings/:id/bid/withdraw': { scene: 'open', allow: bidder },
  'GET /inbox': { scene: 'none', allow: USERS },
  'GET /staff': { scene: 'none', allow: staff },
  'GET /staff/listings/new': { scene: 'none', allow: staff },
  'GET /staff/hall': { scene: 'none', allow: staff },
  'GET /staff/disclosures': { scene: 'none', allow: staff },
  'GET /staff/listings/:id/edit': { scene: 'draft', allow: staffOfA, hidden: ['staffB'] },
  'GET /staff/listings/:id/publish': { scene: 'draft', allow: staffOfA, hidden: ['staffB'] },
  'GET /staff/listings/:id/registrations': { scene: 'deposit', allow: readers },
  'GET /staff/listings/:id/opening': { scene: 'opened', allow: readers },
  // on a sealed listing the auction room and console are 404; the roles are what is checked here
  'GET /listings/:id/auction': { scene: 'open', allow: EVERYONE },
  'GET /staff/listings/:id/auction': { scene: 'open', allow: readers },
  'GET /staff/listings/:id/award': { scene: 'opened', allow: staffOfA },
  'GET /staff/listings/:id/objections': { scene: 'awarded', allow: staffOfA },
  'GET /staff/listings/:id/contract': { scene: 'awarded', allow: staffOfA },
  'GET /staff/listings/:id/refunds': { scene: 'awarded', allow: staffOfA },
  'GET /auditor': { scene: 'none', allow: reviewers },
  'GET /auditor/verify': { scene: 'none', allow: reviewers },
  'GET /auditor/export.json': { scene: 'none', allow: reviewers },
  'GET /auditor/listings/:id': { scene: 'awarded', allow: reviewers },
  'GET /auditor/listings/:id/timeline.csv': { scene: 'awarded', allow: reviewers },
  'GET /supervision': { scene: 'none', allow: ['staffA', 'staffB', 'auditor', 'admin'] },
};

let env: TestEnv;
let world: World;
let sessions: Record<Exclude<Who, 'anon'>, Awaited<ReturnType<typeof signIn>>['agent']>;
beforeAll(async () => {
  env = await createTestEnv();
  world = await makeWorld(env.ctx);
  const signed = await Promise.all(
    USERS.map(async (who) => [who, (await signIn(env.app, world.users[who as Exclude<Who, 'anon'>])).agent] as const),
  );
  sessions = Object.fromEntries(signed) as typeof sessions;
});
afterAll(async () => {
  await env.close();
});

const apiRoutes = () => listApiRoutes(env.app).map((r) => r.key);
const pageGetRoutes = () =>
  listPageRoutes(env.app)
    .filter((r) => r.method === 'GET')
    .map((r) => r.key);

describe('the matrix covers every route', () => {
  it('has an expectation for every API route and no stale ones', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((k) => !API[k])).toEqual([]);
    expect(Object.keys(API).filter((k) => !routes.includes(k))).toEqual([]);
  });
  it('has an expectation for every page GET route and no stale ones', () => {
    const routes = pageGetRoutes();
    expect(routes.filter((k) => !PAGES[k])).toEqual([]);
    expect(Object.keys(PAGES).filter((k) => !routes.includes(k))).toEqual([]);
  });
});

type Outcome = 'allow' | 'deny' | 'hide';
const outcomeOf = (c: { allow: Who[]; hidden?: Who[] }, who: Who): Outcome =>
  c.allow.includes(who) ? 'allow' : c.hidden?.includes(who) ? 'hide' : 'deny';

/** Checks one answer against the expectation; returns a line describing a mismatch, or null. */
function judge(key: string, who: Who, outcome: Outcome, status: number): string | null {
  const ok =
    outcome === 'allow'
      ? status !== 401 && status !== 403 && status < 500
      : outcome === 'hide'
        ? status === 403 || status === 404
        : status === (who === 'anon' ? 401 : 403);
  return ok ? null : `${key} as ${who}: expected ${outcome}, got ${status}`;
}

describe('API: every route × every role', () => {
  it.each(Object.keys(API))('%s', async (key) => {
    const [method, path] = key.split(' ');
    const problems: string[] = [];
    for (const c of API[key]) {
      const params = await buildScene(env.ctx, world, c.scene);
      for (const [name, from] of Object.entries(PARAM_ALIASES[key] ?? {})) params[name] = params[from];
      const url = `/api/v1${fillPath(path, params)}`;
      // refusals first, so that an allowed write cannot change what the others would be refused on
      const order = [...EVERYONE].sort((x, y) => Number(c.allow.includes(x)) - Number(c.allow.includes(y)));
      for (const who of order) {
        const outcome = outcomeOf(c, who);
        let token = who === 'anon' ? undefined : world.users[who].token;
        if (c.freshToken && token) token = (await issueToken(env.ctx, world.users[who as Exclude<Who, 'anon'>])).token;
        const before = outcome === 'allow' ? null : await snapshotDatabase(env.ctx.db);
        const client = as(env.app, token);
        const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        const res = await client[verb](url).send(c.body ? c.body(world) : {});
        const problem = judge(`${key} [${c.scene}]`, who, outcome, res.status);
        if (problem) problems.push(`${problem} ${JSON.stringify(res.body).slice(0, 160)}`);
        if (outcome !== 'allow' && res.status < 400) continue;
        if (before) {
          const after = await snapshotDatabase(env.ctx.db);
          if (JSON.stringify(after) !== JSON.stringify(before))
            problems.push(`${key} as ${who}: refused but the database changed`);
        }
        if (res.status >= 400) expect(res.body.error?.code).toEqual(expect.any(String));
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('pages: every GET page × every role', () => {
  it.each(Object.keys(PAGES))('%s', async (key) => {
    const [, path] = key.split(' ');
    const spec = PAGES[key];
    const url = fillPath(path, await buildScene(env.ctx, world, spec.scene));
    const problems: string[] = [];
    for (const who of EVERYONE) {
      const res = who === 'anon' ? await request(env.app).get(url) : await sessions[who].get(url);
      const outcome = outcomeOf(spec, who);
      // an anonymous visitor to a protected page may also be sent to the sign-in page
      if (
        who === 'anon' &&
        outcome === 'deny' &&
        [302, 303].includes(res.status) &&
        /\/login/.test(String(res.headers.location))
      )
        continue;
      const problem = judge(key, who, outcome, res.status);
      if (problem) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });
});
