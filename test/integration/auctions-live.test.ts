import { Client } from 'pg';
import { auctionLive } from '../../server/auctions/auctions.live';
import { createApp } from '../../server/app';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { dbClockPlus, EventStream, listen, makeAuction, openEventStream, secondInstance } from '../helpers/auctions';

// Two app instances on one database, each with its own pool and LISTEN connection, as two processes
// behind a load balancer would be.
let env: TestEnv;
let other: ReturnType<typeof secondInstance>;
let a: Awaited<ReturnType<typeof listen>>;
let b: Awaited<ReturnType<typeof listen>>;
const streams: EventStream[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  other = secondInstance(env);
  a = await listen(env.app);
  b = await listen(other.app);
});
afterAll(async () => {
  for (const s of streams) s.close();
  await a.close();
  await b.close();
  await auctionLive(env.ctx).stop();
  await other.close();
  await env.close();
});

async function watch(port: number, listingId: string, headers: Record<string, string> = {}, query = '') {
  const s = await openEventStream(port, `/api/v1/listings/${listingId}/auction/events${query}`, headers);
  streams.push(s);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GET /listings/:id/auction/events across two instances', () => {
  it('delivers every accepted bid to watchers on both instances, whichever instance took it', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const [b1, b2] = await Promise.all([makeUser(env.ctx, 'bidder'), makeUser(env.ctx, 'bidder')]);
    const onA = await watch(a.port, listing.id);
    const onB = await watch(b.port, listing.id);
    expect([onA.status, onA.type]).toEqual([200, 'text/event-stream; charset=utf-8']);
    expect(auctionLive(env.ctx).watcherCount(listing.id)).toBe(1);
    expect(auctionLive(other.ctx).watcherCount(listing.id)).toBe(1);

    const first = await as(env.app, b1.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '10000' })
      .expect(201);
    const second = await as(other.app, b2.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '10500' })
      .expect(201);
    for (const s of [onA, onB]) {
      const e1 = await s.next('bid');
      const e2 = await s.next('bid');
      expect(e1.id).toBe('1');
      expect(JSON.parse(e1.data)).toEqual({
        seq: 1,
        amount: '10000.00',
        at: first.body.at,
        alias: '1号',
        endsAt: first.body.endsAt,
      });
      expect(e2.id).toBe('2');
      expect(JSON.parse(e2.data)).toMatchObject({ amount: '10500.00', alias: '2号', at: second.body.at });
      expect(s.events.map((e) => e.data).join()).not.toContain(b1.id);
    }
  });

  it('replays the bids a watcher missed from Last-Event-ID (or ?after=), in order, then goes on live', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const bidders = await Promise.all([1, 2, 3, 4].map(() => makeUser(env.ctx, 'bidder')));
    for (const [i, bidder] of bidders.slice(0, 3).entries()) {
      await as(env.app, bidder.token)
        .post(`/api/v1/listings/${listing.id}/auction/bids`)
        .send({ amount: String(10000 + i * 500) })
        .expect(201);
    }
    const resumed = await watch(b.port, listing.id, { 'Last-Event-ID': '1' });
    const viaQuery = await watch(a.port, listing.id, {}, '?after=2');
    expect([(await resumed.next('bid')).id, (await resumed.next('bid')).id]).toEqual(['2', '3']);
    await as(env.app, bidders[3].token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '11500' })
      .expect(201);
    expect((await resumed.next('bid')).id).toBe('4');
    expect([(await viaQuery.next('bid')).id, (await viaQuery.next('bid')).id]).toEqual(['3', '4']);
    expect(resumed.events.filter((e) => e.event === 'bid')).toHaveLength(3);
  });

  it('is 404 for a listing that is not an auction, and forgets a watcher that disconnects', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const sealed = await makeAuction(env.ctx, { townshipId: township.id, state: 'draft' });
    const missing = await openEventStream(a.port, `/api/v1/listings/${sealed.id}/auction/events`);
    expect(missing.status).toBe(404);
    missing.close();
    const s = await watch(a.port, listing.id);
    expect(auctionLive(env.ctx).watcherCount(listing.id)).toBe(1);
    s.close();
    for (let i = 0; i < 50 && auctionLive(env.ctx).watcherCount(listing.id) > 0; i += 1) await sleep(20);
    expect(auctionLive(env.ctx).watcherCount(listing.id)).toBe(0);
  });
});

describe('the stream on the wire', () => {
  it('is never compressed or buffered, whatever the client accepts: each bid arrives as its own frame at once', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeAuction(env.ctx, { townshipId: township.id });
    const bidder = await makeUser(env.ctx, 'bidder');
    const s = await watch(a.port, listing.id, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(s.headers['content-encoding']).toBeUndefined();
    expect(s.headers['cache-control']).toContain('no-transform');
    const sent = Date.now();
    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '10000' })
      .expect(201);
    const bid = await s.next('bid', 2000); // a compressor would hold a small frame back until it has 1 KiB or more
    expect(JSON.parse(bid.data)).toMatchObject({ seq: 1, amount: '10000.00' });
    expect(bid.receivedAt - sent).toBeLessThan(2000);
  });
});

describe('the end', () => {
  it('is marked at the end with no request at all, exactly once across both instances, and each watcher gets one `end`', async () => {
    const raw = new Client({ connectionString: env.database.url });
    await raw.connect();
    const signals: { type: string; listingId: string }[] = [];
    raw.on('notification', (m) => signals.push(JSON.parse(m.payload!) as { type: string; listingId: string }));
    await raw.query('LISTEN tts_auction');
    try {
      await Promise.all([auctionLive(env.ctx).start(), auctionLive(other.ctx).start()]);
      const township = await makeTownship(env.ctx);
      const bidder = await makeUser(env.ctx, 'bidder');
      const endsAt = await dbClockPlus(env.ctx, 2500);
      // inserted behind the app's back: both instances learn of it from the listings change
      const listing = await makeAuction(env.ctx, { townshipId: township.id, bidDeadline: endsAt, extensionSeconds: 1 });
      const onA = await watch(a.port, listing.id);
      const onB = await watch(b.port, listing.id);
      const quiet = await makeAuction(env.ctx, {
        townshipId: township.id,
        bidDeadline: await dbClockPlus(env.ctx, 2500),
      }); // nobody watches or bids: still ended on time
      const bid = await as(other.app, bidder.token)
        .post(`/api/v1/listings/${listing.id}/auction/bids`)
        .send({ amount: '10000' })
        .expect(201);

      const [endA, endB] = await Promise.all([onA.next('end'), onB.next('end')]);
      await Promise.all([onA.ended, onB.ended]); // the stream closes after `end`
      for (const e of [endA, endB]) expect(JSON.parse(e.data)).toMatchObject({ bidCount: 1 });
      const endedAt = new Date((JSON.parse(endA.data) as { endedAt: string }).endedAt);
      expect(endedAt.getTime()).toBeGreaterThanOrEqual(new Date(bid.body.endsAt).getTime());

      for (let i = 0; i < 100; i += 1) {
        const n = await env.ctx.db
          .selectFrom('auction_ends')
          .select('listing_id')
          .where('listing_id', '=', quiet.id)
          .execute();
        if (n.length) break;
        await sleep(50);
      }
      await sleep(500); // time for any second end to show itself
      const ends = await env.ctx.db
        .selectFrom('auction_ends')
        .selectAll()
        .where('listing_id', 'in', [listing.id, quiet.id])
        .execute();
      expect(ends.map((e) => e.listing_id).sort()).toEqual([listing.id, quiet.id].sort());
      expect(signals.filter((s) => s.type === 'end' && s.listingId === listing.id)).toHaveLength(1);
      expect(signals.filter((s) => s.type === 'end' && s.listingId === quiet.id)).toHaveLength(1);
      expect(onA.events.filter((e) => e.event === 'end')).toHaveLength(1);
      expect(onB.events.filter((e) => e.event === 'end')).toHaveLength(1);

      // a watcher arriving later hears `end` at once
      const late = await watch(b.port, listing.id);
      await late.next('end');
    } finally {
      await raw.end();
    }
  });
});

describe('a cancelled auction', () => {
  it('sends `end` with cancelled: true to the watchers on both instances at once, once, and closes their streams', async () => {
    const raw = new Client({ connectionString: env.database.url });
    await raw.connect();
    const signals: { type: string; listingId: string; cancelled?: boolean }[] = [];
    raw.on('notification', (m) => signals.push(JSON.parse(m.payload!) as (typeof signals)[number]));
    await raw.query('LISTEN tts_auction');
    try {
      const township = await makeTownship(env.ctx);
      const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
      const bidder = await makeUser(env.ctx, 'bidder');
      // far from its end: only the cancel can end it within this test
      const listing = await makeAuction(env.ctx, {
        townshipId: township.id,
        bidDeadline: await dbClockPlus(env.ctx, 3600_000),
      });
      const onA = await watch(a.port, listing.id);
      const onB = await watch(b.port, listing.id);
      await as(env.app, bidder.token)
        .post(`/api/v1/listings/${listing.id}/auction/bids`)
        .send({ amount: '10000' })
        .expect(201);
      await Promise.all([onA.next('bid'), onB.next('bid')]);

      await as(other.app, staff.token)
        .post(`/api/v1/listings/${listing.id}/cancel`)
        .send({ reason: '权属争议，终止交易' })
        .expect(200);
      const [endA, endB] = await Promise.all([onA.next('end', 5000), onB.next('end', 5000)]);
      await Promise.all([onA.ended, onB.ended]);
      for (const e of [endA, endB]) {
        const data = JSON.parse(e.data) as { endedAt: string; bidCount: number; cancelled: boolean };
        expect(data).toMatchObject({ bidCount: 1, cancelled: true });
        expect(Number.isNaN(Date.parse(data.endedAt))).toBe(false);
      }
      for (
        let i = 0;
        i < 50 && auctionLive(env.ctx).watcherCount(listing.id) + auctionLive(other.ctx).watcherCount(listing.id) > 0;
        i += 1
      )
        await sleep(20);
      expect(auctionLive(env.ctx).watcherCount(listing.id)).toBe(0);
      expect(auctionLive(other.ctx).watcherCount(listing.id)).toBe(0);

      // a bid after the cancel is refused and nothing more is sent; a late watcher hears the same end at once
      await as(env.app, bidder.token)
        .post(`/api/v1/listings/${listing.id}/auction/bids`)
        .send({ amount: '10500' })
        .expect(409);
      const late = await watch(a.port, listing.id);
      expect(JSON.parse((await late.next('end')).data)).toEqual(JSON.parse(endA.data));
      await late.ended;
      await sleep(200);
      expect(signals.filter((s) => s.listingId === listing.id).map((s) => [s.type, s.cancelled])).toEqual([
        ['bid', undefined],
        ['end', true],
      ]);
    } finally {
      await raw.end();
    }
  });
});

describe('keep-alive', () => {
  it('sends an idle stream a comment every AUCTION_HEARTBEAT_MS, and a client that goes away frees its watcher', async () => {
    const quick = await listen(createApp({ ...env.ctx, config: { ...env.ctx.config, auctionHeartbeatMs: 150 } }));
    try {
      const township = await makeTownship(env.ctx);
      const listing = await makeAuction(env.ctx, { townshipId: township.id });
      const s = await watch(quick.port, listing.id);
      const opened = Date.now();
      expect(auctionLive(env.ctx).watcherCount(listing.id)).toBe(1);
      while (s.comments.length < 3 && Date.now() - opened < 5000) await sleep(50);
      expect(s.comments.length).toBeGreaterThanOrEqual(3);
      expect(s.events.filter((e) => e.event !== 'message')).toEqual([]); // nothing but comments on an idle stream
      // three comments cannot come sooner than two intervals after the stream opened
      expect(s.comments[2] - opened).toBeGreaterThanOrEqual(2 * 150 - 20);

      // the default stream (15 s) has said nothing but `retry` in that time
      const slow = await watch(a.port, listing.id);
      await sleep(400);
      expect(slow.comments).toEqual([]);

      s.close();
      slow.close();
      for (let i = 0; i < 50 && auctionLive(env.ctx).watcherCount(listing.id) > 0; i += 1) await sleep(20);
      expect(auctionLive(env.ctx).watcherCount(listing.id)).toBe(0);
    } finally {
      await quick.close();
    }
  });
});
