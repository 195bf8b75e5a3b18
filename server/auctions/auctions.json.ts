import { formatMoney } from '../http/money';
import { historyItemToJson } from './auctions';
import type { AuctionRoom } from './auctions.service';

// The API's JSON of an auction room (API.md "Open auctions": GET /listings/:id/auction); the service
// answers the room as domain objects (Dates, Decimals), this maps it at the edge.

export function auctionRoomToJson(r: AuctionRoom) {
  return {
    listingId: r.listing.id,
    status: r.status,
    kind: r.listing.kind,
    direction: r.listing.kind === 'lease' ? 'rising' : 'falling',
    basePrice: formatMoney(r.listing.basePrice),
    bidOpensAt: r.listing.bidOpensAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    scheduledEnd: r.listing.bidDeadline.toISOString(),
    increment: formatMoney(r.listing.auction.increment),
    extensionSeconds: r.listing.auction.extensionSeconds,
    nextMin: r.nextMin ? formatMoney(r.nextMin) : null,
    bidCount: r.history.length,
    best: r.best ? { amount: formatMoney(r.best.amount), at: r.best.at.toISOString(), alias: r.best.alias } : null,
    history: r.history.map((b) => {
      const { amount, at, alias } = historyItemToJson(b);
      return { amount, at, alias };
    }),
    lastSeq: r.best?.seq ?? 0,
    serverTime: r.now.toISOString(),
  };
}
