import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../server/db/db';
import { statsToJson } from '../../server/stats/stats.json';
import { computeStats } from '../../server/stats/stats.service';
import { PINNED, pinLoadGenerator, startApp } from './app-process';
import { runBurst, BurstResult } from './burst';
import { runAuctionBench } from './auction';
import { AfterAward, afterAwardMs } from './after-award';
import { benchContext } from './bench-client';
import { startCeiling } from './ceiling';
import { loadVolume, startBenchDatabase, VOLUME } from './load';
import { runSealingBench } from './sealing';
import {
  ACCEPT_ENCODING,
  BENCH_SECONDS,
  capture,
  Captured,
  CONNECTIONS,
  measure,
  Measurement,
  measureTogether,
  singleRequestMs,
} from './measure';

// npm run bench — not part of npm test. See test/bench/RESULTS.md for the latest numbers.

const GOAL = { ratio: 0.9, p99Ms: 50, districtStatsMs: 100 };
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  return (
    `${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version}, ` +
    `load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`
  );
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const mark = (ok: boolean) => (ok ? '✅' : '❌');

/**
 * Median time of one request right after a change of data (a listing touched through another
 * connection, as another instance would): the answer is computed again from the database.
 */
async function afterChangeMs(db: Db, base: string, row: Row, n = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    await sql`UPDATE listings SET updated_at = now() WHERE code = (SELECT min(code) FROM listings WHERE code LIKE 'BL-%')`.execute(
      db,
    );
    await new Promise((r) => setTimeout(r, 200)); // the NOTIFY reaches the app in milliseconds
    times.push((await capture(base, row.path, row.headers)).ms);
  }
  return median(times);
}

interface Row {
  name: string;
  path: string;
  /** sent by the app's side only: the ceiling answers by path */
  headers?: Record<string, string>;
  /** shown for comparison, without goals */
  comparison?: boolean;
  app?: Measurement;
  ceiling?: Measurement;
  /** app/ceiling req/s, measured one after the other (median round) */
  ratio?: number;
  /** app/ceiling req/s, measured at the same time on one shared core (median round): the goal's */
  together?: number;
  singleMs?: number;
  afterChangeMs?: number;
  /** the statistics rows: the change is an award through the real use case */
  afterAward?: AfterAward;
  note?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median of each figure over the rounds (a round is app then ceiling, back to back). */
function medianOf(ms: Measurement[]): Measurement {
  return {
    rps: median(ms.map((m) => m.rps)),
    p50: median(ms.map((m) => m.p50)),
    p99: median(ms.map((m) => m.p99)),
    total: ms.reduce((n, m) => n + m.total, 0),
    failures: ms.reduce((n, m) => n + m.failures, 0),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Bytes on the wire of each answer, plain and in each coding (the board page's goal: ≤ 60 KB). */
async function reportWireSizes(base: string, rows: Row[], say: (line?: string) => void): Promise<void> {
  say('\n## Size on the wire (body bytes; the app compresses by Accept-Encoding)\n');
  say('| endpoint | identity | gzip | br |');
  say('| --- | ---: | ---: | ---: |');
  for (const row of rows.filter((r) => !r.note && !r.comparison)) {
    const sizes: string[] = [];
    for (const coding of ['identity', 'gzip', 'br']) {
      const c = await capture(base, row.path, { 'Accept-Encoding': coding });
      const sent = c.headers['content-encoding'] ?? 'identity';
      sizes.push(`${kb(Buffer.from(c.body, 'base64').length)}${sent === coding ? '' : ` (sent ${sent})`}`);
    }
    say(`| ${row.name} | ${sizes.join(' | ')} |`);
  }
}

const SEAL_GOAL_MS = 2000;

/** The sealing section: the cost of sealing one bid and of opening 500 at quorum 2. */
async function sealingSection(db: Db, say: (line?: string) => void): Promise<void> {
  const r = await runSealingBench(db);
  say(`\n## Sealing: one bid, and the opening of ${r.bids} sealed bids at quorum 2\n`);
  say('| what | time | goal |');
  say('| --- | ---: | --- |');
  say(
    `| sealing one bid: the crypto alone (offer + bidder's copy, two ECIES boxes, owner tag) | ${ms(r.sealCryptoMs)} | |`,
  );
  say(
    `| one bid through the service (lock, clock, crypto, upsert, commit), median of ${r.bids} | ${ms(r.submitMedianMs)} | |`,
  );
  say(`| an auditor's confirmation (argon2id of the password, share re-encrypted) | ${ms(r.confirmMs)} | |`);
  say(
    `| the opening of ${r.bids} sealed bids (opener's confirmation, key rebuilt, every offer tried, ranked, stored, audited, notified) | ${ms(r.openMs)} | ${mark(r.openMs < SEAL_GOAL_MS && r.openedBids === r.bids)} < ${SEAL_GOAL_MS} ms |`,
  );
  if (r.openedBids !== r.bids) say(`\nOnly ${r.openedBids} of ${r.bids} bids were read back: the opening is wrong.`);
}

/** `npm run bench -- --sealing`: only the sealing figures, on an empty bench database (a minute, not half an hour). */
async function sealingOnly() {
  const say = (line = '') => process.stdout.write(`${line}\n`);
  say(`# Sealing bench\n\n${new Date().toISOString()} · ${machine()}`);
  const pg = await startBenchDatabase();
  try {
    await sealingSection(pg.db, say);
  } finally {
    await pg.stop();
  }
}

/** The statistics goal alone: one request, then the request right after each award, per scope. */
async function statsAfterAward(
  db: Db,
  url: string,
  townshipId: string,
  district: string,
  say: (line?: string) => void,
) {
  const app = await startApp(url, 1);
  try {
    say('| endpoint | one request alone | after a listing is touched | after an award | the award itself | goal |');
    say('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const [name, path] of [
      ['GET /api/v1/stats (district)', `/api/v1/stats?district=${encodeURIComponent(district)}`],
      ['GET /api/v1/stats (platform)', '/api/v1/stats'],
    ]) {
      const alone = await singleRequestMs(app.url, path);
      const touched = await afterChangeMs(db, app.url, { name, path });
      const r = await afterAwardMs(db, app.url, townshipId, path);
      const goal = name.includes('district')
        ? `< ${GOAL.districtStatsMs} ms ${mark(r.afterMs < GOAL.districtStatsMs)}`
        : 'no goal';
      say(
        `| ${name} | ${ms(alone)} | ${ms(touched)} | ${ms(r.afterMs)} (median of ${r.awards}) | ${ms(r.awardMs)} | ${goal} |`,
      );
    }
    say(
      `\nload average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')}`,
    );
  } finally {
    await app.stop();
  }
}

async function main() {
  if (process.argv.includes('--sealing')) return sealingOnly();
  const out: string[] = [];
  const say = (line = '') => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  const started = Date.now();
  say(`# Benchmark results\n\n${new Date().toISOString()} · ${machine()}\n`);
  say(
    `${CONNECTIONS} connections, ${BENCH_SECONDS} s per measurement (BENCH_SECONDS), after a 1 s warm-up; ${ROUNDS} rounds (BENCH_ROUNDS) of ` +
      `the app alone, the ceiling alone and both at once, and each figure is the median round; ` +
      `${PINNED ? 'the app and the ceiling on the last core, the load generator on the others (BENCH_PIN=0: not pinned)' : 'not pinned to cores'}; ` +
      `every request sends Accept-Encoding: ${ACCEPT_ENCODING}; app log level ${process.env.BENCH_LOG_LEVEL || 'info'}.\n`,
  );

  const pg = await startBenchDatabase();
  const apps: { stop(): Promise<unknown> }[] = [];
  try {
    const { district, townshipId, seconds, rebuildSeconds } = await loadVolume(pg.db);
    // the statistics read the daily totals: they must hold the loaded deals before anything is timed
    const ctx = benchContext(pg.db);
    const [daily, awards] = await Promise.all([
      computeStats(ctx, { district }, 'daily'),
      computeStats(ctx, { district }, 'awards'),
    ]);
    if (daily.dealCount === 0 || JSON.stringify(statsToJson(daily)) !== JSON.stringify(statsToJson(awards))) {
      throw new Error(
        `the daily deal totals do not match the awards (${daily.dealCount} against ${awards.dealCount} deals)`,
      );
    }
    say(
      `Data: ${VOLUME.townships} townships in ${VOLUME.districts} districts, ${n0(VOLUME.deals)} awarded deals, ${n0(VOLUME.deals * VOLUME.bidsPerDeal)} opened bids, ` +
        `${n0(VOLUME.failed)} failed and ${VOLUME.live} live listings — loaded in ${seconds.toFixed(1)} s ` +
        `(the daily deal totals rebuilt from the awards in ${rebuildSeconds.toFixed(1)} s of it).\n`,
    );

    // npm run bench -- auction: only the open auctions (test/bench/auction.ts), written to AUCTION-RESULTS.md
    if (process.argv.includes('auction')) {
      await runAuctionBench(pg.db, pg.url, townshipId, district, say);
      say(`\nTotal bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
      fs.writeFileSync(path.join(__dirname, 'AUCTION-RESULTS.md'), `${out.join('\n')}\n`);
      process.stdout.write('\nwritten to test/bench/AUCTION-RESULTS.md\n');
      return;
    }

    // npm run bench -- stats: only the statistics after an award (minutes, not half an hour); printed, not written
    if (process.argv.includes('stats')) {
      await statsAfterAward(pg.db, pg.url, townshipId, district, say);
      return;
    }

    const d = encodeURIComponent(district);
    const rows: Row[] = [
      { name: 'GET /api/v1/board (district)', path: `/api/v1/board?district=${d}` },
      { name: 'GET /api/v1/board (township)', path: `/api/v1/board?townshipId=${townshipId}` },
      { name: 'GET /board page (district)', path: `/board?district=${d}` },
      { name: `GET /board page (every township, ${VOLUME.live} live listings)`, path: '/board' },
      { name: 'GET /api/v1/stats (district)', path: `/api/v1/stats?district=${d}` },
      { name: 'GET /api/v1/stats (platform)', path: '/api/v1/stats' },
      // what a signed-in reader's request costs: a cookie sends it the long way (every middleware,
      // routing, the scope lookup), though the body still comes from the read cache
      {
        name: 'GET /api/v1/board (district), the long way (with a cookie)',
        path: `/api/v1/board?district=${d}`,
        headers: { Cookie: 'tts.bench=1' },
        comparison: true,
      },
    ];

    // ---- app vs ceiling, one endpoint at a time
    pinLoadGenerator(true);
    const app = await startApp(pg.url, 1, true);
    apps.push(app);
    const captured: Captured[] = [];
    for (const row of rows) {
      const first = await capture(app.url, row.path, row.headers);
      if (first.status !== 200) {
        row.note = `endpoint not available (${first.status})`;
        say(`${row.name}: ${row.note}`);
        continue;
      }
      if (!row.headers) captured.push(first); // the ceiling answers by path: the plain capture serves both
    }
    await reportWireSizes(app.url, rows, say);
    const ceiling = await startCeiling(captured);
    apps.push(ceiling);
    // Each round measures the app alone, then the ceiling alone (their req/s, p50 and p99), then both
    // at once on their one shared core (measureTogether). The ratio of the rounds one after the other
    // moves with the machine (another guest, the clock) between the two halves of a round; at once,
    // whatever the machine does moves both alike. The median round of each is reported.
    // BENCH_ROWS=<text>: only the rows whose name holds it (a quicker look at one endpoint).
    const only = process.env.BENCH_ROWS;
    for (const row of rows.filter((r) => !r.note && (!only || r.name.includes(only)))) {
      row.singleMs = await singleRequestMs(app.url, row.path, row.headers);
      if (row.path.startsWith('/api/v1/stats')) {
        row.afterAward = await afterAwardMs(pg.db, app.url, townshipId, row.path);
        row.afterChangeMs = row.afterAward.afterMs;
      } else row.afterChangeMs = await afterChangeMs(pg.db, app.url, row);
      const appRounds: Measurement[] = [];
      const ceilingRounds: Measurement[] = [];
      const together: number[] = [];
      const shares: string[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        appRounds.push(await measure(app.url + row.path, undefined, row.headers));
        ceilingRounds.push(await measure(ceiling.url + row.path));
        const both = await measureTogether(app, ceiling, row.path, row.headers);
        together.push(both.app.rps / both.ceiling.rps);
        shares.push(both.cpuShare === null ? '?' : both.cpuShare.toFixed(2));
      }
      const ratios = appRounds.map((a, i) => a.rps / ceilingRounds[i].rps);
      row.app = medianOf(appRounds);
      row.ceiling = medianOf(ceilingRounds);
      row.ratio = median(ratios);
      row.together = median(together);
      const rounds = (xs: number[]) => xs.map((r) => r.toFixed(2)).join(', ');
      process.stdout.write(
        `  measured ${row.name}: app/ceiling by round, at once ${rounds(together)} (the app's share of the core's CPU time ${shares.join(', ')}); one after the other ${rounds(ratios)}\n`,
      );
    }
    await ceiling.stop();
    pinLoadGenerator(false);

    say('\n## App against the ceiling (the same Express serving the same compressed bytes from memory)\n');
    say(
      '| endpoint | app req/s | app p50 | app p99 | ceiling req/s | ceiling p50 | ceiling p99 | app/ceiling at once | app/ceiling one after the other | one request alone | alone, after a change | goals |',
    );
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of rows) {
      if (!r.app || !r.ceiling || r.ratio === undefined || r.together === undefined) {
        say(`| ${r.name} | ${r.note ?? 'not measured (BENCH_ROWS)'} | | | | | | | | | | |`);
        continue;
      }
      const { ratio, together } = r;
      const goals = r.comparison
        ? ['for comparison, no goal']
        : [
            `ratio ≥ ${GOAL.ratio} ${mark(together >= GOAL.ratio)}`,
            `p99 < ${GOAL.p99Ms} ms ${mark(r.app.p99 < GOAL.p99Ms)}`,
          ];
      if (r.name.includes('stats (district)'))
        goals.push(
          `after a change < ${GOAL.districtStatsMs} ms ${mark((r.afterChangeMs ?? Infinity) < GOAL.districtStatsMs)}`,
        );
      const failures = r.app.failures ? ` (${r.app.failures} failed)` : '';
      say(
        `| ${r.name} | ${n0(r.app.rps)}${failures} | ${ms(r.app.p50)} | ${ms(r.app.p99)} | ${n0(r.ceiling.rps)} | ${ms(r.ceiling.p50)} | ${ms(r.ceiling.p99)} | ${together.toFixed(2)} | ${ratio.toFixed(2)} | ${ms(r.singleMs ?? 0)} | ${ms(r.afterChangeMs ?? 0)} | ${goals.join(' · ')} |`,
      );
    }

    // npm run bench -- ratio: only the app against the ceiling (BENCH_ROUNDS rounds); printed, not written
    if (process.argv.includes('ratio')) return;

    const awarded = rows.filter((r) => r.afterAward);
    if (awarded.length)
      say(
        '\n"Alone, after a change" is, for the statistics, the request right after an award recorded through ' +
          'POST /api/v1/listings/:id/award (the use case counts the deal into the daily totals in its transaction; ' +
          'each answer was checked to hold it), median of ' +
          awarded
            .map((r) => `${r.afterAward!.awards} (${r.name}; the award itself ${ms(r.afterAward!.awardMs)})`)
            .join(', ') +
          '; for the others, the request right after a listing is touched through another connection.',
      );

    // ---- deadline burst against the same single-process app
    let burst: BurstResult | null = null;
    const probe = await capture(app.url, `/api/v1/listings/00000000-0000-4000-8000-000000000000/bids`);
    say('\n## Deadline burst\n');
    // the staff list of bids sits on the same path: 401 when the bids routes exist, 404 when they do not
    if (probe.status === 404) say('POST /api/v1/listings/:id/bids: endpoint not available');
    else {
      burst = await runBurst(pg.db, app.url, townshipId);
      const refused =
        Object.entries(burst.refused)
          .map(([k, v]) => `${k} ${n0(v)}`)
          .join(', ') || 'none';
      say(
        `${burst.bidders} bidders bid on one listing continuously from 5 s before its deadline until 2 s after it.\n`,
      );
      say('| bids sent | accepted (201) | refused | failed (5xx/network) | lost | late-accepted | req/s | p50 | p99 |');
      say('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
      say(
        `| ${n0(burst.sent)} | ${n0(burst.accepted)} | ${refused} | ${burst.failed} | ${burst.lost} ${mark(burst.lost === 0)} | ${burst.lateAccepted} ${mark(burst.lateAccepted === 0)} | ${n0(burst.rps)} | ${ms(burst.p50)} | ${ms(burst.p99)} |`,
      );
    }
    await app.stop();
    apps.length = 0;

    // ---- one process against two workers
    say('\n## WEB_CONCURRENCY: 1 process against 2 workers (GET /api/v1/board, district)\n');
    say('| WEB_CONCURRENCY | req/s | p50 | p99 |');
    say('| ---: | ---: | ---: | ---: |');
    const board = rows[0];
    if (board.note) say(`| – | ${board.note} | | |`);
    else {
      for (const workers of [1, 2]) {
        const proc = await startApp(pg.url, workers);
        apps.push(proc);
        const m = await measure(proc.url + board.path);
        say(`| ${workers} | ${n0(m.rps)} | ${ms(m.p50)} | ${ms(m.p99)} |`);
        await proc.stop();
        apps.pop();
      }
    }
    await runAuctionBench(pg.db, pg.url, townshipId, district, say);
    await sealingSection(pg.db, say);
    say(`\nTotal bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), `${out.join('\n')}\n`);
    process.stdout.write('\nwritten to test/bench/RESULTS.md\n');
    if (burst && (burst.lost > 0 || burst.lateAccepted > 0)) process.exitCode = 1;
  } finally {
    for (const a of apps.reverse()) await a.stop().catch(() => undefined);
    await pg.stop();
  }
}

// everything it started is stopped by then (a pool or LISTEN client of a service called in this process may linger)
main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
