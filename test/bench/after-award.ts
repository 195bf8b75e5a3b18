import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import type { Db } from '../../server/db/db';
import { capture, Captured } from './measure';
import { insertBearerToken } from './tokens';

// "A district's figures after a change" (issue 13: < 100 ms at 100,000 deals). The change is an award
// recorded through the real use case — POST /api/v1/listings/:id/award on the app under test, which
// counts the deal into the daily totals in its own transaction — and what is timed is the statistics
// request that follows: the award invalidated the read cache, so the figures are computed again. Each
// answer is checked to hold the new deal, so a stale cached answer cannot pass for a fast one.

export interface AfterAward {
  /** median time of the statistics request right after each award */
  afterMs: number;
  /** median time of the award request itself */
  awardMs: number;
  awards: number;
}

/** A staff member of the township, with a bearer token. */
async function staffToken(db: Db, townshipId: string): Promise<string> {
  const user = await db
    .insertInto('users')
    .values({
      username: `bench_staff_${crypto.randomBytes(4).toString('hex')}`,
      password_hash: 'bench-no-login',
      role: 'staff',
      township_id: townshipId,
      name: '压测工作人员',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return insertBearerToken(db, user.id);
}

/** n procurement listings of the township opened yesterday, each with two ranked valid bids: ready for an award. */
async function openedListings(db: Db, townshipId: string, n: number): Promise<{ id: string; bidId: string }[]> {
  const run = crypto.randomBytes(3).toString('hex');
  const { rows } = await sql<{ id: string; bid_id: string }>`
    WITH l AS (
      INSERT INTO listings (code, township_id, kind, category, title, description, base_price, deposit_amount,
        bid_opens_at, bid_deadline, state, published_at, opened_at)
      SELECT 'BA-' || ${run} || '-' || i, ${townshipId}, 'procurement', 'works', '压测待定标项目 ' || i, '', 90000, 0,
        now() - interval '10 days', now() - interval '1 day', 'opened', now() - interval '15 days', now() - interval '23 hours'
      FROM generate_series(1, ${n}) i
      RETURNING id, bid_deadline),
    b AS (
      INSERT INTO bids (listing_id, bidder_id, amount_sealed, amount, nonce, receipt, submitted_at, status, valid, rank)
      SELECT l.id, u.id, decode(md5(l.id::text || u.n), 'hex'), 80000 + u.n * 1000 + 0.37, md5(l.id::text || u.n),
        md5(u.n || l.id::text), l.bid_deadline - interval '1 hour' * u.n, 'live', true, u.n
      FROM l CROSS JOIN (SELECT id, row_number() OVER (ORDER BY username) AS n FROM users WHERE role = 'bidder' LIMIT 2) u
      RETURNING listing_id, id, rank)
    SELECT listing_id AS id, id AS bid_id FROM b WHERE rank = 1`.execute(db);
  return rows.map((r) => ({ id: r.id, bidId: r.bid_id }));
}

function postAward(
  base: string,
  token: string,
  listingId: string,
  bidId: string,
): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify({ bidId });
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(`/api/v1/listings/${listingId}/award`, base),
      {
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON of a captured answer, whatever coding it came in. */
function jsonOf(c: Captured): { dealCount: number } {
  const raw = Buffer.from(c.body, 'base64');
  const coding = c.headers['content-encoding'];
  const text = coding === 'br' ? zlib.brotliDecompressSync(raw) : coding === 'gzip' ? zlib.gunzipSync(raw) : raw;
  return JSON.parse(text.toString('utf8')) as { dealCount: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * n times: an award in the township through the app, then the statistics at `path` (a scope that holds
 * the township), which must count one deal more than before.
 */
export async function afterAwardMs(db: Db, base: string, townshipId: string, path: string, n = 5): Promise<AfterAward> {
  const token = await staffToken(db, townshipId);
  const listings = await openedListings(db, townshipId, n);
  let deals = jsonOf(await capture(base, path)).dealCount;
  const after: number[] = [];
  const award: number[] = [];
  for (const l of listings) {
    const posted = await postAward(base, token, l.id, l.bidId);
    if (posted.status !== 201) throw new Error(`the award answered ${posted.status}`);
    award.push(posted.ms);
    const read = await capture(base, path);
    const counted = jsonOf(read).dealCount;
    if (read.status !== 200 || counted !== deals + 1)
      throw new Error(`${path} after an award: ${read.status}, ${counted} deals where ${deals + 1} were due`);
    deals = counted;
    after.push(read.ms);
  }
  return { afterMs: median(after), awardMs: median(award), awards: listings.length };
}
