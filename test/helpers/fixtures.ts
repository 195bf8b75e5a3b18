import crypto from 'node:crypto';
import type { AppContext } from '../../server/context';
import type { ListingState } from '../../server/db/database';
import type { Listing } from '../../server/listings/listings';
import { rowToListing } from '../../server/listings/listings.mapper';
import { unique } from './context';

export interface ListingFixture {
  townshipId: string;
  kind?: 'procurement' | 'lease';
  category?: string;
  state?: ListingState;
  basePrice?: string;
  depositAmount?: string;
  leaseTermMonths?: number | null;
  /** defaults: opened an hour ago, deadline in an hour */
  bidOpensAt?: Date;
  bidDeadline?: Date;
  publishedAt?: Date | null;
  openedAt?: Date | null;
  title?: string;
  relistedFrom?: string | null;
}

const HOUR = 3600_000;

/**
 * A listing inserted straight into the table, in any state, for tests of later steps
 * (bids, awards, board …) that should not depend on the listings API.
 */
export async function makeListing(ctx: AppContext, f: ListingFixture): Promise<Listing> {
  const kind = f.kind ?? 'procurement';
  const state = f.state ?? 'published';
  const row = await ctx.db.insertInto('listings').values({
    code: unique('L').toUpperCase(),
    township_id: f.townshipId,
    kind,
    category: f.category ?? (kind === 'procurement' ? 'works' : 'shop'),
    title: f.title ?? `测试项目 ${crypto.randomBytes(3).toString('hex')}`,
    description: '测试用交易项目',
    base_price: f.basePrice ?? '50000.00',
    deposit_amount: f.depositAmount ?? '0.00',
    lease_term_months: f.leaseTermMonths ?? (kind === 'lease' ? 36 : null),
    bid_opens_at: f.bidOpensAt ?? new Date(Date.now() - HOUR),
    bid_deadline: f.bidDeadline ?? new Date(Date.now() + HOUR),
    state,
    relisted_from: f.relistedFrom ?? null,
    published_at: f.publishedAt !== undefined ? f.publishedAt : state === 'draft' ? null : new Date(Date.now() - 10 * 24 * HOUR),
    opened_at: f.openedAt !== undefined ? f.openedAt : ['opened', 'failed', 'awarded', 'concluded'].includes(state) ? new Date() : null,
  }).returningAll().executeTakeFirstOrThrow();
  return rowToListing(row);
}
