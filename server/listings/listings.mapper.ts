import type { ListingRow } from '../db/database';
import { Decimal } from '../http/money';
import type { Listing } from './listings';

/** Row → domain object; numeric strings become Decimal here and nowhere else. */
export function rowToListing(r: ListingRow): Listing {
  return {
    id: r.id,
    code: r.code,
    townshipId: r.township_id,
    kind: r.kind,
    category: r.category,
    title: r.title,
    description: r.description,
    location: r.location,
    quantity: r.quantity,
    basePrice: new Decimal(r.base_price),
    depositAmount: new Decimal(r.deposit_amount),
    leaseTermMonths: r.lease_term_months,
    priceBasis: r.price_basis,
    area: r.area === null ? null : new Decimal(r.area),
    areaUnit: r.area_unit,
    bidOpensAt: r.bid_opens_at,
    bidDeadline: r.bid_deadline,
    state: r.state,
    cancelReason: r.cancel_reason,
    relistedFrom: r.relisted_from,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    openedAt: r.opened_at,
    method: r.method,
    increment: r.increment === null ? null : new Decimal(r.increment),
    extensionSeconds: r.extension_seconds,
    endsAt: r.ends_at ?? r.bid_deadline,
  };
}
