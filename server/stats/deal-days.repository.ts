import { sql } from 'kysely';
import type { Db, Executor } from '../db/db';
import { Decimal } from '../http/money';
import { DealAward, DealDayChange, dealDayChange } from './deal-days';

// deal_days is written here only: a deal's change inside the transaction that makes the deal, or
// every row again from the awards. The rule itself (which award counts, where and how much) is
// deal-days.ts.

function awardsWithListings(db: Executor) {
  return db
    .selectFrom('awards')
    .innerJoin('listings', 'listings.id', 'awards.listing_id')
    .select([
      'listings.township_id',
      'listings.state',
      'awards.kind',
      'awards.awarded_at',
      'awards.base_price',
      'awards.amount',
      'awards.savings',
      'awards.term_base_price',
      'awards.term_amount',
    ]);
}

type AwardRow = Awaited<ReturnType<ReturnType<typeof awardsWithListings>['executeTakeFirstOrThrow']>>;

function toDealAward(r: AwardRow): DealAward {
  return {
    townshipId: r.township_id,
    listingState: r.state,
    kind: r.kind,
    awardedAt: r.awarded_at,
    basePrice: new Decimal(r.base_price),
    amount: new Decimal(r.amount),
    savings: new Decimal(r.savings),
    term:
      r.term_base_price !== null && r.term_amount !== null
        ? { basePrice: new Decimal(r.term_base_price), amount: new Decimal(r.term_amount) }
        : null,
  };
}

/**
 * Adds the changes to their rows in one statement, whatever their number: the changes go as arrays,
 * are summed per row (township, day, kind), and each sum is added to what the row holds by
 * INSERT … ON CONFLICT DO UPDATE — atomic per row, so two deals on the same row committed at once
 * both count (the second waits for the first's row lock and adds to its result).
 */
async function addToDealDays(db: Executor, changes: readonly (DealDayChange | null)[]): Promise<void> {
  const counted = changes.filter((c) => c !== null);
  if (counted.length === 0) return;
  const column = <T>(f: (c: DealDayChange) => T) => counted.map(f);
  await sql`
    INSERT INTO deal_days AS d (township_id, day, kind, deals, base_total, award_total, savings)
    SELECT township_id, day, kind, sum(deals), sum(base_total), sum(award_total), sum(savings)
      FROM unnest(${column((c) => c.townshipId)}::uuid[], ${column((c) => c.day)}::date[],
                  ${column((c) => c.kind)}::text[], ${column((c) => c.deals)}::integer[],
                  ${column((c) => c.baseTotal.toFixed(2))}::numeric[], ${column((c) => c.awardTotal.toFixed(2))}::numeric[],
                  ${column((c) => c.savings.toFixed(2))}::numeric[])
           AS c(township_id, day, kind, deals, base_total, award_total, savings)
     GROUP BY township_id, day, kind
     ORDER BY township_id, day, kind
    ON CONFLICT (township_id, day, kind) DO UPDATE SET
      deals = d.deals + EXCLUDED.deals,
      base_total = d.base_total + EXCLUDED.base_total,
      award_total = d.award_total + EXCLUDED.award_total,
      savings = d.savings + EXCLUDED.savings`.execute(db);
}

/**
 * The listing's award counts from now: called in the transaction that made the listing a deal, after
 * the award row is written and the listing moved (the rule reads both). Returns what was added, or
 * null when the rule does not count it (no award, or the listing is not a deal).
 */
export async function countDeal(trx: Executor, listingId: string): Promise<DealDayChange | null> {
  const row = await awardsWithListings(trx).where('awards.listing_id', '=', listingId).executeTakeFirst();
  const change = row ? dealDayChange(toDealAward(row)) : null;
  if (change) await addToDealDays(trx, [change]);
  return change;
}

/**
 * Every total again from the awards, for awards written past the use cases (the bench's bulk load,
 * an import, a repair). The table lock makes deals recorded meanwhile wait and add to the rebuilt
 * rows, or be read by it when they committed first; readers see the old totals until the commit.
 * Returns the number of deals counted.
 */
export async function rebuildDealDays(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`LOCK TABLE deal_days IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    const changes = (await awardsWithListings(trx).execute()).map((r) => dealDayChange(toDealAward(r)));
    await trx.deleteFrom('deal_days').execute();
    await addToDealDays(trx, changes);
    return changes.filter((c) => c !== null).length;
  });
}
