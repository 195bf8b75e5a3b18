import http, { type Server } from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

// server/cache/responses.ts: anonymous public reads answered from memory at the front of the app
// while the data version is settled. Every answer must be the one the long way would give.

interface Line {
  req?: { id: string; method: string; path: string };
  res?: { statusCode: number };
  fromMemory?: boolean;
  msg?: string;
}

let env: TestEnv;
let lines: Line[];
let server: Server;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  env = await createTestEnv();
  // a key holder from outside the townships, so publishing can seal (quorum 2 needs one)
  await makeUser(env.ctx, 'auditor');
  lines = [];
  // the same database and caches as env.app, with a logger whose access lines the tests read;
  // one listening server, so every request carries the same Host
  app = createApp({
    ...env.ctx,
    logger: pino(
      { level: 'info' },
      {
        write: (s: string) => {
          lines.push(JSON.parse(s) as Line);
        },
      },
    ),
  });
  server = app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await env.close();
});

const HOUR = 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lastLine = () => lines.filter((l) => l.msg === 'request completed').at(-1);

/** GETs path until the answer comes from memory (the LISTEN connection is up and the answer stored). */
async function fromMemory(path: string, headers: Record<string, string> = {}) {
  for (let i = 0; i < 100; i += 1) {
    const res = await request(server).get(path).set(headers);
    if (lastLine()?.fromMemory) return res;
    await sleep(30);
  }
  throw new Error(`${path} was never answered from memory`);
}

const withoutPerRequest = (h: Record<string, string>) => {
  const { date: _d, 'x-request-id': _id, connection: _c, 'keep-alive': _k, ...rest } = h;
  return rest;
};

describe('answers from memory', () => {
  it('gives the very answer the long way gives: status, headers (helmet’s too) and bytes', async () => {
    const tw = await makeTownship(env.ctx);
    await makeListing(env.ctx, {
      townshipId: tw.id,
      title: '记忆中的公告',
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    for (const path of [
      `/api/v1/board?townshipId=${tw.id}`,
      `/board?townshipId=${tw.id}`,
      '/api/v1/stats?district=测试区',
      '/api/v1/hall/stats',
      `/api/v1/ocds/releases?townshipId=${tw.id}`,
    ]) {
      const slow = await request(server).get(path).set('Cookie', 'x=1').expect(200); // a cookie always takes the long way
      expect(lines.at(-1)?.fromMemory).toBeUndefined();
      const fast = await fromMemory(path);
      expect(lastLine()).toMatchObject({
        req: { method: 'GET', path: path.split('?')[0] },
        res: { statusCode: 200 },
        fromMemory: true,
      });
      expect(fast.status).toBe(200);
      expect(fast.text).toBe(slow.text);
      expect(withoutPerRequest(fast.headers)).toEqual(withoutPerRequest(slow.headers));
      expect(fast.headers['content-security-policy']).toContain("default-src 'self'");
      expect(fast.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(fast.headers['x-request-id']).not.toBe(slow.headers['x-request-id']);
      if (path.startsWith('/api/')) {
        // a bad token is refused as ever: an Authorization header is never answered from memory
        await request(server).get(path).set('Authorization', 'Bearer not-a-token').expect(401);
      }
    }
  });

  it('answers If-None-Match with 304 and echoes a caller’s request id', async () => {
    const tw = await makeTownship(env.ctx);
    const path = `/api/v1/board?townshipId=${tw.id}`;
    const first = await fromMemory(path);
    const again = await request(server)
      .get(path)
      .set('If-None-Match', first.headers.etag)
      .set('X-Request-Id', 'kiosk-7-abc')
      .expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBeUndefined();
    expect(again.headers['x-request-id']).toBe('kiosk-7-abc');
    expect(lastLine()).toMatchObject({ req: { id: 'kiosk-7-abc' }, res: { statusCode: 304 }, fromMemory: true });
  });

  it('reads the headers it depends on whatever their case, and lets req.headers decide a repeated one', async () => {
    const tw = await makeTownship(env.ctx);
    const path = `/board?townshipId=${tw.id}`;
    /** One GET with these raw header lines (an array value is sent as that many lines). */
    const raw = (headers: Record<string, string | string[]>) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const { port } = server.address() as { port: number };
        http
          .get({ host: '127.0.0.1', port, path, headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          })
          .on('error', reject);
      });
    // stored for exactly these headers (no Accept-Encoding): asked until answered from memory
    for (let i = 0; i < 100; i += 1) {
      await raw({ 'accept-language': 'en' });
      if (lastLine()?.fromMemory) break;
      await sleep(30);
    }
    const shouting = await raw({ 'ACCEPT-LANGUAGE': 'en' });
    expect(shouting.text).toContain('<html lang="en">');
    expect(lastLine()?.fromMemory).toBe(true);
    // a cookie in capitals is still a cookie: the long way
    await raw({ 'accept-language': 'en', COOKIE: 'tts.x=1' });
    expect(lastLine()?.fromMemory).toBeUndefined();
    // twice: Node joins them ("en, en"), which is not the stored variant's "en"
    const twice = await raw({ 'accept-language': ['en', 'en'] });
    expect(twice.status).toBe(200);
    expect(twice.text).toContain('<html lang="en">');
    expect(lastLine()?.fromMemory).toBeUndefined();
  });

  it('keeps languages, hosts and signed-in readers apart', async () => {
    const tw = await makeTownship(env.ctx);
    const zh = await fromMemory(`/board?townshipId=${tw.id}`);
    const en = await fromMemory(`/board?townshipId=${tw.id}`, { 'Accept-Language': 'en' });
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(en.text).toContain('<html lang="en">');

    const a = await fromMemory(`/api/v1/ocds/releases?townshipId=${tw.id}`, { Host: 'a.example.org' });
    const b = await fromMemory(`/api/v1/ocds/releases?townshipId=${tw.id}`, { Host: 'b.example.org' });
    expect(a.body.uri).toBe(`http://a.example.org/api/v1/ocds/releases?townshipId=${tw.id}`);
    expect(b.body.uri).toBe(`http://b.example.org/api/v1/ocds/releases?townshipId=${tw.id}`);

    // a signed-in reader gets their own page (their name, their CSRF token), never the stored one
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    const agent = request.agent(server);
    const login = await agent.get('/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)?.[1];
    await agent
      .post('/login')
      .type('form')
      .send({ username: staff.username, password: staff.password, _csrf: csrf })
      .expect(303);
    const mine = await agent.get(`/board?townshipId=${tw.id}`).expect(200);
    expect(lastLine()?.fromMemory).toBeUndefined();
    expect(mine.text).toContain(staff.username);
    expect(zh.text).not.toContain(staff.username);
  });

  it('never answers from memory once the data changed: a write here, or a commit elsewhere', async () => {
    const tw = await makeTownship(env.ctx, { minNoticeDays: 0 });
    const path = `/api/v1/board?townshipId=${tw.id}`;
    const before = await fromMemory(path);
    expect(before.body.announcements).toEqual([]);

    // through this app: the very next read sees it
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    const created = await as(app, staff.token)
      .post('/api/v1/listings')
      .send({
        kind: 'lease',
        category: 'shop',
        title: '写后即读店面',
        description: '店面出租',
        basePrice: '3000.00',
        leaseTermMonths: 24,
        bidOpensAt: new Date(Date.now() + HOUR).toISOString(),
        bidDeadline: new Date(Date.now() + 2 * HOUR).toISOString(),
      })
      .expect(201);
    await as(app, staff.token).post(`/api/v1/listings/${created.body.id}/publish`).expect(200);
    const after = await request(server).get(path).expect(200);
    expect(after.body.announcements.map((l: { title: string }) => l.title)).toEqual(['写后即读店面']);
    expect(after.headers.etag).not.toBe(before.headers.etag);

    // by another connection, as another instance would: seen once its NOTIFY arrives
    const settled = await fromMemory(path);
    await makeListing(env.ctx, {
      townshipId: tw.id,
      title: '别处写入',
      bidOpensAt: new Date(Date.now() + HOUR),
      bidDeadline: new Date(Date.now() + 2 * HOUR),
    });
    let seen = false;
    for (let i = 0; i < 100 && !seen; i += 1) {
      const res = await request(server).get(path).expect(200);
      seen = res.body.announcements.some((l: { title: string }) => l.title === '别处写入');
      if (!seen) {
        expect(res.headers.etag).toBe(settled.headers.etag);
        await sleep(30);
      }
    }
    expect(seen).toBe(true);
  });

  it('keeps answering from memory after a change to a source the answer does not show', async () => {
    const tw = await makeTownship(env.ctx);
    const path = `/api/v1/board?townshipId=${tw.id}`;
    const before = await fromMemory(path);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    // hall figures, through another connection: the board does not show them
    await env.ctx.db
      .insertInto('hall_entries')
      .values({ township_id: tw.id, entry_date: '2026-01-05', kind: 'service', count: 2, created_by: staff.id })
      .execute();
    await sleep(200);
    const after = await request(server).get(path).expect(200);
    expect(lastLine()?.fromMemory).toBe(true);
    expect(after.headers.etag).toBe(before.headers.etag);
    expect(after.body).toEqual(before.body);
  });

  it('answers a status change due by the clock alone the long way', async () => {
    const tw = await makeTownship(env.ctx);
    await makeListing(env.ctx, {
      townshipId: tw.id,
      title: '钟点开标',
      bidOpensAt: new Date(Date.now() + 1200),
      bidDeadline: new Date(Date.now() + HOUR),
    });
    const path = `/api/v1/board?townshipId=${tw.id}`;
    const before = await fromMemory(path);
    expect(before.body.announcements[0].status).toBe('announced');
    await sleep(1400);
    const after = await request(server).get(path).expect(200);
    expect(after.body.announcements[0].status).toBe('open');
    expect(lastLine()?.fromMemory).toBeUndefined();
  });
});
