import crypto from 'node:crypto';
import type { AppContext } from '../../server/context';
import { Decimal } from '../../server/http/money';
import { computeSavings } from '../../server/awards/savings';
import type { Listing } from '../../server/listings/listings';
import { countDeal } from '../../server/stats/deal-days.repository';

const DAY = 24 * 3600_000;

/** A live bid inserted directly; amount stays null (sealed) unless the listing was opened. */
export async function insertBid(ctx: AppContext, listing: Listing, bidderId: string, amount: string, opened: boolean) {
  return ctx.db
    .insertInto('bids')
    .values({
      listing_id: listing.id,
      bidder_id: bidderId,
      amount_sealed: crypto.randomBytes(40),
      amount: opened ? amount : null,
      nonce: crypto.randomBytes(8).toString('hex'),
      receipt: crypto.randomBytes(32).toString('hex'),
      submitted_at: new Date(Date.now() - 2 * 3600_000),
      valid: opened ? true : null,
      rank: opened ? 1 : null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** An award row for a listing's bid, with savings computed by the awards rule, counted as a deal if its listing is one. */
export async function insertAward(
  ctx: AppContext,
  listing: Listing,
  bid: { id: string },
  bidderId: string,
  amount: string,
  awardedAt = new Date(),
  publicityDays = 3,
) {
  const s = computeSavings(listing.kind, listing.basePrice, new Decimal(amount));
  const award = await ctx.db
    .insertInto('awards')
    .values({
      listing_id: listing.id,
      bid_id: bid.id,
      bidder_id: bidderId,
      kind: listing.kind,
      base_price: listing.basePrice.toFixed(2),
      amount: new Decimal(amount).toFixed(2),
      savings: s.savings.toFixed(2),
      savings_rate: s.savingsRate.toFixed(4),
      awarded_at: awardedAt,
      publicity_ends_at: new Date(awardedAt.getTime() + publicityDays * DAY),
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  await countDeal(ctx.db, listing.id); // the daily deal totals, as recording the award counts it
  return award;
}
