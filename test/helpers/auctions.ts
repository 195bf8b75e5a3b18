import { sql } from 'kysely';
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
