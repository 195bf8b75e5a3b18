import request from 'supertest';
import { as, createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { insertAward, insertBid } from './board-fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;

describe('GET /api/v1/board', () => {
  it('lists announced and open listings soonest deadline first, and awards newest first with the listing title', async () => {
    const tw = await makeTownship(env.ctx);
    const later = await makeListing(env.ctx, {
      townshipId: tw.id,
      title: '晚截止',
      bidDeadline: new Date(Date.now() + 48 * HOUR),
    });
    const sooner = await makeListing(env.ctx, {
      townshipId: tw.id,
      title: '早截止',
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    const announced = await makeListing(env.ctx, {
      townshipId: tw.id,
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 24 * HOUR),
    });
    await makeListing(env.ctx, { townshipId: tw.id, state: 'draft' });
    await makeListing(env.ctx, {
      townshipId: tw.id,
      bidOpensAt: new Date(Date.now() - 5 * HOUR),
      bidDeadline: new Date(Date.now() - HOUR),
    }); // closed
    const bidder = await makeUser(env.ctx, 'bidder', { name: '李四' });
    const older = await makeListing(env.ctx, {
      townshipId: tw.id,
      state: 'awarded',
      title: '较早成交',
      basePrice: '50000.00',
    });
    const newer = await makeListing(env.ctx, {
      townshipId: tw.id,
      state: 'concluded',
      kind: 'lease',
      title: '较新成交',
      basePrice: '10000.00',
    });
    await insertAward(
      env.ctx,
      older,
      await insertBid(env.ctx, older, bidder.id, '42000.00', true),
      bidder.id,
      '42000.00',
      new Date(Date.now() - 10 * 24 * HOUR),
    );
    await insertAward(
      env.ctx,
      newer,
      await insertBid(env.ctx, newer, bidder.id, '12500.00', true),
      bidder.id,
      '12500.00',
      new Date(Date.now() - HOUR),
    );

    const res = await request(env.app).get(`/api/v1/board?townshipId=${tw.id}`).expect(200);
    expect(res.body.announcements.map((l: { id: string }) => l.id)).toEqual([sooner.id, announced.id, later.id]);
    expect(res.body.announcements.map((l: { status: string }) => l.status)).toEqual(['open', 'announced', 'open']);
    expect(res.body.results.map((r: { listingId: string }) => r.listingId)).toEqual([newer.id, older.id]);
    expect(res.body.results[0]).toEqual({
      listingId: newer.id,
      bidId: expect.any(String),
      bidderId: bidder.id,
      bidderName: '李四',
      kind: 'lease',
      basePrice: '10000.00',
      amount: '12500.00',
      savings: '2500.00',
      savingsRate: '0.2500',
      awardedAt: expect.any(String),
      publicityEndsAt: expect.any(String),
      title: '较新成交',
      code: newer.code,
      townshipId: tw.id,
      category: 'shop',
      status: 'concluded',
      underPublicity: true,
    });
    expect(res.body.results[1]).toMatchObject({ savings: '8000.00', savingsRate: '0.1600', underPublicity: false });
    expect(new Date(res.body.updatedAt).toISOString()).toBe(res.body.updatedAt);
    const head = await env.ctx.db
      .selectFrom('audit')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    expect(res.body.audit).toEqual({ entries: head ? Number(head.seq) : 0, head: head?.hash ?? '0'.repeat(64) });
  });

  it('filters by district and answers 404 for an unknown township', async () => {
    const a = await makeTownship(env.ctx, {}, '甲区');
    const b = await makeTownship(env.ctx, {}, '乙区');
    const inA = await makeListing(env.ctx, { townshipId: a.id });
    const inB = await makeListing(env.ctx, { townshipId: b.id });
    const res = await request(env.app)
      .get(`/api/v1/board?district=${encodeURIComponent('甲区')}`)
      .expect(200);
    const ids = res.body.announcements.map((l: { id: string }) => l.id);
    expect(ids).toContain(inA.id);
    expect(ids).not.toContain(inB.id);
    const all = await request(env.app).get('/api/v1/board').expect(200);
    expect(all.body.announcements.map((l: { id: string }) => l.id)).toEqual(expect.arrayContaining([inA.id, inB.id]));
    expect((await request(env.app).get('/api/v1/board?townshipId=nope').expect(404)).body.error.code).toBe('NOT_FOUND');
    await request(env.app).get('/api/v1/board?townshipId=00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('answers a conditional request with 304 and changes its ETag at once after a change', async () => {
    const tw = await makeTownship(env.ctx);
    await makeListing(env.ctx, { townshipId: tw.id });
    const first = await request(env.app).get(`/api/v1/board?townshipId=${tw.id}`).expect(200);
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    await request(env.app).get(`/api/v1/board?townshipId=${tw.id}`).set('If-None-Match', etag).expect(304);
    // a change through the app (audited) must show at once, on any instance sharing the database
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    await as(env.app, staff.token)
      .post('/api/v1/hall/entries')
      .send({ date: '2026-01-05', kind: 'info', count: 1 })
      .expect(201);
    const added = await makeListing(env.ctx, { townshipId: tw.id, title: '新公告' });
    const again = await request(env.app)
      .get(`/api/v1/board?townshipId=${tw.id}`)
      .set('If-None-Match', etag)
      .expect(200);
    expect(again.headers.etag).not.toBe(etag);
    expect(again.body.announcements.map((l: { id: string }) => l.id)).toContain(added.id);
    // a second app on the same database agrees on the version
    const { createApp } = await import('../../server/app');
    const other = createApp(env.ctx);
    await request(other).get(`/api/v1/board?townshipId=${tw.id}`).set('If-None-Match', again.headers.etag).expect(304);
  });

  it('never shows sealed information: no bid count, amount or bidder for a listing with sealed bids', async () => {
    const tw = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: tw.id, title: '密封测试' });
    const bidder = await makeUser(env.ctx, 'bidder', { name: '秘密投标人王五' });
    await insertBid(env.ctx, listing, bidder.id, '43210.98', false);
    const api = await request(env.app).get(`/api/v1/board?townshipId=${tw.id}`).expect(200);
    const item = api.body.announcements.find((l: { id: string }) => l.id === listing.id);
    expect(item).toBeDefined();
    expect(item.bidCount).toBeUndefined();
    const text = JSON.stringify(api.body);
    for (const secret of ['43210.98', '43,210.98', '秘密投标人王五', bidder.id]) expect(text).not.toContain(secret);
    for (const path of [
      `/board?townshipId=${tw.id}`,
      `/board/kiosk?townshipId=${tw.id}`,
      `/board/ticker?townshipId=${tw.id}`,
      `/board/kiosk?townshipId=${tw.id}&tab=stats`,
    ]) {
      const page = await request(env.app).get(path).expect(200);
      expect(page.text).toContain(
        path.startsWith('/board/kiosk?townshipId') && path.includes('stats') ? tw.name : '密封测试',
      );
      for (const secret of ['43210.98', '43,210.98', '秘密投标人王五']) expect(page.text).not.toContain(secret);
    }
  });
});

describe('board pages', () => {
  it('shows the board without login, in Chinese, with countdowns, links to the notices and the audit head', async () => {
    const tw = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: tw.id, title: '村道硬化工程' });
    const bidder = await makeUser(env.ctx, 'bidder', { name: '赵六' });
    const done = await makeListing(env.ctx, {
      townshipId: tw.id,
      state: 'awarded',
      title: '鱼塘发包',
      kind: 'lease',
      basePrice: '3000.00',
    });
    await insertAward(env.ctx, done, await insertBid(env.ctx, done, bidder.id, '3600.00', true), bidder.id, '3600.00');
    const res = await request(env.app).get(`/board?townshipId=${tw.id}`).expect(200);
    expect(res.text).toContain('公开栏');
    expect(res.text).toContain(`data-countdown="${listing.bidDeadline.toISOString()}"`);
    expect(res.text).toContain(`href="/listings/${listing.id}"`);
    expect(res.text).toContain(`href="/listings/${done.id}/result"`);
    expect(res.text).toContain('¥3,600.00');
    expect(res.text).toContain('六公开');
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    const head = await env.ctx.db.selectFrom('audit').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    expect(res.text).toContain(head?.hash ?? '0'.repeat(64));
    const en = await request(env.app).get(`/board?townshipId=${tw.id}&lang=en`).expect(200);
    expect(en.text).toContain('Current announcements');
  });

  it('serves the kiosk start screen with township buttons, its tabs, and the LED ticker refreshing itself', async () => {
    const tw = await makeTownship(env.ctx);
    await makeListing(env.ctx, { townshipId: tw.id, title: '滚动公告项目' });
    const start = await request(env.app).get('/board/kiosk').expect(200);
    expect(start.text).toContain(`href="/board/kiosk?townshipId=${tw.id}"`);
    expect(start.text).toMatch(/src="\/static\/kiosk\.[0-9a-f]{10}\.js"/);
    expect(start.text).toContain('data-kiosk-home="/board/kiosk"');
    for (const tab of ['announcements', 'results', 'disclosures', 'stats']) {
      const page = await request(env.app).get(`/board/kiosk?townshipId=${tw.id}&tab=${tab}`).expect(200);
      expect(page.text).toMatch(new RegExp(`tab(=|&#x3D;)${tab}" aria-current="page"`));
    }
    const ticker = await request(env.app).get(`/board/ticker?townshipId=${tw.id}`).expect(200);
    // the line refreshes itself by a small fetch (ticker.js); a full reload only without JavaScript
    expect(ticker.text).toMatch(/<noscript><meta http-equiv="refresh" content="\d+"><\/noscript>/);
    expect(ticker.text).toMatch(/src="\/static\/ticker\.[0-9a-f]{10}\.js"/);
    expect(ticker.text).toContain('data-ticker-refresh="120"');
    expect(ticker.text).toContain('滚动公告项目');
    await request(env.app).get('/static/kiosk.js').expect(200);
  });

  it('lets staff edit their own township’s six disclosures, audited, and shows them on the board at once', async () => {
    const tw = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    const agent = request.agent(env.app);
    const login = await agent.get('/login');
    await agent
      .post('/login')
      .type('form')
      .send({ username: staff.username, password: staff.password, _csrf: csrfFrom(login.text) })
      .expect(303);
    const form = await agent.get('/staff/disclosures').expect(200);
    const body = {
      _csrf: csrfFrom(form.text),
      services: '服务事项文本',
      procedures: '程序文本',
      materials: '材料文本',
      timeLimits: '时限文本',
      fees: '不收费',
      complaints: '投诉电话 12388',
    };
    await agent
      .post('/staff/disclosures')
      .type('form')
      .send({ ...body, fees: '' })
      .expect(422);
    await agent.post('/staff/disclosures').type('form').send(body).expect(303);
    const row = await env.ctx.db
      .selectFrom('townships')
      .select('disclosures')
      .where('id', '=', tw.id)
      .executeTakeFirstOrThrow();
    expect(row.disclosures).toMatchObject({ fees: '不收费', complaints: '投诉电话 12388' });
    const entry = await env.ctx.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'township.disclosures.updated')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.actor).toBe(staff.username);
    expect(entry.data).toMatchObject({ townshipId: tw.id });
    const board = await request(env.app).get(`/board?townshipId=${tw.id}`).expect(200);
    expect(board.text).toContain('投诉电话 12388');
    const bidder = await makeUser(env.ctx, 'bidder');
    const bAgent = request.agent(env.app);
    const bl = await bAgent.get('/login');
    await bAgent
      .post('/login')
      .type('form')
      .send({ username: bidder.username, password: bidder.password, _csrf: csrfFrom(bl.text) })
      .expect(303);
    await bAgent.get('/staff/disclosures').expect(403);
  });
});
