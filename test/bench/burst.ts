import crypto from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import type { Db } from '../../server/db/db';
import { insertUser } from '../../server/accounts/accounts.repository';
import { issueToken } from '../../server/accounts/accounts.service';
import { benchContext, postJson } from './bench-client';

// The deadline burst: every bidder keeps bidding on one listing until 2 s past its deadline.
// What must hold: no 201 is lost (each bidder's last accepted bid is its live bid, every accepted
// bid is stored) and no bid is stored at or after the deadline by the database clock.

export const BIDDERS = Number(process.env.BENCH_BIDDERS || 200);
const DEADLINE_IN_S = 5;
const AFTER_DEADLINE_MS = 2000;

export interface BurstResult {
  bidders: number;
  sent: number;
  accepted: number;
  refused: Record<string, number>;
  failed: number;
  lost: number;
  lateAccepted: number;
  p50: number;
  p99: number;
  rps: number;
}

interface Bidder {
  id: string;
  token: string;
  lastAcceptedId: string | null;
  acceptedIds: string[];
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : 0;

/** Bidders and their tokens straight through the repositories (no argon2 per bidder, no login round trip). */
async function makeBidders(db: Db, n: number): Promise<Bidder[]> {
  const ctx = benchContext(db);
  const run = crypto.randomBytes(3).toString('hex');
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const user = await insertUser(db, {
        username: `burst_${run}_${i}`,
        passwordHash: 'bench-no-login',
        role: 'bidder',
        name: `冲刺投标人${i}`,
        idNumber: `36080219900101${String(i).padStart(4, '0')}`,
        phone: `138${String(i).padStart(8, '0')}`,
      });
      const { token } = await issueToken(ctx, user);
      return { id: user.id, token, lastAcceptedId: null, acceptedIds: [] };
    }),
  );
}

export async function runBurst(db: Db, appUrl: string, townshipId: string): Promise<BurstResult> {
  const bidders = await makeBidders(db, BIDDERS);
  // the deadline is set by the database clock, which is the one the app checks against
  const {
    rows: [listing],
  } = await sql<{ id: string; bid_deadline: Date; deposit_amount: string }>`
    INSERT INTO listings (code, township_id, kind, category, title, base_price, deposit_amount, bid_opens_at, bid_deadline, state, published_at)
    VALUES (${`BURST-${crypto.randomBytes(4).toString('hex')}`}, ${townshipId}, 'procurement', 'works', '截止冲刺压测项目', 100000, 0,
      now() - interval '1 hour', clock_timestamp() + ${`${DEADLINE_IN_S} seconds`}::interval, 'published', now() - interval '6 days')
    RETURNING id, bid_deadline, deposit_amount`.execute(db);
  if (Number(listing.deposit_amount) !== 0) throw new Error('the burst listing must need no deposit (no registration)');

  const deadline = listing.bid_deadline.getTime();
  const url = new URL(`/api/v1/listings/${listing.id}/bids`, appUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: BIDDERS });
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  let failed = 0;
  const started = Date.now();

  await Promise.all(
    bidders.map(async (b) => {
      while (Date.now() < deadline + AFTER_DEADLINE_MS) {
        const amount = (60000 + crypto.randomInt(0, 3_999_999) / 100).toFixed(2);
        const t0 = process.hrtime.bigint();
        try {
          const res = await postJson(url, b.token, JSON.stringify({ amount }), agent);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (res.status === 201) {
            b.acceptedIds.push(res.json.id);
            b.lastAcceptedId = res.json.id;
          } else if (res.status < 500 && res.json?.error?.code)
            refused[res.json.error.code] = (refused[res.json.error.code] ?? 0) + 1;
          else failed += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();

  const stored = await db
    .selectFrom('bids')
    .select(['id', 'bidder_id', 'status', 'submitted_at'])
    .where('listing_id', '=', listing.id)
    .execute();
  const storedIds = new Set(stored.map((s) => s.id));
  const live = new Map(stored.filter((s) => s.status === 'live').map((s) => [s.bidder_id, s.id]));
  // compared in the database: its timestamps keep microseconds that a JS Date would cut
  const {
    rows: [late],
  } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM bids b JOIN listings l ON l.id = b.listing_id WHERE l.id = ${listing.id} AND b.submitted_at >= l.bid_deadline`.execute(
    db,
  );
  const lateAccepted = Number(late.n);
  const accepted = bidders.reduce((n, b) => n + b.acceptedIds.length, 0);
  const missing = bidders.reduce((n, b) => n + b.acceptedIds.filter((id) => !storedIds.has(id)).length, 0);
  const notLive = bidders.filter((b) => b.lastAcceptedId !== null && live.get(b.id) !== b.lastAcceptedId).length;
  const sorted = latencies.sort((a, c) => a - c);
  return {
    bidders: BIDDERS,
    sent: latencies.length + failed,
    accepted,
    refused,
    failed,
    lost: missing + notLive,
    lateAccepted,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    rps: latencies.length / elapsed,
  };
}
