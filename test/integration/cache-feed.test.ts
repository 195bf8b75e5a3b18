import request from 'supertest';
import { createApp } from '../../server/app';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { dbClockPlus, makeAuction } from '../helpers/auctions';
import { sql } from 'kysely';
import { cachedRead, defineRead, observeReads, readsComputing } from '../../server/cache/cache';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  // a key holder from outside the townships, so publishing can seal (quorum 2 needs one)
  await makeUser(env.ctx, 'auditor');
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the board shows the title (a change reaches readers once its NOTIFY arrives). */
async function boardShows(
  app: ReturnType<typeof createApp>,
  townshipId: string,
  title: string,
  withinMs = 3000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await request(app).get(`/api/v1/board?townshipId=${townshipId}`).expect(200);
    if (res.body.announcements.some((l: { title: string }) => l.title === title)) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`board did not show ${title} within ${withinMs} ms`);
    await sleep(20);
  }
}

describe('read cache kept current by LISTEN/NOTIFY', () => {
  it('answers repeated reads from memory and sees a commit made elsewhere without a restart', async () => {
    const township = await makeTownship(env.ctx);
    const first = await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    await sleep(300); // the LISTEN connection is up by now
    const again = await request(env.app)
      .get(`/api/v1/board?townshipId=${township.id}`)
      .set('If-None-Match', first.headers.etag)
      .expect(304);
    expect(again.headers.etag).toBe(first.headers.etag);

    // a write through another connection, as another app instance would make it
    await makeListing(env.ctx, {
      townshipId: township.id,
      title: '新公告A',
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    const waited = await boardShows(env.app, township.id, '新公告A');
    expect(waited).toBeLessThan(3000);
    const changed = await request(env.app)
      .get(`/api/v1/board?townshipId=${township.id}`)
      .set('If-None-Match', first.headers.etag)
      .expect(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('gives two instances the same ETag for the same data', async () => {
    const township = await makeTownship(env.ctx);
    const second = createApp(env.ctx);
    await makeListing(env.ctx, {
      townshipId: township.id,
      title: '新公告B',
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    await boardShows(env.app, township.id, '新公告B');
    await boardShows(second, township.id, '新公告B');
    const a = await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    const b = await request(second).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    expect(a.headers.etag).toBe(b.headers.etag);
  });

  it('moves a listing from announced to open when its opening time passes, with no write at all', async () => {
    const township = await makeTownship(env.ctx);
    await makeListing(env.ctx, {
      townshipId: township.id,
      title: '即将开始',
      bidOpensAt: new Date(Date.now() + 1500),
      bidDeadline: new Date(Date.now() + HOUR),
    });
    await boardShows(env.app, township.id, '即将开始');
    const before = await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    expect(before.body.announcements[0].status).toBe('announced');
    await sleep(1700);
    const after = await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    expect(after.body.announcements[0].status).toBe('open');
  });

  it('serves the public board page from the cache to anonymous readers, per language, and renders it anew after a change', async () => {
    const township = await makeTownship(env.ctx);
    const zh = await request(env.app).get(`/board?townshipId=${township.id}`).expect(200);
    expect(zh.headers.etag).toBeDefined();
    await request(env.app).get(`/board?townshipId=${township.id}`).set('If-None-Match', zh.headers.etag).expect(304);
    const en = await request(env.app).get(`/board?townshipId=${township.id}`).set('Accept-Language', 'en').expect(200);
    expect(en.headers.etag).not.toBe(zh.headers.etag);
    expect(en.text).toContain('<html lang="en">');
    await makeListing(env.ctx, {
      townshipId: township.id,
      title: '页面新公告',
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    await boardShows(env.app, township.id, '页面新公告');
    const after = await request(env.app).get(`/board?townshipId=${township.id}`).expect(200);
    expect(after.text).toContain('页面新公告');
    expect(after.headers.etag).not.toBe(zh.headers.etag);
  });

  it('shows a listing published through the API on the very next read of the same instance', async () => {
    const township = await makeTownship(env.ctx, { minNoticeDays: 0 });
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    await sleep(300);
    const created = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send({
        kind: 'lease',
        category: 'shop',
        title: '读写一致店面',
        description: '店面出租',
        basePrice: '3000.00',
        leaseTermMonths: 24,
        bidOpensAt: new Date(Date.now() + HOUR).toISOString(),
        bidDeadline: new Date(Date.now() + 2 * HOUR).toISOString(),
      })
      .expect(201);
    await as(env.app, staff.token).post(`/api/v1/listings/${created.body.id}/publish`).expect(200);
    const board = await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    expect(board.body.announcements.map((l: { title: string }) => l.title)).toContain('读写一致店面');
  });
});

describe('each read keyed by its own sources', () => {
  it('keeps the board when only the hall figures change, and the statistics when only an auction end moves', async () => {
    const township = await makeTownship(env.ctx);
    const auction = await makeAuction(env.ctx, {
      townshipId: township.id,
      title: '只动结束时间',
      bidOpensAt: new Date(Date.now() - HOUR),
      bidDeadline: new Date(Date.now() + HOUR),
    });
    const board = `/api/v1/board?townshipId=${township.id}`;
    const page = `/board?townshipId=${township.id}`;
    const stats = '/api/v1/stats';
    const etagOf = async (path: string) => (await request(env.app).get(path).expect(200)).headers.etag;
    const [board1, stats1] = [await etagOf(board), await etagOf(stats)];
    const page1 = await request(env.app).get(page).expect(200);
    await sleep(300);
    // a hall entry through another connection: the board does not show hall figures
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    await env.ctx.db
      .insertInto('hall_entries')
      .values({ township_id: township.id, entry_date: '2026-01-05', kind: 'service', count: 1, created_by: staff.id })
      .execute();
    await sleep(300);
    expect(await etagOf(board)).toBe(board1);
    // the auction's end moves alone (a bid in the extension window): the board shows it, the statistics do not
    await sql`UPDATE listings SET ends_at = bid_deadline + interval '5 minutes' WHERE id = ${auction.id}`.execute(
      env.ctx.db,
    );
    await sleep(300);
    const moved = await request(env.app).get(board).expect(200);
    expect(moved.headers.etag).not.toBe(board1);
    const shown = moved.body.announcements.find((l: { id: string }) => l.id === auction.id);
    expect(new Date(shown.endsAt).getTime()).toBe(auction.bidDeadline.getTime() + 5 * 60_000);
    expect(await etagOf(stats)).toBe(stats1);
    // the page shows the auction's status, not its end: it is the very same page
    const page2 = await request(env.app).get(page).expect(200);
    expect(page2.headers.etag).toBe(page1.headers.etag);
    expect(page2.text).toBe(page1.text);
    expect(page2.text).toContain('只动结束时间');
  });

  it('computes a changed read once however many requests arrive for it at the same time', async () => {
    const township = await makeTownship(env.ctx);
    await request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200);
    // a change the board shows, through another connection; its NOTIFY is heard before the requests come
    await makeListing(env.ctx, {
      townshipId: township.id,
      title: '同时读',
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    await sleep(300);
    const computed: string[] = [];
    observeReads({ used: () => undefined, computed: (spec) => computed.push(spec.name) });
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => request(env.app).get(`/api/v1/board?townshipId=${township.id}`).expect(200)),
      );
      expect(new Set(answers.map((a) => a.headers.etag)).size).toBe(1);
      expect(computed.filter((n) => n === 'board.json')).toEqual(['board.json']);
      expect(computed.filter((n) => n === 'board.announcements')).toEqual(['board.announcements']);
    } finally {
      observeReads(null);
    }
  });

  it('keeps the reads computing in an async context only while an observer watches', async () => {
    // an AsyncLocalStorage, once run, turns on Node's async hooks for the whole process: production
    // (no observer) must never run it, the dependency test (an observer) needs it
    const spec = defineRead('test.async-context', ['listings']);
    const seen: string[][] = [];
    const compute = async () => {
      await sleep(1);
      seen.push(readsComputing().map((r) => r.name));
      return 1;
    };
    await cachedRead(env.ctx, spec, `async-context-${Date.now()}-a`, compute);
    observeReads({ used: () => undefined, computed: () => undefined });
    try {
      await cachedRead(env.ctx, spec, `async-context-${Date.now()}-b`, compute);
    } finally {
      observeReads(null);
    }
    expect(seen).toEqual([[], ['test.async-context']]);
  });

  it('keeps an extended auction open on the page past its old end, and takes it off at its real end', async () => {
    const township = await makeTownship(env.ctx);
    const auction = await makeAuction(env.ctx, {
      townshipId: township.id,
      title: '延时竞价',
      bidOpensAt: new Date(Date.now() - HOUR),
      bidDeadline: await dbClockPlus(env.ctx, 1200),
    });
    const page = `/board?townshipId=${township.id}`;
    expect((await request(env.app).get(page).expect(200)).text).toContain('延时竞价');
    // extended (the end alone moves): the page is not read again, and must stay right past the old end
    await sql`UPDATE listings SET ends_at = bid_deadline + interval '2 seconds' WHERE id = ${auction.id}`.execute(
      env.ctx.db,
    );
    await sleep(1600);
    expect((await request(env.app).get(page).expect(200)).text).toContain('延时竞价');
    await sleep(2000);
    expect((await request(env.app).get(page).expect(200)).text).not.toContain('延时竞价');
  });
});
