import { sql } from 'kysely';
import { createTestEnv, makeTownship, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import type { ListingState } from '../../server/db/database';
import type { Listing } from '../../server/listings/listings';
import { rowToListing } from '../../server/listings/listings.mapper';
import {
  effectiveStatus,
  isRevealed,
  LISTING_STATUSES,
  ListingStatus,
  revealedSql,
  statusIs,
  statusSql,
} from '../../server/listings/status';

// The status is defined once (server/listings/status.ts); its TypeScript and SQL readings must agree
// for every stored state and every moment around the clock's window ends.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;
const base = Date.parse('2030-03-01T00:00:00Z');
const opensAt = new Date(base + 10 * HOUR);
const deadline = new Date(base + 20 * HOUR);
const extendedEnd = new Date(base + 25 * HOUR);
const moments = [
  new Date(base),
  new Date(opensAt.getTime() - 1),
  opensAt,
  new Date(opensAt.getTime() + 1),
  new Date(deadline.getTime() - 1),
  deadline,
  new Date(extendedEnd.getTime() - 1),
  extendedEnd,
  new Date(base + 30 * HOUR),
];
const states: ListingState[] = ['draft', 'published', 'opened', 'failed', 'awarded', 'concluded', 'cancelled'];

describe('listing status: one definition, read in TypeScript and in SQL', () => {
  let listings: Listing[];
  beforeAll(async () => {
    const township = await makeTownship(env.ctx);
    listings = [];
    // an auction extended past its scheduled deadline (限时竞价) stays open until its current end
    const extended = await makeListing(env.ctx, {
      townshipId: township.id,
      state: 'published',
      bidOpensAt: opensAt,
      bidDeadline: deadline,
    });
    const row = await env.ctx.db
      .updateTable('listings')
      .set({ method: 'auction', increment: '100.00', extension_seconds: 300, ends_at: extendedEnd })
      .where('id', '=', extended.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    listings.push(rowToListing(row));
    for (const state of states)
      for (const openedAt of state === 'cancelled' ? [null, new Date(base)] : [undefined])
        listings.push(
          await makeListing(env.ctx, {
            townshipId: township.id,
            state,
            bidOpensAt: opensAt,
            bidDeadline: deadline,
            openedAt,
          }),
        );
  });
  const ids = () => listings.map((l) => l.id);

  it('statusSql gives what effectiveStatus gives, at every moment around the window ends', async () => {
    for (const at of moments) {
      const rows = await env.ctx.db
        .selectFrom('listings')
        .select(['id', statusSql('listings', sql.val(at)).as('status')])
        .where('id', 'in', ids())
        .execute();
      const bySql = Object.fromEntries(rows.map((r) => [r.id, r.status]));
      for (const l of listings)
        expect([at.toISOString(), l.state, bySql[l.id]]).toEqual([at.toISOString(), l.state, effectiveStatus(l, at)]);
    }
    // all three clock statuses were met, and the extended auction was open after the scheduled deadline
    const sealed = listings.find((l) => l.state === 'published' && l.method === 'sealed')!;
    expect(new Set(moments.map((at) => effectiveStatus(sealed, at)))).toEqual(new Set(['announced', 'open', 'closed']));
    expect([deadline, extendedEnd].map((at) => effectiveStatus(listings[0], at))).toEqual(['open', 'closed']);
  });

  it('statusIs selects exactly the listings whose status is among those asked for', async () => {
    const sets: ListingStatus[][] = [
      ...LISTING_STATUSES.map((s) => [s]),
      ['announced', 'open'],
      ['open', 'closed'],
      ['announced', 'closed'],
      ['announced', 'open', 'closed', 'opened'],
      [],
    ];
    for (const at of moments)
      for (const wanted of sets) {
        const rows = await env.ctx.db
          .selectFrom('listings as l')
          .select('l.id')
          .where('l.id', 'in', ids())
          .where(statusIs(wanted, 'l', sql.val(at)))
          .execute();
        const expected = listings.filter((l) => wanted.includes(effectiveStatus(l, at))).map((l) => l.id);
        expect(rows.map((r) => r.id).sort()).toEqual(expected.sort());
      }
  });

  it('revealedSql agrees with isRevealed; a cancellation is revealed only after an opening', async () => {
    const rows = await env.ctx.db
      .selectFrom('listings')
      .select(['id', revealedSql().as('revealed')])
      .where('id', 'in', ids())
      .execute();
    const bySql = Object.fromEntries(rows.map((r) => [r.id, r.revealed]));
    for (const l of listings)
      expect([l.state, l.openedAt !== null, bySql[l.id]]).toEqual([l.state, l.openedAt !== null, isRevealed(l)]);
    const cancelled = listings.filter((l) => l.state === 'cancelled');
    expect(cancelled.map(isRevealed)).toEqual([false, true]);
    expect(listings.filter((l) => l.state === 'published').map(isRevealed)).toEqual([false, false]);
  });
});
