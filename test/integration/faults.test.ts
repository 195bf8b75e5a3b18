import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { createDb, createPool } from '../../server/db/db';
import { migrateToLatest } from '../../server/db/migrator';
import { ensureServingRole, servingUrl } from '../../server/db/roles';
import { createPasswordHasher } from '../../server/accounts/passwords';
import { inboxNotifier } from '../../server/notifications/notifier';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing, makeOpenedListingWithBids } from '../helpers/fixtures';
import { startRestartablePostgres, RestartablePostgres } from '../helpers/restartable-postgres';
import { signIn } from '../helpers/security';
import { listingSteps } from '../../server/listing-steps';

const DAY = 24 * 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A second, independent instance: its own pool, Kysely and app, on the same database and secrets. */
function secondInstance(first: AppContext, url: string): AppContext {
  const pool = createPool(url, 10);
  return { ...first, pool, db: createDb(pool) };
}

describe('two app instances on one database', () => {
  let env: TestEnv;
  let ctxB: AppContext;
  let A: ReturnType<typeof createApp>;
  let B: ReturnType<typeof createApp>;
  beforeAll(async () => {
    env = await createTestEnv({ LOGIN_LIMIT_PER_USERNAME: '4' });
    // a key holder from outside the townships, so publishing can seal (quorum 2 needs one)
    await makeUser(env.ctx, 'auditor');
    ctxB = secondInstance(env.ctx, env.database.url);
    A = env.app;
    B = createApp(ctxB);
  });
  afterAll(async () => {
    await ctxB.db.destroy();
    await env.close();
  });

  it('honours a session made by one instance on the other, and a sign-out on either ends it on both', async () => {
    const user = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    const { agent, cookie, csrf } = await signIn(A, user);
    await agent.get('/staff').expect(200);
    const onB = await request(B).get('/staff').set('Cookie', cookie).expect(200);
    expect(onB.text).toContain(user.username);
    await request(B).post('/logout').set('Cookie', cookie).type('form').send({ _csrf: csrf }).expect(303);
    await request(A).get('/staff').set('Cookie', cookie).expect(401);
  });

  it('counts failed logins across both instances (the limit lives in the database)', async () => {
    const user = await makeUser(env.ctx, 'bidder');
    const statuses: number[] = [];
    for (const app of [A, B, A, B, A, B]) {
      const res = await request(app)
        .post('/api/v1/auth/token')
        .send({ username: user.username, password: 'wrong password 123' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    // the right password does not get through the limit on either instance
    await request(B).post('/api/v1/auth/token').send({ username: user.username, password: user.password }).expect(429);
    await request(A).post('/api/v1/auth/token').send({ username: user.username, password: user.password }).expect(429);
  });

  it('numbers listings without gaps when both instances create at once, refused creations included', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const body = (i: number) => ({
      kind: 'procurement',
      category: 'works',
      title: `并发项目 ${i}`,
      description: '同时创建',
      // every fourth is under the township's minimum: refused after the number was taken, so rolled back
      basePrice: i % 4 === 3 ? '100.00' : '50000.00',
      bidOpensAt: new Date(Date.now() + 10 * DAY).toISOString(),
      bidDeadline: new Date(Date.now() + 12 * DAY).toISOString(),
    });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        as(i % 2 ? B : A, staff.token)
          .post('/api/v1/listings')
          .send(body(i)),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(18);
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(
      Array(6).fill('BELOW_THRESHOLD'),
    );
    const numbers = created.map((r) => Number(/-(\d+)$/.exec(r.body.code)![1])).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const stored = await env.ctx.db
      .selectFrom('listings')
      .select('code')
      .where('township_id', '=', township.id)
      .execute();
    expect(stored.map((s) => s.code).sort()).toEqual(created.map((r) => r.body.code).sort());
  });

  it('shows a change made through one instance at once through the other (board, stats, ETags)', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const boardUrl = `/api/v1/board?townshipId=${township.id}`;
    const first = await request(B).get(boardUrl).expect(200);
    expect(first.body.announcements).toEqual([]);
    const etag = String(first.headers.etag);
    await request(B).get(boardUrl).set('If-None-Match', etag).expect(304); // B has it cached now

    const draft = await as(A, staff.token)
      .post('/api/v1/listings')
      .send({
        kind: 'procurement',
        category: 'goods',
        title: '办公桌椅',
        description: '20 套',
        basePrice: '30000.00',
        bidOpensAt: new Date(Date.now() + 10 * DAY).toISOString(),
        bidDeadline: new Date(Date.now() + 12 * DAY).toISOString(),
      })
      .expect(201);
    await as(A, staff.token).post(`/api/v1/listings/${draft.body.id}/publish`).expect(200);

    const after = await request(B).get(boardUrl).set('If-None-Match', etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body.announcements.map((l: { id: string }) => l.id)).toEqual([draft.body.id]);
    // both instances now agree on the version
    const fromA = await request(A).get(boardUrl).expect(200);
    expect(fromA.headers.etag).toBe(after.headers.etag);

    // an award through A counts in B's statistics at once
    const statsUrl = `/api/v1/stats?townshipId=${township.id}`;
    const before = await request(B).get(statsUrl).expect(200);
    expect(before.body.dealCount).toBe(0);
    const bidder = await makeUser(env.ctx, 'bidder');
    const { listing, bids } = await makeOpenedListingWithBids(env.ctx, {
      townshipId: township.id,
      bids: [{ bidderId: bidder.id, amount: '42000.00' }],
    });
    await as(A, staff.token).post(`/api/v1/listings/${listing.id}/award`).send({ bidId: bids[0].id }).expect(201);
    const stats = await request(B).get(statsUrl).expect(200);
    expect(stats.body.dealCount).toBe(1);
    expect(stats.body.savingsTotal).toBe('8000.00');
  });
});

describe('the database restarts in the middle of a bid burst', () => {
  let pg: RestartablePostgres;
  let ctx: AppContext;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    pg = await startRestartablePostgres();
    const admin = new Client({ connectionString: pg.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE restart_test');
    await admin.end();
    const config = {
      ...loadConfig({ LOG_LEVEL: 'silent', SESSION_PRUNE_SECONDS: '0' }),
      databaseUrl: pg.url('restart_test'),
    };
    // migrated as the owner; the app serves as a role that owns nothing, as in production
    const owner = createDb(createPool(pg.url('restart_test'), 2));
    await migrateToLatest(owner);
    await ensureServingRole(owner, 'restart_app', 'restart-app');
    await owner.destroy();
    const pool = createPool(servingUrl(pg.url('restart_test'), 'restart_app', 'restart-app'), 20);
    ctx = {
      db: createDb(pool),
      pool,
      config,
      logger: pino({ level: 'silent' }),
      hasher: createPasswordHasher(config.argon2),
      sealKey: crypto.randomBytes(32),
      sessionSecret: crypto.randomBytes(16).toString('hex'),
      notifier: inboxNotifier,
      auditSigningKey: crypto.generateKeyPairSync('ed25519').privateKey,
      listingSteps,
    };
    // a real listening server: requests in flight when the database goes away behave as in production
    server = http.createServer(createApp(ctx));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await ctx?.db.destroy();
    await pg?.destroy();
  });

  it('never loses an accepted bid, answers 503 UNAVAILABLE during the outage and recovers by itself', async () => {
    const township = await makeTownship(ctx);
    const listing = await makeListing(ctx, { townshipId: township.id, state: 'published', basePrice: '50000.00' });
    const bidders = await Promise.all(Array.from({ length: 12 }, () => makeUser(ctx, 'bidder')));
    type Outcome = { bidder: string; status: number; code?: string; id?: string; amount: string };
    const outcomes: Outcome[] = [];
    type Phase = 'before' | 'down' | 'after' | 'stop';
    let phase: Phase = 'before';
    const counts = { before: 0, down: 0, after: 0 };

    const bidLoop = async (b: (typeof bidders)[number], n: number) => {
      for (let i = 0; phase !== 'stop'; i += 1) {
        const amount = `${40000 + n * 100 + (i % 100)}.00`;
        const res = await request(base)
          .post(`/api/v1/listings/${listing.id}/bids`)
          .set('Authorization', `Bearer ${b.token}`)
          .send({ amount });
        outcomes.push({ bidder: b.id, status: res.status, code: res.body?.error?.code, id: res.body?.id, amount });
        const now = phase as Phase; // the main flow moves it on while this loop awaits
        if (now !== 'stop') counts[now] += 1;
        await sleep(15);
      }
    };
    const waitFor = async (cond: () => boolean) => {
      for (let i = 0; i < 2000 && !cond(); i += 1) await sleep(10);
    };

    const loops = bidders.map((b, n) => bidLoop(b, n));
    await waitFor(() => outcomes.filter((o) => o.status === 201).length >= 30);
    phase = 'down';
    await pg.stop();
    // pages and reads say the same while the server is away (the session store fails first on pages)
    const page = await request(base).get('/listings').set('Cookie', 'tts.sid=s%3Aabc.def');
    expect(page.status).toBe(503);
    const read = await request(base).get('/api/v1/listings');
    expect([read.status, read.body.error.code]).toEqual([503, 'UNAVAILABLE']);
    await waitFor(() => counts.down >= 24);
    await pg.start();
    phase = 'after';
    const accepted = () => outcomes.filter((o) => o.status === 201).length;
    const target = accepted() + 30;
    await waitFor(() => accepted() >= target);
    phase = 'stop';
    await Promise.all(loops);

    // only two answers are acceptable: stored, or a clear "try again"
    const unexpected = outcomes.filter((o) => o.status !== 201 && !(o.status === 503 && o.code === 'UNAVAILABLE'));
    expect(unexpected).toEqual([]);
    expect(outcomes.filter((o) => o.status === 503).length).toBeGreaterThan(0);
    expect(accepted()).toBeGreaterThanOrEqual(target);

    // every 201 is in the table; each bidder's live bid is the last one the app accepted (or later)
    const rows = await ctx.db
      .selectFrom('bids')
      .select(['id', 'bidder_id', 'status', 'submitted_at'])
      .where('listing_id', '=', listing.id)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const lost = outcomes.filter((o) => o.status === 201 && !byId.has(o.id!));
    expect(lost).toEqual([]);
    for (const b of bidders) {
      const live = rows.filter((r) => r.bidder_id === b.id && r.status === 'live');
      const mine = outcomes.filter((o) => o.bidder === b.id && o.status === 201);
      if (mine.length === 0) continue;
      expect(live).toHaveLength(1);
      const lastAccepted = byId.get(mine[mine.length - 1].id!)!;
      expect(live[0].submitted_at.getTime()).toBeGreaterThanOrEqual(lastAccepted.submitted_at.getTime());
    }

    // and the app, never restarted, takes a new bid and says it is healthy
    const late = await makeUser(ctx, 'bidder');
    const res = await request(base)
      .post(`/api/v1/listings/${listing.id}/bids`)
      .set('Authorization', `Bearer ${late.token}`)
      .send({ amount: '39999.00' })
      .expect(201);
    expect(byId.has(res.body.id)).toBe(false);
    await request(base).get('/healthz').expect(200);
  }, 120_000);
});
