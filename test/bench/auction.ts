import crypto from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import type { Db } from '../../server/db/db';
import { AppProcess, startApp } from './app-process';
import { measure, Measurement } from './measure';

// Open auctions under load (npm run bench -- auction runs only this part):
//  - WATCHERS event streams on one app instance, then split over two (each with its own LISTEN);
//  - LEVELS bursts of BURST bidders, all at the same amount, in the auction's last second;
//  - the public board (API and page) at 32 connections while a live auction takes a bid every second.
// What must hold: exactly one bid accepted per level, no 201 lost, every extension exactly bid time +
// extensionSeconds by the database clock, and a bid reaching 99% of watchers within 200 ms.

const WATCHERS = Number(process.env.BENCH_WATCHERS || 2000);
const BURST = Number(process.env.BENCH_AUCTION_BIDDERS || 50);
const LEVELS = Number(process.env.BENCH_AUCTION_LEVELS || 5);
const EXTENSION_S = 3;
const REACH_MS = 200;

type Say = (line?: string) => void;
interface Bidder {
  id: string;
  token: string;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : 0;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mark = (ok: boolean) => (ok ? '✅' : '❌');

/** Bidders with bearer tokens written straight into the tables (no argon2, no login round trip). */
async function makeBidders(db: Db, n: number): Promise<Bidder[]> {
  const run = crypto.randomBytes(4).toString('hex');
  const out: Bidder[] = [];
  for (let i = 0; i < n; i += 1) {
    const user = await db
      .insertInto('users')
      .values({
        username: `auc_${run}_${i}`,
        password_hash: 'bench-no-login',
        role: 'bidder',
        name: `竞买人${run}${i}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = crypto.randomBytes(24).toString('hex');
    await db
      .insertInto('api_tokens')
      .values({
        user_id: user.id,
        token_hash: crypto.createHash('sha256').update(token).digest('hex'),
        expires_at: new Date(Date.now() + 3600_000),
      })
      .execute();
    out.push({ id: user.id, token });
  }
  return out;
}

/** A published lease auction in the township, ending `endsInMs` from now by the database clock. */
async function makeAuction(db: Db, townshipId: string, endsInMs: number, extensionS: number): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO listings (code, township_id, kind, category, title, base_price, lease_term_months, bid_opens_at,
      bid_deadline, state, published_at, method, increment, extension_seconds)
    VALUES (${`AUC-${crypto.randomBytes(4).toString('hex')}`}, ${townshipId}, 'lease', 'water', '基准测试鱼塘竞价', 10000, 60,
      now() - interval '1 hour', clock_timestamp() + make_interval(secs => ${endsInMs / 1000}), 'published',
      now() - interval '10 days', 'auction', 100, ${extensionS})
    RETURNING id`.execute(db);
  return rows[0].id;
}

function post(url: string, token: string, amount: string): Promise<{ status: number; body: any; sentAt: number }> {
  const body = JSON.stringify({ amount });
  const sentAt = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
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
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}'), sentAt }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One event-stream watcher: when each bid (by seq) arrived here. */
interface Watcher {
  arrivals: Map<number, number>;
  close(): void;
}

function watch(base: string, listingId: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<number, number>();
    const req = http.get(`${base}/api/v1/listings/${listingId}/auction/events`, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const now = Date.now();
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const id = /^id: (\d+)$/m.exec(block);
          if (id && block.includes('event: bid')) arrivals.set(Number(id[1]), now);
        }
      });
      resolve({ arrivals, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

interface LevelResult {
  accepted: number;
  refused: Record<string, number>;
  failed: number;
}

/** Bursts at LEVELS levels, each fired in the auction's last second; then checks against the database. */
async function runBursts(db: Db, bidUrl: (id: string) => string, listingId: string, bidders: Bidder[]) {
  const levels: LevelResult[] = [];
  const accepted: { id: string; seq: number; at: string; endsAt: string }[] = [];
  let amount = 10100;
  for (let level = 0; level < LEVELS; level += 1) {
    // wait for the last second of the current end, by the database clock
    const { rows } = await sql<{ left: number }>`
      SELECT extract(epoch FROM coalesce(ends_at, bid_deadline) - clock_timestamp()) * 1000 AS left
      FROM listings WHERE id = ${listingId}`.execute(db);
    const left = Number(rows[0].left);
    await sleep(Math.max(0, left - 950));
    const answers = await Promise.all(
      bidders.map((b) =>
        post(bidUrl(listingId), b.token, amount.toFixed(2)).catch(() => ({ status: 0, body: {}, sentAt: 0 })),
      ),
    );
    const r: LevelResult = { accepted: 0, refused: {}, failed: 0 };
    for (const a of answers) {
      if (a.status === 201) {
        r.accepted += 1;
        accepted.push(a.body);
      } else if (a.status >= 400 && a.status < 500) {
        const code = String(a.body?.error?.code);
        r.refused[code] = (r.refused[code] ?? 0) + 1;
      } else r.failed += 1;
    }
    levels.push(r);
    amount += 100;
  }
  const stored = await db
    .selectFrom('auction_bids')
    .select(['id', 'seq', 'placed_at', 'ends_at'])
    .where('listing_id', '=', listingId)
    .where('seq', '>', 1) // the opening bid came long before the end
    .orderBy('seq')
    .execute();
  const storedIds = new Set(stored.map((s) => s.id));
  const lost =
    accepted.filter((a) => !storedIds.has(a.id)).length +
    stored.filter((s) => !accepted.some((a) => a.id === s.id)).length;
  // every bid was in the last second, so every accepted bid extended the end to exactly at + window
  const inexact = stored.filter((s) => s.ends_at.getTime() - s.placed_at.getTime() !== EXTENSION_S * 1000).length;
  const last = await db.selectFrom('listings').select('ends_at').where('id', '=', listingId).executeTakeFirstOrThrow();
  const endMatches = stored.length > 0 && last.ends_at?.getTime() === stored[stored.length - 1].ends_at.getTime();
  return { levels, accepted, stored, lost, inexact, endMatches };
}

async function watchersRun(db: Db, say: Say, townshipId: string, bidders: Bidder[], instances: number) {
  const apps: AppProcess[] = [];
  for (let i = 0; i < instances; i += 1) apps.push(await startApp(process.env.BENCH_DATABASE_URL!, 1));
  const watchers: Watcher[] = [];
  try {
    const listingId = await makeAuction(db, townshipId, 60_000, EXTENSION_S);
    for (let i = 0; i < WATCHERS; i += 1) watchers.push(await watch(apps[i % instances].url, listingId));
    await sleep(1000);
    // the first bid, long before the end, opens the auction at the base price; the bursts follow
    const first = await post(`${apps[0].url}/api/v1/listings/${listingId}/auction/bids`, bidders[0].token, '10000.00');
    if (first.status !== 201) throw new Error(`the opening bid was refused: ${JSON.stringify(first.body)}`);
    await sql`UPDATE listings SET bid_deadline = clock_timestamp() + interval '2 seconds' WHERE id = ${listingId}`.execute(
      db,
    );
    const result = await runBursts(db, (id) => `${apps[0].url}/api/v1/listings/${id}/auction/bids`, listingId, bidders);
    await sleep(1500);
    const delays: number[] = [];
    let missing = 0;
    for (const s of result.stored) {
      const at = s.placed_at.getTime();
      for (const w of watchers) {
        const t = w.arrivals.get(s.seq);
        if (t === undefined) missing += 1;
        else delays.push(t - at);
      }
    }
    const reached = delays.filter((d) => d <= REACH_MS).length / (result.stored.length * WATCHERS);
    const perLevel = result.levels.map((l) => l.accepted);
    const refused = result.levels
      .map((l) =>
        Object.entries(l.refused)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      )
      .join(' / ');
    say(
      `| ${instances} | ${WATCHERS} | ${LEVELS} × ${bidders.length} | ${perLevel.join(' ')} ${mark(perLevel.every((n) => n === 1))} | ${refused} | ${result.levels.reduce((n, l) => n + l.failed, 0)} | ${result.lost} ${mark(result.lost === 0)} | ${result.stored.length - result.inexact} of ${result.stored.length} exact, end ${result.endMatches ? 'matches' : 'differs'} ${mark(result.inexact === 0 && result.endMatches)} | ${missing} | ${pct(delays, 0.5)} ms | ${pct(delays, 0.99)} ms | ${(reached * 100).toFixed(2)}% ${mark(reached >= 0.99)} |`,
    );
  } finally {
    for (const w of watchers) w.close();
    for (const a of apps) await a.stop();
  }
}

/** The public board while an auction in the extension window takes a bid every second (each bid moves its end). */
async function boardUnderBids(
  db: Db,
  say: Say,
  townshipId: string,
  bidders: Bidder[],
  paths: { name: string; path: string }[],
) {
  const app = await startApp(process.env.BENCH_DATABASE_URL!, 1);
  try {
    const listingId = await makeAuction(db, townshipId, 600_000, 3600);
    say('| endpoint | bids | req/s | p50 | p99 | goal p99 < 200 ms |');
    say('| --- | --- | ---: | ---: | ---: | --- |');
    for (const p of paths) {
      for (const bidding of [false, true]) {
        let stop = false;
        let amount = 10000 + Math.floor(Math.random() * 1000) * 1000;
        let n = 0;
        const loop = (async () => {
          while (bidding && !stop) {
            const b = bidders[n % bidders.length];
            n += 1;
            await post(`${app.url}/api/v1/listings/${listingId}/auction/bids`, b.token, amount.toFixed(2));
            amount += 100;
            await sleep(1000);
          }
        })();
        const m: Measurement = await measure(app.url + p.path);
        stop = true;
        await loop;
        say(
          `| ${p.name} | ${bidding ? `one a second (${n} taken)` : 'none'} | ${Math.round(m.rps)} | ${m.p50} ms | ${m.p99} ms | ${bidding ? mark(m.p99 < 200) : ''} |`,
        );
      }
    }
  } finally {
    await app.stop();
  }
}

export async function runAuctionBench(db: Db, databaseUrl: string, townshipId: string, district: string, say: Say) {
  process.env.BENCH_DATABASE_URL = databaseUrl;
  const bidders = await makeBidders(db, BURST);
  say('\n## Open auctions\n');
  say(
    `Each run: one lease auction (increment 100, window ${EXTENSION_S} s); ${WATCHERS} event-stream watchers opened by this process, split evenly over the instances; ` +
      `${LEVELS} levels, at each all ${BURST} bidders post the same amount at once in the last second before the current end (bids go to the first instance). ` +
      `Reach = time from the bid's acceptance (its database time) to its arrival at a watcher, over every bid × watcher; the watchers share this process's event loop and the machine's 2 cores with the apps and PostgreSQL.\n`,
  );
  say(
    '| instances | watchers | bursts | accepted per level | refused per level | failed | lost | extension = at + window | not delivered | reach p50 | reach p99 | within 200 ms (goal 99%) |',
  );
  say('| ---: | ---: | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |');
  await watchersRun(db, say, townshipId, bidders, 1);
  await watchersRun(db, say, townshipId, bidders, 2);
  say(
    '\nThe public board (32 connections, BENCH_SECONDS each) without bids, then while an auction in its extension window takes a bid every second (every bid moves the end, so the listing changes every second):\n',
  );
  const d = encodeURIComponent(district);
  await boardUnderBids(db, say, townshipId, bidders, [
    { name: 'GET /api/v1/board (every township)', path: '/api/v1/board' },
    { name: 'GET /board page (every township)', path: '/board' },
    { name: 'GET /api/v1/board (district)', path: `/api/v1/board?district=${d}` },
  ]);
}
