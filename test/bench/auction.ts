import { ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import { Client } from 'pg';
import type { Db } from '../../server/db/db';
import { AppProcess, startApp } from './app-process';
import { measure, Measurement } from './measure';
import { postJson } from './bench-client';
import { insertBearerToken } from './tokens';

// Open auctions under load (npm run bench -- auction runs only this part):
//  - WATCHERS event streams on one app instance, then split over two (each with its own LISTEN);
//  - LEVELS bursts of BURST bidders, all at the same amount, in the auction's last second;
//  - the public board (API and page) at 32 connections while a live auction takes a bid every second.
// What must hold: exactly one bid accepted per level, no 201 lost, every extension exactly bid time +
// extensionSeconds by the database clock, and a bid reaching 99% of watchers within 200 ms.
//
// The watchers live in BENCH_WATCHER_PROCESSES child processes (test/bench/auction-watchers.ts: raw
// sockets, no HTTP parser), not in this one: this process keeps the clock, the bidders and a LISTEN
// connection of its own, which times when PostgreSQL delivered each bid's NOTIFY (its commit).

const WATCHERS = Number(process.env.BENCH_WATCHERS || 2000);
const WATCHER_PROCESSES = Number(process.env.BENCH_WATCHER_PROCESSES || 4);
const BURST = Number(process.env.BENCH_AUCTION_BIDDERS || 50);
const LEVELS = Number(process.env.BENCH_AUCTION_LEVELS || 5);
/**
 * The extension window: long enough for a burst's 50 answers to come back before the next last second (a level
 * that misses its window ends the auction, and every later level is then refused too).
 */
const EXTENSION_S = Number(process.env.BENCH_AUCTION_WINDOW || 10);
/** how long before the current end (database clock) each burst is sent: inside its last second */
const LEAD_MS = 900;
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
    out.push({ id: user.id, token: await insertBearerToken(db, user.id) });
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

/** One auction bid of amount, answered as { status, json, answeredAt }. */
function post(url: string, token: string, amount: string, agent: http.Agent | false = false) {
  return postJson(url, token, JSON.stringify({ amount }), agent);
}

/** The watchers, spread over child processes; arrivals() says when each bid (by seq) reached each of them. */
interface Watchers {
  opened: number;
  arrivals(): Promise<{ bySeq: Map<number, number[]>; ends: number }>;
  close(): Promise<void>;
}

function ask<T>(child: ChildProcess, msg: unknown, answer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== answer) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`a watcher process exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(msg as object);
  });
}

async function openWatchers(urls: string[], listingId: string, count: number): Promise<Watchers> {
  const children = Array.from({ length: WATCHER_PROCESSES }, () =>
    fork(path.join(__dirname, 'auction-watchers.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }),
  );
  const share = (i: number) => Math.floor(count / children.length) + (i < count % children.length ? 1 : 0);
  const ready = await Promise.all(
    children.map((c, i) =>
      ask<{ opened: number; failed: number }>(
        c,
        // each child starts its round-robin where the last one stopped, so the instances get equal shares
        {
          type: 'open',
          urls: urls.map(
            (_, k) => urls[(k + children.slice(0, i).reduce((n, _c, j) => n + share(j), 0)) % urls.length],
          ),
          path: `/api/v1/listings/${listingId}/auction/events`,
          count: share(i),
        },
        'ready',
      ),
    ),
  );
  const failed = ready.reduce((n, r) => n + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} of ${count} event streams did not open`);
  return {
    opened: ready.reduce((n, r) => n + r.opened, 0),
    async arrivals() {
      const bySeq = new Map<number, number[]>();
      let ends = 0;
      for (const c of children) {
        const r = await ask<{ arrivals: [number, number[]][]; ends: number }>(c, { type: 'report' }, 'report');
        ends += r.ends;
        for (const [seq, times] of r.arrivals) bySeq.set(seq, [...(bySeq.get(seq) ?? []), ...times]);
      }
      return { bySeq, ends };
    },
    async close() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.send({ type: 'close' });
            }),
        ),
      );
    },
  };
}

/** When this process heard each bid's NOTIFY (PostgreSQL sends it at commit), on a LISTEN connection of its own. */
async function listenForBids(databaseUrl: string, listingId: string) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const heard = new Map<number, number>();
  client.on('notification', (m) => {
    const now = Date.now();
    const s = JSON.parse(m.payload ?? '{}') as { type?: string; listingId?: string; item?: { seq: number } };
    if (s.type === 'bid' && s.listingId === listingId && s.item) heard.set(s.item.seq, now);
  });
  await client.query('LISTEN tts_auction');
  return { heard, close: () => client.end() };
}

interface LevelResult {
  /** from sending the burst to its last answer */
  answeredMs: number;
  accepted: number;
  refused: Record<string, number>;
  failed: number;
}

/**
 * Bursts at LEVELS levels, each sent LEAD_MS before the current end by the database clock (inside its last
 * second) over connections opened beforehand; then checks against the database.
 */
async function runBursts(db: Db, bidUrl: string, listingId: string, bidders: Bidder[]) {
  const levels: LevelResult[] = [];
  const accepted: { id: string; seq: number; at: string; endsAt: string; answeredAt: number }[] = [];
  /** per level: how long before the end then current the accepted bid was timed (database clock) */
  const beforeEnd: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: bidders.length });
  // one open connection per bidder, so a burst is 50 requests on 50 warm sockets, not 50 handshakes
  await Promise.all(
    bidders.map(
      () =>
        new Promise<void>((resolve, reject) =>
          http
            .get(new URL('/healthz', bidUrl), { agent }, (res) => res.resume().on('end', () => resolve()))
            .on('error', reject),
        ),
    ),
  );
  // a warm-up burst off the grid (refused INVALID_INCREMENT, nothing taken): the app's pool, JIT and the bid path
  // are warm before the first timed burst, as the load measurements warm up before they count
  await Promise.all(bidders.map((b) => post(bidUrl, b.token, '10150.00', agent).catch(() => undefined)));
  // the bursts start now: the scheduled end comes 3 s from here, so the first lands in its last second
  await sql`UPDATE listings SET bid_deadline = clock_timestamp() + interval '3 seconds' WHERE id = ${listingId}`.execute(
    db,
  );
  let amount = 10100;
  try {
    for (let level = 0; level < LEVELS; level += 1) {
      const { rows } = await sql<{ left: number; ends_at: Date }>`
        SELECT extract(epoch FROM coalesce(ends_at, bid_deadline) - clock_timestamp()) * 1000 AS left,
          coalesce(ends_at, bid_deadline) AS ends_at
        FROM listings WHERE id = ${listingId}`.execute(db);
      const endBefore = rows[0].ends_at.getTime();
      await sleep(Math.max(0, Number(rows[0].left) - LEAD_MS));
      const sentAt = Date.now();
      const answers = await Promise.all(
        bidders.map((b) =>
          post(bidUrl, b.token, amount.toFixed(2), agent).catch(() => ({
            status: 0,
            json: {},
            answeredAt: 0,
          })),
        ),
      );
      const r: LevelResult = { answeredMs: Date.now() - sentAt, accepted: 0, refused: {}, failed: 0 };
      for (const a of answers) {
        if (a.status === 201) {
          r.accepted += 1;
          accepted.push({
            ...(a.json as { id: string; seq: number; at: string; endsAt: string }),
            answeredAt: a.answeredAt,
          });
          beforeEnd.push(endBefore - Date.parse((a.json as { at: string }).at));
        } else if (a.status >= 400 && a.status < 500) {
          const code = String(a.json?.error?.code);
          r.refused[code] = (r.refused[code] ?? 0) + 1;
        } else r.failed += 1;
      }
      levels.push(r);
      amount += 100;
    }
  } finally {
    agent.destroy();
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
  return { levels, accepted, beforeEnd, stored, lost, inexact, endMatches };
}

async function watchersRun(db: Db, say: Say, townshipId: string, bidders: Bidder[], instances: number) {
  const apps: AppProcess[] = [];
  for (let i = 0; i < instances; i += 1) apps.push(await startApp(process.env.BENCH_DATABASE_URL!, 1));
  let watchers: Watchers | null = null;
  let listener: Awaited<ReturnType<typeof listenForBids>> | null = null;
  try {
    const listingId = await makeAuction(db, townshipId, 600_000, EXTENSION_S);
    watchers = await openWatchers(
      apps.map((a) => a.url),
      listingId,
      WATCHERS,
    );
    listener = await listenForBids(process.env.BENCH_DATABASE_URL!, listingId);
    await sleep(1000);
    // the first bid, long before the end, opens the auction at the base price; the bursts follow
    const bidUrl = `${apps[0].url}/api/v1/listings/${listingId}/auction/bids`;
    const first = await post(bidUrl, bidders[0].token, '10000.00');
    if (first.status !== 201) throw new Error(`the opening bid was refused: ${JSON.stringify(first.json)}`);
    const result = await runBursts(db, bidUrl, listingId, bidders);
    await sleep(1500);
    const { bySeq } = await watchers.arrivals();
    const delays: number[] = [];
    const toCommit: number[] = [];
    const fanOut: number[] = [];
    let missing = 0;
    for (const s of result.stored) {
      const at = s.placed_at.getTime();
      const heard = listener.heard.get(s.seq);
      if (heard !== undefined) toCommit.push(heard - at);
      const times = bySeq.get(s.seq) ?? [];
      missing += WATCHERS - times.length;
      for (const t of times) {
        delays.push(t - at);
        if (heard !== undefined) fanOut.push(t - heard);
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
    const inWindow = result.beforeEnd.every((ms) => ms > 0 && ms < 1000) && perLevel.every((n) => n === 1);
    const ms = (xs: number[]) => `${pct(xs, 0.5)} / ${pct(xs, 0.99)} ms`;
    say(
      `| ${instances} | ${watchers.opened} | ${LEVELS} × ${bidders.length} | ${perLevel.join(' ')} ${mark(perLevel.every((n) => n === 1))} | ${refused} | ${result.beforeEnd.map((n) => `${n}`).join(' ')} ms ${mark(inWindow)} | ${result.levels.map((l) => l.answeredMs).join(' ')} ms | ${result.levels.reduce((n, l) => n + l.failed, 0)} | ${result.lost} ${mark(result.lost === 0)} | ${result.stored.length - result.inexact} of ${result.stored.length} exact, end ${result.endMatches ? 'matches' : 'differs'} ${mark(result.inexact === 0 && result.endMatches)} | ${missing} | ${ms(toCommit)} | ${ms(fanOut)} | ${pct(delays, 0.5)} ms | ${pct(delays, 0.99)} ms | ${(reached * 100).toFixed(2)}% ${mark(reached >= 0.99)} |`,
    );
  } finally {
    await watchers?.close();
    await listener?.close();
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
    `Each run: one lease auction (increment 100, window ${EXTENSION_S} s); ${WATCHERS} event-stream watchers split evenly over the instances, held by ${WATCHER_PROCESSES} child processes of the bench (raw sockets, no HTTP parser); ` +
      `${LEVELS} levels, at each all ${BURST} bidders post the same amount at once ${LEAD_MS} ms before the current end by the database clock, on connections opened beforehand (bids go to the first instance). ` +
      `"Before the end" = how long before the end then current the accepted bid was timed (must be inside the last second). ` +
      `Reach = from the bid's time (read by the database clock inside its transaction, before its end is moved and it is written) to its arrival at a watcher's socket, over every bid × watcher; ` +
      `"to commit" = bid time to the bench's own LISTEN hearing its NOTIFY (sent at commit); "fan-out" = that NOTIFY heard to the watcher's arrival (the app hearing it, writing 2,000 frames, the kernel, the watcher processes reading). ` +
      `Apps, PostgreSQL, the bench and its watcher processes share the machine's 2 cores.\n`,
  );
  say(
    '| instances | watchers | bursts | accepted per level | refused per level | before the end | all answered in | failed | lost | extension = at + window | not delivered | to commit p50 / p99 | fan-out p50 / p99 | reach p50 | reach p99 | within 200 ms (goal 99%) |',
  );
  say('| ---: | ---: | --- | --- | --- | --- | --- | ---: | ---: | --- | ---: | --- | --- | ---: | ---: | --- |');
  // BENCH_AUCTION_INSTANCES=2 runs only the two-instance row, BENCH_AUCTION_BOARD=0 leaves out the board
  for (const n of (process.env.BENCH_AUCTION_INSTANCES || '1,2').split(',').map(Number))
    await watchersRun(db, say, townshipId, bidders, n);
  if (process.env.BENCH_AUCTION_BOARD === '0') return;
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
