import crypto from 'node:crypto';
import type { AppContext } from '../../server/context';
import type { ListingState } from '../../server/db/database';
import type { Listing } from '../../server/listings/listings';
import { rowToListing } from '../../server/listings/listings.mapper';
import { unique } from './context';
import { createListingSeal } from '../../server/bids/sealing.service';

export interface ListingFixture {
  townshipId: string;
  kind?: 'procurement' | 'lease';
  category?: string;
  state?: ListingState;
  basePrice?: string;
  depositAmount?: string;
  leaseTermMonths?: number | null;
  /** a lease's price basis: 'term' (default) or 'year' (元/年) */
  priceBasis?: 'term' | 'year';
  /** defaults: opened an hour ago, deadline in an hour */
  bidOpensAt?: Date;
  bidDeadline?: Date;
  publishedAt?: Date | null;
  openedAt?: Date | null;
  title?: string;
  relistedFrom?: string | null;
  /**
   * give it a sealing key split among the township's key holders, as publishing does (their users
   * must exist already); without it the listing is sealed the old way (the server's AES seal key)
   */
  sealed?: boolean;
  /** the quorum of a sealed listing (default 2) */
  quorum?: number;
}

const HOUR = 3600_000;

/**
 * A listing inserted straight into the table, in any state, for tests of later steps
 * (bids, awards, board …) that should not depend on the listings API.
 */
export async function makeListing(ctx: AppContext, f: ListingFixture): Promise<Listing> {
  const kind = f.kind ?? 'procurement';
  const state = f.state ?? 'published';
  const row = await ctx.db
    .insertInto('listings')
    .values({
      code: unique('L').toUpperCase(),
      township_id: f.townshipId,
      kind,
      category: f.category ?? (kind === 'procurement' ? 'works' : 'shop'),
      title: f.title ?? `测试项目 ${crypto.randomBytes(3).toString('hex')}`,
      description: '测试用交易项目',
      base_price: f.basePrice ?? '50000.00',
      deposit_amount: f.depositAmount ?? '0.00',
      lease_term_months: f.leaseTermMonths ?? (kind === 'lease' ? 36 : null),
      price_basis: f.priceBasis ?? 'term',
      bid_opens_at: f.bidOpensAt ?? new Date(Date.now() - HOUR),
      bid_deadline: f.bidDeadline ?? new Date(Date.now() + HOUR),
      state,
      relisted_from: f.relistedFrom ?? null,
      published_at:
        f.publishedAt !== undefined ? f.publishedAt : state === 'draft' ? null : new Date(Date.now() - 10 * 24 * HOUR),
      opened_at:
        f.openedAt !== undefined
          ? f.openedAt
          : ['opened', 'failed', 'awarded', 'concluded'].includes(state)
            ? new Date()
            : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const listing = rowToListing(row);
  if (f.sealed) {
    await ctx.db.transaction().execute((trx) => createListingSeal(trx, listing, f.quorum ?? 2));
  }
  return listing;
}

export interface BidFixture {
  bidderId: string;
  /** the opened (plaintext) amount */
  amount: string;
  valid?: boolean;
  /** defaults to the position in the list, 1-based */
  rank?: number | null;
  submittedAt?: Date;
}

/**
 * Opened bids inserted straight into the table (sealed bytes are a placeholder: after opening the
 * plaintext amount is what counts). For tests of awards and later steps.
 */
export async function makeBids(ctx: AppContext, listingId: string, bids: BidFixture[]) {
  const rows = [];
  for (const [i, b] of bids.entries()) {
    rows.push(
      await ctx.db
        .insertInto('bids')
        .values({
          listing_id: listingId,
          bidder_id: b.bidderId,
          amount_sealed: Buffer.from('sealed-placeholder'),
          amount: b.amount,
          nonce: crypto.randomBytes(12).toString('hex'),
          receipt: crypto.randomBytes(32).toString('hex'),
          submitted_at: b.submittedAt ?? new Date(Date.now() - (bids.length - i) * 60_000),
          status: 'live',
          valid: b.valid ?? true,
          rank: b.rank === undefined ? i + 1 : b.rank,
        })
        .returning(['id', 'bidder_id', 'amount', 'rank', 'valid'])
        .executeTakeFirstOrThrow(),
    );
  }
  return rows.map((r) => ({ id: r.id, bidderId: r.bidder_id, amount: r.amount, rank: r.rank, valid: r.valid }));
}

/** An 'opened' listing with its ranked bids, best first (state defaults to 'opened'). */
export async function makeOpenedListingWithBids(ctx: AppContext, f: ListingFixture & { bids: BidFixture[] }) {
  const { bids, ...listingFixture } = f;
  const listing = await makeListing(ctx, {
    state: 'opened',
    bidOpensAt: new Date(Date.now() - 5 * 24 * HOUR),
    bidDeadline: new Date(Date.now() - HOUR),
    ...listingFixture,
  });
  return { listing, bids: await makeBids(ctx, listing.id, bids) };
}
