import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { sql } from 'kysely';
import { createApp } from '../../server/app';
import { auctionLive } from '../../server/auctions/auctions.live';
import { createDb, createPool } from '../../server/db/db';
import { as, TestEnv } from './context';
import type { AppContext } from '../../server/context';
import type { Listing } from '../../server/listings/listings';
import { rowToListing } from '../../server/listings/listings.mapper';
import { ListingFixture, makeListing } from './fixtures';

/** A published auction inserted straight into the table (lease: rising from 10,000 in steps of 500). */
export async function makeAuction(
  ctx: AppContext,
  f: ListingFixture & { increment?: string; extensionSeconds?: number },
): Promise<Listing> {
  const kind = f.kind ?? 'lease';
  const listing = await makeListing(ctx, { basePrice: kind === 'lease' ? '10000.00' : '50000.00', ...f, kind });
  const row = await ctx.db
    .updateTable('listings')
    .set({
      method: 'auction',
      increment: f.increment ?? (kind === 'lease' ? '500.00' : '1000.00'),
      extension_seconds: f.extensionSeconds ?? 300,
    })
    .where('id', '=', listing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToListing(row);
}

/** The database clock plus ms milliseconds. */
export async function dbClockPlus(ctx: AppContext, ms: number): Promise<Date> {
  const { rows } = await sql<{ t: Date }>`SELECT clock_timestamp() + make_interval(secs => ${ms / 1000}) AS t`.execute(
    ctx.db,
  );
  return rows[0].t;
}

/** A second app instance on the same database: its own pool, its own LISTEN connections, as another process would have. */
export function secondInstance(env: TestEnv): { ctx: AppContext; app: Express; close(): Promise<void> } {
  const pool = createPool(env.database.url, 10);
  const ctx: AppContext = { ...env.ctx, pool, db: createDb(pool) };
  return {
    ctx,
    app: createApp(ctx),
    close: async () => {
      await auctionLive(ctx).stop();
      await ctx.db.destroy();
    },
  };
}

/** Listens on a free loopback port. */
export async function listen(app: Express): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
  receivedAt: number;
}

/** A minimal event-stream reader over node:http: every event as it arrives; next(type) reads them in order. */
export function openEventStream(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const events: SseEvent[] = [];
      const comments: number[] = []; // when each comment-only block (a keep-alive) arrived
      const cursor = new Map<string, number>();
      let waiter: { event: string; resolve: () => void } | null = null;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          const e = parseBlock(block);
          buffer = buffer.slice(cut + 2);
          if (block.split('\n').every((line) => line.startsWith(':'))) comments.push(Date.now());
          if (!e) continue;
          events.push(e);
          if (waiter?.event === e.event) waiter.resolve();
        }
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      const next = async (event: string, timeoutMs = 10_000): Promise<SseEvent> => {
        const i = cursor.get(event) ?? 0;
        const found = () => events.filter((e) => e.event === event)[i];
        if (!found()) {
          await new Promise<void>((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`no ${event} event #${i + 1} within ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiter = {
              event,
              resolve: () => {
                if (!found()) return;
                clearTimeout(timer);
                waiter = null;
                ok();
              },
            };
          });
        }
        cursor.set(event, i + 1);
        return found();
      };
      resolve({
        status: res.statusCode ?? 0,
        type: String(res.headers['content-type']),
        headers: res.headers,
        events,
        comments,
        ended,
        close: () => req.destroy(),
        next,
      });
    });
    req.on('error', reject);
  });
}

export interface EventStream {
  status: number;
  type: string;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  comments: number[];
  ended: Promise<void>;
  close(): void;
  next(event: string, timeoutMs?: number): Promise<SseEvent>;
}

function parseBlock(block: string): SseEvent | null {
  const e: SseEvent = { event: 'message', data: '', receivedAt: Date.now() };
  let hasData = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line.startsWith('retry:')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') e.event = value;
    else if (field === 'id') e.id = value;
    else if (field === 'data') {
      e.data += value;
      hasData = true;
    }
  }
  return hasData ? e : null;
}

/**
 * An auction of the township that took these bids (in order) and was closed by its staff once over:
 * the listing and the closing's answer (its `bids`, best first, are what an award chooses from).
 */
export async function closedAuction(
  env: TestEnv,
  townshipId: string,
  staffToken: string,
  bids: { token: string; amount: string }[],
) {
  const listing = await makeAuction(env.ctx, {
    townshipId,
    bidDeadline: await dbClockPlus(env.ctx, 800),
    extensionSeconds: 1,
  });
  let endsAt = listing.bidDeadline;
  for (const b of bids) {
    const res = await as(env.app, b.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: b.amount })
      .expect(201);
    endsAt = new Date(res.body.endsAt as string);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, endsAt.getTime() - Date.now() + 100)));
  const closed = await as(env.app, staffToken).post(`/api/v1/listings/${listing.id}/open`).expect(200);
  return { listing, closed, endsAt };
}
