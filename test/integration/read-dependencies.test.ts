import { Kysely, PostgresDialect, sql } from 'kysely';
import request from 'supertest';
import { createApp } from '../../server/app';
import { cachedRead, defineRead, definedReads, observeReads, readsComputing, ReadSpec } from '../../server/cache/cache';
import { CLOCK_SOURCES, readVersions, Source, SOURCES, TABLE_SOURCES, TableSource } from '../../server/cache/version';
import { appendAudit } from '../../server/trail/append';
import type { AppContext } from '../../server/context';
import type { Database } from '../../server/db/database';
import { createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing, makeOpenedListingWithBids } from '../helpers/fixtures';
import { makeAuction } from '../helpers/auctions';
import { insertAward, insertBid } from './board-fixtures';

// Every cached read declares the sources of data it is made of (defineRead, next to the read). This
// test fails when a read can show a table that changes without invalidating it:
//  (a) every table a read's computation queries (captured from the SQL it sends), and every source of
//      the cached reads it is built on, is among the sources it declares; a query that reads the
//      database clock needs a clock source;
//  (b) every declared table source has a change signal the versions see: a statement on the table
//      through a plain connection, as another instance or an import would make it, moves the source's
//      version (and so the read's);
//  (c) the walk below computes every read the app defines, so a new read cannot escape (a) and (b).

interface Observed {
  tables: Set<string>;
  clock: boolean;
  inherited: Set<Source>;
}

let env: TestEnv;
let recCtx: AppContext;
let app: ReturnType<typeof createApp>;
let tables: string[];
const observed = new Map<string, Observed>();
const computed = new Set<string>();

function observedOf(name: string): Observed {
  let o = observed.get(name);
  if (!o) {
    o = { tables: new Set(), clock: false, inherited: new Set() };
    observed.set(name, o);
  }
  return o;
}

/** The tables a statement reads: every name after FROM or JOIN that is a table of the schema. */
function tablesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi)) {
    const name = m[1].toLowerCase();
    if (tables.includes(name)) found.add(name);
  }
  return [...found];
}

function record(text: string): void {
  const reads = readsComputing();
  // the versions themselves (read inside a computation when the LISTEN connection is not up yet)
  if (reads.length === 0 || text.includes('data_versions')) return;
  const queried = tablesIn(text);
  const clock = /\b(now|clock_timestamp|current_timestamp)\b/i.test(text);
  for (const r of reads) {
    const o = observedOf(r.name);
    for (const t of queried) o.tables.add(t);
    if (clock) o.clock = true;
  }
}

/** What (a) finds wrong with one read. */
function undeclared(spec: ReadSpec): string[] {
  const o = observed.get(spec.name);
  if (!o) return [];
  const problems: string[] = [];
  for (const t of o.tables) {
    if (!(t in SOURCES)) problems.push(`${spec.name} queries ${t}, which no version follows`);
    else if (!spec.dependsOn.includes(t as Source)) problems.push(`${spec.name} queries ${t} without declaring it`);
  }
  for (const s of o.inherited)
    if (!spec.dependsOn.includes(s)) problems.push(`${spec.name} is built on a read of ${s} without declaring it`);
  if (o.clock && !spec.dependsOn.some((s) => (CLOCK_SOURCES as readonly Source[]).includes(s)))
    problems.push(`${spec.name} reads the database clock without declaring a clock source`);
  return problems;
}

beforeAll(async () => {
  env = await createTestEnv();
  await makeUser(env.ctx, 'auditor');
  tables = (
    await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`.execute(env.ctx.db)
  ).rows.map((r) => r.tablename);
  // the same pool, a database handle of its own (so an empty read cache) that hands every statement to record()
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: env.ctx.pool }),
    log: (event) => record(event.query.sql),
  });
  recCtx = { ...env.ctx, db };
  app = createApp(recCtx);
  observeReads({
    used: (outer, inner) => {
      for (const r of outer) for (const s of inner.dependsOn) observedOf(r.name).inherited.add(s);
    },
    computed: (spec) => computed.add(spec.name),
  });
});
afterAll(async () => {
  observeReads(null);
  await env.close();
});

const HOUR = 3600_000;

describe('what each cached read depends on', () => {
  let townshipId: string;
  let auctionId: string;
  let openedId: string;

  beforeAll(async () => {
    const tw = await makeTownship(env.ctx, {}, '依赖区');
    townshipId = tw.id;
    const bidder = await makeUser(env.ctx, 'bidder', { name: '依赖竞买人' });
    await makeListing(env.ctx, { townshipId, title: '依赖公告' });
    auctionId = (
      await makeAuction(env.ctx, {
        townshipId,
        title: '依赖竞价',
        bidOpensAt: new Date(Date.now() - HOUR),
        bidDeadline: new Date(Date.now() + HOUR),
      })
    ).id;
    const opened = await makeOpenedListingWithBids(env.ctx, {
      townshipId,
      title: '依赖成交',
      state: 'awarded',
      openedAt: new Date(Date.now() - HOUR),
      bids: [{ bidderId: bidder.id, amount: '900.00' }],
    });
    openedId = opened.listing.id;
    await insertAward(env.ctx, opened.listing, opened.bids[0], bidder.id, '900.00');
    await makeListing(env.ctx, { townshipId, title: '依赖流标', state: 'failed' });
    await env.ctx.db
      .insertInto('hall_entries')
      .values({ township_id: townshipId, entry_date: '2026-01-05', kind: 'service', count: 3, created_by: bidder.id })
      .execute();

    const district = encodeURIComponent('依赖区');
    const paths = [
      '/api/v1/board',
      `/api/v1/board?townshipId=${townshipId}`,
      `/api/v1/board?district=${district}`,
      '/board',
      `/board?townshipId=${townshipId}`,
      `/board/kiosk?townshipId=${townshipId}&tab=stats`,
      `/board/ticker?townshipId=${townshipId}`,
      '/api/v1/stats',
      `/api/v1/stats?district=${district}&from=2026-01-01T08:00:00.000Z`,
      `/stats?district=${district}`,
      '/api/v1/hall/stats',
      `/api/v1/ocds/releases?townshipId=${townshipId}`,
    ];
    for (const path of paths) await request(app).get(path).expect(200);
  });

  it('(c) the walk computes every read the app defines', () => {
    const missing = definedReads()
      .map((r) => r.name)
      .filter((n) => !n.startsWith('test.') && !computed.has(n));
    expect(missing).toEqual([]);
    // and it saw real queries: the board's announcements read listings
    expect([...(observed.get('board.announcements')?.tables ?? [])]).toContain('listings');
  });

  it('(a) every table a read queries, and every source of the reads it is built on, is declared', () => {
    const problems = definedReads()
      .filter((r) => !r.name.startsWith('test.'))
      .flatMap(undeclared);
    expect(problems).toEqual([]);
  });

  it('(a) catches a read that queries a table it does not declare', async () => {
    const careless = defineRead('test.careless', ['listings']);
    await cachedRead(recCtx, careless, 'test.careless', async () => {
      const listings = await recCtx.db.selectFrom('listings').select('id').limit(1).execute();
      const awards = await recCtx.db.selectFrom('awards').select('amount').limit(1).execute();
      return { listings, awards };
    });
    const built = defineRead('test.built-on', ['awards']);
    await cachedRead(recCtx, built, 'test.built-on', async () => {
      return (await cachedRead(recCtx, careless, 'test.careless', () => Promise.resolve(null))).value;
    });
    const rawClock = defineRead('test.raw-clock', ['listings']);
    await cachedRead(recCtx, rawClock, 'test.raw-clock', async () => {
      return (await sql`SELECT count(*) FROM auction_bids WHERE placed_at < now()`.execute(recCtx.db)).rows;
    });
    expect(undeclared(careless)).toEqual(['test.careless queries awards without declaring it']);
    expect(undeclared(built)).toEqual(['test.built-on is built on a read of listings without declaring it']);
    expect(undeclared(rawClock)).toEqual([
      'test.raw-clock queries auction_bids, which no version follows',
      'test.raw-clock reads the database clock without declaring a clock source',
    ]);
  });

  /** A statement on the source's table through a plain connection, as another instance would make it. */
  const changes: Record<TableSource, () => Promise<unknown>> = {
    audit: () =>
      env.ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: 'test', action: 'test.dependencies' })),
    listings: () => sql`UPDATE listings SET title = title || '·' WHERE title = '依赖公告'`.execute(env.ctx.db),
    'listings.ends_at': () =>
      sql`UPDATE listings SET ends_at = coalesce(ends_at, bid_deadline) + interval '1 minute', updated_at = clock_timestamp() WHERE id = ${auctionId}`.execute(
        env.ctx.db,
      ),
    awards: () => sql`UPDATE awards SET amount = amount WHERE false`.execute(env.ctx.db),
    contracts: () => sql`DELETE FROM contracts WHERE false`.execute(env.ctx.db),
    bids: () => sql`UPDATE bids SET rank = rank WHERE listing_id = ${openedId}`.execute(env.ctx.db),
    users: () => sql`UPDATE users SET name = name || '·' WHERE name = '依赖竞买人'`.execute(env.ctx.db),
    townships: () => sql`UPDATE townships SET name = name WHERE id = ${townshipId}`.execute(env.ctx.db),
    township_rules: () => sql`UPDATE township_rules SET township_id = township_id WHERE false`.execute(env.ctx.db),
    hall_entries: () =>
      sql`UPDATE hall_entries SET count = count + 1 WHERE township_id = ${townshipId}`.execute(env.ctx.db),
    deal_days: () => sql`DELETE FROM deal_days WHERE false`.execute(env.ctx.db),
  };

  it('(b) every declared table source moves its version when its table changes, and only its own', async () => {
    const declared = new Set(definedReads().flatMap((r) => r.dependsOn));
    for (const source of TABLE_SOURCES.filter((s) => declared.has(s))) {
      const before = await readVersions(env.ctx.db);
      await changes[source]();
      const after = await readVersions(env.ctx.db);
      const moved = TABLE_SOURCES.filter((s) => before.of[s] !== after.of[s]);
      expect({ source, moved }).toEqual({ source, moved: [source] });
    }
  });

  it('(b) a sealed bid before opening moves no version; an auction end moving alone is not a listing change', async () => {
    const live = await makeListing(env.ctx, { townshipId, title: '依赖封存' });
    const bidder = await makeUser(env.ctx, 'bidder');
    const before = await readVersions(env.ctx.db);
    await insertBid(env.ctx, live, bidder.id, '800.00', false);
    await changes['listings.ends_at']();
    const after = await readVersions(env.ctx.db);
    expect(TABLE_SOURCES.filter((s) => before.of[s] !== after.of[s])).toEqual(['listings.ends_at']);
  });
});
