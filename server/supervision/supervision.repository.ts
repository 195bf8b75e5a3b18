import { sql } from 'kysely';
import type { Executor } from '../db/db';
import type { DealFacts, StepRules } from './supervision';

export interface WatchedDeal extends DealFacts {
  code: string;
  title: string;
}

/**
 * Deals whose steps matter now: every deal with a pending step (published, opened, awarded, or an
 * open objection) plus every deal active since `since`, for the period reports.
 */
export async function loadWatchedDeals(
  db: Executor,
  opts: { townshipId?: string; since: Date },
): Promise<WatchedDeal[]> {
  let q = db
    .selectFrom('listings as l')
    .leftJoin('awards as a', 'a.listing_id', 'l.id')
    .leftJoin('contracts as c', 'c.listing_id', 'l.id')
    .select([
      'l.id',
      'l.code',
      'l.title',
      'l.township_id',
      'l.state',
      'l.bid_deadline',
      'l.opened_at',
      'l.failed_at',
      'l.cancelled_at',
      'l.concluded_at',
      'a.awarded_at',
      'a.publicity_ends_at',
      'c.recorded_at as contract_recorded_at',
    ])
    .where('l.state', '<>', 'draft')
    .where((eb) =>
      eb.or([
        eb('l.state', 'in', ['published', 'opened', 'awarded']),
        eb('l.bid_deadline', '>', opts.since),
        eb('l.updated_at', '>', opts.since),
        eb.exists(
          eb
            .selectFrom('objections as o')
            .select(sql`1`.as('one'))
            .whereRef('o.listing_id', '=', 'l.id')
            .where('o.status', '=', 'open'),
        ),
      ]),
    )
    .orderBy('l.bid_deadline');
  if (opts.townshipId) q = q.where('l.township_id', '=', opts.townshipId);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const objections = await db
    .selectFrom('objections')
    .select(['id', 'listing_id', 'created_at', 'answered_at'])
    .where(
      'listing_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const byListing = new Map<string, DealFacts['objections']>();
  for (const o of objections) {
    const list = byListing.get(o.listing_id) ?? [];
    list.push({ id: o.id, createdAt: o.created_at, answeredAt: o.answered_at });
    byListing.set(o.listing_id, list);
  }
  return rows.map((r) => ({
    listingId: r.id,
    code: r.code,
    title: r.title,
    townshipId: r.township_id,
    state: r.state,
    bidDeadline: r.bid_deadline,
    openedAt: r.opened_at,
    failedAt: r.failed_at,
    cancelledAt: r.cancelled_at,
    concludedAt: r.concluded_at,
    awardedAt: r.awarded_at,
    publicityEndsAt: r.publicity_ends_at,
    contractRecordedAt: r.contract_recorded_at,
    objections: byListing.get(r.id) ?? [],
  }));
}

/** Each township's step time limits, keyed by township id. */
export async function loadStepRules(db: Executor): Promise<Map<string, StepRules>> {
  const rows = await db
    .selectFrom('township_rules')
    .select(['township_id', 'open_within_hours', 'award_within_days', 'contract_within_days'])
    .execute();
  return new Map(
    rows.map((r) => [
      r.township_id,
      {
        openWithinHours: r.open_within_hours,
        awardWithinDays: r.award_within_days,
        contractWithinDays: r.contract_within_days,
      },
    ]),
  );
}
